// Which metrics belong to which task: the goals a project may set, the curves a run logs and the one figure that
// sums an evaluation up. The screens draw these; the table lives here so every screen shows the same choice.

import type { GoalMetric, MetricPoint, Task } from '../shared/types';
import { metricDirection } from './runs/direction';
import type { ClassificationEvaluation, RegressionEvaluation } from './types';

export const GOAL_METRICS: Readonly<Record<Task, readonly GoalMetric[]>> = {
  classification: ['accuracy', 'precision', 'recall', 'f1'],
  regression: ['r2', 'mae', 'rmse'],
};

/** One chart of a run's history: training and validation of one metric. */
export interface CurvePair {
  title: string;
  /** History keys, training first. */
  keys: [string, string];
}

/** The curves every run logs per epoch: the loss, and the task's quality metric as the trainer names it. */
export function trainingCurves(task: Task): CurvePair[] {
  const quality: CurvePair =
    task === 'classification'
      ? { title: 'Accuracy', keys: ['accuracy', 'val_accuracy'] }
      : { title: 'Mean absolute error', keys: ['mae', 'val_mae'] };
  return [{ title: 'Loss', keys: ['loss', 'val_loss'] }, quality];
}

/** The figure an evaluation is summed up by in a list: accuracy, or the mean absolute error. */
export function headlineFigure(result: ClassificationEvaluation | RegressionEvaluation): { label: string; value: number } {
  return result.task === 'classification'
    ? { label: 'accuracy', value: result.figures.accuracy }
    : { label: 'MAE', value: result.figures.mae };
}

/** How a goal reads: an error at most its bar, any other metric at least. */
export function goalRelation(metric: GoalMetric): '≥' | '≤' {
  return metricDirection(metric) === 'max' ? '≥' : '≤';
}

/** Series on one step axis: every step any of them has, and each series' value there (null where it has none). */
export interface AlignedSeries {
  steps: number[];
  values: (number | null)[][];
}

/**
 * `keys` of one history on a shared step axis. A live run logs training metrics at fractional epochs and validation
 * ones only at whole epochs, so the validation series has gaps there; a non-finite value is a gap too.
 */
export function alignKeys(history: readonly MetricPoint[], keys: readonly string[]): AlignedSeries {
  const steps = [...new Set(history.filter((p) => keys.includes(p.key)).map((p) => p.step))].sort((a, b) => a - b);
  const index = new Map(steps.map((s, i) => [s, i]));
  const values = keys.map(() => new Array<number | null>(steps.length).fill(null));
  for (const p of history) {
    const k = keys.indexOf(p.key);
    const i = index.get(p.step);
    if (k >= 0 && i !== undefined) values[k][i] = Number.isFinite(p.value) ? p.value : null;
  }
  return { steps, values };
}
