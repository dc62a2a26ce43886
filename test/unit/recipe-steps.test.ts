import { describe, expect, it } from 'vitest';
import { fitRecipe } from '../../src/core/recipe/fit';
import { applyRecipeToTable } from '../../src/core/recipe/apply-table';
import type { Recipe, RecipeStep } from '../../src/core/recipe/types';
import { applyRecipeToRow } from '../../src/core/serving/recipe.js';
import { SPLIT_NONE, SPLIT_TEST, SPLIT_TRAIN, SPLIT_VALIDATION } from '../../src/core/shared/types';
import { build, valuesOf } from '../fixtures/recipe-tables';

const T = SPLIT_TRAIN;
const V = SPLIT_VALIDATION;
const X = SPLIT_TEST;
const N = SPLIT_NONE;

// Rows 0-3 are training rows; the validation and test rows hold extreme values that must not be learned from.
const assign2 = Uint8Array.of(T, T, T, T, V, X, N);
const data = build([
  { name: 'x', values: [4, 1, null, 10, 1000, -1000, null] },
  { name: 'c', values: ['b', 'a', 'a', null, 'z', 'b', 'a'] },
  { name: 'y', role: 'target', values: ['p', 'q', 'p', 'q', 'p', null, 'q'] },
]);

function fit(steps: RecipeStep[], a = assign2, d = data) {
  const outcome = fitRecipe({ version: 1, steps }, d.schema, d.table, a);
  if (!outcome.ok) throw new Error(JSON.stringify(outcome.problems));
  return outcome;
}

function only(steps: RecipeStep[]) {
  const outcome = fit(steps);
  return { ...outcome, step: outcome.fitted.steps[0], stats: outcome.stats[0], out: outcome.result.table };
}

describe('impute', () => {
  // Training rows 0-3: x = 4, 1, missing, 10.
  it('fills with the training mean, never looking at validation or test rows', () => {
    const { step, stats, out } = only([{ kind: 'impute', column: 'x', strategy: 'mean' }]);
    expect(step).toMatchObject({ fill: 5 });
    expect(valuesOf(out, 'x')).toEqual([4, 1, 5, 10, 1000, -1000, 5]);
    expect(stats.imputed).toBe(2);
  });

  it('fills with the training median and most frequent value (ties to the smallest)', () => {
    expect(only([{ kind: 'impute', column: 'x', strategy: 'median' }]).step).toMatchObject({ fill: 4 });
    expect(only([{ kind: 'impute', column: 'x', strategy: 'most_frequent' }]).step).toMatchObject({ fill: 1 });
    const even = build([{ name: 'v', values: [3, 2, 3, 2, 7, 9, 9, 9] }]);
    const a = Uint8Array.of(T, T, T, T, T, V, V, V);
    const fitted = fit([{ kind: 'impute', column: 'v', strategy: 'most_frequent' }], a, even).fitted;
    expect(fitted.steps[0]).toMatchObject({ fill: 2 });
    const median = fit([{ kind: 'impute', column: 'v', strategy: 'median' }], Uint8Array.of(T, T, T, T, V, V, V, V), even);
    expect(median.fitted.steps[0]).toMatchObject({ fill: 2.5 });
  });

  it('fills categories with the most frequent training value or a constant', () => {
    const { step, out, stats } = only([{ kind: 'impute', column: 'c', strategy: 'most_frequent' }]);
    expect(step).toMatchObject({ fill: 'a' });
    expect(valuesOf(out, 'c')).toEqual(['b', 'a', 'a', 'a', 'z', 'b', 'a']);
    expect(stats.imputed).toBe(1);
    const constant = only([{ kind: 'impute', column: 'c', strategy: 'constant', constant: 'unknown' }]);
    expect(valuesOf(constant.out, 'c')).toEqual(['b', 'a', 'a', 'unknown', 'z', 'b', 'a']);
    const zero = only([{ kind: 'impute', column: 'x', strategy: 'constant', constant: 0 }]);
    expect(valuesOf(zero.out, 'x')).toEqual([4, 1, 0, 10, 1000, -1000, 0]);
  });
});

