// Typed client of the analysis worker. The page names a version by id; the worker reads it (and stores
// a recipe's new version) itself.

import type { Remote } from 'comlink';
import type { PreviewOptions, Recipe, RecipePreview } from '../core/recipe';
import type { DatasetProfile } from '../core/data/profile';
import type { Expectation, ValidationReport } from '../core/data/expectations';
import type { AnalysisApi, ApplyRecipeOutcome, MonitorDrillRequest, MonitorSignals, MonitorSignalsRequest } from '../core/contracts/analysis';
import type { WindowDrill } from '../core/monitor/windows/drill';
import type { DatasetRef, NewVersionLabels } from '../core/contracts/dataset';
import type { DataTest, DataTestResult } from '../core/deliver/gates/data-tests';
import { DEAD_AFTER_MS, WorkerHandle } from './worker-handle';

// Profiling a million rows takes seconds; past this the worker is assumed hung.
const ANALYSIS_TIMEOUT_MS = 5 * 60_000;

export class AnalysisClient {
  readonly #handle: WorkerHandle<AnalysisApi>;

  constructor(
    spawn: () => Worker = () =>
      new Worker(new URL('../../workers/analysis.worker.ts', import.meta.url), { type: 'module', name: 'analysis' }),
    private readonly timeoutMs = ANALYSIS_TIMEOUT_MS,
  ) {
    this.#handle = new WorkerHandle<AnalysisApi>(spawn, 60_000, { deadAfterMs: DEAD_AFTER_MS, label: 'analysis worker' });
  }

  profile(dataset: DatasetRef, signal?: AbortSignal): Promise<DatasetProfile> {
    return this.#call((w) => w.profile(dataset), signal);
  }

  validate(expectations: Expectation[], dataset: DatasetRef, signal?: AbortSignal): Promise<ValidationReport> {
    return this.#call((w) => w.validate(expectations, dataset), signal);
  }

  previewRecipe(dataset: DatasetRef, recipe: Recipe, options?: PreviewOptions, signal?: AbortSignal): Promise<RecipePreview> {
    return this.#call<RecipePreview>((w) => w.previewRecipe(dataset, recipe, options), signal);
  }

  /** The worker derives and stores the new version; only its record comes back. */
  applyRecipe(dataset: DatasetRef, recipe: Recipe, labels: NewVersionLabels, signal?: AbortSignal): Promise<ApplyRecipeOutcome> {
    return this.#call<ApplyRecipeOutcome>((w) => w.applyRecipe(dataset, recipe, labels), signal);
  }

  /** The data stage's leakage and class-balance tests on the version; `target` is the project's target column. */
  dataTests(dataset: DatasetRef, tests: DataTest[], target: string, signal?: AbortSignal): Promise<DataTestResult[]> {
    return this.#call<DataTestResult[]>((w) => w.dataTests(dataset, tests, target), signal);
  }

  /** Per-window signals of a served model's request log; the worker reads the log and the reference version itself. */
  monitorSignals(request: MonitorSignalsRequest, signal?: AbortSignal): Promise<MonitorSignals> {
    return this.#call<MonitorSignals>((w) => w.monitorSignals(request), signal);
  }

  /** One window's reference-vs-current histogram or category bars for a column (null: the prediction). */
  monitorDrill(request: MonitorDrillRequest, signal?: AbortSignal): Promise<WindowDrill> {
    return this.#call<WindowDrill>((w) => w.monitorDrill(request), signal);
  }

  /**
   * The computation is synchronous in the worker, so aborting ends the worker (and any other analysis call in flight
   * then); the call rejects with { kind: 'cancelled' }. A recipe's version is stored in one transaction, so an aborted
   * apply leaves it complete or absent.
   */
  #call<T>(call: (remote: Remote<AnalysisApi>) => Promise<T>, signal?: AbortSignal): Promise<T> {
    return this.#handle.run(call, { signal, timeoutMs: this.timeoutMs });
  }
}
