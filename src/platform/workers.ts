import { proxy, transfer, type Remote } from 'comlink';
import type { DatasetRef } from '../core/contracts/dataset';
import type { ImageStoreLabels, ImageImportApi, ImageImportEvent, ImageImportOutcome, ImageImportRequest } from '../core/contracts/images';
import type { ColumnGuess, DatasetChoices, ParseEvent, ParseOutcome, ParserApi, StoreOutcome, StoreRequest } from '../core/contracts/parse';
import type { Prediction, PredictorApi, TableEvent, TableRequest } from '../core/contracts/predict';
import type { TrainedModel } from '../core/contracts/model';
import type { InputSummary, ProbeEvent, ProbeResult, TrainerApi, TrainEvent, TrainRequest, TrainResult } from '../core/contracts/train';
import type { BackendName, Preprocessor, RawRow, ReadFormat, SplitSpec, Task } from '../core/shared/types';
import type { FittedRecipe } from '../core/recipe/types';
import type { ModelFamily } from '../core/train/spec/types';
import type { EvaluationResult } from '../core/evaluate/types';
import { DEAD_AFTER_MS, WorkerHandle } from './worker-handle';

// Typed clients of the three workers. Long calls take an AbortSignal: aborting a training asks the
// worker to stop cleanly (the model so far is kept); `kill` discards the worker and its run.

// Generous bounds for calls that should take seconds: past them the worker is assumed hung.
const PROBE_TIMEOUT_MS = 120_000;
const BUILD_TIMEOUT_MS = 10 * 60_000;
const PREDICT_TIMEOUT_MS = 60_000;
const EVALUATE_TIMEOUT_MS = 10 * 60_000;

export class TrainerClient {
  readonly #handle = new WorkerHandle<TrainerApi>(
    () => new Worker(new URL('../../workers/train.worker.ts', import.meta.url), { type: 'module', name: 'trainer' }),
    60_000,
    { deadAfterMs: DEAD_AFTER_MS, label: 'training worker' },
  );

  probe(family: ModelFamily, candidates: BackendName[], onEvent: (e: ProbeEvent) => void): Promise<ProbeResult> {
    return this.#handle.use((w) => w.probe(family, candidates, proxy(onEvent)), PROBE_TIMEOUT_MS);
  }

  /** The worker of each run being trained, for pause and kill. */
  readonly #training = new Map<string, Remote<TrainerApi>>();

  /**
   * The worker reads the request's version itself; the resume checkpoint's buffers are transferred, so the caller
   * must not use them afterwards.
   */
  train(request: TrainRequest, onEvent: (e: TrainEvent) => void, signal: AbortSignal): Promise<TrainResult> {
    let remote: Remote<TrainerApi> | null = null;
    let stop = (): void => {};
    // Cleaned up when the call settles, not when the worker answers: a worker that died never answers.
    const cleanUp = (): void => {
      if (this.#training.get(request.runId) === remote) this.#training.delete(request.runId);
      signal.removeEventListener('abort', stop);
    };
    return this.#handle
      .use((w) => {
        remote = w;
        stop = () => void w.stop(request.runId);
        signal.addEventListener('abort', stop, { once: true });
        this.#training.set(request.runId, w);
        const resume = request.resume;
        const checkpointBuffers = resume ? [resume.weights.data, resume.optimizer.data, ...(resume.best ? [resume.best.data] : [])] : [];
        const training = w.train(transfer(request, checkpointBuffers), proxy(onEvent));
        // Stopped before it began (a sweep cancelled while this run was being prepared): 'abort' will not fire again.
        if (signal.aborted) stop();
        return training;
      })
      .finally(cleanUp);
  }

  /** What the version gives a model (from the preprocessor the worker fits, and keeps for the version's runs). */
  describeInput(dataset: DatasetRef, task: Task): Promise<InputSummary> {
    return this.#handle.use((w) => w.describeInput(dataset, task), BUILD_TIMEOUT_MS);
  }

  /** Holds or releases a run between two batches. */
  pause(runId: string, paused: boolean): void {
    void this.#training.get(runId)?.pause(runId, paused);
  }

  /** Ends a run after the current batch without evaluating it; its train() rejects with { kind: 'killed' }. */
  killRun(runId: string): void {
    void this.#training.get(runId)?.kill(runId);
  }

  /** Ends the worker at once: whatever it was training is lost. */
  kill(): void {
    this.#handle.kill();
  }
}

