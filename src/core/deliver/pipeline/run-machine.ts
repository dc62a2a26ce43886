// The pipeline run's state machine: `next(run, event)` returns the new run or refuses with the reason, and never
// changes its input. Stages run one at a time in order; a failure skips the later stages and is named on the run;
// cancel stops whatever is left; a finished run is never changed again, only re-run as a new run.

import { STAGES, type PipelineRun, type RunEvent, type RunStep, type RunTrigger, type Stage, type StageName } from './run-types';

const FINISHED = new Set(['passed', 'failed', 'cancelled']);

export function isFinished(run: PipelineRun): boolean {
  return FINISHED.has(run.status);
}

/** A queued run; the stages in `plan` are skipped from the start with its reason. */
export function newRun(input: {
  id: string;
  pipelineId: string;
  at: number;
  trigger: RunTrigger;
  plan?: Partial<Record<StageName, string>>;
}): PipelineRun {
  const plan = { ...(input.plan ?? {}) };
  return {
    id: input.id,
    pipelineId: input.pipelineId,
    status: 'queued',
    trigger: input.trigger,
    createdAt: input.at,
    startedAt: null,
    endedAt: null,
    stages: STAGES.map((name) => ({
      name,
      status: plan[name] === undefined ? 'queued' : 'skipped',
      startedAt: null,
      endedAt: null,
      log: [],
      artifacts: [],
      reason: plan[name] ?? null,
    })),
    plan,
    failure: null,
    outputs: {},
  };
}

/** A new queued run of the same pipeline and plan, from a finished one. */
export function rerun(run: PipelineRun, id: string, at: number): RunStep {
  if (!isFinished(run)) return { ok: false, reason: `run ${run.id} is ${run.status}: only a finished run can be re-run` };
  return { ok: true, run: newRun({ id, pipelineId: run.pipelineId, at, trigger: { kind: 'rerun', runId: run.id }, plan: run.plan }) };
}

/** The stage that is running or waiting, or null. */
export function currentStage(run: PipelineRun): Stage | null {
  return run.stages.find((s) => s.status === 'running' || s.status === 'waiting') ?? null;
}

/** Milliseconds the stage took, or has taken by `now`; null before it starts. */
export function stageDuration(stage: Stage, now: number): number | null {
  if (stage.startedAt === null) return null;
  return (stage.endedAt ?? now) - stage.startedAt;
}

/** One sentence for a failed run: which stage and why. */
export function failureSummary(run: PipelineRun): string | null {
  return run.failure ? `Failed at stage "${run.failure.stage}": ${run.failure.reason}` : null;
}

const refuse = (reason: string): RunStep => ({ ok: false, reason });

function update(run: PipelineRun, name: StageName, change: Partial<Stage>): PipelineRun {
  return { ...run, stages: run.stages.map((s) => (s.name === name ? { ...s, ...change } : s)) };
}

/** After a stage ends: the next queued stage starts, or the run has passed when none is left. */
function advance(run: PipelineRun, at: number): PipelineRun {
  const following = run.stages.find((s) => s.status === 'queued');
  if (!following) return { ...run, status: 'passed', endedAt: at };
  return update(run, following.name, { status: 'running', startedAt: at });
}

function endStage(run: PipelineRun, name: StageName, at: number, status: 'passed' | 'skipped', reason: string | null): PipelineRun {
  return advance(update(run, name, { status, endedAt: at, reason }), at);
}

function failStage(run: PipelineRun, name: StageName, at: number, reason: string): PipelineRun {
  const failed = update(run, name, { status: 'failed', endedAt: at, reason });
  return {
    ...failed,
    status: 'failed',
    endedAt: at,
    failure: { stage: name, reason },
    stages: failed.stages.map((s) => (s.status === 'queued' ? { ...s, status: 'skipped', reason: `not run: "${name}" failed` } : s)),
  };
}