describe('scale', () => {
  it('standardises with the training mean and population std', () => {
    const { step, out } = only([{ kind: 'scale', column: 'x', method: 'standard' }]);
    // Training values 4, 1, 10: mean 5, variance (1 + 16 + 25) / 3 = 14.
    expect(step).toMatchObject({ offset: 5, factor: Math.sqrt(14) });
    expect(valuesOf(out, 'x')).toEqual([-1, -4, null, 5, 995, -1005, null].map((v) => (v === null ? null : v / Math.sqrt(14))));
  });

  it('maps the training range onto [0, 1] with min-max', () => {
    const { step, out } = only([{ kind: 'scale', column: 'x', method: 'minmax' }]);
    expect(step).toMatchObject({ offset: 1, factor: 9 });
    expect(valuesOf(out, 'x')).toEqual([3 / 9, 0, null, 1, 111, -1001 / 9, null]);
  });

  it('only centres a constant training column', () => {
    const d = build([{ name: 'k', values: [2, 2, 2, 50] }]);
    const f = fit([{ kind: 'scale', column: 'k', method: 'standard' }], Uint8Array.of(T, T, T, V), d);
    expect(f.fitted.steps[0]).toMatchObject({ offset: 2, factor: 1 });
    expect(valuesOf(f.result.table, 'k')).toEqual([0, 0, 0, 48]);
  });

  it('learns each step on the output of the steps before it', () => {
    const f = fit([
      { kind: 'impute', column: 'x', strategy: 'mean' },
      { kind: 'scale', column: 'x', method: 'standard' },
    ]);
    // After imputing, the training values are 4, 1, 5, 10: mean 5, variance (1 + 16 + 0 + 25) / 4.
    expect(f.fitted.steps[1]).toMatchObject({ offset: 5, factor: Math.sqrt(10.5) });
  });
});

describe('clip', () => {
  it('learns quantile bounds from the training rows (linear interpolation)', () => {
    const { step, out, stats } = only([{ kind: 'clip', column: 'x', by: 'quantile', lower: 0, upper: 0.5 }]);
    expect(step).toMatchObject({ min: 1, max: 4 });
    expect(valuesOf(out, 'x')).toEqual([4, 1, null, 4, 4, 1, null]);
    expect(stats.clipped).toBe(3);
    expect(only([{ kind: 'clip', column: 'x', by: 'quantile', lower: 0.25, upper: 0.75 }]).step).toMatchObject({ min: 2.5, max: 7 });
  });

  it('uses fixed bounds as given', () => {
    const { step, out } = only([{ kind: 'clip', column: 'x', by: 'value', lower: 0, upper: 100 }]);
    expect(step).toMatchObject({ min: 0, max: 100 });
    expect(valuesOf(out, 'x')).toEqual([4, 1, null, 10, 100, 0, null]);
  });
});

describe('onehot and ordinal', () => {
  it('one-hot encodes the training categories in place; unseen and missing are all zeros', () => {
    const { step, out, stats, result } = only([{ kind: 'onehot', column: 'c' }]);
    expect(step).toMatchObject({ categories: ['a', 'b'] });
    expect(out.names).toEqual(['x', 'c=a', 'c=b', 'y']);
    expect(result.schema[1]).toEqual({ name: 'c=a', type: 'number', role: 'feature' });
    expect(valuesOf(out, 'c=a')).toEqual([0, 1, 1, 0, 0, 0, 1]);
    expect(valuesOf(out, 'c=b')).toEqual([1, 0, 0, 0, 0, 1, 0]);
    expect(stats.unseen).toBe(1);
    expect(stats.columnsAdded).toEqual(['c=a', 'c=b']);
    expect(stats.columnsRemoved).toEqual(['c']);
  });

  it('ordinal-encodes in sorted category order; unseen and missing become missing', () => {
    const { step, out, stats, result } = only([{ kind: 'ordinal', column: 'c' }]);
    expect(step).toMatchObject({ categories: ['a', 'b'] });
    expect(valuesOf(out, 'c')).toEqual([1, 0, 0, null, null, 1, 0]);
    expect(result.schema[1]).toEqual({ name: 'c', type: 'number', role: 'feature' });
    expect(stats.unseen).toBe(1);
  });
});

