// Trains one run for a pipeline on a trainer worker of its own (so the Train form stays free), recorded like any
// other run and tagged with the pipeline, with its progress written to the stage's log about once per epoch.

import type { BackendName, DatasetVersion, Run } from '../../../core/shared/types';
import type { StageContext } from '../../../core/deliver/pipeline';
import type { RunParams } from '../../../core/train/spec/types';
import { newId } from '../../../core/shared/ids';
import { failureMessage } from '../../../core/shared/failure';
import { holdRunLock } from '../../../platform/run-locks';
import { RunSession, startingLive } from '../../train/run-session.svelte';
import { fmt, timed, type PipelineJob } from './job';

export const PIPELINE_TAG = 'pipeline';
export const PIPELINE_RUN_TAG = 'pipeline run';

/** The finished run, or why it did not finish. */
export async function trainOne(
  job: PipelineJob,
  ctx: StageContext,
  dataset: DatasetVersion,
  params: RunParams,
  name: string,
  options: { backend?: BackendName; tags?: Record<string, string> } = {},
): Promise<{ ok: true; run: Run } | { ok: false; reason: string }> {
  const { services, project, pipeline, train } = job;
  const checked = train.check({ params, ...(options.backend ? { backend: options.backend } : {}) });
  if (typeof checked === 'string') return { ok: false, reason: checked };
  const runId = newId('run');
  const trainer = services.newTrainer();
  const session = new RunSession(services, train.sessionOptions(trainer), startingLive(runId, null, params.hyper.epochs, 'Preparing…'));
  const stop = () => session.kill();
  ctx.signal.addEventListener('abort', stop, { once: true });
  let logged = 0;
  const progress = setInterval(() => {
    const live = session.live;
    if (live.epoch <= logged) return;
    logged = live.epoch;
    const last = (key: string) => [...live.history].reverse().find((p) => p.key === key)?.value;
    const metric = project.task === 'classification' ? 'accuracy' : 'mae';
    ctx.log(`epoch ${live.epoch}/${live.epochs}: loss ${fmt(last('loss'))}, validation ${metric} ${fmt(last(`val_${metric}`))}`);
  }, 250);
  try {
    const record = await train.prepare(
      project,
      dataset,
      checked,
      { runId, name, tags: { [PIPELINE_TAG]: pipeline.name, [PIPELINE_RUN_TAG]: ctx.run.id, ...options.tags } },
      (message) => ctx.log(message),
    );
    ctx.log(`Training "${name}" (${params.spec.family}, ${params.hyper.epochs} epochs, seed ${params.hyper.seed}) on ${record.backend}…`);
    const end = await timed(ctx, 'training', () => holdRunLock(runId, () => session.execute(project, dataset, record)));
    if (end.status === 'killed') return { ok: false, reason: ctx.signal.aborted ? 'cancelled' : 'the run was killed' };
    if (end.status === 'failed') return { ok: false, reason: `training failed: ${failureMessage(end.failure)}` };
    const run = await services.runs.get(runId);
    if (!run?.model) return { ok: false, reason: 'the run ended without a stored model' };
    return { ok: true, run };
  } finally {
    clearInterval(progress);
    ctx.signal.removeEventListener('abort', stop);
    trainer.kill();
  }
}
