import { describe, expect, it } from 'vitest';
import { buildDataset } from '../../src/core/data/build-dataset';
import type { RawTable } from '../../src/core/data/type-guess';
import { SPLIT_NONE } from '../../src/core/shared/types';
import type { DatasetChoices } from '../../src/core/contracts/parse';

function raw(header: string[], rows: string[][]): RawTable {
  return {
    header,
    columns: header.map((_, c) => rows.map((r) => r[c])),
    rowCount: rows.length,
    lines: Int32Array.from(rows, (_, i) => i + 2),
  };
}

const HEADER = ['Species', 'Island', 'Body Mass (g)'];
const SPECIES = ['Adelie', 'Gentoo', 'Chinstrap'];
/** 60 rows, 20 per species (enough for 10 validation and 10 test rows), one missing species and one missing mass. */
function penguinRows(): string[][] {
  const rows = Array.from({ length: 60 }, (_, i) => [SPECIES[i % 3], i % 2 ? 'Biscoe' : 'Dream', String(3000 + 25 * i)]);
  rows[4][0] = 'NA';
  rows[7][2] = '';
  return rows;
}

function choices(over: Partial<DatasetChoices> = {}): DatasetChoices {
  return {
    name: 'penguins',
    task: 'classification',
    target: 'Species',
    types: { Species: 'category', Island: 'category', 'Body Mass (g)': 'number' },
    roles: { Species: 'target', Island: 'feature', 'Body Mass (g)': 'feature' },
    split: { method: 'stratified', seed: 42, fractions: [0.6, 0.2, 0.2] },
    ...over,
  };
}

async function problems(table: RawTable, c: DatasetChoices): Promise<string[]> {
  const outcome = await buildDataset(table, c);
  if (outcome.ok) throw new Error('expected the build to fail');
  return outcome.problems.map((p) => p.message);
}

