// A pipeline definition: the saved JSON, like a CI file, that says what to train on, how, which tests must pass and
// what happens to an alias when they do. The tests' JSON belongs to ../gates.

import type { Recipe } from '../../recipe/types';
import type { Hyperparams, ModelSpec } from '../../train/spec/types';
import type { SweepSpec } from '../../train/sweep/types';
import type { StageTest } from '../gates/stage-tests';

export const PIPELINE_FORMAT = 1;

export type PipelineSource =
  /** Always this exact dataset version: the run is repeatable, and new data never triggers it. */
  | { kind: 'version'; versionId: string }
  /** The newest version derived (at any depth) from the root, the root included: what continuous training follows. */
  | { kind: 'lineage'; rootVersionId: string };

export type PipelineTraining =
  | { kind: 'model'; spec: ModelSpec; hyper: Hyperparams }
  /** Every run of the sweep is trained; the best by the project's goal on the validation split becomes the candidate. */
  | { kind: 'sweep'; sweep: SweepSpec };

/** A test of any stage; its kind says which stage runs it (../gates/stage-tests.ts). */
export type PipelineTest = StageTest;

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
