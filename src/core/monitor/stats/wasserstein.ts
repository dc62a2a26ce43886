// Wasserstein-1 (earth mover's) distance between two 1-D samples, as scipy.stats.wasserstein_distance: the area
// between the two empirical CDFs, Σ |U(xᵢ) - V(xᵢ)|·(xᵢ₊₁ - xᵢ) over the pooled sorted values. Evidently's
// "wasserstein" test divides it by the reference's population standard deviation (numpy.std, ddof = 0), floored
// at 0.001 so a constant reference column does not divide by zero.

export interface WassersteinResult {
  /** The raw distance, in the column's units. */
  readonly distance: number;
  /** distance / max(referenceStd, 0.001): what Evidently compares with its threshold. */
  readonly normed: number;
  /** Population standard deviation of the reference. */
  readonly referenceStd: number;
}

/** Distance between two sorted, finite, non-empty samples. */
export function wassersteinDistanceSorted(u: Float64Array, v: Float64Array): number {
  const nu = u.length;
  const nv = v.length;
  let i = 0;
  let j = 0;
  let sum = 0;
  let x = Math.min(u[0], v[0]);
  while (i < nu || j < nv) {
    while (i < nu && u[i] <= x) i++;
    while (j < nv && v[j] <= x) j++;
    if (i >= nu && j >= nv) break;
    const next = j >= nv || (i < nu && u[i] <= v[j]) ? u[i] : v[j];
    sum += Math.abs(i / nu - j / nv) * (next - x);
    x = next;
  }
  return sum;
}

/** numpy.std with ddof = 0. */
export function populationStd(values: Float64Array): number {
  let sum = 0;
  for (const v of values) sum += v;
  const mean = sum / values.length;
  let squares = 0;
  for (const v of values) squares += (v - mean) ** 2;
  return Math.sqrt(squares / values.length);
}

/** Raw and reference-std-normed Wasserstein distance; inputs sorted, finite and non-empty. */
export function wassersteinNormed(referenceSorted: Float64Array, currentSorted: Float64Array): WassersteinResult {
  if (referenceSorted.length === 0 || currentSorted.length === 0) {
    throw new Error(
      `Wasserstein distance needs two non-empty samples (got ${referenceSorted.length} and ${currentSorted.length})`,
    );
  }
  const distance = wassersteinDistanceSorted(referenceSorted, currentSorted);
  const referenceStd = populationStd(referenceSorted);
  return { distance, normed: distance / Math.max(referenceStd, 0.001), referenceStd };
}
