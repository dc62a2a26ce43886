import { proxy, transfer } from 'comlink';
import type {
  BuildOutcome,
  DatasetChoices,
  ParseEvent,
  ParseOutcome,
  ParserApi,
  Prediction,
  PredictorApi,
  ProbeEvent,
  ProbeResult,
  TrainedModel,
  TrainerApi,
  TrainEvent,
  TrainRequest,
  TrainResult,
} from '../core/worker-api';
import type { BackendName, Preprocessor, RawRow, Table } from '../core/types';
import type { FittedRecipe } from '../core/recipe/types';
import { WorkerHandle } from './worker-handle';

// Typed clients of the three workers. Long calls take an AbortSignal: aborting a training asks the
// worker to stop cleanly (the model so far is kept); `kill` discards the worker and its run.

// Generous bounds for calls that should take seconds: past them the worker is assumed hung.
const PROBE_TIMEOUT_MS = 120_000;
const BUILD_TIMEOUT_MS = 10 * 60_000;
const PREDICT_TIMEOUT_MS = 60_000;

function tableBuffers(table: Table): ArrayBuffer[] {
  return table.columns.map((c) => (c.kind === 'number' ? c.values.buffer : c.codes.buffer) as ArrayBuffer);
}

export class TrainerClient {
  readonly #handle = new WorkerHandle<TrainerApi>(
    () => new Worker(new URL('../../workers/train.worker.ts', import.meta.url), { type: 'module', name: 'trainer' }),
    60_000,
  );

  probe(candidates: BackendName[], onEvent: (e: ProbeEvent) => void): Promise<ProbeResult> {
    return this.#handle.use((w) => w.probe(candidates, proxy(onEvent)), PROBE_TIMEOUT_MS);
  }

  /** The request's table buffers are transferred: the caller must not use them afterwards. */
  train(request: TrainRequest, onEvent: (e: TrainEvent) => void, signal: AbortSignal): Promise<TrainResult> {
    return this.#handle.use(async (w) => {
      const stop = () => void w.stop(request.runId);
      signal.addEventListener('abort', stop, { once: true });
      try {
        const buffers = [...tableBuffers(request.table), request.assignment.buffer as ArrayBuffer];
        return await w.train(transfer(request, buffers), proxy(onEvent));
      } finally {
        signal.removeEventListener('abort', stop);
      }
    });
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

  build(handle: string, choices: DatasetChoices): Promise<BuildOutcome> {
    return this.#handle.use<BuildOutcome>((w) => w.build(handle, choices), BUILD_TIMEOUT_MS);
  }

  release(handle: string): void {
    if (this.#handle.alive) void this.#handle.use((w) => w.release(handle));
  }
}

export class PredictorClient {
  readonly #handle = new WorkerHandle<PredictorApi>(
    () => new Worker(new URL('../../workers/predict.worker.ts', import.meta.url), { type: 'module', name: 'predictor' }),
    5 * 60_000,
  );
  #loaded = new Set<string>();
  #loadedIn = -1;

  async predict(
    key: string,
    load: () => Promise<{ model: TrainedModel; preprocessor: Preprocessor; recipes: FittedRecipe[] }>,
    rows: RawRow[],
  ): Promise<{ predictions: Prediction[]; latencyMs: number }> {
    return this.#handle.use(async (w) => {
      // The worker may have been ended while idle; its models went with it.
      if (this.#loadedIn !== this.#handle.generation) {
        this.#loaded.clear();
        this.#loadedIn = this.#handle.generation;
      }
      if (!this.#loaded.has(key)) {
        const { model, preprocessor, recipes } = await load();
        await w.load(key, transfer(model, [model.weights]), preprocessor, recipes);
        this.#loaded.add(key);
      }
      // Latency is the model answering, not the one-off loading of it into the worker.
      const started = performance.now();
      const predictions = await w.predict(key, rows);
      return { predictions, latencyMs: performance.now() - started };
    }, PREDICT_TIMEOUT_MS);
  }

  forgetAll(): void {
    this.#loaded.clear();
    this.#handle.kill();
  }
}
