import { proxy, transfer, type Remote } from 'comlink';
import type { DatasetRef } from '../core/contracts/dataset';
import type { ImageStoreLabels, ImageImportApi, ImageImportEvent, ImageImportOutcome, ImageImportRequest } from '../core/contracts/images';
import type {
  ColumnGuess,
  DatasetChoices,
  ParseEvent,
  ParseOutcome,
  ParserApi,
  ProductionVersionOutcome,
  ProductionVersionRequest,
  StoreOutcome,
  StoreRequest,
  BackupEvent,
  BackupOutcome,
  BackupRequest,
  BackupSink,
  RestoreEvent,
  RestoreOutcome,
  RestoreRequest,
  VersionExportOutcome,
  VersionExportRequest,
} from '../core/contracts/parse';
import type {
  BehaviourRequest,
  LatencyRequest,
  Prediction,
  PredictorApi,
  ReplayEvent,
  ScoreFileRequest,
  ScoreFileResult,
  ServedAnswer,
  ServeMeta,
  TableEvaluation,
  TableEvent,
  TablePredictions,
  TableRequest,
  TrafficReplay,
  TrafficReplayResult,
} from '../core/contracts/predict';
import type { BehaviourResult } from '../core/deliver/gates/behaviour-types';
import type { TrainedModel } from '../core/contracts/model';
import type { Failure } from '../core/contracts/outcomes';
import type { InputSummary, ProbeEvent, ProbeResult, SmokeRequest, SmokeResult, TrainerApi, TrainEvent, TrainRequest, TrainResult } from '../core/contracts/train';
import type { BackendName, Preprocessor, RawRow, ReadFormat, SplitSpec, Task } from '../core/shared/types';
import type { FittedRecipe } from '../core/recipe/types';
import type { ModelFamily } from '../core/train/spec/types';
import { DEAD_AFTER_MS, WorkerHandle } from './worker-handle';

// Typed clients of the workers. Every call that can take more than a second takes an AbortSignal, through one
// pattern (WorkerHandle.run): the worker is asked to cancel where it can, and ended where it cannot; the call then
// rejects with the Failure { kind: 'cancelled' }. Training is the exception: aborting it asks the worker to stop
// cleanly and the model so far is kept (its result resolves); `killRun` discards a run.

// Generous bounds for calls that should take seconds: past them the worker is assumed hung.
const PROBE_TIMEOUT_MS = 120_000;
const BUILD_TIMEOUT_MS = 10 * 60_000;
const PREDICT_TIMEOUT_MS = 60_000;
const EVALUATE_TIMEOUT_MS = 10 * 60_000;
// A million replayed requests at a few thousand a second take minutes; an hour means the worker is stuck.
const REPLAY_TIMEOUT_MS = 60 * 60_000;
// A backup or restore of gigabytes takes minutes; an hour means the worker is stuck.
const WORKSPACE_TIMEOUT_MS = 60 * 60_000;

export class TrainerClient {
  readonly #handle: WorkerHandle<TrainerApi>;

  /** `spawn` is replaced in tests by a worker stand-in. */
  constructor(
    spawn: () => Worker = () => new Worker(new URL('../../workers/train.worker.ts', import.meta.url), { type: 'module', name: 'trainer' }),
  ) {
    this.#handle = new WorkerHandle<TrainerApi>(spawn, 60_000, { deadAfterMs: DEAD_AFTER_MS, label: 'training worker' });
  }

