// How the runs page words a pipeline run: status (a held promotion reads as waiting for approval), triggers,
// thresholds in the direction the gate reads them, and the numbers and rows of the evidence.
import { describe, expect, it } from 'vitest';
import { newRun, next, type PipelineRun, type RunEvent } from '../../src/core/deliver/pipeline';
import {
  cellsText,
  fixed4,
  isFinishedRun,
  runDuration,
  runStatusText,
  shortHash,
  small,
  thresholdText,
  toneOf,
  triggerText,
} from '../../src/ui/pipeline-display';

function step(run: PipelineRun, event: RunEvent): PipelineRun {
  const r = next(run, event);
  if (!r.ok) throw new Error(r.reason);
  return r.run;
}

/** A run through every stage up to the held promotion. */
function heldRun(): PipelineRun {
  let run = step(newRun({ id: 'r1', pipelineId: 'p', at: 1000, trigger: { kind: 'manual' } }), { type: 'start', at: 1000 });
  for (const stage of ['data', 'train', 'evaluate', 'behaviour', 'parity', 'gates'] as const) run = step(run, { type: 'pass', stage, at: 2000 });
  return step(run, { type: 'await-approval', at: 2500 });
}

describe('run status', () => {
  it('reads a run held at its promote stage as waiting for approval, and the rest by their own status', () => {
    const held = heldRun();
    expect(held.status).toBe('running');
    expect(runStatusText(held)).toBe('waiting for approval');
    expect(toneOf(runStatusText(held))).toBe('warn');
    expect(isFinishedRun(held)).toBe(false);

    const failed = step(held, { type: 'reject', at: 3000, reason: 'not now' });
    expect(runStatusText(failed)).toBe(failed.status);
    expect(isFinishedRun(failed)).toBe(true);
    const queued = newRun({ id: 'r2', pipelineId: 'p', at: 1, trigger: { kind: 'manual' } });
    expect(runStatusText(queued)).toBe('queued');
  });

  it('measures a run from its start to its end, or to now while it goes', () => {
    const queued = newRun({ id: 'r2', pipelineId: 'p', at: 1, trigger: { kind: 'manual' } });
    expect(runDuration(queued, 5000)).toBeNull();
    const held = heldRun();
    expect(runDuration(held, 4000)).toBe(3000);
    const done = step(held, { type: 'approve', at: 3500, reason: 'ok' });
    expect(runDuration(done, 99_000)).toBe(2500);
  });
});

describe('triggers', () => {
  it('names each trigger, a re-run by the number of its original when it is shown', () => {
    const numbers: Record<string, number> = { a: 3 };
    const numberOf = (id: string) => numbers[id] ?? null;
    expect(triggerText({ kind: 'manual' }, numberOf)).toBe('manual');
    expect(triggerText({ kind: 'new-version', versionId: '3f2a9c0d77e1' }, numberOf)).toBe('new version 3f2a9c0d');
    expect(triggerText({ kind: 'alert', alertId: 'a-17' }, numberOf)).toBe('alert a-17');
    expect(triggerText({ kind: 'rerun', runId: 'a' }, numberOf)).toBe('re-run of #3');
    expect(triggerText({ kind: 'rerun', runId: 'gone-run-id' }, numberOf)).toBe('re-run of gone-run');
  });
});

describe('thresholds', () => {
  it('states value, change and slice thresholds with the sign of the better direction', () => {
    expect(thresholdText({ kind: 'value', metric: 'accuracy', lower: 0.9 })).toBe('value ≥ 0.9');
    expect(thresholdText({ kind: 'value', metric: 'rmse', upper: 2, lower: 0 })).toBe('value ≥ 0 and ≤ 2');
    expect(thresholdText({ kind: 'change', metric: 'accuracy', absolute: 0 })).toBe('change ≥ 0 (absolute)');
    expect(thresholdText({ kind: 'change', metric: 'mae', absolute: 0 })).toBe('change ≤ 0 (absolute)');
    expect(thresholdText({ kind: 'change', metric: 'f1', relative: 1, strict: true })).toBe('change > 1 (relative)');
    expect(thresholdText({ kind: 'change', metric: 'latency', absolute: 5, direction: 'lower' })).toBe('change ≤ 5 (absolute)');
    // A metric the UI cannot place is not given a sign it might have wrong.
    expect(thresholdText({ kind: 'change', metric: 'custom', absolute: 0 })).toBe('change no worse than 0 (absolute)');
    expect(thresholdText({ kind: 'slices', metric: 'accuracy', maxDrop: 0.05 })).toBe('slice drop ≤ 0.05');
    expect(thresholdText({ kind: 'slices', metric: 'accuracy', maxDrop: 0.05, column: 'sex', minRows: 20 })).toBe(
      'slice drop ≤ 0.05 in sex, slices of 20+ rows',
    );
  });
});

describe('numbers and rows', () => {
  it('prints figures with 4 decimals, tiny differences so they do not read as 0, and hashes short', () => {
    expect(fixed4(0.91234567)).toBe('0.9123');
    expect(fixed4(null)).toBe('—');
    expect(fixed4(Number.NaN)).toBe('NaN');
    expect(small(3e-7)).toBe('3.00e-7');
    expect(small(0)).toBe('0.0000');
    expect(shortHash('0123456789abcdef0123')).toBe('0123456789ab…');
    expect(shortHash('abc')).toBe('abc');
  });

  it('writes a row as key=value pairs, telling empty and missing cells apart', () => {
    expect(cellsText({ age: 41, city: '', income: null })).toBe('age=41, city="", income=null');
    expect(cellsText(null)).toBe('—');
  });
});
