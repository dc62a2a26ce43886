// In-page serving: loads trained models and answers raw rows with the same transform the export bundle ships.

import * as tf from '@tensorflow/tfjs';
import { encodeRow } from '../../src/core/serving/transform.js';
import { applyRecipeToRow } from '../../src/core/serving/recipe.js';
import { createChecker, predictionOf } from '../../src/core/serving/check.js';
import type { FittedRecipe } from '../../src/core/recipe/types';
import type { BackendName, InputWarning, Preprocessor, RawRow, ReadFormat, Table } from '../../src/core/shared/types';
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
} from '../../src/core/contracts/predict';
import type { BehaviourResult } from '../../src/core/deliver/gates/behaviour-types';
import type { TrainedModel } from '../../src/core/contracts/model';
import { evaluatePredictions } from '../../src/core/evaluate/evaluate';
import { BackendUnavailableError } from '../backend/backends';
import { useTunedBackend } from '../train/kernels/tuned-backend';
import { predictTable } from './predict-table';
import { behaviourRows, runBehaviour } from './behaviour';

const DEFAULT_LATENCY_ROWS = 50;
import { DatasetService, openByName, type OpenDatabase } from '../dataset/dataset-service';
import { LogStore } from './log-store';
import { replayTraffic, type Scorer } from './replay';
import { scoreFile } from './score-file';
import { ServeLog } from './serve-log';
import { readEnvironment } from '../shared/environment';

const PREDICT_BATCH = 4096;

interface Loaded {
  model: tf.LayersModel;
  pre: Preprocessor;
  recipes: FittedRecipe[];
  format: ReadFormat | undefined;
  check: (row: RawRow) => InputWarning[];
}

/** A raw row through the recipe chain, oldest recipe first: the row the preprocessor was fitted on. */
export function throughRecipes(recipes: readonly FittedRecipe[], row: RawRow, format?: ReadFormat): RawRow {
  let out = row;
  for (const recipe of recipes) out = applyRecipeToRow(recipe, out, format);
  return out;
}

/**
 * Sorts backends in order of preference: the first that starts is used for every model this predictor loads.
 * `datasets` reads the versions evaluations run on, `openLog` the databases whose request log served traffic is
 * written to (tests hand in both over fake-indexeddb).
 */
