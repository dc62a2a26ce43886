// Figures of predicted probabilities: log loss and the calibration (reliability) curve.

import type { Calibration, CalibrationBin } from './types';

/** scikit-learn's historical default clip: log(1e-15) keeps a confidently wrong row finite. */
export const LOG_LOSS_EPS = 1e-15;

/**
 * Cross-entropy of each row's true class. `probabilities` holds k values per row; each row is clipped to
 * [eps, 1 - eps] and divided by its sum (as scikit-learn's log_loss does) before taking the log.
 */
export function rowLogLosses(actual: ArrayLike<number>, probabilities: ArrayLike<number>, k: number, eps = LOG_LOSS_EPS): Float64Array {
  const n = actual.length;
  if (probabilities.length !== n * k) throw new RangeError(`Got ${probabilities.length} probabilities for ${n} rows of ${k} classes.`);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let sum = 0;
    for (let c = 0; c < k; c++) sum += clip(probabilities[i * k + c], eps);
    out[i] = -Math.log(clip(probabilities[i * k + actual[i]], eps) / sum);
  }
  return out;
}

function clip(p: number, eps: number): number {
  return Math.min(1 - eps, Math.max(eps, Number.isNaN(p) ? 0 : p));
}

/** Mean cross-entropy; NaN with no rows. */
export function logLoss(actual: ArrayLike<number>, probabilities: ArrayLike<number>, k: number, eps = LOG_LOSS_EPS): number {
  const losses = rowLogLosses(actual, probabilities, k, eps);
  if (losses.length === 0) return NaN;
  let sum = 0;
  for (const l of losses) sum += l;
  return sum / losses.length;
}

/**
 * Uniform bins over [0, 1], as scikit-learn's calibration_curve(strategy='uniform'): a probability on an inner edge
 * belongs to the upper bin, 1 to the last. Empty bins are left out. ECE weights each bin's gap by its share of rows.
 */
export function calibrationCurve(predicted: ArrayLike<number>, outcome: ArrayLike<boolean>, bins = 10): Calibration {
  if (predicted.length !== outcome.length) throw new RangeError(`Got ${predicted.length} probabilities but ${outcome.length} outcomes.`);
  const count = new Array<number>(bins).fill(0);
  const sumPredicted = new Array<number>(bins).fill(0);
  const positives = new Array<number>(bins).fill(0);
  // Inner edges as numpy's linspace makes them (j * step), so a value on an edge lands where scikit-learn puts it.
  const step = 1 / bins;
  for (let i = 0; i < predicted.length; i++) {
    const p = predicted[i];
    let b = 0;
    while (b < bins - 1 && (b + 1) * step <= p) b++;
    count[b]++;
    sumPredicted[b] += p;
    if (outcome[i]) positives[b]++;
  }
  const out: CalibrationBin[] = [];
  let ece = 0;
  const n = predicted.length;
  for (let b = 0; b < bins; b++) {
    if (count[b] === 0) continue;
    const meanPredicted = sumPredicted[b] / count[b];
    const fractionPositive = positives[b] / count[b];
    out.push({ lower: b / bins, upper: (b + 1) / bins, count: count[b], meanPredicted, fractionPositive });
    ece += (count[b] / n) * Math.abs(fractionPositive - meanPredicted);
  }
  return { bins: out, ece: n === 0 ? NaN : ece };
}
