// Isotonic regression as scikit-learn's IsotonicRegression(increasing=True, out_of_bounds='clip') — the calibrator
// NannyML's CBPE uses: sort by score, average the targets of equal scores (scores closer than 1e-15 count as
// equal, as sklearn's _make_unique), fit a non-decreasing step function by pool-adjacent-violators, and predict by
// linear interpolation between the fitted points, clipped to the fitted range. The fitted model is plain arrays so
// it can be stored and sent between threads.

export interface IsotonicModel {
  /** Distinct scores, ascending. */
  readonly x: readonly number[];
  /** Fitted non-decreasing values at `x`. */
  readonly y: readonly number[];
}

const SAME_SCORE = 1e-15;

/** Pool-adjacent-violators on weighted points already in x order; returns the fitted value per point. */
export function poolAdjacentViolators(y: ArrayLike<number>, w: ArrayLike<number>): Float64Array {
  const n = y.length;
  const blockValue: number[] = [];
  const blockWeight: number[] = [];
  const blockSize: number[] = [];
  for (let i = 0; i < n; i++) {
    let value = y[i];
    let weight = w[i];
    let size = 1;
    // Merge backwards while the previous block is not below this one.
    while (blockValue.length > 0 && blockValue[blockValue.length - 1] >= value) {
      const pv = blockValue.pop() as number;
      const pw = blockWeight.pop() as number;
      const ps = blockSize.pop() as number;
      value = (pv * pw + value * weight) / (pw + weight);
      weight += pw;
      size += ps;
    }
    blockValue.push(value);
    blockWeight.push(weight);
    blockSize.push(size);
  }
  const out = new Float64Array(n);
  let k = 0;
  for (let b = 0; b < blockValue.length; b++) for (let s = 0; s < blockSize[b]; s++) out[k++] = blockValue[b];
  return out;
}

/** Fit on scores and targets (any real targets; CBPE passes 0/1). */
export function fitIsotonic(scores: ArrayLike<number>, targets: ArrayLike<number>): IsotonicModel {
  const n = scores.length;
  if (n === 0 || targets.length !== n) {
    throw new Error(`isotonic regression needs equally long, non-empty scores and targets (got ${n} and ${targets.length})`);
  }
  const order = Array.from({ length: n }, (_, i) => i);
  order.sort((a, b) => scores[a] - scores[b] || targets[a] - targets[b]);
  const xs: number[] = [];
  const ys: number[] = [];
  const ws: number[] = [];
  let currentX = scores[order[0]];
  let sumY = 0;
  let weight = 0;
  for (const i of order) {
    const x = scores[i];
    if (!Number.isFinite(x) || !Number.isFinite(targets[i])) throw new Error(`isotonic regression: row ${i} is not a finite number`);
    if (x - currentX >= SAME_SCORE) {
      xs.push(currentX);
      ys.push(sumY / weight);
      ws.push(weight);
      currentX = x;
      sumY = 0;
      weight = 0;
    }
    sumY += targets[i];
    weight += 1;
  }
  xs.push(currentX);
  ys.push(sumY / weight);
  ws.push(weight);
  return { x: xs, y: Array.from(poolAdjacentViolators(ys, ws)) };
}

/** Calibrated value of one score. */
export function predictIsotonic(model: IsotonicModel, score: number): number {
  const { x, y } = model;
  const n = x.length;
  if (n === 1) return y[0];
  const t = Math.min(Math.max(score, x[0]), x[n - 1]);
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (x[mid] < t) lo = mid + 1;
    else hi = mid;
  }
  const h = Math.min(Math.max(lo, 1), n - 1);
  const l = h - 1;
  const slope = (y[h] - y[l]) / (x[h] - x[l]);
  return slope * (t - x[l]) + y[l];
}
