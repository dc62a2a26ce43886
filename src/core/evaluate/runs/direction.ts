// Which way is better for a metric known only by its key ('val_loss', 'accuracy', 'test_rmse'…),
// so "best" follows the metric's direction.

export type Direction = 'max' | 'min';

/** Errors and losses go down; every other metric Loopbench records (accuracy, F1, R², AUC…) goes up. */
const LOWER_IS_BETTER = /(^|[_.\s-])(loss|log_?loss|mae|mse|rmse|mape|error|err|brier|ece)$/i;

export function metricDirection(key: string): Direction {
  return LOWER_IS_BETTER.test(key.trim()) ? 'min' : 'max';
}
