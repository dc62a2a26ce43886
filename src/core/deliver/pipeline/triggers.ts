// Continuous training: given a new dataset version (or a monitoring alert), which pipelines it triggers. Every
// pipeline gets a decision with its reason, so the UI can answer "why did my pipeline not run?".

import type { LineageGraph } from '../../data/lineage';
import { admit } from './scheduler';
import { sourceCovers } from './source';
import type { PipelineRun } from './run-types';
import type { PipelineDefinition, TriggerState } from './types';

export interface TriggerDecision {
  pipelineId: string;
  /** `start` or `queue` create a run; `none` does not. */
  action: 'start' | 'queue' | 'none';
  reason: string;
}

function stateReason(state: TriggerState, what: string): string | null {
  if (state === 'off') return `the ${what} trigger is off`;
  if (state === 'paused') return `the ${what} trigger is paused`;
  return null;
}

function decide(pipeline: PipelineDefinition, runs: readonly PipelineRun[], why: string): TriggerDecision {
  const admission = admit(runs, pipeline.id);
  if (admission.action === 'drop') return { pipelineId: pipeline.id, action: 'none', reason: admission.reason };
  return { pipelineId: pipeline.id, action: admission.action, reason: `${why}; ${admission.reason}` };
}

/** The decision for every pipeline of the project on the appearance of `versionId` (already in `graph`). */
export function newVersionTriggers(input: {
  projectId: string;
  versionId: string;
  graph: LineageGraph;
  pipelines: readonly PipelineDefinition[];
  runs: readonly PipelineRun[];
}): TriggerDecision[] {
  return input.pipelines
    .filter((p) => p.projectId === input.projectId)
    .map((p): TriggerDecision => {
      const off = stateReason(p.triggers.newVersion, 'new-version');
      if (off) return { pipelineId: p.id, action: 'none', reason: off };
      if (p.source.kind === 'version') return { pipelineId: p.id, action: 'none', reason: `it always trains on version ${p.source.versionId}` };
      if (!sourceCovers(p.source, input.graph, input.versionId)) {
        return { pipelineId: p.id, action: 'none', reason: `version ${input.versionId} is not in the lineage of ${p.source.rootVersionId}` };
      }
      return decide(p, input.runs, `version ${input.versionId} is new in its lineage`);
    });
}

/** The decision for every pipeline of the project that promotes to `modelName`, when an alert on that model fires. */
export function alertTriggers(input: {
  projectId: string;
  modelName: string;
  alertId: string;
  pipelines: readonly PipelineDefinition[];
  runs: readonly PipelineRun[];
}): TriggerDecision[] {
  return input.pipelines
    .filter((p) => p.projectId === input.projectId && p.promotion.model.toLowerCase() === input.modelName.toLowerCase())
    .map((p): TriggerDecision => {
      const off = stateReason(p.triggers.alert, 'alert');
      if (off) return { pipelineId: p.id, action: 'none', reason: off };
      return decide(p, input.runs, `alert ${input.alertId} fired on "${input.modelName}"`);
    });
}

/** The definition with one trigger paused or resumed; a trigger that is off stays off. */
export function setTriggerPaused(pipeline: PipelineDefinition, trigger: keyof PipelineDefinition['triggers'], paused: boolean): PipelineDefinition {
  const state = pipeline.triggers[trigger];
  if (state === 'off') return pipeline;
  return { ...pipeline, triggers: { ...pipeline.triggers, [trigger]: paused ? 'paused' : 'on' } };
}
