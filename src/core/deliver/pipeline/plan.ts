// Stages a pipeline's definition leaves nothing to do in, known before a run starts, so its page shows them skipped
// (with why) from the moment it is queued rather than discovering it later.

import { byStage } from '../gates/stage-tests';
import type { StageName } from './run-types';
import type { PipelineDefinition } from './types';

export function planOf(pipeline: PipelineDefinition): Partial<Record<StageName, string>> {
  const tests = byStage(pipeline.tests);
  const plan: Partial<Record<StageName, string>> = {};
  if (tests.behaviour.length === 0) plan.behaviour = 'no behaviour tests in this pipeline';
  if (!tests.parity) plan.parity = 'no serving-parity test in this pipeline';
  return plan;
}
