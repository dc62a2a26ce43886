// The stage runners of a pipeline run, in the core's stage order (../../../core/deliver/pipeline/run-types.ts).

import type { StageRunners } from '../../../core/deliver/pipeline';
import { behaviourStage } from './behaviour-stage';
import { dataStage } from './data-stage';
import { evaluateStage } from './evaluate-stage';
import { gatesStage } from './gates-stage';
import type { PipelineJob } from './job';
import { parityStage } from './parity-stage';
import { promoteStage } from './promote-stage';
import { trainStage } from './train-stage';

export type { PipelineJob } from './job';

export function buildRunners(job: PipelineJob): StageRunners {
  return {
    data: (ctx) => dataStage(job, ctx),
    train: (ctx) => trainStage(job, ctx),
    evaluate: (ctx) => evaluateStage(job, ctx),
    behaviour: (ctx) => behaviourStage(job, ctx),
    parity: (ctx) => parityStage(job, ctx),
    gates: (ctx) => gatesStage(job, ctx),
    promote: (ctx) => promoteStage(job, ctx),
  };
}
