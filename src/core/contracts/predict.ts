// The predictor worker's contract (workers/predict.worker.ts): serving single rows, replaying and scoring traffic into
// the request log, and predicting or evaluating a version's split. A table job that is cancelled rejects with a
// Failure of kind 'cancelled' (./outcomes.ts). Types only.

import type { BackendName, Environment, InputWarning, Preprocessor, RawRow, ReadFormat, Task } from '../shared/types';
import type { FittedRecipe } from '../recipe/types';
import type { EvalSplit, EvaluationResult, Skipped } from '../evaluate/types';
import type { DatasetRef } from './dataset';
import type { ProgressEvent } from './events';
import type { TrainedModel } from './model';
import type { BehaviourResult, BehaviourTest } from '../deliver/gates/behaviour-types';
import type { RetentionRule } from '../monitor/log/retention';
import type { ScenarioId, StreamInput } from '../monitor/scenarios/types';


/**
 * One row's answer, with what was odd about its inputs. A model output that is NaN or infinite (e.g. from an input
 * beyond float32) is an error, never a class or a number.
 */
export type Prediction =
  | { ok: true; output: string | number; probabilities: number[] | null; warnings: InputWarning[] }
  | { ok: false; error: string; warnings: InputWarning[] };

export interface PredictorApi {
  /**
   * `recipes`: the run's recipe chain (Run.recipes), oldest first; predict replays each on every raw row before the
   * preprocessor, as the export bundle does. None when the run trained on an imported version.
   * `format`: how raw rows write numbers and dates (Run.format); DEFAULT_READ_FORMAT when absent.
   */
  load(key: string, model: TrainedModel, preprocessor: Preprocessor, recipes?: FittedRecipe[], format?: ReadFormat): Promise<BackendName>;
  /** Rows are raw: as imported, before any recipe of the chain. Each answer carries its row's input warnings. */
  predict(key: string, rows: RawRow[]): Promise<Prediction[]>;
  /**
   * Predicts every row of a dataset version's split, replaying `request.recipes` (not the chain given to `load`: the
   * rows may already be part way along it) with their filters, and returns per-row outputs. Cancel with `cancel`.
   */
  predictTable(key: string, request: TableRequest, onEvent: (e: TableEvent) => void): Promise<TablePredictions>;
  /** predictTable, then every figure of the evaluation (src/core/evaluate), computed in the worker. */
  evaluate(key: string, request: TableRequest, onEvent: (e: TableEvent) => void): Promise<TableEvaluation>;
  /**
   * The behaviour stage: CheckList tests of the loaded model on raw test rows of `request.root` (the import the run's
   * recipe chain starts from, read by the worker, as the export bundle's examples are), each test one batched predict.
   */
  behaviour(key: string, request: BehaviourRequest): Promise<BehaviourResult[]>;
  /**
   * Serving latency as one caller sees it: each of up to `request.rows` raw test rows (chosen as for behaviour tests)
   * predicted alone, timed in the worker from raw row to answer; the milliseconds of each, in order.
   */
  latency(key: string, request: LatencyRequest): Promise<number[]>;
  /**
   * Plays a version (or a built-in scenario over it) as traffic on a virtual clock: draws the requests (the core's
   * request stream), scores each batch of `request.batchSize` through the one serving path, and logs every request to
   * the project's columnar request log, chunk by chunk as they fill, then applies the retention rule. A batch is one
   * model call, so each request's logged latency is its batch's time divided by the batch's size. With `shadow`, a
   * second loaded model scores the same batches; its rows carry the same request ids with role 'shadow'. Progress
   * arrives at most about ten times a second. Cancel with `cancel(request.jobId)`: the replay stops between two
   * batches, logs what it scored and rejects with { kind: 'cancelled' }; chunks already stored stay (the log is
   * append-only).
   */
  replay(key: string, request: TrafficReplay, onEvent: (e: ReplayEvent) => void): Promise<TrafficReplayResult>;
  /**
   * Scores raw rows (a file the page read, at most 100,000 rows) in batches, logs each as served traffic (role
   * 'serving', at the wall-clock time of its batch) and returns the answers as CSV text ready to download. Cancel with
   * `cancel(request.jobId)` between batches.
   */
  scoreFile(key: string, request: ScoreFileRequest): Promise<ScoreFileResult>;
  /**
   * The one-row form's path: answers one raw row and logs it. Rows are gathered per project, model version and role
   * in the worker and stored a chunk at a time: when a chunk fills, after a second without requests, or on
   * `flushLog`. Call `flushLog` before reading the log, so the newest rows are in it.
   */
  serveOne(key: string, row: RawRow, meta: ServeMeta): Promise<ServedAnswer>;
  /** Stores the rows `serveOne` gathered for the project (every project when absent); resolves to their number. */
  flushLog(databaseName: string, projectId?: string): Promise<number>;
  /** Ends the job between two batches; its call rejects with { kind: 'cancelled' }. */
  cancel(jobId: string): void;
  unload(key: string): void;
}

export interface TableRequest {
  jobId: string;
  /** The version whose split is evaluated: the worker reads it itself. */
  dataset: DatasetRef;
  split: EvalSplit;
  /** Recipes to replay on each row before the preprocessor, oldest first (see planEvaluation). */
  recipes: FittedRecipe[];
}

export type TableEvent = ProgressEvent;

