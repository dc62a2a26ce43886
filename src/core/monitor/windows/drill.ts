// The drill-down of one window for one column (or the prediction): reference beside current, as a histogram over
// shared bin edges for numbers and dates, or as category bars, with the column's drift result. Counts only: the page
// turns them into shares for display.

import { histogramCounts, sturgesEdges } from '../stats/binning';
import { cleanNumeric } from '../stats/columns';
import type { DriftOverride } from '../stats/choose-test';
import { driftOfColumn, type ColumnDrift } from '../stats/column-drift';
import { gatherColumn, type ChunkList } from './live-columns';
import type { ReferenceProfile } from './reference';
import { scanRows } from './rows';
import { checkOverrides } from './signals';
import type { LogWindow } from './windows';

/** Categories shown one bar each; the rest are summed into one "other" bar. */
export const MAX_BARS = 30;

export interface HistogramDrill {
  readonly kind: 'numeric';
  /** The column's name; null for the prediction. */
  readonly column: string | null;
  /** Values are dates in ms since 1970 UTC. */
  readonly dates: boolean;
  /** Shared by both sides: bin i is [edges[i], edges[i+1]), the last bin closed; empty when neither side has a value. */
  readonly edges: readonly number[];
  readonly reference: readonly number[];
  readonly current: readonly number[];
  readonly missing: { readonly reference: number; readonly current: number };
  readonly drift: ColumnDrift;
}

export interface CategoryBar {
  readonly category: string;
  readonly reference: number;
  readonly current: number;
  /** The reference never saw it. */
  readonly unseen: boolean;
}

export interface CategoryDrill {
  readonly kind: 'categorical';
  readonly column: string | null;
  /** Most frequent first (both sides together), at most MAX_BARS. */
  readonly bars: readonly CategoryBar[];
  /** The categories beyond MAX_BARS, summed; null when every category has its bar. */
  readonly other: { readonly categories: number; readonly reference: number; readonly current: number } | null;
  readonly missing: { readonly reference: number; readonly current: number };
  readonly drift: ColumnDrift;
}

export type WindowDrill = HistogramDrill | CategoryDrill;

function histogram(column: string | null, dates: boolean, reference: Float64Array, current: Float64Array, drift: ColumnDrift): HistogramDrill {
  const ref = cleanNumeric(reference);
  const cur = cleanNumeric(current);
  const missing = { reference: ref.missing, current: cur.missing };
  const n = ref.sorted.length + cur.sorted.length;
  if (n === 0) return { kind: 'numeric', column, dates, edges: [], reference: [], current: [], missing, drift };
  const lo = Math.min(ref.sorted[0] ?? Infinity, cur.sorted[0] ?? Infinity);
  const hi = Math.max(ref.sorted[ref.sorted.length - 1] ?? -Infinity, cur.sorted[cur.sorted.length - 1] ?? -Infinity);
  const edges = sturgesEdges(lo, hi, n);
  return {
    kind: 'numeric',
    column,
    dates,
    edges: Array.from(edges),
    reference: Array.from(histogramCounts(ref.sorted, edges)),
    current: Array.from(histogramCounts(cur.sorted, edges)),
    missing,
    drift,
  };
}

function bars(column: string | null, categories: readonly string[], known: number, reference: Int32Array, current: Int32Array, drift: ColumnDrift): CategoryDrill {
  const refCounts = new Float64Array(categories.length);
  const curCounts = new Float64Array(categories.length);
  const missing = { reference: 0, current: 0 };
  for (const c of reference) {
    if (c < 0) missing.reference++;
    else refCounts[c]++;
  }
  for (const c of current) {
    if (c < 0) missing.current++;
    else curCounts[c]++;
  }
  const present = categories.map((_, i) => i).filter((i) => refCounts[i] > 0 || curCounts[i] > 0);
  present.sort((a, b) => refCounts[b] + curCounts[b] - (refCounts[a] + curCounts[a]) || a - b);
  const shown = present.slice(0, MAX_BARS).map((i) => ({ category: categories[i], reference: refCounts[i], current: curCounts[i], unseen: i >= known }));
  const rest = present.slice(MAX_BARS);
  const other =
    rest.length === 0
      ? null
      : { categories: rest.length, reference: rest.reduce((s, i) => s + refCounts[i], 0), current: rest.reduce((s, i) => s + curCounts[i], 0) };
  return { kind: 'categorical', column, bars: shown, other, missing, drift };
}

/**
 * Reference vs current for `column` in the window, or for the prediction when `column` is null (which needs the
 * reference predictions). `override` is the column's drift override, as the signals used it.
 */
export function drillColumn(
  window: LogWindow,
  chunks: ChunkList,
  reference: ReferenceProfile,
  column: string | null,
  overrides: { readonly overrides?: Readonly<Record<string, DriftOverride>>; readonly predictionOverride?: DriftOverride } = {},
): WindowDrill {
  checkOverrides(reference, overrides.overrides);
  if (column === null) {
    const outputs = reference.predictions;
    if (!outputs) throw new Error('The prediction cannot be drilled into: no predictions on the reference were given.');
    const rows = scanRows(window, chunks, reference.task, reference.classes, Infinity);
    const override = overrides.predictionOverride;
    if (outputs.kind === 'categorical' && rows.outputCodes) {
      const categories = reference.classes;
      const drift = driftOfColumn({ codes: outputs.codes, categories }, { codes: rows.outputCodes, categories }, 'categorical', override, 'prediction');
      return bars(null, categories, categories.length, outputs.codes, rows.outputCodes, drift);
    }
    if (outputs.kind === 'numeric' && rows.outputValues) {
      const drift = driftOfColumn(outputs.values, rows.outputValues, 'numeric', override, 'prediction');
      return histogram(null, false, outputs.values, rows.outputValues, drift);
    }
    throw new Error('The reference predictions and the logged outputs are of different tasks.');
  }
  const ref = reference.columns.find((c) => c.name === column);
  if (!ref) throw new Error(`"${column}" is not a monitored input column (${reference.columns.map((c) => c.name).join(', ')}).`);
  const override = overrides.overrides && Object.prototype.hasOwnProperty.call(overrides.overrides, column) ? overrides.overrides[column] : undefined;
  const sample = gatherColumn(window, chunks, ref, reference.format);
  if (ref.kind === 'numeric' && sample.kind === 'numeric') {
    const drift = driftOfColumn(ref.values, sample.values, 'numeric', override, column);
    return histogram(column, ref.dates, ref.values, sample.values, drift);
  }
  if (ref.kind === 'categorical' && sample.kind === 'categorical') {
    const drift = driftOfColumn({ codes: ref.codes, categories: sample.categories }, { codes: sample.codes, categories: sample.categories }, 'categorical', override, column);
    return bars(column, sample.categories, sample.known, ref.codes, sample.codes, drift);
  }
  throw new Error(`"${column}": the window's sample is ${sample.kind}, its reference ${ref.kind}.`);
}
