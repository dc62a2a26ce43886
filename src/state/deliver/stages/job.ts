// What every stage of a pipeline run works from: the services, the project, the definition and its tests sorted by
// stage, and the Train state whose backend choice and run records a pipeline's training shares with the Train form.

import type { Project } from '../../../core/shared/types';
import type { PipelineDefinition, StageContext, StageResult } from '../../../core/deliver/pipeline';
import type { TestsByStage } from '../../../core/deliver/gates';
import type { Services } from '../../shared/services';
import type { TrainState } from '../../train/train.svelte';

export interface PipelineJob {
  services: Services;
  project: Project;
  pipeline: PipelineDefinition;
  tests: TestsByStage;
  train: TrainState;
  /** The run's number among its pipeline's runs, for names ("retrain #4"). */
  number: number;
}

export const passed = (): StageResult => ({ status: 'passed' });
export const failed = (reason: string): StageResult => ({ status: 'failed', reason });
export const skipped = (reason: string): StageResult => ({ status: 'skipped', reason });

/** A figure as the logs write it. */
export function fmt(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  return Math.abs(v) >= 1000 ? v.toFixed(0) : v.toFixed(4);
}

export const short = (id: string) => id.slice(0, 12);

/** Adds the time `work` takes to the run's training or evaluation time (RunOutputs.workMs). */
export async function timed<T>(ctx: StageContext, kind: 'training' | 'evaluation', work: () => Promise<T>): Promise<T> {
  const started = performance.now();
  try {
    return await work();
  } finally {
    const spent = performance.now() - started;
    const before = ctx.run.outputs.workMs ?? { training: 0, evaluation: 0 };
    ctx.output({ workMs: { ...before, [kind]: before[kind] + spent } });
  }
}
