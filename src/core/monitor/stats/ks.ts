// Two-sample Kolmogorov–Smirnov test, two-sided, matching scipy.stats.ks_2samp — the function Evidently's "ks"
// test calls with its defaults (method='auto').
//
// Methods, as SciPy defines them:
//   'exact' — the exact null distribution of D for these sample sizes: for n = m, the closed alternating sum of
//             binomial ratios; otherwise the lattice-path recursion of Hodges in Viehmann's numerically stable form
//             (counts 1 - p directly). D is first snapped to the lattice h / lcm(n, m), and SciPy reports that value.
//             Cost is about max(n, m) × (window ≤ min(n, m)) steps: 10⁷ at 1000 × 10 000.
//   'asymp' — kstwo.sf(D, round(n·m/(n+m))): the finite-n one-sample distribution at the effective sample size
//             (see kolmogorov.ts), which is what SciPy's 'asymp' computes; not the n → ∞ Kolmogorov limit.
//   'auto'  — 'exact' when max(n, m) ≤ 10 000, else 'asymp'; like SciPy, 'exact' falls back to 'asymp' if the
//             recursion leaves [0, 1] (it has not been seen to) or, for an explicit 'exact', if lcm(n, m) ≥ 2³¹.

import { kolmogorovSmirnovSf } from './kolmogorov';

export type KsMethod = 'auto' | 'exact' | 'asymp';

export interface KsResult {
  /** Largest distance between the two empirical CDFs (on the lattice h/lcm(n, m) when the exact method ran). */
  readonly statistic: number;
  readonly pValue: number;
  /** The method that produced the p-value. */
  readonly method: 'exact' | 'asymp';
}

const MAX_AUTO_N = 10_000;
const INT32_MAX = 2 ** 31 - 1;

function gcd(a: number, b: number): number {
  let x = a;
  let y = b;
  while (y !== 0) [x, y] = [y, x % y];
  return x;
}

/** Round half to even, as numpy.round. */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** sup |F₁ - F₂| over the pooled values of two sorted samples, ties handled by stepping past equal values. */
export function ksStatistic(a: Float64Array, b: Float64Array): number {
  const n1 = a.length;
  const n2 = b.length;
  let i = 0;
  let j = 0;
  let maxDiff = 0;
  let minDiff = 0;
  while (i < n1 || j < n2) {
    const v = j >= n2 || (i < n1 && a[i] <= b[j]) ? a[i] : b[j];
    while (i < n1 && a[i] <= v) i++;
    while (j < n2 && b[j] <= v) j++;
    const diff = i / n1 - j / n2;
    if (diff > maxDiff) maxDiff = diff;
    if (diff < minDiff) minDiff = diff;
  }
  const minS = Math.min(Math.max(-minDiff, 0), 1);
  return minS > maxDiff ? minS : maxDiff;
}

/** Pr(D ≥ h/n) for two samples of equal size n (exact). */
function probOutsideSquare(n: number, h: number): number {
  // 2 · Σ_k (-1)^k C(2n, n-kh)/C(2n, n), evaluated Horner-style to avoid the subtractive cancellation.
  let P = 0;
  for (let k = Math.floor(n / h); k >= 0; k--) {
    let p1 = 1;
    for (let j = 0; j < h; j++) p1 = ((n - k * h - j) * p1) / (n + k * h + j + 1);
    P = p1 * (1 - P);
  }
  return 2 * P;
}

/** Share of lattice paths from (0,0) to (m,n) that leave the band |x/m - y/n| < h/lcm (Viehmann's recursion). */
function probOutsideBand(m0: number, n0: number, g: number, h: number): number {
  const [m, n] = m0 >= n0 ? [m0, n0] : [n0, m0];
  const mg = m / g;
  const ng = n / g;
  let minj = 0;
  let maxj = Math.min(Math.ceil(h / mg), n + 1);
  let curlen = maxj - minj;
  const lenA = Math.min(2 * maxj + 2, n + 1);
  const A = new Float64Array(lenA).fill(1);
  A.fill(0, minj, maxj);
  for (let i = 1; i <= m; i++) {
    const lastminj = minj;
    const lastlen = curlen;
    minj = Math.min(Math.max(Math.floor((ng * i - h) / mg) + 1, 0), n);
    maxj = Math.min(Math.ceil((ng * i + h) / mg), n + 1);
    if (maxj <= minj) return 1;
    let val = minj === 0 ? 0 : 1;
    for (let jj = 0; jj < maxj - minj; jj++) {
      const j = jj + minj;
      val = (A[jj + minj - lastminj] * i + val * j) / (i + j);
      A[jj] = val;
    }
    curlen = maxj - minj;
    if (lastlen > curlen) A.fill(1, maxj - minj, maxj - minj + (lastlen - curlen));
  }
  return A[maxj - minj - 1];
}

function exactPValue(n1: number, n2: number, g: number, d: number): { ok: boolean; d: number; p: number } {
  const lcm = (n1 / g) * n2;
  const h = roundHalfEven(d * lcm);
  const snapped = h / lcm;
  if (h === 0) return { ok: true, d: snapped, p: 1 };
  const p = n1 === n2 ? probOutsideSquare(n1, h) : probOutsideBand(n1, n2, g, h);
  return { ok: p >= 0 && p <= 1, d: snapped, p };
}

/**
 * Two-sided two-sample KS test of `reference` against `current`. Both must be non-empty and hold no NaN;
 * they need not be sorted (copies are sorted here).
 */
export function ksTwoSample(reference: ArrayLike<number>, current: ArrayLike<number>, method: KsMethod = 'auto'): KsResult {
  const n1 = reference.length;
  const n2 = current.length;
  if (n1 === 0 || n2 === 0) {
    throw new Error(`KS test needs two non-empty samples (got ${n1} reference and ${n2} current values)`);
  }
  const a = Float64Array.from(reference).sort();
  const b = Float64Array.from(current).sort();
  if (Number.isNaN(a[n1 - 1]) || Number.isNaN(b[n2 - 1])) throw new Error('KS test received NaN values; drop missing values first');
  return ksTwoSampleSorted(a, b, method);
}

/** ksTwoSample for samples already sorted ascending, finite and non-empty (saves the copies and sorts). */
export function ksTwoSampleSorted(a: Float64Array, b: Float64Array, method: KsMethod = 'auto'): KsResult {
  const n1 = a.length;
  const n2 = b.length;
  let d = ksStatistic(a, b);
  const g = gcd(n1, n2);
  let mode: 'exact' | 'asymp';
  if (method === 'auto') mode = Math.max(n1, n2) <= MAX_AUTO_N ? 'exact' : 'asymp';
  else if (method === 'exact' && n1 / g >= INT32_MAX / (n2 / g)) mode = 'asymp';
  else mode = method;
  if (mode === 'exact') {
    const exact = exactPValue(n1, n2, g, d);
    d = exact.d;
    if (exact.ok) return { statistic: d, pValue: exact.p, method: 'exact' };
  }
  const [m, n] = n1 >= n2 ? [n1, n2] : [n2, n1];
  const en = (m * n) / (m + n);
  const p = kolmogorovSmirnovSf(roundHalfEven(en), d);
  return { statistic: d, pValue: Number.isNaN(p) ? p : Math.min(Math.max(p, 0), 1), method: 'asymp' };
}
