// Typed interfaces of the workers, shared by the worker entry points (which implement them) and the
// main thread (which calls them through comlink). Types only: importing this file pulls in no code.

import type {
  BackendName,
  ColumnRole,
  ColumnSchema,
  ColumnSummary,
  ColumnType,
  DatasetSource,
  DatasetVersion,
  Environment,
  EvaluationReport,
  GoalMetric,
  InputWarning,
  MetricPoint,
  Preprocessor,
  RawRow,
  ReadFormat,
  NumberFormat,
  SplitCounts,
  SplitSpec,
  Table,
  Task,
  WeightManifest,
} from './shared/types';
import type { FittedRecipe } from './recipe/types';
import type { ModelFamily, ModelInput, RunParams } from './train/spec/types';
import type { EvalSplit, EvaluationResult, Skipped } from './evaluate/types';
import type { EarlyStoppingState } from './train/spec/early-stopping';

// ---------- The data plane: workers read and write versions by id (workers/dataset/) ----------

/**
 * A stored dataset version as the page names it to a worker: the worker opens the database and reads the version
 * itself, so its table never crosses to the page.
 */
export interface DatasetRef {
  databaseName: string;
  versionId: string;
}

/** The labels a worker stores a new version under (the rest of its record comes from the content). */
export interface NewVersionLabels {
  databaseName: string;
  projectId: string;
  name: string;
  createdAt: number;
}

// ---------- Parsing and building datasets (workers/parse.worker.ts) ----------

export interface CellProblem {
  column: string;
  /** 1-based line in the source file (the header is line 1); 0 when not tied to a line. */
  line: number;
  value: string;
  message: string;
}

export interface ColumnGuess {
  name: string;
  type: ColumnType;
  missing: number;
  unique: number;
  /** Cells that do not fit the guessed type, first few only. */
  problems: CellProblem[];
  /**
   * How the column's number-like cells are written, when it has any: the format they fit, whether the
   * cells alone cannot tell (`1,234` could be either), and cells written in another format (with lines).
   */
  numbers?: { format: NumberFormat; ambiguous: boolean; mixed: CellProblem[] };
  /** Date columns: how a/b/yyyy values were read, and why (or that nothing in the column tells). */
  dates?: { dayFirst: boolean; ambiguous: boolean; note: string };
  /** The role Loopbench suggests, with the reason shown to the user (identifiers, constants...). */
  suggestion?: { role: ColumnRole; reason: string };
  /** Things the user should know before training on the column (high cardinality, constant...). */
  notes?: string[];
}

export type ParseEvent =
  | { type: 'progress'; bytesRead: number; totalBytes: number; rows: number }
  | { type: 'warning'; message: string };

export interface ParsedFile {
  /** Handle of the parsed rows kept inside the worker for `build`. */
  handle: string;
  fileName: string;
  byteLength: number;
  header: string[];
  rowCount: number;
  guesses: ColumnGuess[];
  /** First rows as text, for the preview table. */
  preview: string[][];
  /** What the reader detected about the file, shown on the import preview. */
  detected: DetectedFormat;
}

export interface DetectedFormat {
  /** 'csv', 'tsv', 'json', 'jsonl' or 'parquet'. */
  kind: string;
  /** Text files: the separator ',', '\t', ';' or '|'; null for records. */
  separator: string | null;
  /** Text files: 'UTF-8', 'UTF-8 with BOM', 'UTF-16LE', 'UTF-16BE' or 'Windows-1252'; null for binary formats. */
  encoding: string | null;
  /** The number and date format that fits the file's cells best; the import starts with it. */
  format: ReadFormat;
}

export type ParseOutcome = { ok: true; file: ParsedFile } | { ok: false; message: string };

export interface DatasetChoices {
  name: string;
  task: Task;
  target: string;
  types: Record<string, ColumnType>;
  roles: Record<string, ColumnRole>;
  split: SplitSpec;
  /** How to read the file's numbers and dates; DEFAULT_READ_FORMAT when absent. */
  format?: ReadFormat;
}

export interface BuiltDataset {
  id: string;
  schema: ColumnSchema[];
  summaries: ColumnSummary[];
  table: Table;
  /** One partition code per row (SPLIT_TRAIN, SPLIT_VALIDATION, SPLIT_TEST or SPLIT_NONE). */
  assignment: Uint8Array;
  counts: SplitCounts;
}

export type BuildOutcome = { ok: true; dataset: BuiltDataset } | { ok: false; problems: CellProblem[] };

/**
 * What the parse worker needs to store a built version itself (the import's one writer): the
 * database to write and the version's labels. Storing there keeps the copy of every cell into
 * IndexedDB off the page's thread.
 */
export interface StoreRequest {
  databaseName: string;
  projectId: string;
  name: string;
  source: DatasetSource;
  createdAt: number;
}

