// Evaluation metrics, defined as scikit-learn defines them so numbers can be checked against it.

import type { ClassificationReport, EvaluationReport, Goal, GoalMetric, RegressionReport } from './types';

function ratio(num: number, den: number): number {
  // scikit-learn's zero_division=0: an undefined ratio counts as 0.
  return den === 0 ? 0 : num / den;
}

/**
 * `actual` and `predicted` hold class indices into `labels`. Macro averages are taken over the
 * classes present in `actual` or `predicted` (scikit-learn's default), so a class absent from a
 * small test split does not count as a failure; `perClass` still lists every label. With no rows
 * the overall figures are NaN: there is nothing to measure.
 */
export function classificationReport(
  actual: ArrayLike<number>,
  predicted: ArrayLike<number>,
  labels: string[],
): ClassificationReport {
  if (actual.length !== predicted.length) {
    throw new RangeError(`Got ${actual.length} actual values but ${predicted.length} predictions.`);
  }
  const k = labels.length;
  const confusion = labels.map(() => new Array<number>(k).fill(0));
  const n = actual.length;
  let correct = 0;
  for (let i = 0; i < n; i++) {
    const a = actual[i];
    const p = predicted[i];
    if (!(a >= 0 && a < k && p >= 0 && p < k && Number.isInteger(a) && Number.isInteger(p))) {
      throw new RangeError(`Row ${i}: class index ${a} or ${p} is not one of the ${k} labels.`);
    }
    confusion[a][p]++;
    if (a === p) correct++;
  }
  const perClass = labels.map((label, c) => {
    const tp = confusion[c][c];
    const support = confusion[c].reduce((s, x) => s + x, 0);
    const predictedCount = confusion.reduce((s, row) => s + row[c], 0);
    const precision = ratio(tp, predictedCount);
    const recall = ratio(tp, support);
    return { label, precision, recall, f1: ratio(2 * precision * recall, precision + recall), support, predictedCount };
  });
  const present = perClass.filter((c) => c.support > 0 || c.predictedCount > 0);
  const macro = (pick: (c: (typeof perClass)[number]) => number) =>
    present.length === 0 ? NaN : present.reduce((s, c) => s + pick(c), 0) / present.length;
  return {
    task: 'classification',
    accuracy: n === 0 ? NaN : correct / n,
    precision: macro((c) => c.precision),
    recall: macro((c) => c.recall),
    f1: macro((c) => c.f1),
    perClass: perClass.map(({ label, precision, recall, f1, support }) => ({ label, precision, recall, f1, support })),
    labels: [...labels],
    confusion,
    count: n,
  };
}

/** R² follows scikit-learn when the actual values are constant: 1 for a perfect fit, else 0. */
export function regressionReport(actual: ArrayLike<number>, predicted: ArrayLike<number>): RegressionReport {
  if (actual.length !== predicted.length) {
    throw new RangeError(`Got ${actual.length} actual values but ${predicted.length} predictions.`);
  }
  const n = actual.length;
  if (n === 0) return { task: 'regression', mae: NaN, rmse: NaN, r2: NaN, count: 0 };
  let mean = 0;
  for (let i = 0; i < n; i++) mean += actual[i];
  mean /= n;
  let absolute = 0;
  let ssRes = 0;
  let ssTot = 0;
  for (let i = 0; i < n; i++) {
    const err = actual[i] - predicted[i];
    absolute += Math.abs(err);
    ssRes += err * err;
    ssTot += (actual[i] - mean) ** 2;
  }
  const r2 = ssTot === 0 ? (ssRes === 0 ? 1 : 0) : 1 - ssRes / ssTot;
  return { task: 'regression', mae: absolute / n, rmse: Math.sqrt(ssRes / n), r2, count: n };
}

/** The headline figures of a report, keyed by metric name, for run tables and goal checks. */
export function flattenReport(r: EvaluationReport): Record<string, number> {
  if (r.task === 'classification') return { accuracy: r.accuracy, precision: r.precision, recall: r.recall, f1: r.f1 };
  return { mae: r.mae, rmse: r.rmse, r2: r.r2 };
}

export function higherIsBetter(m: GoalMetric): boolean {
  return m !== 'mae' && m !== 'rmse';
}

/** A metric that is absent or NaN never meets the goal. */
export function meetsGoal(metrics: Record<string, number>, goal: Goal): boolean {
  const value = metrics[goal.metric];
  if (value === undefined || Number.isNaN(value)) return false;
  return higherIsBetter(goal.metric) ? value >= goal.bar : value <= goal.bar;
}
