// The finite-n distribution of the one-sample two-sided Kolmogorov–Smirnov statistic D_n, as scipy.stats.kstwo.
// SciPy's ks_2samp(method='asymp') evaluates kstwo.sf(D, round(n·m/(n+m))) — not the n → ∞ Kolmogorov limit — so
// this file reproduces SciPy's choice of algorithm per region (Simard & L'Ecuyer 2011, as scipy/stats/_ksstats.py):
//   Ruben–Gambino closed forms near the ends of the support; the Durbin matrix (Marsaglia–Tsang–Wang) for small
//   n·x²; Pomeranz's recursion for moderate n·x² when n ≤ 140; Pelz–Good's expansion for large n; and twice the
//   one-sided Smirnov tail (Birnbaum–Tingey sum) where that is exact to double precision.

const E128 = 2 ** 128;
const EM128 = 2 ** -128;
const LOG_2PI = Math.log(2 * Math.PI);
const SQRT_2PI = Math.sqrt(2 * Math.PI);
const MIN_LOG = -708;
const SMIRNOV_MIN_LOG = -708.3964185322641;
const SMIRNOV_MAX_COMPUTE_N = 1_000_000;
const STIRLING = [
  -2.955065359477124183e-2, 6.4102564102564102564e-3, -1.9175269175269175269e-3, 8.4175084175084175084e-4,
  -5.952380952380952381e-4, 7.9365079365079365079e-4, -2.7777777777777777778e-3, 8.3333333333333333333e-2,
];

const clip01 = (p: number): number => (p < 0 ? 0 : p > 1 ? 1 : p);

/** x · 2^e without overflowing the power of two on the way. */
function ldexp(x: number, e: number): number {
  let r = x;
  let k = e;
  while (k > 1000) {
    r *= 2 ** 1000;
    k -= 1000;
  }
  while (k < -1000) {
    r *= 2 ** -1000;
    k += 1000;
  }
  return r * 2 ** k;
}

function logFactorialOverPower(n: number): number {
  // log(n! / n^n) by Stirling's series.
  const rn = 1 / n;
  const y = rn / n;
  let poly = 0;
  for (const c of STIRLING) poly = poly * y + c;
  return Math.log(n) / 2 - n + LOG_2PI / 2 + rn * poly;
}

/** n·x split into floor and exact fractional part (Dekker's two-product), so 1 - x - v/n keeps its digits. */
function floorAndFraction(n: number, x: number): { floor: number; alpha: number } {
  const hi = n * x;
  const split = (a: number): [number, number] => {
    const c = 134217729 * a;
    const ah = c - (c - a);
    return [ah, a - ah];
  };
  const [nh, nl] = split(n);
  const [xh, xl] = split(x);
  const lo = nh * xh - hi + nh * xl + nl * xh + nl * xl;
  let fl = Math.floor(hi);
  let alpha = hi - fl + lo;
  if (alpha < 0) {
    fl -= 1;
    alpha += 1;
  }
  if (alpha >= 1) {
    fl += 1;
    alpha -= 1;
  }
  return { floor: fl, alpha };
}

/**
 * One-sided Smirnov survival function Pr(D⁺_n ≥ x), as scipy.special.smirnov, by the Birnbaum–Tingey sum
 * x · Σ_{v=0}^{⌊n(1-x)⌋} C(n,v) (1 - x - v/n)^(n-v) (x + v/n)^(v-1), all terms positive, summed in log space.
 */