export type StoreOutcome =
  | { ok: true; version: DatasetVersion; stored: 'created' | 'exists' }
  | { ok: false; problems: CellProblem[] };

export interface ParserApi {
  /** Reads CSV/TSV (separator detected), JSON, JSON Lines or Parquet, chosen by content and name. */
  parseFile(file: Blob, fileName: string, onEvent: (e: ParseEvent) => void): Promise<ParseOutcome>;
  parseRecords(records: RawRow[], fileName: string, byteLength: number): Promise<ParseOutcome>;
  /** The column guesses again, reading numbers and dates in `format` (the user chose the file's format). */
  guess(handle: string, format: ReadFormat): Promise<ColumnGuess[]>;
  /** The built dataset itself, for tests of the worker; the page never calls it (it gets records, not tables). */
  build(handle: string, choices: DatasetChoices): Promise<BuildOutcome>;
  /** build, then stores the version in IndexedDB from the worker; only its record comes back. */
  buildAndStore(handle: string, choices: DatasetChoices, request: StoreRequest): Promise<StoreOutcome>;
  cancel(): void;
  release(handle: string): void;
}

// ---------- Training (workers/train.worker.ts) ----------

export interface ProbeMeasurement {
  backend: BackendName;
  ok: boolean;
  msPerStep: number | null;
  error: string | null;
}

export interface ProbeResult {
  /** The family whose model was timed: a CNN step and an MLP step rank the backends differently. */
  family: ModelFamily;
  best: BackendName;
  measurements: ProbeMeasurement[];
  measuredAt: number;
  durationMs: number;
}

export type ProbeEvent = { type: 'probing'; backend: BackendName };

export interface TrainRequest {
  runId: string;
  task: Task;
  /** The model spec and hyperparameters, as the run records them; checked once, where the worker receives them. */
  params: RunParams;
  /**
   * The project's goal metric: measured on the validation split every epoch when early stopping watches it
   * (accuracy or R² when not given).
   */
  goal?: GoalMetric;
  backend: BackendName;
  /** The version to train on: the worker reads it (and fits the preprocessor on its training rows) itself. */
  dataset: DatasetRef;
  /** Continues from this checkpoint (same params, dataset and backend) instead of starting afresh. */
  resume?: TrainCheckpoint;
}

/**
 * What a version gives a model, from the preprocessor the trainer fits on its training rows: shown on the Train
 * screen (layer view, parameter count) before any run.
 */
export interface InputSummary {
  input: ModelInput;
  outputs: number;
  /** The encoded features in input order: a column and how many inputs it becomes (one-hot categories: one per value). */
  features: { name: string; kind: 'number' | 'category' | 'date' | 'image'; width: number }[];
}

/** Named tensors as plain data: shapes and dtypes, and all their values in one buffer, in order. */
export interface TensorPack {
  specs: { name: string; shape: number[]; dtype: 'float32' | 'int32' }[];
  data: ArrayBuffer;
}

/**
 * Everything needed to continue a run after `epoch` epochs as if it had never stopped. The shuffle order of epoch e is
 * drawn from mulberry32(seed + e), so the epoch is the whole RNG state.
 */
export interface TrainCheckpoint {
  epoch: number;
  /** Every model weight (trainable or not), in model.getWeights() order. */
  weights: TensorPack;
  /** optimizer.getWeights(): its iteration count, then its slots (moments, accumulators), in order. */
  optimizer: TensorPack;
  earlyStopping: EarlyStoppingState;
  /** The weights of the best epoch so far, when early stopping keeps them. */
  best: TensorPack | null;
  history: MetricPoint[];
  createdAt: number;
}

export type TrainEvent =
  /** First, once the backend is set: the run's environment is known from here on. */
  | { type: 'backend'; backend: BackendName; environment: Environment }
  | { type: 'prepared'; trainRows: number; validationRows: number; testRows: number; inputSize: number; parameterCount: number }
  | { type: 'epoch'; epoch: number; epochs: number; points: MetricPoint[]; learningRate: number }
  /**
   * Mid-epoch, about once a second (never per batch): `epoch` is the 1-based epoch in progress, `batch` the batches
   * done of `batches`; `loss` and `metric` (accuracy or mae) are running means over those batches, the same means the
   * epoch's 'loss' and training-metric points report once all its batches are done.
   */
  | { type: 'progress'; epoch: number; batch: number; batches: number; loss: number; metric: number }
  /** Sent after every epoch's 'epoch' event; its buffers are transferred. */
  | { type: 'checkpoint'; checkpoint: TrainCheckpoint }
  | { type: 'paused'; paused: boolean }
  | { type: 'early-stop'; epoch: number; bestEpoch: number; restored: boolean }
  | { type: 'evaluating' };

