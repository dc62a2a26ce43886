// Which run of a pipeline's sweep becomes the candidate: the best by the project's goal on the validation split.
// Not the test split: the gate judges the candidate on the test rows, and choosing on them first would make the gate
// look kinder than the model is.

import { higherIsBetter } from '../../evaluate/run-report';
import type { GoalMetric, MetricPoint } from '../../shared/types';

export interface SweepRunFigures {
  id: string;
  history: readonly MetricPoint[];
}

/** The last value of `key` in a run's history (its final epoch, or the restored best one when written last). */
function lastOf(history: readonly MetricPoint[], key: string): number | null {
  for (let i = history.length - 1; i >= 0; i--) {
    const p = history[i] as MetricPoint;
    if (p.key === key && Number.isFinite(p.value)) return p.value;
  }
  return null;
}

/**
 * The best run by validation `goal` (`val_<goal>` in the history), else by validation loss; ties keep the earlier
 * run. Null when no run has either figure.
 */
export function pickCandidate(runs: readonly SweepRunFigures[], goal: GoalMetric): { id: string; by: string; value: number } | null {
  for (const [key, up] of [[`val_${goal}`, higherIsBetter(goal)], ['val_loss', false]] as const) {
    let best: { id: string; by: string; value: number } | null = null;
    for (const run of runs) {
      const v = lastOf(run.history, key);
      if (v === null) continue;
      if (best === null || (up ? v > best.value : v < best.value)) best = { id: run.id, by: key, value: v };
    }
    if (best) return best;
  }
  return null;
}
