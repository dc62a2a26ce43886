// Trains one run for a pipeline on a trainer worker of its own (so the Train form stays free), recorded like any
// other run and tagged with the pipeline, with its progress written to the stage's log about once per epoch.

import type { BackendName, DatasetVersion, Run } from '../../../core/shared/types';
import type { StageContext } from '../../../core/deliver/pipeline';
import type { RunParams } from '../../../core/train/spec/types';
import { trainAlone } from '../../train/train-alone';
import { timed, type PipelineJob } from './job';

export const PIPELINE_TAG = 'pipeline';
export const PIPELINE_RUN_TAG = 'pipeline run';

/** The finished run, or why it did not finish. */
export function trainOne(
  job: PipelineJob,
  ctx: StageContext,
  dataset: DatasetVersion,
  params: RunParams,
  name: string,
  options: { backend?: BackendName; tags?: Record<string, string> } = {},
): Promise<{ ok: true; run: Run } | { ok: false; reason: string }> {
  const { services, project, pipeline, train } = job;
  return trainAlone(services, train, project, dataset, params, {
    name,
    tags: { [PIPELINE_TAG]: pipeline.name, [PIPELINE_RUN_TAG]: ctx.run.id, ...options.tags },
    ...(options.backend ? { backend: options.backend } : {}),
    signal: ctx.signal,
    log: (message) => ctx.log(message),
    around: (work) => timed(ctx, 'training', work),
  });
}