/** Refuses a stage event unless the run is running and `name` is its current stage in the expected status. */
function checkCurrent(run: PipelineRun, name: StageName, allowed: readonly Stage['status'][]): string | null {
  if (run.status !== 'running') return `run ${run.id} is ${run.status}, not running`;
  const current = currentStage(run);
  if (!current) return `run ${run.id} has no stage in progress`;
  if (current.name !== name) return `stage "${name}" is not the current stage; "${current.name}" is`;
  if (!allowed.includes(current.status)) return `stage "${name}" is ${current.status}`;
  return null;
}

const needReason = (reason: string, what: string) => (reason.trim() === '' ? `${what} needs a reason` : null);

export function next(run: PipelineRun, event: RunEvent): RunStep {
  switch (event.type) {
    case 'start': {
      if (run.status !== 'queued') return refuse(`run ${run.id} is ${run.status}: only a queued run can start`);
      return { ok: true, run: advance({ ...run, status: 'running', startedAt: event.at }, event.at) };
    }
    case 'log': {
      const bad = checkCurrent(run, event.stage, ['running', 'waiting']);
      if (bad) return refuse(bad);
      const stage = currentStage(run) as Stage;
      return { ok: true, run: update(run, event.stage, { log: [...stage.log, { at: event.at, text: event.text }] }) };
    }
    case 'artifact': {
      const bad = checkCurrent(run, event.stage, ['running']);
      if (bad) return refuse(bad);
      const stage = currentStage(run) as Stage;
      if (stage.artifacts.some((a) => a.id === event.artifact.id)) return refuse(`artifact ${event.artifact.id} is already recorded on "${event.stage}"`);
      return { ok: true, run: update(run, event.stage, { artifacts: [...stage.artifacts, { ...event.artifact }] }) };
    }
    case 'pass': {
      const bad = checkCurrent(run, event.stage, ['running']);
      // A held promotion must not pass without a person's decision.
      const held = currentStage(run);
      if (bad && held?.name === event.stage && held.status === 'waiting') return refuse(`stage "${event.stage}" waits for approval: approve or reject it`);
      if (bad) return refuse(bad);
      return { ok: true, run: endStage(run, event.stage, event.at, 'passed', null) };
    }
    case 'skip': {
      const bad = checkCurrent(run, event.stage, ['running']) ?? needReason(event.reason, 'skipping a stage');
      if (bad) return refuse(bad);
      return { ok: true, run: endStage(run, event.stage, event.at, 'skipped', event.reason) };
    }
    case 'fail': {
      const bad = checkCurrent(run, event.stage, ['running', 'waiting']) ?? needReason(event.reason, 'a failure');
      if (bad) return refuse(bad);
      return { ok: true, run: failStage(run, event.stage, event.at, event.reason) };
    }
    case 'await-approval': {
      const bad = checkCurrent(run, 'promote', ['running']);
      if (bad) return refuse(bad);
      return { ok: true, run: update(run, 'promote', { status: 'waiting' }) };
    }
    case 'approve': {
      const bad = checkCurrent(run, 'promote', ['waiting']) ?? needReason(event.reason, 'an approval');
      if (bad) return refuse(bad);
      return { ok: true, run: endStage(run, 'promote', event.at, 'passed', event.reason) };
    }
    case 'reject': {
      const bad = checkCurrent(run, 'promote', ['waiting']) ?? needReason(event.reason, 'a rejection');
      if (bad) return refuse(bad);
      return { ok: true, run: failStage(run, 'promote', event.at, `rejected: ${event.reason}`) };
    }
    case 'cancel': {
      if (isFinished(run)) return refuse(`run ${run.id} is already ${run.status}`);
      const bad = needReason(event.reason, 'cancelling');
      if (bad) return refuse(bad);
      const stages = run.stages.map((s): Stage => {
        if (s.status === 'running' || s.status === 'waiting') return { ...s, status: 'cancelled', endedAt: event.at, reason: event.reason };
        if (s.status === 'queued') return { ...s, status: 'cancelled', reason: event.reason };
        return s;
      });
      return { ok: true, run: { ...run, status: 'cancelled', endedAt: event.at, stages } };
    }
  }
}
