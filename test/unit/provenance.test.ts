// Where a version's rows came from: production traffic is worded as such in the lineage graph and the model card, is
// stored with its counts, and starts a raw-rows chain of its own although it has a parent.

import { describe, expect, it } from 'vitest';
import { buildLineage, lineageOutline, lineageSummary, versionKey, type LineageVersion } from '../../src/core/data/lineage';
import { plainSource, productionSource, sourceDetail, sourceLabel, startsOwnRows } from '../../src/core/data/provenance';
import { versionRecord } from '../../src/core/data/version-record';
import { rowsLineageOf, lineageOf, planEvaluation } from '../../src/core/evaluate/plan';
import type { FittedRecipe } from '../../src/core/recipe/types';
import { DEFAULT_SPLIT } from '../../src/core/shared/defaults';
import type { ColumnSchema, DatasetSource, DatasetVersion } from '../../src/core/shared/types';
import { recipeChain } from '../../src/state/data/recipe-chain';

const traffic = productionSource({ modelName: 'penguins', modelVersion: 3, from: Date.UTC(2024, 0, 1), to: Date.UTC(2024, 0, 2), requests: 240, labelled: 200 });
const file: DatasetSource = { kind: 'file', fileName: 'penguins.csv', byteLength: 1234 };
const RECIPE = { version: 1, input: [], steps: [] } as unknown as FittedRecipe;

function version(id: string, parents: string[], source: DatasetSource, extra: Partial<DatasetVersion> = {}): DatasetVersion {
  return {
    id,
    projectId: 'p1',
    name: `v-${id}`,
    createdAt: 1,
    rowCount: 10,
    schema: [],
    summaries: [],
    split: { ...DEFAULT_SPLIT, counts: { train: 7, validation: 1, test: 2 } },
    source,
    parents,
    chunkRows: 65536,
    chunkCount: 1,
    ...extra,
  };
}

describe('a production source', () => {
  it('is named after the model version whose traffic it holds, and says its counts and times', () => {
    expect(traffic).toEqual({
      kind: 'production',
      fileName: 'production traffic of penguins v3',
      byteLength: 0,
      modelName: 'penguins',
      modelVersion: 3,
      from: Date.UTC(2024, 0, 1),
      to: Date.UTC(2024, 0, 2),
      requests: 240,
      labelled: 200,
    });
    expect(sourceLabel(traffic)).toBe('production traffic of penguins v3');
    expect(sourceDetail(traffic)).toBe('production traffic of penguins v3: 240 requests (200 labelled), 2024-01-01T00:00:00Z to 2024-01-02T00:00:00Z');
    expect(sourceLabel(file)).toBe('file "penguins.csv"');
    expect(sourceLabel({ kind: 'sample', fileName: 'penguins.json', byteLength: 1 })).toBe('sample "penguins.json"');
  });

  it('is stored with every field of its kind and nothing else', () => {
    const made = { id: 'x', schema: [] as ColumnSchema[], summaries: [], table: { names: [], columns: [], rowCount: 0 }, counts: { train: 0, validation: 0, test: 0 } };
    const withExtra = { ...traffic, leaked: 'proxy field' } as DatasetSource;
    const record = versionRecord(made, { projectId: 'p1', name: 'n', createdAt: 1, source: withExtra, split: DEFAULT_SPLIT, parents: ['trained'] });
    expect(record.source).toEqual(traffic);
    expect(record.parents).toEqual(['trained']);
    expect(plainSource({ ...file, extra: 1 } as DatasetSource)).toEqual(file);
  });

  it('starts its own raw rows although it has a parent; a recipe made from it does not', () => {
    expect(startsOwnRows(version('imp', [], file))).toBe(true);
    expect(startsOwnRows(version('rec', ['imp'], file, { recipe: RECIPE }))).toBe(false);
    expect(startsOwnRows(version('prod', ['rec'], traffic))).toBe(true);
    // A recipe version keeps its parent's source: production, but derived.
    expect(startsOwnRows(version('prodrec', ['prod'], traffic, { recipe: RECIPE }))).toBe(false);
  });
});

