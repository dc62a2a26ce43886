// ROC and precision-recall curves of one score against a binary truth, as scikit-learn's roc_curve,
// precision_recall_curve, roc_auc_score and average_precision_score compute them: one point per distinct score, so
// tied scores move both rates at once (a tie between a positive and a negative earns half credit in the AUC).

import type { PrCurve, RocCurve } from './types';

interface Counts {
  /** Cumulative true and false positives at each distinct threshold, strictest first. */
  tp: number[];
  fp: number[];
  positives: number;
  negatives: number;
}

function cumulativeCounts(scores: ArrayLike<number>, positive: ArrayLike<boolean>): Counts {
  if (scores.length !== positive.length) throw new RangeError(`Got ${scores.length} scores but ${positive.length} labels.`);
  const order = Array.from({ length: scores.length }, (_, i) => i).sort((a, b) => scores[b] - scores[a]);
  const tp: number[] = [];
  const fp: number[] = [];
  let t = 0;
  let f = 0;
  for (let j = 0; j < order.length; j++) {
    if (positive[order[j]]) t++;
    else f++;
    // A threshold ends where the next score differs: tied rows cross it together.
    if (j === order.length - 1 || scores[order[j + 1]] !== scores[order[j]]) {
      tp.push(t);
      fp.push(f);
    }
  }
  return { tp, fp, positives: t, negatives: f };
}

/** Area under a curve by the trapezoidal rule; x must be monotonic. */
export function trapezoid(x: readonly number[], y: readonly number[]): number {
  let area = 0;
  for (let i = 1; i < x.length; i++) area += ((x[i] - x[i - 1]) * (y[i] + y[i - 1])) / 2;
  return area;
}

/** Starts at (0, 0). Without both positives and negatives the curve is empty and the AUC NaN (undefined). */
export function rocCurve(scores: ArrayLike<number>, positive: ArrayLike<boolean>): RocCurve {
  const { tp, fp, positives, negatives } = cumulativeCounts(scores, positive);
  if (positives === 0 || negatives === 0) return { fpr: [], tpr: [], auc: NaN };
  const fpr = [0, ...fp.map((f) => f / negatives)];
  const tpr = [0, ...tp.map((t) => t / positives)];
  return { fpr, tpr, auc: trapezoid(fpr, tpr) };
}

/**
 * Strictest threshold first, starting at (recall 0, precision 1) — the point scikit-learn's curve ends with. Without
 * positives the curve is empty and average precision NaN (scikit-learn warns and its value is meaningless there).
 */
export function prCurve(scores: ArrayLike<number>, positive: ArrayLike<boolean>): PrCurve {
  const { tp, fp, positives } = cumulativeCounts(scores, positive);
  if (positives === 0) return { recall: [], precision: [], averagePrecision: NaN };
  const recall = [0];
  const precision = [1];
  let averagePrecision = 0;
  for (let i = 0; i < tp.length; i++) {
    const r = tp[i] / positives;
    const p = tp[i] / (tp[i] + fp[i]);
    averagePrecision += (r - recall[recall.length - 1]) * p;
    recall.push(r);
    precision.push(p);
  }
  return { recall, precision, averagePrecision };
}

/**
 * At most `max` points of a curve, always keeping the first and the last: enough to draw and store it, while the
 * area was computed on every point.
 */
export function thinCurve<T extends object, K extends keyof T & string>(curve: T, keys: readonly K[], max: number): T {
  const column = (key: K) => curve[key] as unknown as number[];
  const length = column(keys[0]).length;
  if (length <= max) return curve;
  const picks: number[] = [];
  for (let i = 0; i < max; i++) picks.push(Math.round((i * (length - 1)) / (max - 1)));
  const out = { ...curve };
  for (const key of keys) (out as Record<string, unknown>)[key] = picks.map((i) => column(key)[i]);
  return out;
}
