// Typed interfaces of the workers, shared by the worker entry points (which implement them) and the
// main thread (which calls them through comlink). Types only: importing this file pulls in no code.

import type {
  BackendName,
  ColumnRole,
  ColumnSchema,
  ColumnSummary,
  ColumnType,
  EvaluationReport,
  MetricPoint,
  MlpParams,
  Preprocessor,
  RawRow,
  SplitCounts,
  SplitSpec,
  Table,
  Task,
  WeightManifest,
} from './types';
import type { FittedRecipe } from './recipe/types';

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
}

export type ParseOutcome = { ok: true; file: ParsedFile } | { ok: false; message: string };

export interface DatasetChoices {
  name: string;
  task: Task;
  target: string;
  types: Record<string, ColumnType>;
  roles: Record<string, ColumnRole>;
  split: SplitSpec;
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

export interface ParserApi {
  /** Reads CSV/TSV (separator detected), JSON, JSON Lines or Parquet, chosen by content and name. */
  parseFile(file: Blob, fileName: string, onEvent: (e: ParseEvent) => void): Promise<ParseOutcome>;
  parseRecords(records: RawRow[], fileName: string, byteLength: number): Promise<ParseOutcome>;
  build(handle: string, choices: DatasetChoices): Promise<BuildOutcome>;
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
  family: 'mlp';
  best: BackendName;
  measurements: ProbeMeasurement[];
  measuredAt: number;
  durationMs: number;
}

export type ProbeEvent = { type: 'probing'; backend: BackendName };

export interface TrainRequest {
  runId: string;
  task: Task;
  params: MlpParams;
  backend: BackendName;
  schema: ColumnSchema[];
  table: Table;
  assignment: Uint8Array;
}

export type TrainEvent =
  | { type: 'backend'; backend: BackendName }
  | { type: 'prepared'; trainRows: number; validationRows: number; testRows: number; inputSize: number; parameterCount: number }
  | { type: 'epoch'; epoch: number; epochs: number; points: MetricPoint[] }
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
  stoppedEarly: boolean;
  preprocessor: Preprocessor;
  evaluation: EvaluationReport;
  model: TrainedModel;
  /** Predictions on the test split, in row order, for the export bundle's examples. */
  testPredictions: TestPrediction[];
  versions: Record<string, string>;
}

export interface TrainerApi {
  probe(candidates: BackendName[], onEvent: (e: ProbeEvent) => void): Promise<ProbeResult>;
  train(request: TrainRequest, onEvent: (e: TrainEvent) => void): Promise<TrainResult>;
  /** Ends the run after the current batch; the model trained so far is evaluated and returned. */
  stop(runId: string): void;
}

// ---------- Serving (workers/predict.worker.ts) ----------

export interface Prediction {
  output: string | number;
  probabilities: number[] | null;
}

export interface PredictorApi {
  /**
   * `recipes`: the run's recipe chain (Run.recipes), oldest first; predict replays each on every raw row before the
   * preprocessor, as the export bundle does. None when the run trained on an imported version.
   */
  load(key: string, model: TrainedModel, preprocessor: Preprocessor, recipes?: FittedRecipe[]): Promise<BackendName>;
  /** Rows are raw: as imported, before any recipe of the chain. */
  predict(key: string, rows: RawRow[]): Promise<Prediction[]>;
  unload(key: string): void;
}

// ---------- Profiling and validation (workers/analysis.worker.ts) ----------

import type { DatasetProfile } from './profile';
import type { Expectation, ValidationReport } from './validation';
import type { PreviewOptions, Recipe, RecipePreview } from './recipe';
import type { DeriveOutcome } from './derive-version';

export interface AnalysisApi {
  /** Profiles every column; `table` columns match `schema` by position. */
  profile(schema: ColumnSchema[], table: Table): Promise<DatasetProfile>;
  /** Checks the table against the enabled expectations. */
  validate(expectations: Expectation[], schema: ColumnSchema[], table: Table): Promise<ValidationReport>;
  /** Fits the recipe on the training rows and shows what it does, without making a version. */
  previewRecipe(recipe: Recipe, schema: ColumnSchema[], table: Table, assignment: Uint8Array, options?: PreviewOptions): Promise<RecipePreview>;
  /**
   * Fits the recipe on the source version's training rows and makes the derived dataset: transformed table, the
   * inherited assignment, summaries, split counts and its content-addressed id (see src/core/derive-version.ts).
   */
  applyRecipe(recipe: Recipe, schema: ColumnSchema[], split: SplitSpec, table: Table, assignment: Uint8Array): Promise<DeriveOutcome>;
}
