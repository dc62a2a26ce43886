// Per-column profile of a dataset version: what is in each column and how strongly it goes with the
// target. Pure and synchronous; the app runs it in the analysis worker because it sorts every column.

import { columnLength } from './columns';
import { summarizeImages } from './images/summary';
import { summarizeDates } from './date-summary';
import { categoryCounts } from './summary';
import type { ColumnData, ColumnRole, ColumnSchema, ColumnType, DateSummary, Table } from '../shared/types';

export const HISTOGRAM_BINS = 20;
export const PROFILE_TOP_CATEGORIES = 8;
/** Up to this many distinct values a category profile lists them all (validation suggests them as the allowed set). */
export const PROFILE_MAX_OBSERVED = 100;
export const MAX_CONTINGENCY_CELLS = 1_000_000;

export interface Quantiles {
  p5: number;
  p25: number;
  median: number;
  p75: number;
  p95: number;
}

/** Equal-width bins over [min, max]; bin i covers [min + i*w, min + (i+1)*w), the last one includes max. */
export interface Histogram {
  min: number;
  max: number;
  counts: number[];
}

export type AssociationMeasure = 'eta' | 'cramers-v' | 'abs-pearson';

/** Strength of a column's link with the target, from 0 (none) to 1, over the rows where both are present. */
export interface Association {
  measure: AssociationMeasure;
  value: number;
  rows: number;
}

interface ProfileBase {
  name: string;
  type: ColumnType;
  role: ColumnRole;
  missing: number;
  unique: number;
  /** Null for the target itself, for ignored columns, and when the measure is undefined (no variation, or too few rows). */
  association: Association | null;
}

export interface NumberProfile extends ProfileBase {
  kind: 'number';
  min: number;
  max: number;
  mean: number;
  /** Population standard deviation (divides by n), as the stored summaries do. */
  std: number;
  quantiles: Quantiles;
  histogram: Histogram;
}

export interface CategoryProfile extends ProfileBase {
  kind: 'category';
  /** Most frequent first, ties by value. */
  top: { value: string; count: number }[];
  /** Present rows whose value is not in `top`. */
  other: number;
  /** Every distinct present value, sorted; null when there are more than PROFILE_MAX_OBSERVED (an id or free text). */
  observed: string[] | null;
}

/** An image column: no distinct-value statistics (every image is its own value), its shape and intensities instead. */
export interface ImageProfile extends Omit<ProfileBase, 'unique'> {
  kind: 'image';
  count: number;
  width: number;
  height: number;
  channels: 1 | 3;
  /** Mean pixel value (0-255) per channel. */
  meanIntensity: number[];
}

/** A date column: its range and rows per day, month or year (see date-summary.ts). */
export interface DateProfile extends ProfileBase {
  kind: 'date';
  /** Earliest and latest date, ms since 1970 UTC; NaN when every value is missing. */
  min: number;
  max: number;
  periods: DateSummary['periods'];
}

export type ColumnProfile = NumberProfile | CategoryProfile | DateProfile | ImageProfile;

export interface DatasetProfile {
  rowCount: number;
  /** Name of the target column, or null when the schema has none. */
  target: string | null;
  /** In schema order. */
  columns: ColumnProfile[];
}

/**
 * The p-quantile of ascending `sorted` values by linear interpolation between closest ranks
 * (Hyndman & Fan type 7, the default of numpy and R): h = (n - 1) p, then
 * q = x[floor h] + (h - floor h) (x[floor h + 1] - x[floor h]). NaN for an empty array.
 */
