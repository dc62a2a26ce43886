// A pipeline definition: the saved JSON, like a CI file, that says what to train on, how, which tests must pass and
// what happens to an alias when they do. Tests are opaque here: their JSON belongs to ../gates.

import type { Recipe } from '../../recipe/types';
import type { Hyperparams, ModelSpec } from '../../train/spec/types';

export const PIPELINE_FORMAT = 1;

export type PipelineSource =
  /** Always this exact dataset version: the run is repeatable, and new data never triggers it. */
  | { kind: 'version'; versionId: string }
  /** The newest version derived (at any depth) from the root, the root included: what continuous training follows. */
  | { kind: 'lineage'; rootVersionId: string };

export type PipelineTraining =
  | { kind: 'model'; spec: ModelSpec; hyper: Hyperparams }
  /** A saved sweep; its best run becomes the candidate. */
  | { kind: 'sweep'; sweepId: string };

/** A test reference: a test id, or a test definition whose shape ../gates checks. */
export type PipelineTest = string | Record<string, unknown>;

export type PromotionRule =
  /** Move the alias as soon as every gate passes. */
  | { mode: 'auto'; model: string; alias: string }
  /** Every gate must pass, then a person approves or rejects with a reason. */
  | { mode: 'approval'; model: string; alias: string };

/** `off`: never fires; `paused`: shown as set up but not firing until resumed. */
export type TriggerState = 'on' | 'paused' | 'off';

export interface PipelineTriggers {
  /** A new dataset version appears in the source lineage (by import or recipe). */
  newVersion: TriggerState;
  /** A monitoring alert fires on the promoted model. */
  alert: TriggerState;
}

export interface PipelineDefinition {
  format: typeof PIPELINE_FORMAT;
  id: string;
  projectId: string;
  name: string;
  source: PipelineSource;
  /** Applied to the source version before training; absent or null trains on the version as it is. */
  recipe?: Recipe | null;
  training: PipelineTraining;
  tests: PipelineTest[];
  promotion: PromotionRule;
  triggers: PipelineTriggers;
}

export interface PipelineProblem {
  /** e.g. 'source.rootVersionId', 'training.spec.layers[0].units', 'tests[2]'; '' for the whole definition. */
  path: string;
  message: string;
}