  /** Aborting ends the worker (a probe step cannot be interrupted), and with it any training on it. */
  probe(family: ModelFamily, candidates: BackendName[], onEvent: (e: ProbeEvent) => void, signal?: AbortSignal): Promise<ProbeResult> {
    return this.#handle.run((w) => w.probe(family, candidates, proxy(onEvent)), { signal, timeoutMs: PROBE_TIMEOUT_MS });
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

  /**
   * What the version gives a model (from the preprocessor the worker fits, and keeps for the version's runs).
   * Aborting ends the worker, and with it any training on it.
   */
  describeInput(dataset: DatasetRef, task: Task, signal?: AbortSignal): Promise<InputSummary> {
    return this.#handle.run((w) => w.describeInput(dataset, task), { signal, timeoutMs: BUILD_TIMEOUT_MS });
  }

  /**
   * The training stage's smoke test (the worker reads the version; nothing is stored). A handful of steps cannot be
   * interrupted, so aborting ends the worker, and with it any training on it.
   */
  smoke(request: SmokeRequest, signal?: AbortSignal): Promise<SmokeResult> {
    return this.#handle.run((w) => w.smoke(request), { signal, timeoutMs: BUILD_TIMEOUT_MS });
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
  readonly #handle: WorkerHandle<ParserApi>;

  /** `spawn` is replaced in tests by a worker stand-in. */
  constructor(
    spawn: () => Worker = () => new Worker(new URL('../../workers/parse.worker.ts', import.meta.url), { type: 'module', name: 'parser' }),
  ) {
    this.#handle = new WorkerHandle<ParserApi>(spawn, 10 * 60_000, { deadAfterMs: DEAD_AFTER_MS, label: 'file reading worker' });
  }

  /** Aborting asks the worker to stop between two chunks of the file. `pick`: a sheet or archive entry to read. */
  async parseFile(file: Blob, fileName: string, onEvent: (e: ParseEvent) => void, signal?: AbortSignal, pick?: string): Promise<ParseOutcome> {
    const outcome = await this.#handle.run<ParseOutcome>((w) => w.parseFile(file, fileName, proxy(onEvent), pick), { signal, cancel: (w) => w.cancel() });
    return settled(outcome, signal);
  }

  parseRecords(records: RawRow[], fileName: string, byteLength: number): Promise<ParseOutcome> {
    return this.#handle.use<ParseOutcome>((w) => w.parseRecords(records, fileName, byteLength));
  }

  /** The column guesses again, reading the file's numbers and dates in `format`. */
  guess(handle: string, format: ReadFormat, signal?: AbortSignal): Promise<ColumnGuess[]> {
    return this.#handle.run<ColumnGuess[]>((w) => w.guess(handle, format), { signal, timeoutMs: BUILD_TIMEOUT_MS });
  }

  /**
   * Builds and stores the version in the worker (see workers/parse/store-version.ts); only its record comes back.
   * Aborting ends the worker, and with it the parsed file: the version is stored in one transaction, so it is
   * complete or absent, and the file has to be read again.
   */
  buildAndStore(handle: string, choices: DatasetChoices, request: StoreRequest, signal?: AbortSignal): Promise<StoreOutcome> {
    return this.#handle.run<StoreOutcome>((w) => w.buildAndStore(handle, choices, request), { signal, timeoutMs: BUILD_TIMEOUT_MS });
  }

  /**
   * The worker reads the log's requests in range and stores the version they make; only its record comes back.
   * Aborting ends the worker (and a file it holds for an import); the version is stored in one transaction.
   */
  productionVersion(request: ProductionVersionRequest, signal?: AbortSignal): Promise<ProductionVersionOutcome> {
    return this.#handle.run<ProductionVersionOutcome>((w) => w.productionVersion(request), { signal, timeoutMs: BUILD_TIMEOUT_MS });
  }

  release(handle: string): void {
    if (this.#handle.alive) void this.#handle.use((w) => w.release(handle));
  }

  /**
   * Streams the workspace's backup zip into `onData` (see workers/backup/backup.ts). Aborting asks the worker to stop
   * between two entries; nothing is written anywhere but the sink.
   */
  async backup(request: BackupRequest, onData: BackupSink, onEvent: (e: BackupEvent) => void, signal?: AbortSignal): Promise<BackupOutcome> {
    const outcome = await this.#handle.run<BackupOutcome>((w) => w.backup(request, proxy(onData), proxy(onEvent)), {
      signal,
      cancel: (w) => w.cancelWorkspace(),
      timeoutMs: WORKSPACE_TIMEOUT_MS,
    });
    return settled(outcome, signal);
  }

  /** Checks the whole backup, then writes it in one transaction. Aborting stops it before it writes. */
  async restore(request: RestoreRequest, onEvent: (e: RestoreEvent) => void, signal?: AbortSignal): Promise<RestoreOutcome> {
    const outcome = await this.#handle.run<RestoreOutcome>((w) => w.restore(request, proxy(onEvent)), {
      signal,
      cancel: (w) => w.cancelWorkspace(),
      timeoutMs: WORKSPACE_TIMEOUT_MS,
    });
    return settled(outcome, signal);
  }

  /** The version as a CSV or Parquet file made in the worker. Aborting ends the worker. */
  exportVersion(request: VersionExportRequest, signal?: AbortSignal): Promise<VersionExportOutcome> {
    return this.#handle.run<VersionExportOutcome>((w) => w.exportVersion(request), { signal, timeoutMs: BUILD_TIMEOUT_MS });
  }
}

export class ImageImportClient {
  readonly #handle: WorkerHandle<ImageImportApi>;