export function quantile(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const h = (n - 1) * Math.min(1, Math.max(0, p));
  const lo = Math.floor(h);
  const hi = Math.min(n - 1, lo + 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

export function quantiles(sorted: ArrayLike<number>): Quantiles {
  return {
    p5: quantile(sorted, 0.05),
    p25: quantile(sorted, 0.25),
    median: quantile(sorted, 0.5),
    p75: quantile(sorted, 0.75),
    p95: quantile(sorted, 0.95),
  };
}

/**
 * Equal-width histogram of ascending `sorted` values. A column with one distinct value gets a single
 * bin holding every row (a zero-width range cannot be cut into bins); no values give no bins.
 */
export function histogram(sorted: ArrayLike<number>, bins = HISTOGRAM_BINS): Histogram {
  const n = sorted.length;
  if (n === 0) return { min: NaN, max: NaN, counts: [] };
  const min = sorted[0];
  const max = sorted[n - 1];
  if (min === max) return { min, max, counts: [n] };
  const counts = new Array<number>(bins).fill(0);
  const width = (max - min) / bins;
  for (let i = 0; i < n; i++) {
    // Clamped: max lands in the last bin, and rounding cannot push a value past either end.
    const bin = Math.min(bins - 1, Math.max(0, Math.floor((sorted[i] - min) / width)));
    counts[bin]++;
  }
  return { min, max, counts };
}

/**
 * Correlation ratio eta = sqrt(between-group sum of squares / total sum of squares) of numbers grouped by
 * category codes, over rows where both are present (code >= 0, value not NaN). NaN when the numbers do
 * not vary or no row has both.
 */
export function correlationRatio(codes: Int32Array, values: Float64Array): number {
  // Codes index the dictionary, so per-group sums fit in dense arrays (no map lookup per row).
  let groups = 0;
  for (let r = 0; r < codes.length; r++) if (codes[r] >= groups) groups = codes[r] + 1;
  const counts = new Float64Array(groups);
  const sums = new Float64Array(groups);
  let n = 0;
  let total = 0;
  for (let r = 0; r < codes.length; r++) {
    const code = codes[r];
    const v = values[r];
    if (code < 0 || Number.isNaN(v)) continue;
    n++;
    total += v;
    counts[code]++;
    sums[code] += v;
  }
  if (n === 0) return NaN;
  const mean = total / n;
  let ssTotal = 0;
  for (let r = 0; r < codes.length; r++) {
    if (codes[r] < 0 || Number.isNaN(values[r])) continue;
    ssTotal += (values[r] - mean) ** 2;
  }
  if (ssTotal === 0) return NaN;
  let ssBetween = 0;
  for (let g = 0; g < groups; g++) if (counts[g] > 0) ssBetween += counts[g] * (sums[g] / counts[g] - mean) ** 2;
  return Math.min(1, Math.sqrt(ssBetween / ssTotal));
}

/**
 * Cramér's V = sqrt(chi² / (n (min(r, c) - 1))) of the contingency table of two coded columns, over
 * rows where both are present; categories absent from those rows do not count towards r and c. No bias
 * correction. NaN when either side has fewer than two categories, or the table has more than
 * MAX_CONTINGENCY_CELLS cells.
 */
export function cramersV(a: Int32Array, b: Int32Array): number {
  const table = new Map<number, Map<number, number>>();
  const rowTotals = new Map<number, number>();
  const colTotals = new Map<number, number>();
  let n = 0;
  for (let r = 0; r < a.length; r++) {
    const x = a[r];
    const y = b[r];
    if (x < 0 || y < 0) continue;
    n++;
    let row = table.get(x);
    if (!row) table.set(x, (row = new Map()));
    row.set(y, (row.get(y) ?? 0) + 1);
    rowTotals.set(x, (rowTotals.get(x) ?? 0) + 1);
    colTotals.set(y, (colTotals.get(y) ?? 0) + 1);
  }
  const k = Math.min(rowTotals.size, colTotals.size);
  if (n === 0 || k < 2) return NaN;
  // Two id-like columns would make a huge, nearly empty table whose V says nothing; skip the work.
  if (rowTotals.size * colTotals.size > MAX_CONTINGENCY_CELLS) return NaN;
  let chi2 = 0;
  for (const [x, rowTotal] of rowTotals) {
    const row = table.get(x) as Map<number, number>;
    for (const [y, colTotal] of colTotals) {
      const expected = (rowTotal * colTotal) / n;
      chi2 += ((row.get(y) ?? 0) - expected) ** 2 / expected;
    }
  }
  return Math.min(1, Math.sqrt(chi2 / (n * (k - 1))));
}

/** Pearson's r over rows where both values are present; NaN when either does not vary. */
export function pearson(x: Float64Array, y: Float64Array): number {
  let n = 0;
  let sx = 0;
  let sy = 0;
  for (let r = 0; r < x.length; r++) {
    if (Number.isNaN(x[r]) || Number.isNaN(y[r])) continue;
    n++;
    sx += x[r];
    sy += y[r];
  }
  if (n < 2) return NaN;
  const mx = sx / n;
  const my = sy / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let r = 0; r < x.length; r++) {
    if (Number.isNaN(x[r]) || Number.isNaN(y[r])) continue;
    const dx = x[r] - mx;
    const dy = y[r] - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  if (sxx === 0 || syy === 0) return NaN;
  return Math.max(-1, Math.min(1, sxy / Math.sqrt(sxx * syy)));
}

/**
 * The measure that fits the two column kinds: eta when one side is numeric and the other categorical,
 * Cramér's V for two categorical, |Pearson r| for two numeric.
 */
export function associate(feature: ColumnData, target: ColumnData): Association | null {
  // No single-number measure links whole images with a target; the model is the measure there.
  if (feature.kind === 'image' || target.kind === 'image') return null;
  let measure: AssociationMeasure;
  let value: number;
  // A date goes with the target as its position on the timeline does: as a number.
  if (feature.kind !== 'category' && target.kind === 'category') {
    measure = 'eta';
    value = correlationRatio(target.codes, feature.values);
  } else if (feature.kind === 'category' && target.kind !== 'category') {
    measure = 'eta';
    value = correlationRatio(feature.codes, target.values);
  } else if (feature.kind === 'category' && target.kind === 'category') {
    measure = 'cramers-v';
    value = cramersV(feature.codes, target.codes);
  } else {
    measure = 'abs-pearson';
    value = Math.abs(pearson((feature as { values: Float64Array }).values, (target as { values: Float64Array }).values));
  }
  if (Number.isNaN(value)) return null;
  return { measure, value, rows: bothPresent(feature, target) };
}

/** 1 where the cell is present; plain loops, as per-element callbacks are slow on large columns. */
function presence(column: ColumnData): Uint8Array {
  if (column.kind === 'number' || column.kind === 'date') {
    const out = new Uint8Array(column.values.length);
    for (let r = 0; r < out.length; r++) out[r] = Number.isNaN(column.values[r]) ? 0 : 1;
    return out;
  }
  if (column.kind === 'image') return new Uint8Array(columnLength(column)).fill(1);
  const out = new Uint8Array(column.codes.length);
  for (let r = 0; r < out.length; r++) out[r] = column.codes[r] < 0 ? 0 : 1;
  return out;
}

function bothPresent(a: ColumnData, b: ColumnData): number {
  const pa = presence(a);
  const pb = presence(b);
  let count = 0;
  for (let r = 0; r < pa.length; r++) count += pa[r] & pb[r];
  return count;
}

/**
 * Profiles every column of `table` (columns matched to the schema by position). Association with the
 * target uses every row where the target is present, not only the training split: the profile describes
 * the version as a whole, and the split is a later choice made on top of it.
 */
export function profileTable(schema: ColumnSchema[], table: Table): DatasetProfile {
  if (schema.length !== table.columns.length) {
    throw new Error(`The schema has ${schema.length} columns but the table has ${table.columns.length}.`);
  }
  const targetIndex = schema.findIndex((c) => c.role === 'target');
  const target = targetIndex >= 0 ? table.columns[targetIndex] : null;
  const columns = schema.map((column, i): ColumnProfile => {
    const data = table.columns[i];
    // An ignored column (an identifier, say) is left out: unique values "explain" any target perfectly, and
    // ranking one first would present it as the strongest signal when the model never sees it.
    const association = target && i !== targetIndex && column.role !== 'ignore' ? associate(data, target) : null;
    const base = { name: column.name, type: column.type, role: column.role, association };
    if (data.kind === 'image') {
      const { missing, count, width, height, channels, meanIntensity } = summarizeImages(data);
      return { ...base, kind: 'image', missing, count, width, height, channels, meanIntensity };
    }
    if (data.kind === 'date') {
      const { missing, unique, min, max, periods } = summarizeDates(data.values);
      return { ...base, kind: 'date', missing, unique, min, max, periods };
    }
    return data.kind === 'number' ? profileNumbers(base, data.values) : profileCategories(base, data.codes, data.dictionary);
  });
  return { rowCount: table.rowCount, target: targetIndex >= 0 ? schema[targetIndex].name : null, columns };
}

type Base = Pick<ProfileBase, 'name' | 'type' | 'role' | 'association'>;

function profileNumbers(base: Base, values: Float64Array): NumberProfile {
  // A plain loop: TypedArray.filter calls back per element and is several times slower on large columns.
  const buffer = new Float64Array(values.length);
  let n = 0;
  for (let i = 0; i < values.length; i++) if (!Number.isNaN(values[i])) buffer[n++] = values[i];
  const sorted = buffer.subarray(0, n).sort();
  let unique = n > 0 ? 1 : 0;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    sum += sorted[i];
    if (i > 0 && sorted[i] !== sorted[i - 1]) unique++;
  }
  const mean = n > 0 ? sum / n : NaN;
  let squares = 0;
  for (let i = 0; i < n; i++) squares += (sorted[i] - mean) ** 2;
  return {
    ...base,
    kind: 'number',
    missing: values.length - n,
    unique,
    min: n > 0 ? sorted[0] : NaN,
    max: n > 0 ? sorted[n - 1] : NaN,
    mean,
    std: n > 0 ? Math.sqrt(squares / n) : NaN,
    quantiles: quantiles(sorted),
    histogram: histogram(sorted),
  };
}

function profileCategories(base: Base, codes: Int32Array, dictionary: string[]): CategoryProfile {
  const { missing, used } = categoryCounts(codes, dictionary);
  const top = used.slice(0, PROFILE_TOP_CATEGORIES);
  const shown = top.reduce((s, t) => s + t.count, 0);
  const observed = used.length <= PROFILE_MAX_OBSERVED ? used.map((u) => u.value).sort() : null;
  return { ...base, kind: 'category', missing, unique: used.length, top, other: codes.length - missing - shown, observed };
}

/**
 * Columns in the order the profile view shows them: the target first, then the others by strength of
 * association with it (strongest first, those without one last), ties in schema order.
 */
export function displayOrder(profile: DatasetProfile): ColumnProfile[] {
  const strength = (c: ColumnProfile) => (c.role === 'target' ? 2 : (c.association?.value ?? -1));
  return profile.columns
    .map((column, index) => ({ column, index }))
    .sort((a, b) => strength(b.column) - strength(a.column) || a.index - b.index)
    .map((x) => x.column);
}
