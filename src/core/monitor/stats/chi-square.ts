// Chi-square test of homogeneity for one categorical column, as Evidently's "chisquare" test: the expected count
// of each category is its reference count scaled to the current sample size (reference share × current size),
// and the statistic and p-value are scipy.stats.chisquare(observed, expected) with k - 1 degrees of freedom.
// A category absent from the reference but present now has an expected count of 0, which makes the statistic
// +∞ and the p-value 0, as in SciPy. With a single category there are no degrees of freedom: p is NaN.

import type { AlignedCounts } from './binning';
import { chiSquareSf } from './special';

export interface ChiSquareResult {
  readonly statistic: number;
  readonly pValue: number;
  readonly degreesOfFreedom: number;
}

/** Pearson's chi-square of current counts against reference proportions; keys with no rows on either side are ignored. */
export function chiSquareTest(counts: AlignedCounts): ChiSquareResult {
  let referenceTotal = 0;
  let currentTotal = 0;
  let keys = 0;
  for (let k = 0; k < counts.reference.length; k++) {
    referenceTotal += counts.reference[k];
    currentTotal += counts.current[k];
    if (counts.reference[k] > 0 || counts.current[k] > 0) keys++;
  }
  if (referenceTotal === 0 || currentTotal === 0) {
    throw new Error(`chi-square test needs rows on both sides (reference ${referenceTotal}, current ${currentTotal})`);
  }
  const scale = currentTotal / referenceTotal;
  let statistic = 0;
  for (let k = 0; k < counts.reference.length; k++) {
    const observed = counts.current[k];
    const expected = counts.reference[k] * scale;
    if (counts.reference[k] === 0 && observed === 0) continue;
    statistic += expected === 0 ? Number.POSITIVE_INFINITY : (observed - expected) ** 2 / expected;
  }
  const degreesOfFreedom = keys - 1;
  return { statistic, pValue: chiSquareSf(statistic, degreesOfFreedom), degreesOfFreedom };
}
