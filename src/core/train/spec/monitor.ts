// The project's goal metric on the validation split, from the few numbers the trainer reads back once per epoch:
// the confusion matrix (classification) or error sums in target units (regression). Same definitions as the
// Evaluate stage (src/core/evaluate), so early stopping watches the figure the project is judged by.

import { figuresFromConfusion } from '../../evaluate/classification';
import { higherIsBetter } from '../../evaluate/run-report';
import type { GoalMetric } from '../../shared/types';

export function goalFromConfusion(metric: GoalMetric, confusion: readonly (readonly number[])[], labels: readonly string[]): number {
  const f = figuresFromConfusion(confusion, labels);
  switch (metric) {
    case 'accuracy':
      return f.accuracy;
    case 'precision':
    case 'recall':
    case 'f1':
      return f.macro[metric];
    default:
      throw new Error(`${metric} is a regression metric; this is a classification run`);
  }
}

export interface ErrorSums {
  n: number;
  /** Sums of |error| and error², in the target's own units. */
  absolute: number;
  squared: number;
  /** Sum of (actual - mean(actual))² over the same rows. */
  total: number;
}

export function goalFromErrors(metric: GoalMetric, sums: ErrorSums): number {
  if (sums.n === 0) return NaN;
  switch (metric) {
    case 'mae':
      return sums.absolute / sums.n;
    case 'rmse':
      return Math.sqrt(sums.squared / sums.n);
    case 'r2':
      return sums.total === 0 ? (sums.squared === 0 ? 1 : 0) : 1 - sums.squared / sums.total;
    default:
      throw new Error(`${metric} is a classification metric; this is a regression run`);
  }
}

/** The history key and direction early stopping watches. */
export function monitoredKey(monitor: 'val_loss' | 'goal', goal: GoalMetric): { key: string; higherIsBetter: boolean } {
  return monitor === 'val_loss' ? { key: 'val_loss', higherIsBetter: false } : { key: `val_goal_${goal}`, higherIsBetter: higherIsBetter(goal) };
}
