// Two-proportion Z-test, as Evidently's "z" test (z_stattest.py): the first key in sorted order is "0" and every
// other key "1"; p₁ and p₂ are the shares of "1" in reference and current, P the pooled share, and
//   z = (p₁ - p₂) / √(P(1 - P)(1/n₁ + 1/n₂)),   p = 2·(1 - Φ(|z|)).
// The tail is computed as 2·Φ(-|z|), which is the same number without the cancellation that makes Evidently's
// formula return exactly 0 beyond |z| ≈ 8.3. When both samples hold one and the same value, p = 1 (Evidently's
// special case; the formula would divide 0 by 0).

import type { AlignedCounts } from './binning';
import { normalSf } from './special';

export interface ZTestResult {
  readonly statistic: number;
  readonly pValue: number;
}

export function zTest(counts: AlignedCounts): ZTestResult {
  let first = -1;
  let n1 = 0;
  let n2 = 0;
  let keysInReference = 0;
  let keysInCurrent = 0;
  for (let k = 0; k < counts.reference.length; k++) {
    if (first < 0 && (counts.reference[k] > 0 || counts.current[k] > 0)) first = k;
    n1 += counts.reference[k];
    n2 += counts.current[k];
    if (counts.reference[k] > 0) keysInReference++;
    if (counts.current[k] > 0) keysInCurrent++;
  }
  if (n1 === 0 || n2 === 0) throw new Error(`Z-test needs rows on both sides (reference ${n1}, current ${n2})`);
  if (keysInReference === 1 && keysInCurrent === 1 && counts.reference[first] > 0 && counts.current[first] > 0) {
    return { statistic: 0, pValue: 1 };
  }
  const p1 = (n1 - counts.reference[first]) / n1;
  const p2 = (n2 - counts.current[first]) / n2;
  const pooled = (p1 * n1 + p2 * n2) / (n1 + n2);
  const z = (p1 - p2) / Math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2));
  return { statistic: z, pValue: 2 * normalSf(Math.abs(z)) };
}
