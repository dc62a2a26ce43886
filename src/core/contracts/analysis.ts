// The analysis worker's contract (workers/analysis.worker.ts): profiling, validation and recipes, on versions the
// worker reads by id. Types only.

import type { DatasetVersion } from '../shared/types';
import type { DatasetProfile } from '../data/profile';
import type { Expectation, ValidationReport } from '../data/expectations';
import type { PreviewOptions, Recipe, RecipePreview, RecipeProblem } from '../recipe';
import type { DatasetRef, NewVersionLabels } from './dataset';
import type { DataTest, DataTestResult } from '../deliver/gates/data-tests';
import type { FittedRecipe } from '../recipe/types';
import type { ServedRole } from '../monitor/log/types';
import type { DriftOverride } from '../monitor/stats/choose-test';
import type { ReferencePredictions, ReferenceSummary } from '../monitor/windows/reference';
import type { SkippedExpectation } from '../monitor/windows/quality';
import type { WindowSignals } from '../monitor/windows/signals';
import type { WindowDrill } from '../monitor/windows/drill';
import type { WindowSpec } from '../monitor/windows/windows';

/** The new version's record, or why none was made. */
export type ApplyRecipeOutcome =
  | { ok: true; version: DatasetVersion; stored: 'created' | 'exists' }
  | { ok: false; problems: RecipeProblem[] };

export interface AnalysisApi {
  /** Profiles every column of the version. */
  profile(dataset: DatasetRef): Promise<DatasetProfile>;
  /** Checks the version against the enabled expectations. */
  validate(expectations: Expectation[], dataset: DatasetRef): Promise<ValidationReport>;
  /**
   * Fits the recipe on the version's training rows and shows what it does, without making a version. With
   * `options.sampleRows`, only the version's first rows are read (a bounded read) and `sampled` says so.
   */
  previewRecipe(dataset: DatasetRef, recipe: Recipe, options?: PreviewOptions): Promise<RecipePreview>;
  /**
   * Fits the recipe on the source version's training rows, makes the derived version (src/core/data/derive-version.ts)
   * and stores it; only its record comes back.
   */
  applyRecipe(dataset: DatasetRef, recipe: Recipe, labels: NewVersionLabels): Promise<ApplyRecipeOutcome>;
  /**
   * The data stage's leakage and class-balance tests on the version's columns and split (src/core/deliver/gates);
   * `target` is the project's target column. Leaked-row examples are capped, so the answer stays small.
   */
  dataTests(dataset: DatasetRef, tests: DataTest[], target: string): Promise<DataTestResult[]>;
  /**
   * Signals per window of a served model's request log (src/core/monitor/windows/signals.ts), read by the worker from
   * the log itself, window by window: the page never receives the log, only the per-window figures.
   */
  monitorSignals(request: MonitorSignalsRequest): Promise<MonitorSignals>;
  /** One window's reference-vs-current view of one input column, or of the prediction when `column` is null. */
  monitorDrill(request: MonitorDrillRequest): Promise<WindowDrill>;
}

/** Which requests are monitored, in which windows, against which reference. */
export interface MonitorSignalsRequest {
  databaseName: string;
  projectId: string;
  modelName: string;
  /**
   * The version whose log is read; null: every version of the model, in time order (a feedback loop serves several in
   * turn), each one's classes mapped onto those of `referenceVersion`.
   */
  modelVersion: number | null;
  /**
   * With `modelVersion` null, required: the version the reference belongs to (whose training data `reference` names and
   * whose answers `referencePredictions` are); its logged classes are the ones every window is read in.
   */
  referenceVersion?: number;
  /** 'serving' unless the challenger's shadow log is asked for. */
  role?: ServedRole;
  window: WindowSpec;
  /**
   * Where the training split's raw rows come from, chosen as the behaviour tests choose theirs: `root` is the import
   * the run's recipe chain starts from (the run's own version when it has none), `recipes` the chain (Run.recipes),
   * whose filters decide which training rows the model saw.
   */
  reference: { root: DatasetRef; recipes: FittedRecipe[] };
  /**
   * The model's predictions on its training split (the predictor's predictTable with split 'train' gives them), for
   * prediction drift and, with probabilities and true labels, for CBPE. Without them those signals are null.
   */
  referencePredictions?: ReferencePredictions;
  /** The expectation suite to check live inputs with; the project's stored suite when absent. */
  expectations?: Expectation[];
  /** Per input column: another drift test or threshold. */
  overrides?: Record<string, DriftOverride>;
  predictionOverride?: DriftOverride;
  /** Share of drifted columns at which the dataset drifted (Evidently: 0.5). */
  driftShare?: number;
  /** Labels count once they arrived at or before this time; every logged label when absent. */
  asOf?: number;
  /** Windows before this index are left out and their chunks not read (the page already has them). */
  fromWindow?: number;
}

export interface MonitorSignals {
  /** From `fromWindow` on; the last may be incomplete (still filling). */
  windows: WindowSignals[];
  /** Windows the whole log makes. */
  windowCount: number;
  /** Requests in the log of this model version and role. */
  requests: number;
  reference: ReferenceSummary;
  /** Expectations of the suite not checked on live inputs, and why. */
  skippedExpectations: SkippedExpectation[];
}

export interface MonitorDrillRequest extends Omit<MonitorSignalsRequest, 'fromWindow' | 'expectations' | 'driftShare' | 'asOf'> {
  windowIndex: number;
  /** An input column of the reference, or null for the prediction. */
  column: string | null;
}
