// Evaluation metrics, defined as scikit-learn defines them so numbers can be checked against it.

import type { ClassificationReport, EvaluationReport, Goal, GoalMetric, RegressionReport } from '../shared/types';
import { classificationFigures } from './classification';
import { regressionFigures } from './regression';

/**
 * The report the trainer stores with a run (Run.evaluation), made from the same figures the Evaluate stage computes
 * (src/core/evaluate), so there is one implementation of every metric. `actual` and `predicted` hold class indices into
 * `labels`; macro averages are over the classes present in `actual` or `predicted` (scikit-learn's default), and
 * `perClass` still lists every label. With no rows the overall figures are NaN: there is nothing to measure.
 */
export function classificationReport(
  actual: ArrayLike<number>,
  predicted: ArrayLike<number>,
  labels: string[],
): ClassificationReport {
  const f = classificationFigures(actual, predicted, labels);
  return {
    task: 'classification',
    accuracy: f.accuracy,
    precision: f.macro.precision,
    recall: f.macro.recall,
    f1: f.macro.f1,
    perClass: f.perClass.map(({ label, precision, recall, f1, support }) => ({ label, precision, recall, f1, support })),
    labels: f.labels,
    confusion: f.confusion,
    count: f.count,
  };
}

/** R² follows scikit-learn when the actual values are constant: 1 for a perfect fit, else 0. */
export function regressionReport(actual: ArrayLike<number>, predicted: ArrayLike<number>): RegressionReport {
  const { mae, rmse, r2, count } = regressionFigures(actual, predicted);
  return { task: 'regression', mae, rmse, r2, count };
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
