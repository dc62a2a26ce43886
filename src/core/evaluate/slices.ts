// Slices: a figure per value of a category column or per quantile bucket of a number column, worst first, so the
// rows a model fails on stand out. Each evaluated row carries a score (1/0 for right/wrong, or its absolute error),
// and a slice's figure is the mean score of its rows: accuracy or MAE.

import type { ColumnData } from '../shared/types';
import type { Slice } from './types';

export const MISSING_SLICE = '(missing)';

/** Group index per evaluated row and the group names. */
export interface Grouping {
  groups: Int32Array;
  names: string[];
}

/** One group per category value; missing cells form their own group. `rows` are the evaluated table rows. */
export function groupByCategory(codes: Int32Array, dictionary: readonly string[], rows: ArrayLike<number>): Grouping {
  const missing = dictionary.length;
  const groups = Int32Array.from({ length: rows.length }, (_, i) => (codes[rows[i]] >= 0 ? codes[rows[i]] : missing));
  return { groups, names: [...dictionary, MISSING_SLICE] };
}

/** Linear interpolation between order statistics (numpy's default), q in [0, 1]; `sorted` is non-empty. */
export function quantile(sorted: readonly number[], q: number): number {
  const at = q * (sorted.length - 1);
  const lo = Math.floor(at);
  const hi = Math.ceil(at);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (at - lo);
}

function formatEdge(x: number): string {
  return Number.isInteger(x) ? String(x) : String(Number(x.toPrecision(4)));
}

/**
 * `buckets` quantile buckets of the evaluated rows' values, [lo, hi) each and the last closed. Repeated edges (many
 * equal values) merge buckets; a column with one value is one slice. Missing cells form their own group.
 */
export function groupByQuantile(values: Float64Array, rows: ArrayLike<number>, buckets = 4): Grouping {
  const present: number[] = [];
  for (let i = 0; i < rows.length; i++) {
    const v = values[rows[i]];
    if (!Number.isNaN(v)) present.push(v);
  }
  present.sort((a, b) => a - b);
  const edges: number[] = [];
  if (present.length > 0) {
    for (let j = 0; j <= buckets; j++) {
      const e = quantile(present, j / buckets);
      if (edges.length === 0 || e > edges[edges.length - 1]) edges.push(e);
    }
  }
  const names: string[] =
    edges.length === 1
      ? [`= ${formatEdge(edges[0])}`]
      : edges.slice(0, -1).map((lo, j) => `[${formatEdge(lo)}, ${formatEdge(edges[j + 1])}${j === edges.length - 2 ? ']' : ')'}`);
  const missing = names.length;
  names.push(MISSING_SLICE);
  const groups = new Int32Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const v = values[rows[i]];
    if (Number.isNaN(v)) {
      groups[i] = missing;
      continue;
    }
    let b = 0;
    while (b < edges.length - 2 && v >= edges[b + 1]) b++;
    groups[i] = b;
  }
  return { groups, names };
}

/** The grouping of a column, or null for a column that cannot be sliced (images). */
export function groupColumn(column: ColumnData, rows: ArrayLike<number>, buckets = 4): Grouping | null {
  if (column.kind === 'category') return groupByCategory(column.codes, column.dictionary, rows);
  if (column.kind === 'number') return groupByQuantile(column.values, rows, buckets);
  return null;
}

/**
 * Mean score per group, empty groups left out, worst first (lowest mean when higher is better), ties by name.
 * A single-row slice is kept: its count says how little it weighs.
 */
export function sliceScores(scores: ArrayLike<number>, grouping: Grouping, higherIsBetter: boolean): Slice[] {
  const { groups, names } = grouping;
  if (groups.length !== scores.length) throw new RangeError(`Got ${scores.length} scores for ${groups.length} rows.`);
  const sum = new Array<number>(names.length).fill(0);
  const count = new Array<number>(names.length).fill(0);
  for (let i = 0; i < groups.length; i++) {
    sum[groups[i]] += scores[i];
    count[groups[i]]++;
  }
  const slices: Slice[] = [];
  names.forEach((value, g) => {
    if (count[g] > 0) slices.push({ value, count: count[g], metric: sum[g] / count[g] });
  });
  const sign = higherIsBetter ? 1 : -1;
  return slices.sort((a, b) => sign * (a.metric - b.metric) || a.value.localeCompare(b.value));
}
