import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SPLIT } from '../../src/core/shared/defaults';
import { hashDataset } from '../../src/core/data/hash';
import type { Recipe } from '../../src/core/recipe';
import { SPLIT_TEST, SPLIT_TRAIN, SPLIT_VALIDATION, type Table } from '../../src/core/shared/types';
import type { BuiltDataset } from '../../src/core/contracts/dataset';
import { deriveDataset } from '../../src/core/data/derive-version';
import { DatasetsRepo } from '../../src/platform/repositories/datasets';
import { storedVersion, TEST_DATABASE } from '../fixtures/stored-version';
import { DatasetService } from '../../workers/dataset/dataset-service';
import { AnalysisClient } from '../../src/platform/analysis-client';
import { createAnalysis } from '../../workers/analysis/analysis';
import { build } from '../fixtures/recipe-tables';
import { penguins } from '../fixtures/tabular';
import { workerOnChannel } from '../fixtures/support';

let data: BuiltDataset;
beforeAll(async () => {
  data = await penguins();
});

const recipe: Recipe = {
  version: 1,
  steps: [
    { kind: 'impute', column: 'Sex', strategy: 'most_frequent' },
    { kind: 'onehot', column: 'Island' },
    { kind: 'filter', condition: { kind: 'compare', column: 'Body Mass (g)', op: 'gt', value: 3000 } },
  ],
};

function numbers(table: Table, name: string): Float64Array {
  const col = table.columns[table.names.indexOf(name)];
  if (col?.kind !== 'number') throw new Error(`${name} is not a number column`);
  return col.values;
}

