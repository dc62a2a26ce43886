import { describe, expect, it } from 'vitest';
import { fitRecipe } from '../../src/core/recipe/fit';
import { previewRecipe } from '../../src/core/recipe/preview';
import { tableRow } from '../../src/core/recipe/rows';
import type { Recipe } from '../../src/core/recipe/types';
import { applyRecipeToRow } from '../../src/core/serving/recipe.js';
import { SPLIT_NONE, SPLIT_TRAIN, SPLIT_VALIDATION } from '../../src/core/shared/types';
import { build } from '../fixtures/recipe-tables';
import { penguins } from '../fixtures/tabular';

const T = SPLIT_TRAIN;
const V = SPLIT_VALIDATION;
const data = build([
  { name: 'n', values: [1, null, 3, 50, 5, null] },
  { name: 'c', values: ['a', 'b', null, 'a', 'c', 'b'] },
  { name: 'y', role: 'target', values: ['p', 'q', 'p', 'q', 'p', 'q'] },
]);
const assignment = Uint8Array.of(T, T, T, V, T, T);

describe('previewRecipe', () => {
  const recipe: Recipe = {
    version: 1,
    steps: [
      { kind: 'filter', condition: { kind: 'compare', column: 'n', op: 'ne', value: 5 } },
      { kind: 'impute', column: 'n', strategy: 'mean' },
      { kind: 'clip', column: 'n', by: 'value', lower: 0, upper: 10 },
      { kind: 'onehot', column: 'c' },
    ],
  };

  it('reports rows, columns, per-step counts and the first rows before and after', () => {
    const p = previewRecipe(recipe, data.schema, data.table, assignment, { limit: 2 });
    if (!p.ok) throw new Error('preview failed');
    expect(p.sampled).toBe(false);
    // n != 5 drops row 4 and the rows with n missing (a comparison with a missing value is false).
    expect([p.rowsBefore, p.rowsAfter]).toEqual([6, 3]);
    expect(p.schema.map((c) => c.name)).toEqual(['n', 'c=a', 'y']);
    expect(p.stats.map((s) => [s.kind, s.filtered, s.imputed, s.clipped, s.unseen])).toEqual([
      ['filter', 3, 0, 0, 0],
      ['impute', 0, 0, 0, 0],
      ['clip', 0, 0, 1, 0],
      ['onehot', 0, 0, 0, 0],
    ]);
    expect(p.before).toEqual([
      { n: 1, c: 'a', y: 'p' },
      { n: null, c: 'b', y: 'q' },
    ]);
    expect(p.after).toEqual([
      { n: 1, 'c=a': 1, y: 'p' },
      { n: 3, 'c=a': 0, y: 'p' },
    ]);
  });

  it('can fit on a leading sample of a large table, and says so', () => {
    const p = previewRecipe({ version: 1, steps: [{ kind: 'impute', column: 'n', strategy: 'mean' }] }, data.schema, data.table, assignment, { sampleRows: 3 });
    if (!p.ok) throw new Error('preview failed');
    expect(p.sampled).toBe(true);
    expect(p.rowsBefore).toBe(3);
    expect(p.fitted.steps[0]).toMatchObject({ fill: 2 });
    expect(p.stats[0].imputed).toBe(1);
  });

  it('passes problems through', () => {
    const p = previewRecipe({ version: 1, steps: [{ kind: 'scale', column: 'zz', method: 'standard' }] }, data.schema, data.table, assignment);
    expect(p).toMatchObject({ ok: false, problems: [{ step: 0, field: 'column', column: 'zz' }] });
  });
});

describe('on real data', () => {
  it('cleans penguins and serves every row exactly as the table was transformed', async () => {
    const ds = await penguins();
    const recipe: Recipe = {
      version: 1,
      steps: [
        { kind: 'filter', condition: { kind: 'missing', column: 'Species', negate: true } },
        { kind: 'impute', column: 'Body Mass (g)', strategy: 'median' },
        { kind: 'clip', column: 'Beak Length (mm)', by: 'quantile', lower: 0.01, upper: 0.99 },
        { kind: 'scale', column: 'Flipper Length (mm)', method: 'standard' },
        { kind: 'impute', column: 'Sex', strategy: 'most_frequent' },
        { kind: 'onehot', column: 'Island' },
        { kind: 'bucketize', column: 'Beak Depth (mm)', boundaries: [15, 18] },
        { kind: 'ordinal', column: 'Beak Depth (mm)' },
      ],
    };
    const f = fitRecipe(recipe, ds.schema, ds.table, ds.assignment);
    if (!f.ok) throw new Error(JSON.stringify(f.problems));
    expect(f.result.schema.filter((c) => c.name.startsWith('Island=')).map((c) => c.name)).toEqual(['Island=Biscoe', 'Island=Dream', 'Island=Torgersen']);
    expect(f.stats[1].imputed).toBeGreaterThan(0);
    expect(f.result.assignment.every((a) => a !== SPLIT_NONE)).toBe(true);
    const out = f.result.table;
    for (let j = 0; j < out.rowCount; j++) {
      const { Species: _target, ...features } = tableRow(ds.table, f.result.rows[j]);
      const served = applyRecipeToRow(f.fitted, features);
      const expected = tableRow(out, j);
      // Serving has no target to read; every feature matches.
      expect({ ...served, Species: expected.Species }, `row ${j}`).toEqual(expected);
    }
  });
});