export function createPredictor(preferred: BackendName[] = ['cpu'], datasets = new DatasetService(), openLog: OpenDatabase = openByName): PredictorApi {
  const loaded = new Map<string, Loaded>();
  const log = new LogStore(openLog);
  const serveLog = new ServeLog(log);
  let backend: BackendName | null = null;

  async function ensureBackend(): Promise<BackendName> {
    if (backend) return backend;
    const reasons: string[] = [];
    for (const name of preferred) {
      try {
        backend = await useTunedBackend(name);
        return backend;
      } catch (e) {
        reasons.push(e instanceof Error ? e.message : String(e));
      }
    }
    throw new BackendUnavailableError(preferred[preferred.length - 1] ?? 'cpu', reasons.join('; ') || 'no backend was offered');
  }

  /** Jobs asked to stop; predictTable checks between batches. */
  const cancelledJobs = new Set<string>();

  async function tablePredictions(
    key: string,
    request: TableRequest,
    onEvent: (e: TableEvent) => void,
  ): Promise<{ predictions: TablePredictions; table: Table }> {
    if (!loaded.has(key)) throw new Error(`no model is loaded under "${key}"`);
    try {
      const { table, assignment } = await datasets.read(request.dataset);
      const entry = loaded.get(key);
      if (!entry) throw new Error(`the model under "${key}" was unloaded while its data was read`);
      const predictions = await predictTable({
        model: entry.model,
        pre: entry.pre,
        request,
        table,
        assignment,
        onProgress: (done, total) => onEvent({ type: 'progress', done, total }),
        cancelled: () => cancelledJobs.has(request.jobId),
      });
      return { predictions, table };
    } finally {
      cancelledJobs.delete(request.jobId);
    }
  }

  /** Raw rows through the model's recipe chain and preprocessor: the one serving path, for predict and behaviour. */
  async function predictRows(key: string, rows: RawRow[]): Promise<Prediction[]> {
    const entry = loaded.get(key);
    if (!entry) throw new Error(`no model is loaded under "${key}"`);
    const { model, pre, recipes, format, check } = entry;
    if (rows.length === 0) return [];
    const warnings = rows.map((row) => check(row));
    const width = pre.inputSize;
    const x = new Float32Array(rows.length * width);
    rows.forEach((row, i) => x.set(encodeRow(pre, throughRecipes(recipes, row, format), format), i * width));
    const out = tf.tidy(() => model.predict(tf.tensor2d(x, [rows.length, width]), { batchSize: PREDICT_BATCH }) as tf.Tensor);
    const values = await out.data();
    out.dispose();
    const outputs = out.shape[1] ?? 1;
    return rows.map((_, i) => predictionOf(pre, values.subarray(i * outputs, (i + 1) * outputs), warnings[i]));
  }

  const scorer: Scorer = {
    predict: predictRows,
    answers(key) {
      const entry = loaded.get(key);
      if (!entry) throw new Error(`no model is loaded under "${key}"`);
      return { task: entry.pre.task, classes: entry.pre.task === 'classification' ? entry.pre.labels : [] };
    },
  };

  /** Runs a job that `cancel(jobId)` can stop, forgetting the cancel when it ends. */
  async function cancellable<T>(jobId: string, job: (cancelled: () => boolean) => Promise<T>): Promise<T> {
    try {
      return await job(() => cancelledJobs.has(jobId));
    } finally {
      cancelledJobs.delete(jobId);
    }
  }

  function release(key: string): void {
    loaded.get(key)?.model.dispose();
    loaded.delete(key);
  }

  return {
    async load(
      key: string,
      trained: TrainedModel,
      preprocessor: Preprocessor,
      recipes: FittedRecipe[] = [],
      format?: ReadFormat,
    ): Promise<BackendName> {
      const name = await ensureBackend();
      const model = await tf.loadLayersModel(
        tf.io.fromMemory({
          modelTopology: trained.topology as object,
          weightSpecs: trained.weightSpecs,
          weightData: trained.weights,
        }),
      );
      release(key);
      loaded.set(key, { model, pre: preprocessor, recipes, format, check: createChecker(preprocessor, recipes, format) });
      return name;
    },

    predict(key: string, rows: RawRow[]): Promise<Prediction[]> {
      return predictRows(key, rows);
    },

    async predictTable(key: string, request: TableRequest, onEvent: (e: TableEvent) => void): Promise<TablePredictions> {
      return (await tablePredictions(key, request, onEvent)).predictions;
    },

    async evaluate(key: string, request: TableRequest, onEvent: (e: TableEvent) => void): Promise<TableEvaluation> {
      const { predictions, table } = await tablePredictions(key, request, onEvent);
      const pre = loaded.get(key)?.pre;
      if (!pre) throw new Error(`the model under "${key}" was unloaded during the evaluation`);
      const result = evaluatePredictions({ task: pre.task, labels: pre.labels, ...predictions }, table);
      return { result, environment: readEnvironment(await ensureBackend()) };
    },

    async behaviour(key: string, request: BehaviourRequest): Promise<BehaviourResult[]> {
      if (!loaded.has(key)) throw new Error(`no model is loaded under "${key}"`);
      return runBehaviour(await datasets.read(request.root), request, (rows) => predictRows(key, rows));
    },

    async latency(key: string, request: LatencyRequest): Promise<number[]> {
      if (!loaded.has(key)) throw new Error(`no model is loaded under "${key}"`);
      const rows = behaviourRows(await datasets.read(request.root), request.recipes, request.rows ?? DEFAULT_LATENCY_ROWS);
      const times: number[] = [];
      for (const row of rows) {
        const started = performance.now();
        await predictRows(key, [row]);
        times.push(performance.now() - started);
      }
      return times;
    },

    replay(key: string, request: TrafficReplay, onEvent: (e: ReplayEvent) => void): Promise<TrafficReplayResult> {
      return cancellable(request.jobId, (cancelled) => replayTraffic({ scorer, read: (ref) => datasets.read(ref), log, cancelled }, key, request, onEvent));
    },

    scoreFile(key: string, request: ScoreFileRequest): Promise<ScoreFileResult> {
      return cancellable(request.jobId, (cancelled) => scoreFile({ scorer, log, cancelled }, key, request));
    },

    serveOne(key: string, row: RawRow, meta: ServeMeta): Promise<ServedAnswer> {
      return serveLog.serveOne(scorer, key, row, meta);
    },

    flushLog(databaseName: string, projectId?: string): Promise<number> {
      return serveLog.flush(databaseName, projectId);
    },

    cancel(jobId: string): void {
      cancelledJobs.add(jobId);
    },

    unload(key: string): void {
      release(key);
    },
  };
}
