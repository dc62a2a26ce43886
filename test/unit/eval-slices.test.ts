import { describe, expect, it } from 'vitest';
import { groupByCategory, groupByQuantile, MISSING_SLICE, quantile, sliceScores } from '../../src/core/evaluate/slices';
import { squaredErrors, worstIndices } from '../../src/core/evaluate/worst';

describe('slices by category', () => {
  it('gives accuracy per value, worst first, leaving out values with no evaluated row', () => {
    // Table rows 0..5; island codes: Biscoe(0) Dream(1) Torgersen(2), missing(-1). Only rows 0..4 are evaluated,
    // so Torgersen (row 5 only) has no evaluated row and is omitted.
    const codes = Int32Array.from([0, 0, 1, 1, -1, 2]);
    const grouping = groupByCategory(codes, ['Biscoe', 'Dream', 'Torgersen'], [0, 1, 2, 3, 4]);
    const correct = [1, 1, 1, 0, 0];
    expect(sliceScores(correct, grouping, true)).toEqual([
      { value: MISSING_SLICE, count: 1, metric: 0 },
      { value: 'Dream', count: 2, metric: 0.5 },
      { value: 'Biscoe', count: 2, metric: 1 },
    ]);
  });

  it('orders errors descending (worst MAE first) and keeps single-row slices', () => {
    const grouping = groupByCategory(Int32Array.from([0, 1, 1]), ['a', 'b'], [0, 1, 2]);
    expect(sliceScores([5, 1, 2], grouping, false)).toEqual([
      { value: 'a', count: 1, metric: 5 },
      { value: 'b', count: 2, metric: 1.5 },
    ]);
  });

  it('returns no slice when no row is evaluated', () => {
    const grouping = groupByCategory(Int32Array.from([0, 1]), ['a', 'b'], []);
    expect(sliceScores([], grouping, true)).toEqual([]);
  });
});

describe('slices by quantile bucket', () => {
  it('interpolates quantiles linearly, as numpy does', () => {
    expect(quantile([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quantile([1, 2, 3, 4], 0.25)).toBeCloseTo(1.75, 12);
  });

  it('buckets a number column into quartiles of the evaluated rows, the last one closed', () => {
    // Values 1..8: quartile edges 1, 2.75, 4.5, 6.25, 8.
    const values = Float64Array.from([1, 2, 3, 4, 5, 6, 7, 8, NaN]);
    const rows = [0, 1, 2, 3, 4, 5, 6, 7, 8];
    const { groups, names } = groupByQuantile(values, rows, 4);
    expect(names).toEqual(['[1, 2.75)', '[2.75, 4.5)', '[4.5, 6.25)', '[6.25, 8]', MISSING_SLICE]);
    expect(Array.from(groups)).toEqual([0, 0, 1, 1, 2, 2, 3, 3, 4]);
    const abs = [0, 0, 1, 1, 0, 0, 4, 2, 3];
    expect(sliceScores(abs, { groups, names }, false).map((s) => [s.value, s.metric])).toEqual([
      [MISSING_SLICE, 3],
      ['[6.25, 8]', 3],
      ['[2.75, 4.5)', 1],
      ['[1, 2.75)', 0],
      ['[4.5, 6.25)', 0],
    ]);
  });

  it('merges repeated edges and makes one slice of a constant column', () => {
    const many = groupByQuantile(Float64Array.from([0, 0, 0, 0, 0, 0, 1, 2]), [0, 1, 2, 3, 4, 5, 6, 7], 4);
    expect(many.names).toEqual(['[0, 0.25)', '[0.25, 2]', MISSING_SLICE]);
    expect(Array.from(many.groups)).toEqual([0, 0, 0, 0, 0, 0, 1, 1]);
    const constant = groupByQuantile(Float64Array.from([3, 3, 3]), [0, 1, 2], 4);
    expect(constant.names).toEqual(['= 3', MISSING_SLICE]);
    expect(Array.from(constant.groups)).toEqual([0, 0, 0]);
  });
});

describe('worst predictions', () => {
  it('ranks by loss, highest first, ties in row order', () => {
    expect(worstIndices([0.1, 2, 0.5, 2, 0], 3)).toEqual([1, 3, 2]);
    expect(worstIndices([1, 2], 0)).toEqual([]);
    expect(worstIndices([], 5)).toEqual([]);
  });

  it('takes squared errors for regression', () => {
    expect(Array.from(squaredErrors([1, 2, 3], [1, 4, 0]))).toEqual([0, 4, 9]);
  });
});