describe('deriving a version from a recipe', () => {
  it('makes the derived dataset: filtered rows, inherited split, recomputed counts and summaries', async () => {
    const outcome = await deriveDataset(recipe, data.schema, DEFAULT_SPLIT, data.table, data.assignment);
    if (!outcome.ok) throw new Error(JSON.stringify(outcome.problems));
    const d = outcome.dataset;
    const masses = numbers(data.table, 'Body Mass (g)');
    const kept = [...masses.keys()].filter((r) => masses[r] > 3000);
    expect(kept.length).toBeLessThan(344);
    expect(d.table.rowCount).toBe(kept.length);
    // Each kept row keeps the partition it had in the parent.
    expect([...d.assignment]).toEqual(kept.map((r) => data.assignment[r]));
    const inParent = (code: number) => kept.filter((r) => data.assignment[r] === code).length;
    expect(d.counts).toEqual({ train: inParent(SPLIT_TRAIN), validation: inParent(SPLIT_VALIDATION), test: inParent(SPLIT_TEST) });
    expect(d.schema.map((c) => c.name)).toContain('Island=Biscoe');
    expect(d.schema.map((c) => c.name)).not.toContain('Island');
    expect(d.summaries).toHaveLength(d.schema.length);
    const sex = d.summaries[d.schema.findIndex((c) => c.name === 'Sex')];
    expect(sex.missing).toBe(0);
    expect(d.fitted.steps.map((s) => s.kind)).toEqual(['impute', 'onehot', 'filter']);
    expect(d.stats[2].filtered).toBe(344 - kept.length);
    expect(d.id).toMatch(/^[0-9a-f]{64}$/);
    // Not the id an import of the same cells would get.
    expect(d.id).not.toBe(await hashDataset(d.schema, DEFAULT_SPLIT, d.table));
  });

  it('gives the same id for the same input and another id for another recipe, through the worker client', async () => {
    const stored = await storedVersion(data);
    const client = new AnalysisClient(workerOnChannel(createAnalysis(stored.datasets)));
    const labels = { databaseName: TEST_DATABASE, projectId: 'p1', name: 'derived', createdAt: 2 };
    const a = await client.applyRecipe(stored.ref, recipe, labels);
    const b = await client.applyRecipe(stored.ref, recipe, labels);
    const other: Recipe = { version: 1, steps: [...recipe.steps.slice(0, 2), { kind: 'scale', column: 'Body Mass (g)', method: 'standard' }] };
    const c = await client.applyRecipe(stored.ref, other, labels);
    if (!a.ok || !b.ok || !c.ok) throw new Error('apply failed');
    expect([a.stored, b.stored, c.stored]).toEqual(['created', 'exists', 'created']);
    expect(a.version.id).toBe(b.version.id);
    expect(c.version.id).not.toBe(a.version.id);
    expect(c.version.id).not.toBe(data.id);
    // Only the record came back; the worker stored the version with its lineage and its parent's labels.
    expect('table' in a).toBe(false);
    expect(a.version).toMatchObject({ projectId: 'p1', name: 'derived', parents: [stored.version.id], source: stored.version.source });
    expect(a.version.recipe?.steps.map((s) => s.kind)).toEqual(['impute', 'onehot', 'filter']);
    expect(a.version.format).toEqual(stored.version.format);
    const opened = await stored.open(TEST_DATABASE);
    if (!opened.ok) throw new Error(opened.message);
    try {
      const loaded = await new DatasetsRepo(opened.db).load(a.version.id);
      const direct = await deriveDataset(recipe, data.schema, stored.version.split, data.table, data.assignment);
      if (!direct.ok) throw new Error('derive failed');
      expect(loaded.table).toEqual(direct.dataset.table);
      expect(loaded.assignment).toEqual(direct.dataset.assignment);
    } finally {
      opened.db.close();
    }
    // A recipe that changes no cell still makes another version than its parent.
    const dropOnly: Recipe = { version: 1, steps: [{ kind: 'drop', columns: ['Island'] }] };
    const noFilter = await client.applyRecipe(stored.ref, dropOnly, labels);
    if (!noFilter.ok) throw new Error('apply failed');
    expect(noFilter.version.id).not.toBe(data.id);
    expect(noFilter.version.split.counts).toEqual(data.counts);
  });

  it('gives another id when only the inherited assignment differs', async () => {
    const swapped = data.assignment.slice();
    const r = swapped.findIndex((code) => code === SPLIT_TRAIN);
    swapped[r] = SPLIT_TEST;
    const keep: Recipe = { version: 1, steps: [{ kind: 'drop', columns: ['Island'] }] };
    const a = await deriveDataset(keep, data.schema, DEFAULT_SPLIT, data.table, data.assignment);
    const b = await deriveDataset(keep, data.schema, DEFAULT_SPLIT, data.table, swapped);
    if (!a.ok || !b.ok) throw new Error('apply failed');
    expect(b.dataset.id).not.toBe(a.dataset.id);
  });

  it('fits on the training rows only', async () => {
    // The validation and test rows hold the extreme values; a mean over every row would be far from 2.
    const t = build([
      { name: 'x', values: [1, 2, 3, 1000, -1000, null, null] },
      { name: 'y', role: 'target', values: ['a', 'b', 'a', 'b', 'a', 'b', 'a'] },
    ]);
    const assignment = Uint8Array.of(SPLIT_TRAIN, SPLIT_TRAIN, SPLIT_TRAIN, SPLIT_VALIDATION, SPLIT_TEST, SPLIT_TEST, SPLIT_TRAIN);
    const impute: Recipe = { version: 1, steps: [{ kind: 'impute', column: 'x', strategy: 'median' }, { kind: 'scale', column: 'x', method: 'minmax' }] };
    const outcome = await deriveDataset(impute, t.schema, DEFAULT_SPLIT, t.table, assignment);
    if (!outcome.ok) throw new Error(JSON.stringify(outcome.problems));
    const [fill, scale] = outcome.dataset.fitted.steps;
    expect(fill).toMatchObject({ kind: 'impute', fill: 2 });
    expect(scale).toMatchObject({ kind: 'scale', offset: 1, factor: 2 });
    expect([...numbers(outcome.dataset.table, 'x')]).toEqual([0, 0.5, 1, 499.5, -500.5, 0.5, 0.5]);
    expect(outcome.dataset.counts).toEqual({ train: 4, validation: 1, test: 2 });
  });

  it('refuses a recipe with located problems, and one that keeps no rows', async () => {
    const bad: Recipe = { version: 1, steps: [{ kind: 'scale', column: 'Nope', method: 'standard' }] };
    const a = await deriveDataset(bad, data.schema, DEFAULT_SPLIT, data.table, data.assignment);
    expect(a).toMatchObject({ ok: false, problems: [{ step: 0, field: 'column', column: 'Nope' }] });
    const none: Recipe = { version: 1, steps: [{ kind: 'filter', condition: { kind: 'any', conditions: [] } }] };
    const b = await deriveDataset(none, data.schema, DEFAULT_SPLIT, data.table, data.assignment);
    expect(b.ok).toBe(false);
  });

  it('refuses a filter that leaves fewer than 10 validation or test rows, saying how many are left', async () => {
    const masses = numbers(data.table, 'Body Mass (g)');
    const heavy = [...masses].filter((m) => !Number.isNaN(m)).sort((a, b) => b - a)[15];
    const few: Recipe = {
      version: 1,
      steps: [{ kind: 'filter', condition: { kind: 'compare', column: 'Body Mass (g)', op: 'gt', value: heavy } }],
    };
    const outcome = await deriveDataset(few, data.schema, DEFAULT_SPLIT, data.table, data.assignment);
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.problems[0].message).toMatch(/^the recipe leaves the (validation|test) split \d of the \d+ rows it had; at least 10 are needed/);
  });

  it('previews the recipe in the worker, on the first rows only when asked', async () => {
    const stored = await storedVersion(data);
    const api = createAnalysis(stored.datasets);
    const p = await api.previewRecipe(stored.ref, recipe, { limit: 3 });
    if (!p.ok) throw new Error('preview failed');
    expect(p.rowsBefore).toBe(344);
    expect(p.rowsAfter).toBeLessThan(344);
    expect(p.after).toHaveLength(3);
    expect(p.sampled).toBe(false);
    // A service with nothing cached: the bounded read decodes only the first chunks.
    const head = await createAnalysis(new DatasetService(stored.open)).previewRecipe(stored.ref, recipe, { limit: 3, sampleRows: 100 });
    expect(head).toMatchObject({ ok: true, rowsBefore: 100, sampled: true });
  });
});
