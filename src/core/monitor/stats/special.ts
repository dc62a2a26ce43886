// Special functions the drift tests need for their p-values, written here because the core takes no libraries.
// The regularized incomplete gamma functions follow Numerical Recipes (3rd ed., §6.2): a power series below
// x < a + 1 and a continued fraction (modified Lentz) above, each returning the side that does not lose digits
// to cancellation. The normal tails come from the same routine (erfc(x) = Q(1/2, x²)), so the far tails keep
// their relative accuracy instead of rounding to 0 the way 1 - Φ(z) does beyond z ≈ 8.3.

const EPS = 2.220446049250313e-16;
const TINY = 1e-300;
const MAX_ITERATIONS = 100_000;
const LOG_SQRT_2PI = 0.9189385332046728;

// Lanczos approximation, g = 7, nine coefficients (Godfrey): about 15 correct digits for Γ on x > 0.
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

/** ln Γ(x) for x > 0. */
export function logGamma(x: number): number {
  if (!(x > 0)) return Number.NaN;
  if (x < 0.5) {
    // Reflection keeps the approximation in the range where it is accurate.
    return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  }
  const z = x - 1;
  let a = LANCZOS[0];
  const t = z + 7.5;
  for (let i = 1; i < 9; i++) a += LANCZOS[i] / (z + i);
  return LOG_SQRT_2PI + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

interface GammaPair {
  /** Regularized lower incomplete gamma P(a, x). */
  readonly p: number;
  /** Regularized upper incomplete gamma Q(a, x) = 1 - P(a, x). */
  readonly q: number;
}

/** P(a, x) and Q(a, x) together, each computed on the side where it is accurate. */
export function regularizedGamma(a: number, x: number): GammaPair {
  if (Number.isNaN(a) || Number.isNaN(x) || a < 0 || x < 0) return { p: Number.NaN, q: Number.NaN };
  if (a === 0) return x > 0 ? { p: 1, q: 0 } : { p: Number.NaN, q: Number.NaN };
  if (x === 0) return { p: 0, q: 1 };
  if (x === Number.POSITIVE_INFINITY) return { p: 1, q: 0 };
  const logPrefix = a * Math.log(x) - x - logGamma(a);
  if (x < a + 1) {
    // Series: P = e^-x x^a / Γ(a+1) · Σ x^n / ((a+1)…(a+n)).
    let ap = a;
    let del = 1 / a;
    let sum = del;
    for (let n = 0; n < MAX_ITERATIONS; n++) {
      ap += 1;
      del *= x / ap;
      sum += del;
      if (Math.abs(del) < Math.abs(sum) * EPS) break;
    }
    const p = sum * Math.exp(logPrefix);
    return { p, q: 1 - p };
  }
  // Continued fraction for Q, evaluated by the modified Lentz method.
  let b = x + 1 - a;
  let c = 1 / TINY;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < MAX_ITERATIONS; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < TINY) d = TINY;
    c = b + an / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < EPS) break;
  }
  const q = Math.exp(logPrefix) * h;
  return { p: 1 - q, q };
}

/** Regularized upper incomplete gamma Q(a, x), as scipy.special.gammaincc. */
export function gammaincc(a: number, x: number): number {
  return regularizedGamma(a, x).q;
}

/** Regularized lower incomplete gamma P(a, x), as scipy.special.gammainc. */
export function gammainc(a: number, x: number): number {
  return regularizedGamma(a, x).p;
}

/** Survival function of the chi-square distribution, as scipy.stats.chi2.sf (NaN for df ≤ 0). */
export function chiSquareSf(statistic: number, degreesOfFreedom: number): number {
  if (!(degreesOfFreedom > 0)) return Number.NaN;
  if (statistic <= 0) return 1;
  return gammaincc(degreesOfFreedom / 2, statistic / 2);
}

/** erfc(x), accurate in relative terms far into the upper tail. */
export function erfc(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  const { p, q } = regularizedGamma(0.5, x * x);
  return x >= 0 ? q : 1 + p;
}

/** erf(x). */
export function erf(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  const p = regularizedGamma(0.5, x * x).p;
  return x >= 0 ? p : -p;
}

/** Standard normal CDF Φ(z), as scipy.stats.norm.cdf. */
export function normalCdf(z: number): number {
  if (Number.isNaN(z)) return Number.NaN;
  const { p, q } = regularizedGamma(0.5, (z * z) / 2);
  return z >= 0 ? 0.5 + 0.5 * p : 0.5 * q;
}

/** Standard normal survival function 1 - Φ(z), as scipy.stats.norm.sf, without cancellation in the tail. */
export function normalSf(z: number): number {
  return normalCdf(-z);
}