export function smirnovSf(n: number, x: number): number {
  if (!(n > 0 && x >= 0 && x <= 1)) return Number.NaN;
  if (n === 1) return 1 - x;
  if (x === 0) return 1;
  if (x === 1) return 0;
  const { floor: nxfl, alpha } = floorAndFraction(n, x);
  let lastV = n - nxfl - (alpha === 0 ? 0 : 1);
  if (alpha === 0) lastV -= 1;
  if (nxfl === 0 || (nxfl === 1 && alpha === 0)) {
    return clip01(1 - x * Math.exp((n - 1) * Math.log1p(x)));
  }
  if (-2 * n * x * x < SMIRNOV_MIN_LOG) return 0;
  if (nxfl >= n - 1) return clip01(Math.exp(n * Math.log1p(-x)));
  if (n > SMIRNOV_MAX_COMPUTE_N) {
    const logp = -((6 * n * x + 1) ** 2) / 18 / n;
    return clip01(logp < -Math.LN2 ? Math.exp(logp) : 1 + Math.expm1(logp));
  }
  const nTerms = lastV + 1;
  let sum = Math.exp(n * Math.log1p(-x)) / x;
  // ln C(n, v) is a running sum of up to n logs that grows to ~0.7n; compensated (Neumaier) summation keeps its
  // rounding error at a few ulps instead of growing with the number of terms (which costs 1e-9 at n = 10⁵).
  let logBinomialHi = 0;
  let logBinomialLo = 0;
  for (let v = 1; v < nTerms; v++) {
    const step = Math.log((n - v + 1) / v);
    const t = logBinomialHi + step;
    logBinomialLo += Math.abs(logBinomialHi) >= Math.abs(step) ? logBinomialHi - t + step : step - t + logBinomialHi;
    logBinomialHi = t;
    const logBinomial = logBinomialHi + logBinomialLo;
    const below = (n - nxfl - v - alpha) / n; // 1 - x - v/n
    const above = (nxfl + v + alpha) / n; // x + v/n
    const term = Math.exp(logBinomial + (n - v) * Math.log(below) + (v - 1) * Math.log(above));
    if (Number.isFinite(term)) sum += term;
    // Same early stop as SciPy's: the remaining terms cannot change the sum.
    if (term !== 0 && 4 * (nTerms - v) * term < Number.EPSILON * sum && v !== nTerms - 1) break;
    if (term === 0 && v > n / 2) break;
  }
  return clip01(x * sum);
}

/** Pr(D_n ≤ d) by the Durbin matrix algorithm (Marsaglia, Tsang & Wang 2003). */
function durbinMatrixCdf(n: number, d: number): number {
  if (d >= 1) return 1;
  const nd = n * d;
  if (nd <= 0.5) return 0;
  const k = Math.ceil(nd);
  const h = k - nd;
  const m = 2 * k - 1;
  const v = new Float64Array(m);
  const w = new Float64Array(m);
  let fac = 1;
  for (let j = 1; j <= m; j++) {
    w[j - 1] = fac;
    fac /= j;
    v[j - 1] = (1 - h ** j) * fac;
  }
  const tt = Math.max(2 * h - 1, 0) ** m - 2 * h ** m;
  v[m - 1] = (1 + tt) * fac;
  let H: Float64Array = new Float64Array(m * m);
  for (let i = 1; i < m; i++) {
    for (let r = i - 1; r < m; r++) H[r * m + i] = w[r - i + 1];
  }
  for (let r = 0; r < m; r++) H[r * m] = v[r];
  for (let c = 0; c < m; c++) H[(m - 1) * m + c] = v[m - 1 - c];

  const multiply = (a: Float64Array, b: Float64Array): Float64Array => {
    const out = new Float64Array(m * m);
    for (let i = 0; i < m; i++) {
      for (let l = 0; l < m; l++) {
        const ail = a[i * m + l];
        if (ail === 0) continue;
        for (let j = 0; j < m; j++) out[i * m + j] += ail * b[l * m + j];
      }
    }
    return out;
  };
  let power: Float64Array = new Float64Array(m * m);
  for (let i = 0; i < m; i++) power[i * m + i] = 1;
  let exponent = 0;
  let hExponent = 0;
  let nn = n;
  while (nn > 0) {
    if (nn % 2) {
      power = multiply(power, H);
      exponent += hExponent;
    }
    H = multiply(H, H);
    hExponent *= 2;
    if (Math.abs(H[(k - 1) * m + (k - 1)]) > E128) {
      for (let i = 0; i < H.length; i++) H[i] /= E128;
      hExponent += 128;
    }
    nn = Math.floor(nn / 2);
  }
  let p = power[(k - 1) * m + (k - 1)];
  for (let i = 1; i <= n; i++) {
    p = (i * p) / n;
    if (Math.abs(p) < EM128) {
      p *= E128;
      exponent -= 128;
    }
  }
  if (exponent !== 0) p = ldexp(p, exponent);
  return clip01(p);
}

