import type { ProjectsRepo } from '../../platform/repositories/projects';
import type { DatasetsRepo } from '../../platform/repositories/datasets';
import type { RunsRepo } from '../../platform/repositories/runs';
import type { RegistryRepo } from '../../platform/repositories/registry';
import type { PipelinesRepo } from '../../platform/repositories/pipelines';
import type { RequestLogRepo } from '../../platform/repositories/request-log';
import type { SettingsRepo } from '../../platform/repositories/settings';
import type { ImageImportClient, ParserClient, PredictorClient, TrainerClient } from '../../platform/workers';
import type { SuitesRepo } from '../../platform/repositories/suites';
import type { AnalysisClient } from '../../platform/analysis-client';
import type { EvaluationsRepo } from '../../platform/repositories/evaluations';
import type { ImportsRepo } from '../../platform/repositories/imports';
import { failureMessage, failureOf } from '../../core/shared/failure';
import type { ChangeSource } from './change-sync';

/** What the state classes are built from; the composition root (src/app) makes the real ones. */
export interface Services {
  projects: ProjectsRepo;
  datasets: DatasetsRepo;
  runs: RunsRepo;
  registry: RegistryRepo;
  /** Pipeline definitions and their runs. */
  pipelines: PipelinesRepo;
  /** The columnar log of served requests, with retention and late labels. */
  requestLog: RequestLogRepo;
  settings: SettingsRepo;
  parser: ParserClient;
  /** Decodes and resizes image imports, and draws the shapes sample. */
  images: ImageImportClient;
  trainer: TrainerClient;
  /** Another training worker of its own (a parallel sweep's extra runs); it ends when idle or killed. */
  newTrainer: () => TrainerClient;
  predictor: PredictorClient;
  suites: SuitesRepo;
  analysis: AnalysisClient;
  evaluations: EvaluationsRepo;
  /** Stores imported bundles (run, weights, project, registry version) in one transaction. */
  imports: ImportsRepo;
  /** What other tabs store (absent in tests that run one page): the state reloads what they changed. */
  changes?: ChangeSource;
}

export function messageOf(error: unknown): string {
  return failureMessage(failureOf(error));
}

/** Whether a call ended because its caller aborted it (WorkerHandle.run). */
export function isCancelled(error: unknown): boolean {
  return failureOf(error).kind === 'cancelled';
}
