// How the distance measures turn two samples into two aligned distributions, following Evidently's
// get_binned_data (legacy/calculations/stattests/utils.py):
//   * categorical columns, and numeric columns with at most 20 distinct reference values: one bin per value seen
//     in either sample;
//   * other numeric columns: numpy's 'sturges' histogram edges over the pooled samples (Jensen–Shannon), or — for
//     PSI, as DESIGN.md asks — 10 bins cut at the reference deciles;
//   * shares are counts divided by the sample size; for PSI an empty bin's share is replaced by a small ε
//     (Evidently: min non-zero share / 10⁶ if that share ≤ 10⁻⁴, else 10⁻⁴), separately for each side.

import type { CategoryCounts } from './columns';

/** Counts per key, aligned between the two samples, in key order (ascending values or labels). */
export interface AlignedCounts {
  readonly keys: ReadonlyArray<number | string>;
  readonly reference: Float64Array;
  readonly current: Float64Array;
}

/** Evidently switches numeric columns from per-value bins to a histogram above this many reference values. */
export const PER_VALUE_BIN_LIMIT = 20;

/** One key per distinct value in either sorted sample, with each side's count. */
export function alignValueCounts(reference: Float64Array, current: Float64Array): AlignedCounts {
  const keys: number[] = [];
  const ref: number[] = [];
  const cur: number[] = [];
  let i = 0;
  let j = 0;
  while (i < reference.length || j < current.length) {
    const v = j >= current.length || (i < reference.length && reference[i] <= current[j]) ? reference[i] : current[j];
    let r = 0;
    let c = 0;
    while (i < reference.length && reference[i] === v) {
      i++;
      r++;
    }
    while (j < current.length && current[j] === v) {
      j++;
      c++;
    }
    keys.push(v);
    ref.push(r);
    cur.push(c);
  }
  return { keys, reference: Float64Array.from(ref), current: Float64Array.from(cur) };
}

const byCodePoint = (a: string, b: string): number => {
  const x = Array.from(a);
  const y = Array.from(b);
  for (let k = 0; k < Math.min(x.length, y.length); k++) {
    const d = (x[k].codePointAt(0) ?? 0) - (y[k].codePointAt(0) ?? 0);
    if (d !== 0) return d;
  }
  return x.length - y.length;
};

/** One key per category present in either sample, sorted by label as Python sorts strings. */
export function alignCategoryCounts(
  categories: readonly string[],
  reference: CategoryCounts,
  current: CategoryCounts,
): AlignedCounts {
  const present: number[] = [];
  for (let k = 0; k < categories.length; k++) if (reference.counts[k] > 0 || current.counts[k] > 0) present.push(k);
  present.sort((a, b) => byCodePoint(categories[a], categories[b]));
  return {
    keys: present.map((k) => categories[k]),
    reference: Float64Array.from(present, (k) => reference.counts[k]),
    current: Float64Array.from(present, (k) => current.counts[k]),
  };
}

/** First index whose value is ≥ v (side='left') or > v (side='right'), as numpy.searchsorted. */
export function searchSorted(sorted: ArrayLike<number>, v: number, side: 'left' | 'right'): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (side === 'left' ? sorted[mid] < v : sorted[mid] <= v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** numpy.histogram_bin_edges(values, bins='sturges') for a sample with known min, max and size. */
export function sturgesEdges(min: number, max: number, size: number): Float64Array {
  let first = min;
  let last = max;
  if (first === last) {
    first -= 0.5;
    last += 0.5;
  }
  const width = (max - min) / (Math.log2(size) + 1);
  const bins = width ? Math.ceil((last - first) / width) : 1;
  const edges = new Float64Array(bins + 1);
  const step = (last - first) / bins;
  for (let i = 0; i < bins; i++) edges[i] = i * step + first;
  edges[bins] = last;
  return edges;
}

/** numpy.histogram(values, edges)[0] for sorted values: [e_i, e_i+1) per bin, the last bin closed on the right. */
export function histogramCounts(sorted: Float64Array, edges: Float64Array): Float64Array {
  const bins = edges.length - 1;
  const counts = new Float64Array(bins);
  let prev = searchSorted(sorted, edges[0], 'left');
  for (let i = 0; i < bins; i++) {
    const next = i === bins - 1 ? searchSorted(sorted, edges[bins], 'right') : searchSorted(sorted, edges[i + 1], 'left');
    counts[i] = next - prev;
    prev = next;
  }
  return counts;
}

/** numpy.quantile(sorted, q) with the default 'linear' method. */
export function quantileSorted(sorted: Float64Array, q: number): number {
  const n = sorted.length;
  const index = (n - 1) * q;
  if (index >= n - 1) return sorted[n - 1];
  if (index < 0) return sorted[0];
  const below = Math.floor(index);
  const gamma = index - below;
  const a = sorted[below];
  const b = sorted[below + 1];
  const diff = b - a;
  return gamma >= 0.5 ? b - diff * (1 - gamma) : a + diff * gamma;
}

/** Distinct interior cut points at the reference's 1/bins … (bins-1)/bins quantiles. */
export function quantileCuts(referenceSorted: Float64Array, bins: number): Float64Array {
  const cuts: number[] = [];
  for (let i = 1; i < bins; i++) {
    const c = quantileSorted(referenceSorted, i / bins);
    if (cuts.length === 0 || c !== cuts[cuts.length - 1]) cuts.push(c);
  }
  return Float64Array.from(cuts);
}

/** Counts in (-∞, c₁), [c₁, c₂), …, [c_k, ∞) for sorted values. */
export function cutCounts(sorted: Float64Array, cuts: Float64Array): Float64Array {
  const counts = new Float64Array(cuts.length + 1);
  let prev = 0;
  for (let i = 0; i < cuts.length; i++) {
    const next = searchSorted(sorted, cuts[i], 'left');
    counts[i] = next - prev;
    prev = next;
  }
  counts[cuts.length] = sorted.length - prev;
  return counts;
}

/** Counts divided by the sample size. */
export function toShares(counts: Float64Array, size: number): Float64Array {
  return counts.map((c) => c / size);
}

/** Evidently's replacement of empty bins (feel_zeroes), returning a new array. */
export function fillEmptyShares(shares: Float64Array): Float64Array {
  let minNonZero = Number.POSITIVE_INFINITY;
  for (const s of shares) if (s !== 0 && s < minNonZero) minNonZero = s;
  if (!Number.isFinite(minNonZero)) return Float64Array.from(shares);
  const epsilon = minNonZero <= 0.0001 ? minNonZero / 10 ** 6 : 0.0001;
  return shares.map((s) => (s === 0 ? epsilon : s));
}

/** Binned shares of two numeric samples as Evidently's get_binned_data with a Sturges histogram. */
export function sturgesShares(reference: Float64Array, current: Float64Array): { reference: Float64Array; current: Float64Array } {
  const min = Math.min(reference[0], current[0]);
  const max = Math.max(reference[reference.length - 1], current[current.length - 1]);
  const edges = sturgesEdges(min, max, reference.length + current.length);
  return {
    reference: toShares(histogramCounts(reference, edges), reference.length),
    current: toShares(histogramCounts(current, edges), current.length),
  };
}
