// The best run of a sweep by the project's goal metric, in that metric's direction (accuracy up, errors down).

import { higherIsBetter } from '../../evaluate/run-report';
import type { GoalMetric, Run } from '../../shared/types';

/** The finished run with the best test-split goal metric; ties keep the earlier run; null when none has it. */
export function bestRun(runs: readonly Run[], goal: GoalMetric): Run | null {
  const up = higherIsBetter(goal);
  let best: Run | null = null;
  for (const run of runs) {
    const v = run.metrics[goal];
    if (run.status !== 'finished' || typeof v !== 'number' || Number.isNaN(v)) continue;
    const b = best?.metrics[goal];
    if (best === null || b === undefined || (up ? v > b : v < b)) best = run;
  }
  return best;
}