function pomeranzBounds(i: number, n: number, ll: number, ceilf: number, roundf: number): [number, number] {
  let j1: number;
  let j2: number;
  if (i === 0) {
    j1 = -ll - ceilf - 1;
    j2 = ll + ceilf - 1;
  } else {
    const half = Math.floor((i + 1) / 2);
    if ((i + 1) % 2 === 0) {
      if (half === n + 1) {
        j1 = n - ll - ceilf - 1;
        j2 = n + ll + ceilf - 1;
      } else {
        j1 = half - 1 - ll - roundf - 1;
        j2 = half + ll - 1 + ceilf - 1;
      }
    } else {
      j1 = half - 1 - ll - 1;
      j2 = half + ll + roundf - 1;
    }
  }
  return [Math.max(j1 + 2, 0), Math.min(j2, n)];
}

/** Pr(D_n ≤ x) by Pomeranz's recursion (1974). */
function pomeranzCdf(n: number, x: number): number {
  const t = n * x;
  const ll = Math.floor(t);
  const f = t - ll;
  const g = Math.min(f, 1 - f);
  const ceilf = f > 0 ? 1 : 0;
  const roundf = f > 0.5 ? 1 : 0;
  const npwrs = 2 * (ll + 1);
  const gpower = new Float64Array(npwrs);
  const twogpower = new Float64Array(npwrs);
  const onem2gpower = new Float64Array(npwrs);
  gpower[0] = twogpower[0] = onem2gpower[0] = 1;
  for (let k = 1; k < npwrs; k++) {
    gpower[k] = (gpower[k - 1] * (g / n)) / k;
    twogpower[k] = (twogpower[k - 1] * ((2 * g) / n)) / k;
    onem2gpower[k] = (onem2gpower[k - 1] * ((1 - 2 * g) / n)) / k;
  }
  let v0 = new Float64Array(npwrs);
  let v1 = new Float64Array(npwrs);
  v1[0] = 1;
  let v0s = 0;
  let v1s = 0;
  let exponent = 0;
  let [j1, j2] = pomeranzBounds(0, n, ll, ceilf, roundf);
  for (let i = 1; i < 2 * n + 2; i++) {
    const k1 = j1;
    [v0, v1] = [v1, v0];
    [v0s, v1s] = [v1s, v0s];
    v1.fill(0);
    [j1, j2] = pomeranzBounds(i, n, ll, ceilf, roundf);
    const pwrs = i === 1 || i === 2 * n + 1 ? gpower : i % 2 ? twogpower : onem2gpower;
    const ln2 = j2 - k1 + 1;
    if (ln2 > 0) {
      const start = k1 - v0s;
      if (start < 0) throw new Error(`Pomeranz recursion left its window (n=${n}, x=${x})`);
      const aLen = Math.min(ln2, npwrs - start);
      const convStart = j1 - k1;
      const convLen = j2 - j1 + 1;
      // Entries convStart … convStart+convLen-1 of the full convolution of v0[start…] and pwrs[0…ln2-1].
      for (let o = 0; o < convLen; o++) {
        const idx = convStart + o;
        let s = 0;
        const lo = Math.max(0, idx - ln2 + 1);
        const hi = Math.min(idx, aLen - 1);
        for (let a = lo; a <= hi; a++) s += v0[start + a] * pwrs[idx - a];
        v1[o] = s;
      }
      let max = 0;
      for (let o = 0; o < v1.length; o++) if (v1[o] > max) max = v1[o];
      if (max > 0 && max < EM128) {
        for (let o = 0; o < v1.length; o++) v1[o] *= E128;
        exponent -= 128;
      }
      v1s = v0s + j1 - k1;
    }
  }
  let ans = v1[n - v1s];
  for (let k = 1; k <= n; k++) {
    if (Math.abs(ans) > E128) {
      ans *= EM128;
      exponent += 128;
    }
    ans *= k;
  }
  if (exponent !== 0) ans = ldexp(ans, exponent);
  return clip01(ans);
}