describe('the lineage graph', () => {
  const v = (id: string, parents: string[], source?: DatasetSource): LineageVersion => ({ id, name: `v-${id}`, parents, createdAt: 1, rowCount: 10, ...(source ? { source } : {}) });

  it('labels a version from production traffic as such, in its node, the outline and the summary', () => {
    const g = buildLineage([v('imp', [], file), v('prod', ['imp'], traffic)], []);
    const prod = g.nodes.find((n) => n.key === versionKey('prod'))!;
    expect(prod.production).toBe('from production traffic of penguins v3');
    expect(prod.detail).toBe('prod · 10 rows · from production traffic of penguins v3');
    expect(g.nodes.find((n) => n.key === versionKey('imp'))!.production).toBeNull();
    // It joins its parent's lineage: the edge is there, so continuous training sees it.
    expect(g.edges).toEqual([{ from: versionKey('imp'), to: versionKey('prod'), kind: 'derived' }]);
    expect(lineageOutline(g).map((l) => l.text)).toEqual([
      'Version "v-imp" (imp): imported; parent of "v-prod"; used by no run.',
      'Version "v-prod" (prod): from production traffic of penguins v3; in the lineage of "v-imp"; used by no run.',
    ]);
    expect(lineageSummary(g)).toBe('Lineage: 2 dataset versions (1 imported, 0 derived, 1 from production traffic) and 0 runs trained on them.');
  });

  it('words versions without a source as before', () => {
    const g = buildLineage([v('a', []), v('b', ['a'])], []);
    expect(g.nodes.map((n) => n.detail)).toEqual(['a · 10 rows · imported', 'b · 10 rows']);
    expect(lineageSummary(g)).toBe('Lineage: 2 dataset versions (1 imported, 1 derived) and 0 runs trained on them.');
  });
});

describe('serving and evaluation start a production version from its own raw rows', () => {
  const raw: ColumnSchema[] = [{ name: 'bill', type: 'number', role: 'feature' }, { name: 'species', type: 'category', role: 'target' }];
  const scaled: ColumnSchema[] = [{ name: 'bill_z', type: 'number', role: 'feature' }, { name: 'species', type: 'category', role: 'target' }];
  const recipe = { version: 1, input: raw, steps: [] } as unknown as FittedRecipe;
  const imp = version('imp', [], file, { schema: raw });
  const rec = version('rec', ['imp'], file, { schema: scaled, recipe });
  const prod = version('prod', ['rec'], traffic, { schema: raw });
  const prodRec = version('prodrec', ['prod'], traffic, { schema: scaled, recipe });
  const all = [imp, rec, prod, prodRec];
  const get = async (id: string) => all.find((x) => x.id === id);

  it('recipeChain stops at the production version', async () => {
    const chain = await recipeChain(get, 'prodrec');
    expect(chain.root.id).toBe('prod');
    expect(chain.versionIds).toEqual(['prod', 'prodrec']);
    expect(chain.recipes).toEqual([recipe]);
    expect((await recipeChain(get, 'prod')).versionIds).toEqual(['prod']);
  });

  it('a model trained on the recipe version is evaluated on production rows through its whole chain', () => {
    expect(lineageOf(all, 'prod')).toEqual(['imp', 'rec', 'prod']);
    expect(rowsLineageOf(all, 'prod')).toEqual(['prod']);
    const model = { versionIds: ['imp', 'rec'], recipes: [recipe], schema: scaled };
    const plan = planEvaluation(model, { id: 'prod', schema: raw, lineage: rowsLineageOf(all, 'prod') });
    expect(plan).toEqual({ ok: true, mode: 'chain', recipes: [recipe] });
    // Followed through its parent, the production rows would be taken for the recipe's output columns.
    expect(planEvaluation(model, { id: 'prod', schema: raw, lineage: lineageOf(all, 'prod') }).ok).toBe(false);
  });
});