describe('bucketize, cast, dateparts', () => {
  it('labels numbers by bucket', () => {
    const { out, result } = only([{ kind: 'bucketize', column: 'x', boundaries: [2, 5] }]);
    expect(valuesOf(out, 'x')).toEqual(['[2, 5)', '< 2', null, '>= 5', '>= 5', '< 2', null]);
    expect(result.schema[0].type).toBe('category');
  });

  it('casts numbers to their text and text to numbers, counting what does not read', () => {
    expect(valuesOf(only([{ kind: 'cast', column: 'x', to: 'category' }]).out, 'x')).toEqual(['4', '1', null, '10', '1000', '-1000', null]);
    const d = build([{ name: 's', values: ['1.5', ' 2 ', 'abc', null, '1e3', 'NA', '0x10'] }]);
    const f = fit([{ kind: 'cast', column: 's', to: 'number' }], assign2, d);
    expect(valuesOf(f.result.table, 's')).toEqual([1.5, 2, null, null, 1000, null, null]);
    expect(f.stats[0].unparseable).toBe(2);
  });

  it('splits dates into number columns', () => {
    const d = build([
      { name: 'd', values: ['2024-02-29', '2023/12/31', '2021-02-29', null, '2020-01-01T13:45:00Z', 'garbage', '1999-12-31 23:59'] },
    ]);
    const f = fit([{ kind: 'dateparts', column: 'd', parts: ['year', 'month', 'day', 'weekday', 'hour', 'dayofyear'] }], assign2, d);
    const t = f.result.table;
    expect(t.names).toEqual(['d.year', 'd.month', 'd.day', 'd.weekday', 'd.hour', 'd.dayofyear']);
    expect(valuesOf(t, 'd.year')).toEqual([2024, 2023, null, null, 2020, null, 1999]);
    expect(valuesOf(t, 'd.month')).toEqual([2, 12, null, null, 1, null, 12]);
    expect(valuesOf(t, 'd.day')).toEqual([29, 31, null, null, 1, null, 31]);
    // Thursday, Sunday, Wednesday, Friday (ISO: Monday is 1).
    expect(valuesOf(t, 'd.weekday')).toEqual([4, 7, null, null, 3, null, 5]);
    expect(valuesOf(t, 'd.hour')).toEqual([0, 0, null, null, 13, null, 23]);
    expect(valuesOf(t, 'd.dayofyear')).toEqual([60, 365, null, null, 1, null, 365]);
    expect(f.stats[0].unparseable).toBe(2);
    const kept = fit([{ kind: 'dateparts', column: 'd', parts: ['year'], keep: true }], assign2, d);
    expect(kept.result.table.names).toEqual(['d', 'd.year']);
  });
});

describe('drop, rename and filter', () => {
  it('drops and renames columns, keeping roles', () => {
    const f = fit([
      { kind: 'drop', columns: ['c'] },
      { kind: 'rename', from: 'y', to: 'label' },
    ]);
    expect(f.result.schema).toEqual([
      { name: 'x', type: 'number', role: 'feature' },
      { name: 'label', type: 'category', role: 'target' },
    ]);
    expect(valuesOf(f.result.table, 'label')).toEqual(['p', 'q', 'p', 'q', 'p', null, 'q']);
  });

  it('drops rows from the table and the split assignment together, and later steps learn from what is left', () => {
    const f = fit([
      { kind: 'filter', condition: { kind: 'compare', column: 'x', op: 'lt', value: 10 } },
      { kind: 'impute', column: 'c', strategy: 'constant', constant: 'none' },
    ]);
    expect(f.result.table.rowCount).toBe(3);
    expect(valuesOf(f.result.table, 'x')).toEqual([4, 1, -1000]);
    expect(Array.from(f.result.assignment)).toEqual([T, T, X]);
    expect(f.stats[0]).toMatchObject({ filtered: 4, rowsBefore: 7, rowsAfter: 3 });

    const g = fit([
      { kind: 'filter', condition: { kind: 'compare', column: 'x', op: 'ne', value: 10 } },
      { kind: 'impute', column: 'x', strategy: 'mean' },
    ]);
    // The training row with x = 10 is gone: the mean is of 4 and 1. Missing x fails the comparison, so those rows go too.
    expect(g.fitted.steps[1]).toMatchObject({ fill: 2.5 });
    expect(g.result.table.rowCount).toBe(4);
  });

  it('compacts dictionaries to the values that remain', () => {
    const f = fit([{ kind: 'filter', condition: { kind: 'in', column: 'c', values: ['a'], negate: false } }]);
    const c = f.result.table.columns[1];
    expect(c.kind === 'category' && c.dictionary).toEqual(['a']);
  });
});