/** Pelz–Good asymptotic expansion of Pr(D_n ≤ x) (1976), for large n. */
function pelzGoodCdf(n: number, x: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const z = Math.sqrt(n) * x;
  const z2 = z * z;
  const z3 = z2 * z;
  const z4 = z2 * z2;
  const z6 = z4 * z2;
  const qlog = -(Math.PI * Math.PI) / 8 / z2;
  if (qlog < MIN_LOG) return 0;
  const pi2 = Math.PI * Math.PI;
  const pi4 = pi2 * pi2;
  const pi6 = pi4 * pi2;
  let q = Math.exp(qlog);
  const k1a = -z2;
  const k1b = pi2 / 4;
  const k2a = 6 * z6 + 2 * z4;
  const k2b = ((2 * z4 - 5 * z2) * pi2) / 4;
  const k2c = (pi4 * (1 - 2 * z2)) / 16;
  const k3d = (pi6 * (5 - 30 * z2)) / 64;
  const k3c = (pi4 * (-60 * z2 + 212 * z4)) / 16;
  const k3b = (pi2 * (135 * z4 - 96 * z6)) / 4;
  const k3a = -30 * z6 - 90 * z ** 8;
  const K = [0, 0, 0, 0];
  const maxk = Math.ceil((16 * z) / Math.PI);
  for (let k = maxk; k > 0; k--) {
    const m = 2 * k - 1;
    const m2 = m * m;
    const m4 = m2 * m2;
    const m6 = m4 * m2;
    const qpower = q ** (8 * k);
    const coeffs = [1, k1a + k1b * m2, k2a + k2b * m2 + k2c * m4, k3a + k3b * m2 + k3c * m4 + k3d * m6];
    for (let i = 0; i < 4; i++) K[i] = K[i] * qpower + coeffs[i];
  }
  const denominators = [z, 6 * z4, 72 * z ** 7, 6480 * z ** 10];
  for (let i = 0; i < 4; i++) K[i] = (K[i] * q * SQRT_2PI) / denominators[i];
  q = Math.exp(-pi2 / 2 / z2);
  let k2extra = 0;
  let k3extra = 0;
  const sqrt3z = Math.sqrt(3) * z;
  for (let k = maxk; k > 0; k--) {
    const k2 = k * k;
    const qp = q ** k2;
    const kpi = Math.PI * k;
    k2extra += k2 * qp;
    k3extra += (sqrt3z + kpi) * (sqrt3z - kpi) * k2 * qp;
  }
  K[2] += (k2extra * pi2 * SQRT_2PI) / (-36 * z3);
  K[3] += (k3extra * pi2 * SQRT_2PI) / (216 * z6);
  let sum = 0;
  for (let i = 0; i < 4; i++) sum += K[i] / n ** (i / 2);
  return sum;
}

/**
 * Survival function Pr(D_n > x) of the two-sided one-sample KS statistic, as scipy.stats.kstwo.sf(x, n).
 * NaN when n is not a positive integer.
 */
export function kolmogorovSmirnovSf(n: number, x: number): number {
  if (!(n >= 1 && Number.isInteger(n)) || Number.isNaN(x)) return Number.NaN;
  if (x >= 1) return 0;
  const t = n * x;
  if (t <= 0.5) return 1;
  if (t <= 1) {
    // Ruben–Gambino: Pr(D_n ≤ x) = n!/n^n (2t - 1)^n for 1/2n ≤ x ≤ 1/n.
    let prob: number;
    if (n <= 140) {
      prob = 1;
      for (let i = 1; i <= n; i++) prob *= i * (1 / n) * (2 * t - 1);
    } else {
      prob = Math.exp(logFactorialOverPower(n) + n * Math.log(2 * t - 1));
    }
    return clip01(1 - prob);
  }
  if (t >= n - 1) return clip01(2 * (1 - x) ** n);
  if (x >= 0.5) return clip01(2 * smirnovSf(n, x));
  const nx2 = t * x;
  if (n <= 140) {
    if (nx2 <= 0.754693) return clip01(1 - durbinMatrixCdf(n, x));
    if (nx2 <= 4) return clip01(1 - pomeranzCdf(n, x));
    return clip01(2 * smirnovSf(n, x));
  }
  if (nx2 >= 370) return 0;
  if (nx2 >= 2.2) return clip01(2 * smirnovSf(n, x));
  const cdf = n <= 100_000 && n * x ** 1.5 <= 1.4 ? durbinMatrixCdf(n, x) : pelzGoodCdf(n, x);
  return clip01(1 - clip01(cdf));
}

// Exposed for the tests, which check each algorithm against SciPy in its own region.
export const kolmogorovInternals = { durbinMatrixCdf, pomeranzCdf, pelzGoodCdf, smirnovSf };
