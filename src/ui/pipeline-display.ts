// How pipeline runs read on screen: status words and icons (never colour alone), triggers, thresholds, numbers and
// rows. Type imports only from src/core (import rules), so nothing here decides anything a run did.

import type { PipelineRun, RunTrigger, StageStatus } from '../core/deliver/pipeline';
import type { Direction, Threshold } from '../core/deliver/gates';
import type { GoalMetric } from '../core/shared/types';

/** A held promote stage is `waiting` while the run itself is still `running`: people read it as waiting for approval. */
export function runStatusText(run: PipelineRun): PipelineRun['status'] | 'waiting for approval' {
  if (run.status === 'running' && run.stages.some((s) => s.status === 'waiting')) return 'waiting for approval';
  return run.status;
}

export function stageStatusText(status: StageStatus): string {
  return status === 'waiting' ? 'waiting for approval' : status;
}

/** Shown next to the status word, so the strip reads without colour. */
export const STATUS_ICON: Record<StageStatus, string> = {
  queued: '○',
  running: '↻',
  waiting: '‖',
  passed: '✓',
  failed: '✗',
  skipped: '↷',
  cancelled: '⊘',
};

export type Tone = 'good' | 'bad' | 'warn' | 'live' | 'idle';

export function toneOf(status: StageStatus | PipelineRun['status'] | 'waiting for approval'): Tone {
  if (status === 'passed') return 'good';
  if (status === 'failed') return 'bad';
  if (status === 'waiting' || status === 'waiting for approval') return 'warn';
  if (status === 'running') return 'live';
  return 'idle';
}

export function isLive(run: PipelineRun): boolean {
  return run.status === 'queued' || run.status === 'running';
}

export function isFinishedRun(run: PipelineRun): boolean {
  return run.status === 'passed' || run.status === 'failed' || run.status === 'cancelled';
}

/** Milliseconds from the run's start to its end (or to `now` while it goes); null before it starts. */
export function runDuration(run: PipelineRun, now: number): number | null {
  if (run.startedAt === null) return null;
  return Math.max(0, (run.endedAt ?? now) - run.startedAt);
}

/** `numberOf` finds the re-run's original among the runs shown; its id is shown when it is gone. */
export function triggerText(trigger: RunTrigger, numberOf: (runId: string) => number | null): string {
  switch (trigger.kind) {
    case 'manual':
      return 'manual';
    case 'new-version':
      return `new version ${trigger.versionId.slice(0, 8)}`;
    case 'alert':
      return `alert ${trigger.alertId}`;
    case 'rerun': {
      const n = numberOf(trigger.runId);
      return n === null ? `re-run of ${trigger.runId.slice(0, 8)}` : `re-run of #${n}`;
    }
  }
}

/**
 * The better direction of the metrics the app computes; evidence does not carry the direction the gate used, and
 * the UI may not call the core's rule. The Record over GoalMetric makes a new goal metric a compile error here.
 */
const GOAL_DIRECTION: Record<GoalMetric, Direction> = {
  accuracy: 'higher',
  precision: 'higher',
  recall: 'higher',
  f1: 'higher',
  r2: 'higher',
  mae: 'lower',
  rmse: 'lower',
};

function directionFor(metric: string, stated: Direction | undefined): Direction | null {
  if (stated) return stated;
  return Object.prototype.hasOwnProperty.call(GOAL_DIRECTION, metric) ? GOAL_DIRECTION[metric as GoalMetric] : null;
}

/** "value ≥ 0.9", "change ≥ 0 (absolute)", "slice drop ≤ 0.05 in sex". */
export function thresholdText(t: Threshold): string {
  if (t.kind === 'value') {
    const parts = [t.lower !== undefined ? `≥ ${t.lower}` : '', t.upper !== undefined ? `≤ ${t.upper}` : ''].filter(Boolean);
    return parts.length === 0 ? 'value (no bound)' : `value ${parts.join(' and ')}`;
  }
  if (t.kind === 'change') {
    const direction = directionFor(t.metric, t.direction);
    const strict = t.strict === true;
    const sign = direction === 'higher' ? (strict ? '>' : '≥') : direction === 'lower' ? (strict ? '<' : '≤') : 'no worse than';
    const parts: string[] = [];
    if (t.absolute !== undefined) parts.push(`change ${sign} ${t.absolute} (absolute)`);
    if (t.relative !== undefined) parts.push(`change ${sign} ${t.relative} (relative)`);
    return parts.length === 0 ? 'change (no bound)' : parts.join(' and ');
  }
  const where = t.column ? ` in ${t.column}` : '';
  const noise = t.minRows !== undefined && t.minRows > 1 ? `, slices of ${t.minRows}+ rows` : '';
  return `slice drop ≤ ${t.maxDrop}${where}${noise}`;
}

/** Figures with 4 decimals; '—' when there is none. */
export function fixed4(v: number | null | undefined): string {
  if (v === null || v === undefined) return '—';
  if (!Number.isFinite(v)) return String(v);
  return v.toFixed(4);
}

/** Differences that should be 0 (parity, replays): 4 decimals would print 1e-7 as 0.0000. */
export function small(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (v !== 0 && Math.abs(v) < 1e-4) return v.toExponential(2);
  return v.toFixed(4);
}

export function percent(share: number): string {
  return `${Number((share * 100).toFixed(1))}%`;
}

/** The leading characters of a content hash; the full value goes in a title. */
export function shortHash(hash: string): string {
  return hash.length > 12 ? `${hash.slice(0, 12)}…` : hash;
}

/** "age=41, city=""" : a row as the user typed it, empty and missing cells told apart. */
export function cellsText(row: Readonly<Record<string, string | number | null>> | null): string {
  if (row === null) return '—';
  return Object.entries(row)
    .map(([k, v]) => `${k}=${v === null ? 'null' : v === '' ? '""' : String(v)}`)
    .join(', ');
}

/** A log line's time of day; the date is the run's. */
export function clockTime(at: number): string {
  return new Date(at).toLocaleTimeString();
}

export function outcome(passed: boolean, skipped = false): 'passed' | 'failed' | 'skipped' {
  return skipped ? 'skipped' : passed ? 'passed' : 'failed';
}
