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
  parseCsv(file: Blob, fileName: string, onEvent: (e: ParseEvent) => void): Promise<ParseOutcome>;
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
  load(key: string, model: TrainedModel, preprocessor: Preprocessor): Promise<BackendName>;
  predict(key: string, rows: RawRow[]): Promise<Prediction[]>;
  unload(key: string): void;
}
