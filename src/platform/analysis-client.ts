// Typed client of the analysis worker. The table is sent as a structured-clone copy (not transferred):
// the page keeps using its own. The computation is synchronous inside the worker, so the only way to
// cancel it is to end the worker: aborting does that, and a fresh worker is spawned on the next call.

import type { Remote } from 'comlink';
import type { ColumnSchema, SplitSpec, Table } from '../core/shared/types';
import type { PreviewOptions, Recipe, RecipePreview } from '../core/recipe';
import type { DeriveOutcome } from '../core/data/derive-version';
import type { DatasetProfile } from '../core/data/profile';
import type { Expectation, ValidationReport } from '../core/data/expectations';
import type { AnalysisApi } from '../core/worker-api';
import { DEAD_AFTER_MS, WorkerHandle } from './worker-handle';

// Profiling a million rows takes seconds; past this the worker is assumed hung.
const ANALYSIS_TIMEOUT_MS = 5 * 60_000;

export class AnalysisAbortedError extends Error {
  constructor() {
    super('The analysis was cancelled.');
    this.name = 'AnalysisAbortedError';
  }
}

export class AnalysisClient {
  readonly #handle: WorkerHandle<AnalysisApi>;

  constructor(
    spawn: () => Worker = () =>
      new Worker(new URL('../../workers/analysis.worker.ts', import.meta.url), { type: 'module', name: 'analysis' }),
    private readonly timeoutMs = ANALYSIS_TIMEOUT_MS,
  ) {
    this.#handle = new WorkerHandle<AnalysisApi>(spawn, 60_000, { deadAfterMs: DEAD_AFTER_MS, label: 'analysis worker' });
  }

  profile(schema: ColumnSchema[], table: Table, signal?: AbortSignal): Promise<DatasetProfile> {
    return this.#call((w) => w.profile(schema, table), signal);
  }

  validate(expectations: Expectation[], schema: ColumnSchema[], table: Table, signal?: AbortSignal): Promise<ValidationReport> {
    return this.#call((w) => w.validate(expectations, schema, table), signal);
  }

  previewRecipe(
    recipe: Recipe,
    schema: ColumnSchema[],
    table: Table,
    assignment: Uint8Array,
    options?: PreviewOptions,
    signal?: AbortSignal,
  ): Promise<RecipePreview> {
    return this.#call<RecipePreview>((w) => w.previewRecipe(recipe, schema, table, assignment, options), signal);
  }

  applyRecipe(
    recipe: Recipe,
    schema: ColumnSchema[],
    split: SplitSpec,
    table: Table,
    assignment: Uint8Array,
    signal?: AbortSignal,
  ): Promise<DeriveOutcome> {
    return this.#call<DeriveOutcome>((w) => w.applyRecipe(recipe, schema, split, table, assignment), signal);
  }

  /** Aborting ends the worker, so it also ends any other analysis call in flight at that moment. */
  async #call<T>(call: (remote: Remote<AnalysisApi>) => Promise<T>, signal?: AbortSignal): Promise<T> {
    if (signal?.aborted) throw new AnalysisAbortedError();
    const abort = () => this.#handle.kill();
    signal?.addEventListener('abort', abort, { once: true });
    try {
      return await this.#handle.use(call, this.timeoutMs);
    } catch (e) {
      if (signal?.aborted) throw new AnalysisAbortedError();
      throw e;
    } finally {
      signal?.removeEventListener('abort', abort);
    }
  }
}