export interface TrainedModel {
  topology: unknown;
  weightSpecs: WeightManifest['weightSpecs'];
  weights: ArrayBuffer;
}

export interface TestPrediction {
  row: number;
  output: string | number;
  probabilities: number[] | null;
}

export interface TrainResult {
  backend: BackendName;
  history: MetricPoint[];
  epochsCompleted: number;
  /** Stopped by the user (stop()). */
  stoppedEarly: boolean;
  /** With early stopping on: the epoch it stopped after (null: it trained every epoch), the best epoch, and whether the best weights were put back. */
  earlyStopping: { stoppedAt: number | null; bestEpoch: number; restored: boolean } | null;
  preprocessor: Preprocessor;
  evaluation: EvaluationReport;
  model: TrainedModel;
  /** Predictions on the test split, in row order, for the export bundle's examples. */
  testPredictions: TestPrediction[];
  versions: Record<string, string>;
}

export interface TrainerApi {
  probe(family: ModelFamily, candidates: BackendName[], onEvent: (e: ProbeEvent) => void): Promise<ProbeResult>;
  train(request: TrainRequest, onEvent: (e: TrainEvent) => void): Promise<TrainResult>;
  /** Fits the preprocessor on the version's training rows (kept for the version's runs) and summarises it. */
  describeInput(dataset: DatasetRef, task: Task): Promise<InputSummary>;
  /** Ends the run after the current batch; the model trained so far is evaluated and returned. */
  stop(runId: string): void;
  /** Holds the run between two batches (state kept on the device) until called again with false. */
  pause(runId: string, paused: boolean): void;
  /** Ends the run after the current batch without evaluating it; its train() call rejects with KILLED_MESSAGE. */
  kill(runId: string): void;
}

export const KILLED_MESSAGE = 'The run was killed.';
/**
 * The start of the message a training rejects with when its GPU device (WebGPU device or WebGL context) was lost; the
 * page then continues the run from its last checkpoint on another backend. Matched by text: comlink passes errors on
 * as name and message only.
 */
export const DEVICE_LOST_MESSAGE = 'The GPU device was lost';

// ---------- Serving (workers/predict.worker.ts) ----------

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
  evaluate(key: string, request: TableRequest, onEvent: (e: TableEvent) => void): Promise<EvaluationResult>;
  /** Ends the job between two batches; its call rejects with a message saying it was cancelled. */
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

export type TableEvent = { type: 'progress'; done: number; total: number };

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

// ---------- Profiling and validation (workers/analysis.worker.ts) ----------

import type { DatasetProfile } from './data/profile';
import type { Expectation, ValidationReport } from './data/expectations';
import type { PreviewOptions, Recipe, RecipePreview, RecipeProblem } from './recipe';

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
}

// ---------- Importing images (workers/image-import.worker.ts) ----------

import type { ImageShape } from './shared/types';

/** Images to import: files already labelled (a folder per class, or files the user labelled), or a zip with a folder per class. */
export type ImageInput =
  | { kind: 'files'; files: { file: Blob; path: string; label: string }[] }
  | { kind: 'zip'; file: Blob; name: string };

export interface ImageImportRequest {
  inputs: ImageInput[];
  /** Every image is resized (stretched) to this size and stored as uint8 RGB or grey. */
  shape: ImageShape;
  split: SplitSpec;
  /** Where the worker stores the new version, and its labels. */
  store: ImageStoreLabels;
}

export interface ImageStoreLabels extends NewVersionLabels {
  source: DatasetSource;
}

/** A file that was not imported, and why; the import goes on without it. */
export interface SkippedImage {
  file: string;
  reason: string;
}

export type ImageImportEvent = { type: 'progress'; done: number; total: number; imported: number; skipped: number };

/**
 * ok: the stored version's record (the worker stores it only once every file is read, so a failed or cancelled
 * import stores nothing) and the files skipped on the way. Not ok: nothing usable, or the input was refused as a
 * whole (a zip bomb, an unsafe path, too many files), with the files skipped before that.
 */
export type ImageImportOutcome =
  | { ok: true; version: DatasetVersion; stored: 'created' | 'exists'; imported: number; skipped: SkippedImage[] }
  | { ok: false; message: string; cancelled: boolean; skipped: SkippedImage[] };

export interface ImageImportApi {
  importImages(request: ImageImportRequest, onEvent: (e: ImageImportEvent) => void): Promise<ImageImportOutcome>;
  /** The built-in shapes sample, drawn in the worker (pure and seeded: the same pixels everywhere). */
  drawShapesSample(split: SplitSpec, store: ImageStoreLabels): Promise<ImageImportOutcome>;
  /** Stops the import in progress after the current file; it resolves as cancelled. */
  cancel(): void;
}