describe('the fitted recipe', () => {
  it('is plain data that survives structured clone and JSON, and replays the same on a table', () => {
    const recipe: Recipe = {
      version: 1,
      steps: [
        { kind: 'impute', column: 'x', strategy: 'median' },
        { kind: 'clip', column: 'x', by: 'quantile', lower: 0.1, upper: 0.9 },
        { kind: 'onehot', column: 'c' },
        { kind: 'scale', column: 'c=a', method: 'minmax' },
      ],
    };
    const f = fitRecipe(recipe, data.schema, data.table, assign2);
    if (!f.ok) throw new Error('fit failed');
    const copy = JSON.parse(JSON.stringify(structuredClone(f.fitted)));
    expect(copy).toEqual(f.fitted);
    const again = applyRecipeToTable(copy, data.schema, data.table, assign2);
    expect(again.table).toEqual(f.result.table);
    expect(again.schema).toEqual(f.result.schema);
    expect(f.fitted.output).toEqual(f.result.schema);
  });

  it('does not change the input table', () => {
    const before = structuredClone(data.table);
    fit([{ kind: 'impute', column: 'x', strategy: 'mean' }, { kind: 'filter', condition: { kind: 'missing', column: 'c', negate: true } }]);
    expect(data.table).toEqual(before);
  });

  it('refuses a table that lacks a column the recipe needs or types it differently', () => {
    const f = fit([{ kind: 'impute', column: 'x', strategy: 'mean' }]).fitted;
    const other = build([{ name: 'x', values: ['a'] }]);
    expect(() => applyRecipeToTable(f, other.schema, other.table, Uint8Array.of(T))).toThrow(/x/);
  });
});

describe('dangerous column names', () => {
  it('treats __proto__ and constructor as ordinary columns in both paths', () => {
    const d = build([
      { name: '__proto__', values: [1, null, 3] },
      { name: 'constructor', values: ['u', 'v', null] },
      { name: 'toString', role: 'target', values: ['a', 'b', 'a'] },
    ]);
    const a = Uint8Array.of(T, T, V);
    const f = fit(
      [
        { kind: 'impute', column: '__proto__', strategy: 'mean' },
        { kind: 'onehot', column: 'constructor' },
        { kind: 'rename', from: '__proto__', to: 'hasOwnProperty' },
      ],
      a,
      d,
    );
    expect(f.result.table.names).toEqual(['hasOwnProperty', 'constructor=u', 'constructor=v', 'toString']);
    expect(valuesOf(f.result.table, 'hasOwnProperty')).toEqual([1, 1, 3]);
    const row = JSON.parse('{"__proto__": null, "constructor": "v", "toString": "b"}');
    const out = applyRecipeToRow(f.fitted, row);
    expect(Object.keys(out)).toEqual(['hasOwnProperty', 'constructor=u', 'constructor=v', 'toString']);
    expect(out.hasOwnProperty).toBe(1);
    expect(out['constructor=v']).toBe(1);
    // A plain object without those keys must not read Object.prototype's members as cells.
    const bare = applyRecipeToRow(f.fitted, {});
    expect(bare.hasOwnProperty).toBe(1);
    expect(bare['constructor=u']).toBe(0);
    expect(bare.toString).toBeNull();
  });
});

describe('applyRecipeToRow', () => {
  const f = fit([
    { kind: 'filter', condition: { kind: 'compare', column: 'x', op: 'lt', value: 10 } },
    { kind: 'impute', column: 'x', strategy: 'mean' },
    { kind: 'onehot', column: 'c' },
  ]).fitted;

  it('skips filters: a served model answers rows the training data would have dropped', () => {
    expect(applyRecipeToRow(f, { x: 5000, c: 'b', y: 'p' })).toEqual({ x: 5000, 'c=a': 0, 'c=b': 1, y: 'p' });
  });

  it('reads rows as a user types them: text numbers, missing spellings, absent and extra keys', () => {
    // Training rows left by the filter: x = 4 and 1, so the fill is 2.5.
    expect(applyRecipeToRow(f, { x: ' 4 ', c: ' a ', extra: 'ignored' })).toEqual({ x: 4, 'c=a': 1, 'c=b': 0, y: null });
    expect(applyRecipeToRow(f, { x: 'N/A', c: 'NA' })).toEqual({ x: 2.5, 'c=a': 0, 'c=b': 0, y: null });
    expect(applyRecipeToRow(f, { x: 'heavy', c: 7 })).toEqual({ x: 2.5, 'c=a': 0, 'c=b': 0, y: null });
    expect(applyRecipeToRow(f, {})).toEqual({ x: 2.5, 'c=a': 0, 'c=b': 0, y: null });
  });

  it('refuses a fitted recipe of an unknown version', () => {
    expect(() => applyRecipeToRow({ ...f, version: 2 as 1 }, {})).toThrow(/version/);
  });
});