export class ParserClient {
  readonly #handle = new WorkerHandle<ParserApi>(
    () => new Worker(new URL('../../workers/parse.worker.ts', import.meta.url), { type: 'module', name: 'parser' }),
    10 * 60_000,
    { deadAfterMs: DEAD_AFTER_MS, label: 'file reading worker' },
  );

  parseFile(file: Blob, fileName: string, onEvent: (e: ParseEvent) => void, signal: AbortSignal): Promise<ParseOutcome> {
    return this.#handle.use(async (w) => {
      const cancel = () => void w.cancel();
      signal.addEventListener('abort', cancel, { once: true });
      try {
        return await w.parseFile(file, fileName, proxy(onEvent));
      } finally {
        signal.removeEventListener('abort', cancel);
      }
    });
  }

  parseRecords(records: RawRow[], fileName: string, byteLength: number): Promise<ParseOutcome> {
    return this.#handle.use<ParseOutcome>((w) => w.parseRecords(records, fileName, byteLength));
  }

  /** The column guesses again, reading the file's numbers and dates in `format`. */
  guess(handle: string, format: ReadFormat): Promise<ColumnGuess[]> {
    return this.#handle.use<ColumnGuess[]>((w) => w.guess(handle, format), BUILD_TIMEOUT_MS);
  }

  /** Builds and stores the version in the worker (see workers/parse/store-version.ts); only its record comes back. */
  buildAndStore(handle: string, choices: DatasetChoices, request: StoreRequest): Promise<StoreOutcome> {
    return this.#handle.use<StoreOutcome>((w) => w.buildAndStore(handle, choices, request), BUILD_TIMEOUT_MS);
  }

  release(handle: string): void {
    if (this.#handle.alive) void this.#handle.use((w) => w.release(handle));
  }
}

export class ImageImportClient {
  readonly #handle = new WorkerHandle<ImageImportApi>(
    () => new Worker(new URL('../../workers/image-import.worker.ts', import.meta.url), { type: 'module', name: 'images' }),
    60_000,
    { deadAfterMs: DEAD_AFTER_MS, label: 'image import worker' },
  );

  /** Aborting asks the worker to stop after the current file; the call then resolves as cancelled. */
  importImages(request: ImageImportRequest, onEvent: (e: ImageImportEvent) => void, signal: AbortSignal): Promise<ImageImportOutcome> {
    return this.#handle.use(async (w) => {
      const cancel = () => void w.cancel();
      signal.addEventListener('abort', cancel, { once: true });
      try {
        return await w.importImages(request, proxy(onEvent));
      } finally {
        signal.removeEventListener('abort', cancel);
      }
    }, BUILD_TIMEOUT_MS);
  }

  drawShapesSample(split: SplitSpec, store: ImageStoreLabels): Promise<ImageImportOutcome> {
    return this.#handle.use<ImageImportOutcome>((w) => w.drawShapesSample(split, store), BUILD_TIMEOUT_MS);
  }
}

/** What the predictor needs to serve a run: its model, preprocessing, recipe chain and how raw rows are written. */
export interface LoadedRun {
  model: TrainedModel;
  preprocessor: Preprocessor;
  recipes: FittedRecipe[];
  format?: ReadFormat;
}

export class PredictorClient {
  readonly #handle = new WorkerHandle<PredictorApi>(
    () => new Worker(new URL('../../workers/predict.worker.ts', import.meta.url), { type: 'module', name: 'predictor' }),
    5 * 60_000,
    { deadAfterMs: DEAD_AFTER_MS, label: 'prediction worker' },
  );
  #loaded = new Set<string>();
  #loadedIn = -1;

  async predict(
    key: string,
    load: () => Promise<LoadedRun>,
    rows: RawRow[],
  ): Promise<{ predictions: Prediction[]; latencyMs: number }> {
    return this.#handle.use(async (w) => {
      await this.#ensureLoaded(w, key, load);
      // Latency is the model answering, not the one-off loading of it into the worker.
      const started = performance.now();
      const predictions = await w.predict(key, rows);
      return { predictions, latencyMs: performance.now() - started };
    }, PREDICT_TIMEOUT_MS);
  }

  /** Evaluates the model on a version's split; the worker reads the version. Aborting cancels the job between two batches. */
  evaluate(
    key: string,
    load: () => Promise<LoadedRun>,
    request: TableRequest,
    onEvent: (e: TableEvent) => void,
    signal: AbortSignal,
  ): Promise<EvaluationResult> {
    return this.#handle.use(async (w) => {
      await this.#ensureLoaded(w, key, load);
      const cancel = () => void w.cancel(request.jobId);
      signal.addEventListener('abort', cancel, { once: true });
      try {
        return await w.evaluate(key, request, proxy(onEvent));
      } finally {
        signal.removeEventListener('abort', cancel);
      }
    }, EVALUATE_TIMEOUT_MS);
  }

  async #ensureLoaded(
    w: Remote<PredictorApi>,
    key: string,
    load: () => Promise<LoadedRun>,
  ): Promise<void> {
    // The worker may have been ended while idle; its models went with it.
    if (this.#loadedIn !== this.#handle.generation) {
      this.#loaded.clear();
      this.#loadedIn = this.#handle.generation;
    }
    if (!this.#loaded.has(key)) {
      const { model, preprocessor, recipes, format } = await load();
      await w.load(key, transfer(model, [model.weights]), preprocessor, recipes, format);
      this.#loaded.add(key);
    }
  }

  forgetAll(): void {
    this.#loaded.clear();
    this.#handle.kill();
  }
}
