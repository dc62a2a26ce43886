// A pipeline run as a CI build: a fixed list of stages, each with its status, times, log and artifacts, and the
// run's own status. Plain data; ./run-machine.ts is the only thing that changes it.

import type { RunOutputs } from './run-outputs';

/**
 * data: resolve the source, apply the recipe, run the data tests. train: smoke test, training, reproducibility.
 * evaluate: register the candidate and score it and the baseline on the same test rows. behaviour: CheckList tests.
 * parity: the exported bundle answers as the app does. gates: the performance thresholds. promote: move the alias.
 */
export const STAGES = ['data', 'train', 'evaluate', 'behaviour', 'parity', 'gates', 'promote'] as const;
export type StageName = (typeof STAGES)[number];

/** `waiting`: the promote stage holds for a person's approval (GitLab calls such a job "manual"). */
export type StageStatus = 'queued' | 'running' | 'waiting' | 'passed' | 'failed' | 'skipped' | 'cancelled';
export type PipelineRunStatus = 'queued' | 'running' | 'passed' | 'failed' | 'cancelled';

export interface LogLine {
  at: number;
  text: string;
}

export interface StageArtifact {
  /** Dataset version, run, evaluation, model version or bundle id. */
  id: string;
  /** Content hash when the artifact has one. */
  hash: string | null;
}

export interface Stage {
  name: StageName;
  status: StageStatus;
  startedAt: number | null;
  endedAt: number | null;
  log: LogLine[];
  artifacts: StageArtifact[];
  /** Why it failed, was skipped or cancelled, or the approver's reason; null otherwise. */
  reason: string | null;
}

export type RunTrigger =
  | { kind: 'manual' }
  | { kind: 'new-version'; versionId: string }
  | { kind: 'alert'; alertId: string }
  | { kind: 'rerun'; runId: string };

export interface PipelineRun {
  id: string;
  pipelineId: string;
  status: PipelineRunStatus;
  trigger: RunTrigger;
  createdAt: number;
  startedAt: number | null;
  endedAt: number | null;
  /** In STAGES order. */
  stages: Stage[];
  /** Stages skipped from the start and why (e.g. no behaviour tests defined); a re-run keeps them. */
  plan: Partial<Record<StageName, string>>;
  /** The stage that failed and why; null unless the run failed. */
  failure: { stage: StageName; reason: string } | null;
  /** What the stages found and made, filled in as they run (the evidence behind the gate, shown with the run). */
  outputs: RunOutputs;
}

export type RunEvent =
  | { type: 'start'; at: number }
  | { type: 'log'; stage: StageName; at: number; text: string }
  | { type: 'artifact'; stage: StageName; artifact: StageArtifact }
  | { type: 'pass'; stage: StageName; at: number }
  | { type: 'fail'; stage: StageName; at: number; reason: string }
  /** The running stage found nothing to do. */
  | { type: 'skip'; stage: StageName; at: number; reason: string }
  | { type: 'await-approval'; at: number }
  | { type: 'approve'; at: number; reason: string }
  | { type: 'reject'; at: number; reason: string }
  | { type: 'cancel'; at: number; reason: string };

export type RunStep = { ok: true; run: PipelineRun } | { ok: false; reason: string };