export interface LatencyRequest {
  root: DatasetRef;
  recipes: FittedRecipe[];
  /** Rows timed (default 50); the first few also warm the model up and are timed like the rest. */
  rows?: number;
}

export interface BehaviourRequest {
  /** The version whose raw test rows are perturbed: the root of the run's recipe chain (the run's own version when it has none). */
  root: DatasetRef;
  /** The run's recipe chain (Run.recipes): a root row a filter drops is not a test row of the model. */
  recipes: FittedRecipe[];
  tests: BehaviourTest[];
  /** Classification: the labels in the order of the model's probabilities; null for regression. */
  labels: string[] | null;
  /** Test rows read at most (default 200). */
  maxRows?: number;
}

/** An evaluation's figures, and where the model computed them (stored with the evaluation). */
export interface TableEvaluation {
  result: EvaluationResult;
  environment: Environment;
}

/** Per evaluated row (rows of the split that were not skipped), in table order. */
export interface TablePredictions {
  rows: Int32Array;
  /** Class index (classification) or value (regression). */
  truth: Float64Array;
  predicted: Float64Array;
  /** Classification: one probability per label per row. */
  probabilities: Float32Array | null;
  skipped: Skipped;
  rowsInSplit: number;
}

/** The model a log row names: its registry name and version, and the answers it gives. */
export interface ServedModel {
  name: string;
  /** The registry version (1, 2, ...). */
  version: number;
  task: Task;
  /** Classification: the model's classes in its probability order (Preprocessor.labels); regression: []. */
  classes: string[];
}

/** A second model, already loaded under `key`, that scores the same requests; its answers are logged, never returned. */
export interface ShadowModel {
  key: string;
  name: string;
  version: number;
}

/** How the version's rows become requests: the core's StreamInput without its rows, with a built-in scenario by id. */
export type ReplayStream = Omit<StreamInput, 'rows' | 'target' | 'scenario'> & {
  scenario?: ScenarioId;
  /**
   * Plays only the requests with `from <= seq < to` of the stream of `count` requests, with the times, rows and labels
   * they have in the whole stream, so one seeded stream can be played in segments (a feedback loop retrains between
   * them). Request ids are reserved for the segment alone: segments played in order get consecutive ids. Default: all.
   */
  range?: ReplayRange;
};

export interface ReplayRange {
  from: number;
  to: number;
}

export interface TrafficReplay {
  jobId: string;
  projectId: string;
  /** The database whose request log is written. */
  databaseName: string;
  model: ServedModel;
  /**
   * The rows replayed: every row of `root` (all splits) that each filter of the chain keeps, as imported (raw), so
   * requests look like what a client sends. `recipes`: the run's chain (Run.recipes), oldest first.
   */
  source: { root: DatasetRef; recipes: FittedRecipe[] };
  /** The target column: removed from each request's input and logged as its label. */
  target: string;
  stream: ReplayStream;
  shadow?: ShadowModel;
  /** Requests per model call (default 256). */
  batchSize?: number;
  /** Applied to the project's log when the replay ends (default DEFAULT_RETENTION: a million requests). */
  retention?: RetentionRule;
}

export interface ReplayEvent {
  type: 'progress';
  /** Requests scored of this call's `total` (the range's, when one is given). */
  done: number;
  total: number;
  /** The virtual time of the last request scored. */
  virtualAt: number;
}

export interface TrafficReplayResult {
  /** Requests served (serving rows logged) by this call, in its range; the shadow logs as many again. */
  requests: number;
  /** Chunks appended, serving and shadow. */
  chunks: number;
  /** Request ids of the replay: consecutive from firstId; null when it played no request. */
  firstId: number | null;
  lastId: number | null;
  /** Virtual times of the first and last request; null when it played none. */
  firstAt: number | null;
  lastAt: number | null;
  /** Labels not logged because the model cannot hold them: a class it does not know, or a regression value that is not a number. */
  labelsDropped: number;
  /** Wall-clock time of the replay in the worker, from reading the rows to the last chunk stored. */
  durationMs: number;
  /** requests / durationMs in requests per wall-clock second, logging included. */
  requestsPerSecond: number;
  /** What the retention rule dropped at the end. */
  retention: { droppedChunks: number; droppedRequests: number };
}

export interface ScoreFileRequest {
  jobId: string;
  projectId: string;
  databaseName: string;
  model: ServedModel;
  /** Raw rows as parsed from the file (at most 100,000); a target column, if present, is ignored by the model. */
  rows: RawRow[];
}

export interface ScoreFileResult {
  requests: number;
  /** Request ids of the rows, consecutive in row order; null for no rows. */
  firstId: number | null;
  lastId: number | null;
  /** Rows the model could not answer. */
  errors: number;
  /** Rows with at least one input warning. */
  warned: number;
  /**
   * One line per row in row order: request_id, the row's input columns, prediction, one probability column per class
   * (classification), error and warnings (their messages joined by "; "). RFC 4180 quoting with formula-safe text.
   */
  csv: string;
  durationMs: number;
}

export interface ServeMeta {
  projectId: string;
  databaseName: string;
  model: ServedModel;
  /** When the request arrived (default: now). */
  at?: number;
  shadow?: ShadowModel;
}

export interface ServedAnswer {
  prediction: Prediction;
  requestId: number;
  /** The model answering this row in the worker, from raw row to answer. */
  latencyMs: number;
}
