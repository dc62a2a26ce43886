// One figure from a metric's history: the last, best, lowest or highest value logged.

import type { MetricPoint } from '../../shared/types';
import { metricDirection } from './direction';

export type HistoryPick = 'last' | 'best' | 'min' | 'max';
export const HISTORY_PICKS: readonly HistoryPick[] = ['last', 'best', 'min', 'max'];

/** Metric keys in a history, in first-logged order. */
export function historyKeys(history: readonly MetricPoint[]): string[] {
  return [...new Set(history.map((p) => p.key))];
}

/**
 * NaN values are skipped (a diverged epoch is not a minimum); `last` is the point with the highest
 * step, the later one on a tie (MLflow's latest value). Undefined when the key has no finite value.
 */
export function pickHistory(history: readonly MetricPoint[], key: string, pick: HistoryPick): number | undefined {
  let last: MetricPoint | undefined;
  let min = Infinity;
  let max = -Infinity;
  let any = false;
  for (const p of history) {
    if (p.key !== key || Number.isNaN(p.value)) continue;
    any = true;
    if (!last || p.step >= last.step) last = p;
    if (p.value < min) min = p.value;
    if (p.value > max) max = p.value;
  }
  if (!any) return undefined;
  switch (pick) {
    case 'last':
      return last?.value;
    case 'min':
      return min;
    case 'max':
      return max;
    case 'best':
      return metricDirection(key) === 'min' ? min : max;
  }
}

/** One series per run for overlaying: points of `key` sorted by step. */
export function historySeries(history: readonly MetricPoint[], key: string): { step: number; value: number }[] {
  return history
    .filter((p) => p.key === key)
    .map((p) => ({ step: p.step, value: p.value }))
    .sort((a, b) => a.step - b.step);
}

/** Histories overlaid on one step axis: every step any run logged, and each run's value there (null where it has none). */
export interface AlignedHistories {
  steps: number[];
  values: (number | null)[][];
}

/** `key` of every run on a shared step axis; a non-finite value is a gap, like a step the run did not log. */
export function alignHistories(histories: readonly (readonly MetricPoint[])[], key: string): AlignedHistories {
  const series = histories.map((h) => historySeries(h, key));
  const steps = [...new Set(series.flatMap((s) => s.map((p) => p.step)))].sort((a, b) => a - b);
  const index = new Map(steps.map((s, i) => [s, i]));
  const values = series.map((s) => {
    const y = new Array<number | null>(steps.length).fill(null);
    for (const p of s) y[index.get(p.step)!] = Number.isFinite(p.value) ? p.value : null;
    return y;
  });
  return { steps, values };
}
