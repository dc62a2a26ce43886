// Which way is better for a metric a gate names. Known names only: guessing the direction of an unknown metric would
// turn a regression into a pass, so a threshold on any other metric must state its direction.

import type { Direction } from './types';

/** Tokens of a metric name, so 'test_balanced_accuracy', 'balancedAccuracy' and 'latency p95 ms' read alike. */
function tokens(metric: string): string[] {
  return metric
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((t) => t.length > 0);
}

const HIGHER = new Set(['accuracy', 'precision', 'recall', 'f1', 'r2', 'auc', 'roc', 'balanced']);
const LOWER = new Set(['mae', 'mse', 'rmse', 'mape', 'loss', 'logloss', 'latency', 'size', 'bytes', 'error', 'ece', 'brier']);

/** The better direction of a known metric, or null when its name says neither. */
export function knownDirection(metric: string): Direction | null {
  const ts = tokens(metric);
  // Lower wins a mixed name: 'log loss' has no higher token, but 'accuracy error' is an error.
  if (ts.some((t) => LOWER.has(t))) return 'lower';
  if (ts.some((t) => HIGHER.has(t))) return 'higher';
  return null;
}

/** The threshold's own direction when it states one, else the metric's known one. */
export function directionOf(metric: string, stated: Direction | undefined): Direction | null {
  return stated ?? knownDirection(metric);
}
