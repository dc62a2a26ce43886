// Population Stability Index, shown beside every drift test: Σ (rᵢ - cᵢ)·ln(rᵢ / cᵢ) over the bins of the
// reference and current shares (Evidently's psi.py formula). Bins follow DESIGN.md: numeric columns with more than
// 20 distinct reference values are cut at the reference deciles (10 bins, the outer ones open-ended so current
// values outside the reference range still count; tied deciles merge); other columns get one bin per value. Empty
// bins take Evidently's ε (see binning.ts) so the logarithm stays finite. Conventional reading: < 0.1 stable,
// 0.1–0.25 moderate shift, ≥ 0.25 major shift.

import {
  PER_VALUE_BIN_LIMIT,
  alignValueCounts,
  cutCounts,
  fillEmptyShares,
  quantileCuts,
  toShares,
  type AlignedCounts,
} from './binning';
import { distinctSorted } from './columns';

export const PSI_BINS = 10;
export const PSI_MODERATE = 0.1;
export const PSI_MAJOR = 0.25;

export type PsiLevel = 'stable' | 'moderate' | 'major';

/** PSI of two share vectors that already hold no zeros. */
export function psiOfShares(reference: ArrayLike<number>, current: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < reference.length; i++) sum += (reference[i] - current[i]) * Math.log(reference[i] / current[i]);
  return sum;
}

/** PSI of aligned counts (one bin per key), empty bins filled. */
export function psiOfCounts(counts: AlignedCounts): number {
  const total = (a: Float64Array): number => a.reduce((s, x) => s + x, 0);
  const ref = fillEmptyShares(toShares(counts.reference, total(counts.reference)));
  const cur = fillEmptyShares(toShares(counts.current, total(counts.current)));
  return psiOfShares(ref, cur);
}

/** PSI of two sorted, finite, non-empty numeric samples. */
export function psiOfNumeric(referenceSorted: Float64Array, currentSorted: Float64Array, bins = PSI_BINS): number {
  if (distinctSorted(referenceSorted) <= PER_VALUE_BIN_LIMIT) return psiOfCounts(alignValueCounts(referenceSorted, currentSorted));
  const cuts = quantileCuts(referenceSorted, bins);
  const ref = fillEmptyShares(toShares(cutCounts(referenceSorted, cuts), referenceSorted.length));
  const cur = fillEmptyShares(toShares(cutCounts(currentSorted, cuts), currentSorted.length));
  return psiOfShares(ref, cur);
}

export function psiLevel(psi: number): PsiLevel {
  return psi >= PSI_MAJOR ? 'major' : psi >= PSI_MODERATE ? 'moderate' : 'stable';
}
