import { describe, expect, it } from 'vitest';
import {
  currentStage,
  failureSummary,
  newRun,
  next,
  rerun,
  stageDuration,
  STAGES,
  type PipelineRun,
  type RunEvent,
  type RunStep,
} from '../../../src/core/deliver/pipeline';

function ok(step: RunStep): PipelineRun {
  if (!step.ok) throw new Error(step.reason);
  return step.run;
}

function refused(step: RunStep): string {
  if (step.ok) throw new Error('expected a refusal');
  return step.reason;
}

const apply = (run: PipelineRun, events: RunEvent[]) => events.reduce((r, e) => ok(next(r, e)), run);
const statuses = (run: PipelineRun) => run.stages.map((s) => s.status);
const fresh = () => newRun({ id: 'r1', pipelineId: 'pl-1', at: 0, trigger: { kind: 'manual' } });
const passAll = (from: number) => STAGES.map((stage, i): RunEvent => ({ type: 'pass', stage, at: from + i + 1 }));

describe('pipeline run state machine', () => {
  it('starts queued with every stage queued', () => {
    const run = fresh();
    expect(run.status).toBe('queued');
    expect(statuses(run)).toEqual(STAGES.map(() => 'queued'));
    expect(currentStage(run)).toBeNull();
  });

  it('runs the stages in order and passes when the last one passes, with times', () => {
    const started = ok(next(fresh(), { type: 'start', at: 10 }));
    expect(started.status).toBe('running');
    expect(currentStage(started)?.name).toBe('data');
    const done = apply(started, passAll(10));
    expect(done.status).toBe('passed');
    expect(done.endedAt).toBe(17);
    expect(statuses(done)).toEqual(STAGES.map(() => 'passed'));
    expect(done.stages.map((s) => stageDuration(s, 99))).toEqual([1, 1, 1, 1, 1, 1, 1]);
  });

  it('records log lines and artifacts on the current stage only', () => {
    let run = ok(next(fresh(), { type: 'start', at: 1 }));
    run = apply(run, [
      { type: 'pass', stage: 'data', at: 2 },
      { type: 'log', stage: 'train', at: 3, text: 'epoch 1 loss 0.7' },
      { type: 'artifact', stage: 'train', artifact: { id: 'run-9', hash: null } },
    ]);
    const train = run.stages[1];
    expect(train?.log).toEqual([{ at: 3, text: 'epoch 1 loss 0.7' }]);
    expect(train?.artifacts).toEqual([{ id: 'run-9', hash: null }]);
    expect(stageDuration(train!, 7)).toBe(5);
    expect(refused(next(run, { type: 'artifact', stage: 'train', artifact: { id: 'run-9', hash: null } }))).toMatch(/already recorded/);
    expect(refused(next(run, { type: 'log', stage: 'evaluate', at: 4, text: 'x' }))).toMatch(/"train" is/);
    expect(refused(next(run, { type: 'pass', stage: 'gates', at: 4 }))).toMatch(/not the current stage/);
  });

  it('a failure names the stage and why, and skips the later stages', () => {
    const run = apply(ok(next(fresh(), { type: 'start', at: 1 })), [
      { type: 'pass', stage: 'data', at: 2 },
      { type: 'pass', stage: 'train', at: 3 },
      { type: 'pass', stage: 'evaluate', at: 4 },
      { type: 'fail', stage: 'behaviour', at: 5, reason: 'invariance: rows 3, 17 changed when "name" changed' },
    ]);
    expect(run.status).toBe('failed');
    expect(run.failure).toEqual({ stage: 'behaviour', reason: 'invariance: rows 3, 17 changed when "name" changed' });
    expect(failureSummary(run)).toMatch(/stage "behaviour": invariance/);
    expect(statuses(run)).toEqual(['passed', 'passed', 'passed', 'failed', 'skipped', 'skipped', 'skipped']);
    expect(run.stages[6]?.reason).toMatch(/"behaviour" failed/);
    expect(refused(next(run, { type: 'pass', stage: 'gates', at: 6 }))).toMatch(/failed, not running/);
    expect(refused(next(run, { type: 'fail', stage: 'behaviour', at: 6, reason: '' }))).toBeTruthy();
  });

  it('requires a reason to fail or skip', () => {
    const run = ok(next(fresh(), { type: 'start', at: 1 }));
    expect(refused(next(run, { type: 'fail', stage: 'data', at: 2, reason: ' ' }))).toMatch(/reason/);
    expect(refused(next(run, { type: 'skip', stage: 'data', at: 2, reason: '' }))).toMatch(/reason/);
    const skipped = ok(next(run, { type: 'skip', stage: 'data', at: 2, reason: 'no expectation suite' }));
    expect(skipped.stages[0]).toMatchObject({ status: 'skipped', reason: 'no expectation suite', endedAt: 2 });
    expect(currentStage(skipped)?.name).toBe('train');
  });

  it('skips planned stages from the start and passes over them', () => {
    const run = newRun({ id: 'r', pipelineId: 'p', at: 0, trigger: { kind: 'manual' }, plan: { 'data': 'no data tests', 'behaviour': 'none defined' } });
    expect(statuses(run)).toEqual(['skipped', 'queued', 'queued', 'skipped', 'queued', 'queued', 'queued']);
    const started = ok(next(run, { type: 'start', at: 1 }));
    expect(currentStage(started)?.name).toBe('train');
    const afterEval = apply(started, [
      { type: 'pass', stage: 'train', at: 2 },
      { type: 'pass', stage: 'evaluate', at: 3 },
    ]);
    expect(currentStage(afterEval)?.name).toBe('parity');
  });

  it('a run whose every stage is planned away passes on start', () => {
    const plan = Object.fromEntries(STAGES.map((s) => [s, 'n/a']));
    expect(ok(next(newRun({ id: 'r', pipelineId: 'p', at: 0, trigger: { kind: 'manual' }, plan }), { type: 'start', at: 1 })).status).toBe('passed');
  });

  it('waits for approval at promote; approve passes, reject fails, both need a reason', () => {
    const atPromote = apply(ok(next(fresh(), { type: 'start', at: 0 })), passAll(0).slice(0, 6));
    expect(refused(next(atPromote, { type: 'approve', at: 9, reason: 'ok' }))).toMatch(/running/);
    const waiting = ok(next(atPromote, { type: 'await-approval', at: 7 }));
    expect(currentStage(waiting)).toMatchObject({ name: 'promote', status: 'waiting' });
    expect(refused(next(waiting, { type: 'pass', stage: 'promote', at: 8 }))).toMatch(/waits for approval/);
    expect(refused(next(waiting, { type: 'approve', at: 8, reason: '' }))).toMatch(/reason/);
    const approved = ok(next(waiting, { type: 'approve', at: 8, reason: 'reviewed the slices' }));
    expect(approved.status).toBe('passed');
    expect(approved.stages[6]).toMatchObject({ status: 'passed', reason: 'reviewed the slices' });
    const rejected = ok(next(waiting, { type: 'reject', at: 8, reason: 'too slow' }));
    expect(rejected.failure).toEqual({ stage: 'promote', reason: 'rejected: too slow' });
    expect(refused(next(fresh(), { type: 'await-approval', at: 1 }))).toMatch(/queued/);
  });

  it('cancels a queued or running run, and refuses to cancel a finished one', () => {
    const queued = ok(next(fresh(), { type: 'cancel', at: 1, reason: 'not needed' }));
    expect(queued.status).toBe('cancelled');
    expect(statuses(queued)).toEqual(STAGES.map(() => 'cancelled'));
    const running = apply(ok(next(fresh(), { type: 'start', at: 0 })), [{ type: 'pass', stage: 'data', at: 1 }]);
    const cancelled = ok(next(running, { type: 'cancel', at: 5, reason: 'user' }));
    expect(statuses(cancelled)).toEqual(['passed', 'cancelled', 'cancelled', 'cancelled', 'cancelled', 'cancelled', 'cancelled']);
    expect(cancelled.stages[1]).toMatchObject({ endedAt: 5, reason: 'user' });
    expect(cancelled.endedAt).toBe(5);
    expect(refused(next(cancelled, { type: 'cancel', at: 6, reason: 'again' }))).toMatch(/already cancelled/);
    expect(refused(next(cancelled, { type: 'start', at: 6 }))).toMatch(/only a queued run/);
    expect(refused(next(running, { type: 'cancel', at: 6, reason: '' }))).toMatch(/reason/);
  });

  it('refuses to start twice', () => {
    const started = ok(next(fresh(), { type: 'start', at: 1 }));
    expect(refused(next(started, { type: 'start', at: 2 }))).toMatch(/running/);
  });

  it('re-runs a finished run as a new queued run with the same plan, never a live one', () => {
    const base = newRun({ id: 'r1', pipelineId: 'pl', at: 0, trigger: { kind: 'manual' }, plan: { 'data': 'none' } });
    expect(refused(rerun(base, 'r2', 5))).toMatch(/only a finished run/);
    const failed = apply(ok(next(base, { type: 'start', at: 1 })), [{ type: 'fail', stage: 'train', at: 2, reason: 'loss NaN' }]);
    const again = ok(rerun(failed, 'r2', 5));
    expect(again).toMatchObject({ id: 'r2', pipelineId: 'pl', status: 'queued', createdAt: 5, trigger: { kind: 'rerun', runId: 'r1' }, failure: null });
    expect(statuses(again)).toEqual(['skipped', 'queued', 'queued', 'queued', 'queued', 'queued', 'queued']);
    expect(failed.status).toBe('failed');
  });

  it('never changes the run it is given', () => {
    const run = ok(next(fresh(), { type: 'start', at: 1 }));
    const copy = structuredClone(run);
    next(run, { type: 'log', stage: 'data', at: 2, text: 'x' });
    next(run, { type: 'fail', stage: 'data', at: 2, reason: 'y' });
    next(run, { type: 'cancel', at: 2, reason: 'z' });
    expect(run).toEqual(copy);
  });
});