describe('buildDataset', () => {
  it('builds typed columns, summaries, a stratified split and a content id', async () => {
    const outcome = await buildDataset(raw(HEADER, penguinRows()), choices());
    if (!outcome.ok) throw new Error(outcome.problems.map((p) => p.message).join('\n'));
    const ds = outcome.dataset;
    expect(ds.schema).toEqual([
      { name: 'Species', type: 'category', role: 'target' },
      { name: 'Island', type: 'category', role: 'feature' },
      { name: 'Body Mass (g)', type: 'number', role: 'feature' },
    ]);
    const [species, , mass] = ds.table.columns;
    if (species.kind !== 'category' || mass.kind !== 'number') throw new Error('wrong column kinds');
    // Sorted dictionary, -1 for the missing cell.
    expect(species.dictionary).toEqual(['Adelie', 'Chinstrap', 'Gentoo']);
    expect(Array.from(species.codes.subarray(0, 5))).toEqual([0, 2, 1, 0, -1]);
    expect(mass.values[1]).toBe(3025);
    expect(Number.isNaN(mass.values[7])).toBe(true);
    expect(ds.summaries[2]).toMatchObject({ kind: 'number', missing: 1, min: 3000, max: 4475 });
    expect(ds.assignment[4]).toBe(SPLIT_NONE);
    expect(ds.counts.train + ds.counts.validation + ds.counts.test).toBe(59);
    // Each species keeps a 12/4/4 or close split.
    for (let code = 0; code < 3; code++) {
      const rows = [...species.codes.keys()].filter((r) => species.codes[r] === code);
      const inTest = rows.filter((r) => ds.assignment[r] === 2).length;
      expect(inTest).toBeGreaterThanOrEqual(3);
      expect(inTest).toBeLessThanOrEqual(4);
    }
    expect(ds.id).toMatch(/^[0-9a-f]{64}$/);
  });

  it('gives the same id for the same content and a new id for a new seed', async () => {
    const a = await buildDataset(raw(HEADER, penguinRows()), choices());
    const b = await buildDataset(raw(HEADER, penguinRows()), choices());
    const c = await buildDataset(raw(HEADER, penguinRows()), choices({ split: { ...choices().split, seed: 1 } }));
    if (!a.ok || !b.ok || !c.ok) throw new Error('build failed');
    expect(b.dataset.id).toBe(a.dataset.id);
    expect(c.dataset.id).not.toBe(a.dataset.id);
  });

  it('keeps ignored columns in the table and schema', async () => {
    const outcome = await buildDataset(
      raw(HEADER, penguinRows()),
      choices({ roles: { Species: 'target', Island: 'ignore', 'Body Mass (g)': 'feature' } }),
    );
    if (!outcome.ok) throw new Error('build failed');
    expect(outcome.dataset.schema[1]).toEqual({ name: 'Island', type: 'category', role: 'ignore' });
    expect(outcome.dataset.table.columns).toHaveLength(3);
  });

  it('uses guessed types and default roles when choices leave them out', async () => {
    const outcome = await buildDataset(raw(HEADER, penguinRows()), choices({ types: {}, roles: {} }));
    if (!outcome.ok) throw new Error('build failed');
    expect(outcome.dataset.schema.map((s) => `${s.type}/${s.role}`)).toEqual([
      'category/target',
      'category/feature',
      'number/feature',
    ]);
  });

  it('treats a numeric classification target as class labels', async () => {
    const rows = Array.from({ length: 70 }, (_, i) => [String(i % 2), String(i)]);
    const outcome = await buildDataset(
      raw(['label', 'x'], rows),
      choices({ target: 'label', types: { label: 'number', x: 'number' }, roles: {} }),
    );
    if (!outcome.ok) throw new Error('build failed');
    expect(outcome.dataset.schema[0].type).toBe('category');
    const label = outcome.dataset.table.columns[0];
    expect(label.kind === 'category' && label.dictionary).toEqual(['0', '1']);
  });

  it('asks for a target when none is chosen or it is not in the data', async () => {
    expect(await problems(raw(HEADER, penguinRows()), choices({ target: '' }))).toContain(
      'Choose the target column: the one the model should predict.',
    );
    expect(await problems(raw(HEADER, penguinRows()), choices({ target: 'Sex' }))).toContain(
      'The target column "Sex" is not in the data.',
    );
  });

  it('requires the target role on the target and nowhere else', async () => {
    expect(
      await problems(raw(HEADER, penguinRows()), choices({ roles: { Species: 'feature', Island: 'feature' } })),
    ).toContain('"Species" is the target, so its role must be "target", not "feature".');
    expect(
      await problems(raw(HEADER, penguinRows()), choices({ roles: { Species: 'target', Island: 'target' } })),
    ).toContain('Only one column can be the target, and it is "Species"; "Island" also has the target role.');
  });

  it('needs at least one feature', async () => {
    expect(
      await problems(
        raw(HEADER, penguinRows()),
        choices({ roles: { Species: 'target', Island: 'ignore', 'Body Mass (g)': 'ignore' } }),
      ),
    ).toEqual(['Choose at least one feature column for the model to learn from.']);
  });

  it('locates text in a number column by line, column and value', async () => {
    const rows = penguinRows();
    rows[10][2] = 'abc';
    rows[20][2] = '12abc';
    const outcome = await buildDataset(raw(HEADER, rows), choices());
    if (outcome.ok) throw new Error('expected the build to fail');
    expect(outcome.problems[0]).toEqual({
      column: 'Body Mass (g)',
      line: 12,
      value: 'abc',
      message: '"abc" is not a number (line 12, column "Body Mass (g)")',
    });
    expect(outcome.problems[1].message).toBe('"12abc" is not a number (line 22, column "Body Mass (g)")');
    expect(outcome.problems[2].message).toBe(
      'Column "Body Mass (g)" is set to number but 2 of its values are not numbers. Fix those cells or set the column to category.',
    );
  });

  it('shows at most five bad cells', async () => {
    const rows = penguinRows().map((r) => [r[0], r[1], 'x']);
    const messages = await problems(raw(HEADER, rows), choices());
    expect(messages.filter((m) => m.includes('is not a number'))).toHaveLength(5);
    expect(messages.at(-1)).toMatch(/but 60 of its values are not numbers/);
  });

  it('needs two classes for classification', async () => {
    const rows = penguinRows().map((r) => ['Adelie', r[1], r[2]]);
    expect(await problems(raw(HEADER, rows), choices())).toEqual([
      'Target "Species" has only one class ("Adelie"); classification needs at least two.',
    ]);
  });

  it('needs a numeric target for regression', async () => {
    expect(
      await problems(
        raw(HEADER, penguinRows()),
        choices({
          task: 'regression',
          target: 'Island',
          roles: { Species: 'feature', Island: 'target', 'Body Mass (g)': 'feature' },
        }),
      ),
    ).toEqual(['Target "Island" must be a number column for regression; it is set to category.']);
  });

  it('needs rows with a target value', async () => {
    const rows = penguinRows().map((r) => ['', r[1], r[2]]);
    expect(await problems(raw(HEADER, rows), choices())).toEqual([
      'Target "Species" has no values: every row is missing it, so there is nothing to learn from.',
    ]);
  });

  it('refuses a split whose fractions do not add up', async () => {
    expect(
      await problems(raw(HEADER, penguinRows()), choices({ split: { method: 'random', seed: 1, fractions: [0.5, 0.2, 0.2] } })),
    ).toEqual(['Split fractions for train, validation and test must each be between 0 and 1 and add up to 1.']);
  });

  it('splits a regression dataset at random, leaving rows without a target out', async () => {
    const rows = penguinRows();
    const outcome = await buildDataset(
      raw(HEADER, rows),
      choices({
        task: 'regression',
        target: 'Body Mass (g)',
        roles: { Species: 'feature', Island: 'feature', 'Body Mass (g)': 'target' },
      }),
    );
    if (!outcome.ok) throw new Error(outcome.problems.map((p) => p.message).join('\n'));
    expect(outcome.dataset.assignment[7]).toBe(SPLIT_NONE);
    expect(outcome.dataset.counts).toEqual({ train: 35, validation: 12, test: 12 });
  });
});
