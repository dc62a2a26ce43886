// A lesson is a path through the loop whose steps are checked against what the workspace holds, never ticked by
// hand: a step is done when its evidence exists (a version, a run meeting the goal, a champion, a fired alert...).

import type { AlertEvent } from '../monitor/alerts/types';
import type { PipelineDefinition } from '../deliver/pipeline/types';
import type { PipelineRun } from '../deliver/pipeline/run-types';
import type { DatasetVersion, ModelVersion, Project, Run } from '../shared/types';

/** The app's stages, where a step's work is done. */
export type LessonStage = 'define' | 'data' | 'train' | 'evaluate' | 'deliver' | 'monitor';

/** What the open project holds, as the stage screens have it loaded. */
export interface LoopFacts {
  project: Project;
  versions: readonly DatasetVersion[];
  /** Expectations in the project's saved suite; null when none is saved. */
  savedExpectations: number | null;
  runs: readonly Run[];
  modelVersions: readonly ModelVersion[];
  /** The version the `champion` alias points at. */
  champion: ModelVersion | null;
  pipelines: readonly PipelineDefinition[];
  pipelineRuns: readonly PipelineRun[];
  /** Requests in the project's prediction log. */
  logged: number;
  alertEvents: readonly AlertEvent[];
}

/**
 * What a step found: `done` with the evidence that proves it, or not done, with what there is so far (or null when
 * there is nothing yet).
 */
export type StepCheck = { done: true; evidence: string } | { done: false; sofar: string | null };

export interface LessonStep {
  id: string;
  title: string;
  stage: LessonStage;
  /** What to do, with the names of the controls to use. */
  todo: string;
  /** The MLOps idea behind it: why a team does this. */
  why: string;
  check(facts: LoopFacts): StepCheck;
}

export interface Lesson {
  id: string;
  title: string;
  /** One sentence: what the lesson teaches. */
  summary: string;
  steps: readonly LessonStep[];
}

export interface StepProgress {
  step: LessonStep;
  check: StepCheck;
}

export interface LessonProgress {
  lesson: Lesson;
  steps: StepProgress[];
  done: number;
  /** The first step not done yet, in the lesson's order; null when every step is done. */
  next: LessonStep | null;
}