  /** `spawn` is replaced in tests by a worker stand-in. */
  constructor(
    spawn: () => Worker = () => new Worker(new URL('../../workers/image-import.worker.ts', import.meta.url), { type: 'module', name: 'images' }),
  ) {
    this.#handle = new WorkerHandle<ImageImportApi>(spawn, 60_000, { deadAfterMs: DEAD_AFTER_MS, label: 'image import worker' });
  }

  /** Aborting asks the worker to stop after the current file; nothing is stored. */
  async importImages(request: ImageImportRequest, onEvent: (e: ImageImportEvent) => void, signal?: AbortSignal): Promise<ImageImportOutcome> {
    const outcome = await this.#handle.run<ImageImportOutcome>((w) => w.importImages(request, proxy(onEvent)), {
      signal,
      cancel: (w) => w.cancel(),
      timeoutMs: BUILD_TIMEOUT_MS,
    });
    return settled(outcome, signal);
  }

  /** Aborting ends the worker; the version is stored in one transaction, so it is complete or absent. */
  drawShapesSample(split: SplitSpec, store: ImageStoreLabels, signal?: AbortSignal): Promise<ImageImportOutcome> {
    return this.#handle.run<ImageImportOutcome>((w) => w.drawShapesSample(split, store), { signal, timeoutMs: BUILD_TIMEOUT_MS });
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
  readonly #handle: WorkerHandle<PredictorApi>;

  /** `spawn` is replaced in tests by a worker stand-in. */
  constructor(
    spawn: () => Worker = () => new Worker(new URL('../../workers/predict.worker.ts', import.meta.url), { type: 'module', name: 'predictor' }),
  ) {
    this.#handle = new WorkerHandle<PredictorApi>(spawn, 5 * 60_000, { deadAfterMs: DEAD_AFTER_MS, label: 'prediction worker' });
  }
  #loaded = new Set<string>();
  #loadedIn = -1;

  /** Aborting ends the worker (a prediction cannot be interrupted); its models are loaded again on the next call. */
  async predict(
    key: string,
    load: () => Promise<LoadedRun>,
    rows: RawRow[],
    signal?: AbortSignal,
  ): Promise<{ predictions: Prediction[]; latencyMs: number }> {
    return this.#handle.run(
      async (w) => {
        await this.#ensureLoaded(w, key, load);
        // Latency is the model answering, not the one-off loading of it into the worker.
        const started = performance.now();
        const predictions = await w.predict(key, rows);
        return { predictions, latencyMs: performance.now() - started };
      },
      { signal, timeoutMs: PREDICT_TIMEOUT_MS },
    );
  }

  /** The model's answer on every row of a version's split, as typed arrays (the monitor's reference predictions). */
  predictTable(key: string, load: () => Promise<LoadedRun>, request: TableRequest, signal?: AbortSignal): Promise<TablePredictions> {
    return this.#handle.run(
      async (w) => {
        await this.#ensureLoaded(w, key, load);
        return w.predictTable(key, request, proxy(() => {}));
      },
      { signal, cancel: (w) => w.cancel(request.jobId), timeoutMs: EVALUATE_TIMEOUT_MS },
    );
  }

  /** Evaluates the model on a version's split; the worker reads the version. Aborting cancels the job between two batches. */
  evaluate(
    key: string,
    load: () => Promise<LoadedRun>,
    request: TableRequest,
    onEvent: (e: TableEvent) => void,
    signal?: AbortSignal,
  ): Promise<TableEvaluation> {
    return this.#handle.run(
      async (w) => {
        await this.#ensureLoaded(w, key, load);
        return w.evaluate(key, request, proxy(onEvent));
      },
      // A cancel that arrives while the model loads is kept by the worker until the job starts.
      { signal, cancel: (w) => w.cancel(request.jobId), timeoutMs: EVALUATE_TIMEOUT_MS },
    );
  }

  /**
   * The behaviour stage's tests of the model on raw test rows of `request.root` (the worker reads them). Its few
   * predict calls cannot be interrupted, so aborting ends the worker; its models are loaded again on the next call.
   */
  behaviour(key: string, load: () => Promise<LoadedRun>, request: BehaviourRequest, signal?: AbortSignal): Promise<BehaviourResult[]> {
    return this.#handle.run(
      async (w) => {
        await this.#ensureLoaded(w, key, load);
        return w.behaviour(key, request);
      },
      { signal, timeoutMs: EVALUATE_TIMEOUT_MS },
    );
  }

  /** Per-row serving latency in the worker (PredictorApi.latency). */
  latency(key: string, load: () => Promise<LoadedRun>, request: LatencyRequest, signal?: AbortSignal): Promise<number[]> {
    return this.#handle.run(
      async (w) => {
        await this.#ensureLoaded(w, key, load);
        return w.latency(key, request);
      },
      { signal, timeoutMs: EVALUATE_TIMEOUT_MS },
    );
  }

  /**
   * Replays traffic through the model under `key` into the project's request log (PredictorApi.replay). With
   * `request.shadow`, `loadShadow` loads the shadow model under its key first. Aborting cancels the replay between two
   * batches; what it logged stays.
   */
  replay(
    key: string,
    load: () => Promise<LoadedRun>,
    request: TrafficReplay,
    onEvent: (e: ReplayEvent) => void,
    signal?: AbortSignal,
    loadShadow?: () => Promise<LoadedRun>,
  ): Promise<TrafficReplayResult> {
    return this.#handle.run(
      async (w) => {
        await this.#ensureAll(w, [{ key, load }, ...this.#shadowLoad(request.shadow?.key, loadShadow)]);
        return w.replay(key, request, proxy(onEvent));
      },
      // A cancel that arrives while the models load is kept by the worker until the job starts.
      { signal, cancel: (w) => w.cancel(request.jobId), timeoutMs: REPLAY_TIMEOUT_MS },
    );
  }

  /** Scores a file's rows in the worker and logs them; resolves to the answers as CSV (PredictorApi.scoreFile). Aborting cancels between batches. */
  scoreFile(key: string, load: () => Promise<LoadedRun>, request: ScoreFileRequest, signal?: AbortSignal): Promise<ScoreFileResult> {
    return this.#handle.run(
      async (w) => {
        await this.#ensureLoaded(w, key, load);
        return w.scoreFile(key, request);
      },
      { signal, cancel: (w) => w.cancel(request.jobId), timeoutMs: EVALUATE_TIMEOUT_MS },
    );
  }

  /**
   * The one-row form: answers `row` and logs it (PredictorApi.serveOne); with `meta.shadow`, `loadShadow` loads the
   * shadow model first. Not abortable: ending the worker would lose the requests gathered but not yet stored.
   */
  serveOne(key: string, load: () => Promise<LoadedRun>, row: RawRow, meta: ServeMeta, loadShadow?: () => Promise<LoadedRun>): Promise<ServedAnswer> {
    return this.#handle.use(async (w) => {
      await this.#ensureAll(w, [{ key, load }, ...this.#shadowLoad(meta.shadow?.key, loadShadow)]);
      return w.serveOne(key, row, meta);
    }, PREDICT_TIMEOUT_MS);
  }

  /**
   * Stores the requests the worker gathered from serveOne (of one project, or all of the database); call before
   * reading the log. A worker that is not running holds none.
   */
  async flushLog(databaseName: string, projectId?: string): Promise<number> {
    if (!this.#handle.alive) return 0;
    return this.#handle.use((w) => w.flushLog(databaseName, projectId), PREDICT_TIMEOUT_MS);
  }

  /** Frees a model loaded for one job (a parity check's bundle) instead of keeping it until the worker idles out. */
  async unload(key: string): Promise<void> {
    if (!this.#loaded.delete(key) || !this.#handle.alive) return;
    await this.#handle.use((w) => w.unload(key));
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

  #shadowLoad(key: string | undefined, load: (() => Promise<LoadedRun>) | undefined): { key: string; load: () => Promise<LoadedRun> }[] {
    if (key === undefined) return [];
    if (!load) throw new Error(`The shadow model "${key}" was asked for without a way to load it.`);
    return [{ key, load }];
  }

  /** Several models for one call (the served one and its shadow), each loaded once per worker. */
  async #ensureAll(w: Remote<PredictorApi>, models: readonly { key: string; load: () => Promise<LoadedRun> }[]): Promise<void> {
    for (const { key, load } of models) await this.#ensureLoaded(w, key, load);
  }

  forgetAll(): void {
    this.#loaded.clear();
    this.#handle.kill();
  }
}

/**
 * A cooperative cancel that the worker answers with a not-ok outcome (the parser, the image importer) becomes the
 * Failure { kind: 'cancelled' }, as every aborted call does.
 */
function settled<T extends { ok: boolean }>(outcome: T, signal: AbortSignal | undefined): T {
  if (signal?.aborted && !outcome.ok) throw { kind: 'cancelled' } satisfies Failure;
  return outcome;
}
