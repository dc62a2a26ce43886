// "Never two runs of one pipeline at once", as a rule over the list of runs: at most one running run per pipeline,
// and at most one waiting behind it, so a burst of triggers (ten imports in a minute) costs one extra run, not ten.
// Queued runs start oldest first.

import type { PipelineRun } from './run-types';

export type Admission =
  | { action: 'start'; reason: string }
  | { action: 'queue'; reason: string }
  | { action: 'drop'; reason: string };

const byAge = (a: PipelineRun, b: PipelineRun) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

function ofPipeline(runs: readonly PipelineRun[], pipelineId: string) {
  const mine = runs.filter((r) => r.pipelineId === pipelineId);
  return {
    running: mine.find((r) => r.status === 'running') ?? null,
    queued: mine.filter((r) => r.status === 'queued').sort(byAge),
  };
}

/** What a new request to run the pipeline (trigger or button) should do, given its runs. */
export function admit(runs: readonly PipelineRun[], pipelineId: string): Admission {
  const { running, queued } = ofPipeline(runs, pipelineId);
  if (queued.length > 0) return { action: 'drop', reason: `run ${queued[0]?.id} is already waiting to start; it will use the newest data` };
  if (running) return { action: 'queue', reason: `run ${running.id} is in progress; the new run starts when it ends` };
  return { action: 'start', reason: 'no run of this pipeline is in progress' };
}

/** Whether this queued run may start now, or why not. */
export function canStart(runs: readonly PipelineRun[], runId: string): { ok: true } | { ok: false; reason: string } {
  const run = runs.find((r) => r.id === runId);
  if (!run) return { ok: false, reason: `no run ${runId}` };
  if (run.status !== 'queued') return { ok: false, reason: `run ${runId} is ${run.status}, not queued` };
  const { running, queued } = ofPipeline(runs, run.pipelineId);
  if (running) return { ok: false, reason: `run ${running.id} of the same pipeline is in progress` };
  if (queued[0] && queued[0].id !== runId) return { ok: false, reason: `run ${queued[0].id} was queued first` };
  return { ok: true };
}

/** The runs to start now: for each pipeline with nothing running, its oldest queued run. */
export function runsToStart(runs: readonly PipelineRun[]): PipelineRun[] {
  const ids = [...new Set(runs.map((r) => r.pipelineId))];
  return ids.flatMap((id) => {
    const { running, queued } = ofPipeline(runs, id);
    return running || !queued[0] ? [] : [queued[0]];
  });
}
