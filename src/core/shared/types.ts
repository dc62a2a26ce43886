// The domain records Loopbench stores and passes between threads. Plain data only: every value
// here must survive structured clone and IndexedDB.

import type { FittedRecipe } from '../recipe/types';
import type { RunParams } from '../train/spec/types';

export type Task = 'classification' | 'regression';

export type ClassificationMetric = 'accuracy' | 'precision' | 'recall' | 'f1';
export type RegressionMetric = 'mae' | 'rmse' | 'r2';
export type GoalMetric = ClassificationMetric | RegressionMetric;

export interface Goal {
  metric: GoalMetric;
  /** The bar the metric must reach: at least this for higher-is-better metrics, at most for errors. */
  bar: number;
}

/** The built-in sample projects (data from vega-datasets, shipped with the app). */
export type SampleName = 'penguins' | 'cars' | 'seattle-weather' | 'shapes';

export interface Project {
  id: string;
  name: string;
  task: Task;
  /** Target column name; empty until the first dataset chooses one. */
  target: string;
  goal: Goal;
  createdAt: number;
  /** Marks the built-in sample so the app can recreate it without duplicating. */
  sample?: SampleName;
  /** Image projects: the size every image is resized to on import (the model's input shape). */
  image?: ImageShape;
  /** Counts the stored edits (absent before the first): a tab sees that what it loaded has since changed. */
  revision?: number;
}

/** Height x width x channels of every image in an image column (HWC, uint8). */
export interface ImageShape {
  width: number;
  height: number;
  channels: 1 | 3;
}

// ---------- Tables (columnar, in memory and in storage) ----------

export type ColumnType = 'number' | 'category' | 'date' | 'image';
export type ColumnRole = 'feature' | 'target' | 'ignore';

export interface ColumnSchema {
  name: string;
  type: ColumnType;
  role: ColumnRole;
}

/**
 * Numbers: NaN marks a missing value. Categories: dictionary-encoded, code -1 marks a missing value.
 * Dates: milliseconds since 1970-01-01 UTC (a date without a zone is read as UTC), NaN when missing.
 * Images: every row has one, row r is `pixels.subarray(r*w*h*c, (r+1)*w*h*c)` in HWC order.
 */
export type ColumnData =
  | { kind: 'number'; values: Float64Array }
  | { kind: 'category'; codes: Int32Array; dictionary: string[] }
  | { kind: 'date'; values: Float64Array }
  | ImageColumnData;

export interface ImageColumnData {
  kind: 'image';
  pixels: Uint8Array;
  width: number;
  height: number;
  channels: 1 | 3;
}

export interface Table {
  names: string[];
  columns: ColumnData[];
  rowCount: number;
}

export interface NumberSummary {
  kind: 'number';
  missing: number;
  unique: number;
  min: number;
  max: number;
  mean: number;
  std: number;
}

export interface CategorySummary {
  kind: 'category';
  missing: number;
  unique: number;
  /** Most frequent values first, at most ten. */
  top: { value: string; count: number }[];
}

export interface ImageSummary {
  kind: 'image';
  /** Images never go missing (every row has one); kept for the shape the other summaries share. */
  missing: 0;
  count: number;
  width: number;
  height: number;
  channels: 1 | 3;
  /** Mean pixel value (0-255) per channel over every image. */
  meanIntensity: number[];
}

export interface DateSummary {
  kind: 'date';
  missing: number;
  unique: number;
  /** Earliest and latest date (ms since 1970 UTC); NaN when every value is missing. */
  min: number;
  max: number;
  /** Rows per period over the range, the period chosen so there are at most a few dozen bars. */
  periods: { unit: 'day' | 'month' | 'year'; counts: { start: number; count: number }[] };
}

export type ColumnSummary = NumberSummary | CategorySummary | DateSummary | ImageSummary;

// ---------- How a file writes its values (chosen at import, replayed at serving) ----------

/** Decimal mark and thousands separator of a file's numbers: "1.234,5" is { decimal: ',', thousands: '.' }. */
export interface NumberFormat {
  decimal: '.' | ',';
  /** '' when numbers carry no thousands separator. ' ' also matches a no-break or narrow no-break space. */
  thousands: '' | ',' | '.' | ' ' | "'";
}

/** How raw text is read into values; the same rules apply at import, in recipes and at serving. */
export interface ReadFormat {
  number: NumberFormat;
  /** a/b/yyyy dates: true reads day/month (most of the world), false month/day (US). */
  dayFirst: boolean;
}

export const DEFAULT_READ_FORMAT: ReadFormat = Object.freeze({
  number: Object.freeze({ decimal: '.', thousands: '' }) as NumberFormat,
  dayFirst: false,
}) as ReadFormat;

export type SplitMethod = 'stratified' | 'random' | 'time';

export interface SplitSpec {
  method: SplitMethod;
  seed: number;
  /** Fractions for train, validation and test; they sum to 1. */
  fractions: [number, number, number];
  /** Time split: the date column; the earliest rows train, the latest test. */
  timeColumn?: string;
}

export interface SplitCounts {
  train: number;
  validation: number;
  test: number;
}

/** Partition code per row in the stored split assignment. */
export const SPLIT_TRAIN = 0;
export const SPLIT_VALIDATION = 1;
export const SPLIT_TEST = 2;
/** Rows without a target value take part in no partition. */
export const SPLIT_NONE = 255;

/** Where a version's rows came from; a derived version keeps its parent's (its cells came from there too). */
export type DatasetSource = FileSource | ProductionSource;

export interface FileSource {
  /** A file the user imported, or a sample that ships with the app. */
  kind: 'file' | 'sample';
  fileName: string;
  byteLength: number;
}

/**
 * Requests a served model answered, with the labels that arrived for them (closing the loop, issue 16). The rows are
 * raw inputs as logged, so such a version starts a raw-rows chain of its own although it has a parent (the version
 * the model trained on, so continuous training, which follows lineage, sees it as new data of that lineage).
 */
export interface ProductionSource {
  kind: 'production';
  /** "production traffic of <model> v<N>": what lists show where a file's name would be. */
  fileName: string;
  /** No file was read: 0. */
  byteLength: number;
  modelName: string;
  modelVersion: number;
  /** The earliest and the newest request time among the version's rows (the log's clock, ms). */
  from: number;
  to: number;
  /** Requests taken into the version, and how many of them had a label (the others have a missing target). */
  requests: number;
  labelled: number;
}

export interface DatasetVersion {
  /** SHA-256 (hex) of the canonical content: schema with roles, split spec and every cell. */
  id: string;
  projectId: string;
  name: string;
  createdAt: number;
  rowCount: number;
  schema: ColumnSchema[];
  summaries: ColumnSummary[];
  split: SplitSpec & { counts: SplitCounts };
  source: DatasetSource;
  /** Lineage: the versions this one was derived from (empty for an import). */
  parents: string[];
  /** The recipe, fitted on the parent's training split, that made this version from parents[0]. */
  recipe?: FittedRecipe | null;
  /** Labels the user gives a version (metadata like the name: not part of the content or its id). */
  tags?: string[];
  /** Rows per stored chunk of each column. */
  chunkRows: number;
  chunkCount: number;
  /**
   * How the imported file wrote numbers and dates; derived versions inherit their import's. Absent on versions
   * stored before it was recorded, which were all read with DEFAULT_READ_FORMAT.
   */
  format?: ReadFormat;
}

// ---------- Preprocessing fitted on the training split, replayed at serving time ----------

export interface NumericFeature {
  kind: 'number';
  name: string;
  /** Missing values are replaced by the training mean before scaling. */
  mean: number;
  std: number;
  /** The training values' range; serving flags inputs outside it. Absent on runs fitted before it was recorded. */
  min?: number;
  max?: number;
}

export interface CategoricalFeature {
  kind: 'category';
  name: string;
  /** One-hot over these values; an unseen or missing value encodes as all zeros. */
  categories: string[];
}

/**
 * A date column, fed to the model as one number: days since 1970-01-01 UTC (mean, std, min and max are in days),
 * standardised like a number. A raw row gives the date as text, read by serving/dates.js with ReadFormat.dayFirst.
 */
export interface DateFeature {
  kind: 'date';
  name: string;
  /** Missing dates are replaced by the training mean before scaling. */
  mean: number;
  std: number;
  min?: number;
  max?: number;
}

export type FeatureEncoding = NumericFeature | CategoricalFeature | DateFeature;

export interface Preprocessor {
  version: 1;
  task: Task;
  target: string;
  features: FeatureEncoding[];
  /** Classification: class labels in output order. */
  labels: string[];
  /** Regression: the target is standardised for training and restored on output. */
  targetMean: number;
  targetStd: number;
  inputSize: number;
  /**
   * Image models: the image column they read (pixels / 255, HWC) instead of `features`, which is then empty.
   * Absent for tabular models.
   */
  image?: { column: string; width: number; height: number; channels: 1 | 3 };
}

export type RawValue = string | number | null;
export type RawRow = Record<string, RawValue>;

// ---------- Training ----------

export type BackendName = 'webgpu' | 'webgl' | 'wasm' | 'cpu';
export const BACKENDS: readonly BackendName[] = ['webgpu', 'webgl', 'wasm', 'cpu'];

export type Activation = 'relu' | 'tanh' | 'sigmoid' | 'elu';
export type OptimizerName = 'adam' | 'sgd' | 'rmsprop';

/** A run's model spec and hyperparameters (see src/core/train/spec). Runs stored before specs are migrated on open. */
export type { RunParams } from '../train/spec/types';

export interface MetricPoint {
  key: string;
  value: number;
  step: number;
  timestamp: number;
}

export type RunStatus = 'running' | 'finished' | 'failed' | 'killed';

export interface ClassificationReport {
  task: 'classification';
  accuracy: number;
  /** Macro averages over classes. */
  precision: number;
  recall: number;
  f1: number;
  perClass: { label: string; precision: number; recall: number; f1: number; support: number }[];
  labels: string[];
  /** confusion[actual][predicted] */
  confusion: number[][];
  count: number;
}

export interface RegressionReport {
  task: 'regression';
  mae: number;
  rmse: number;
  r2: number;
  count: number;
}

export type EvaluationReport = ClassificationReport | RegressionReport;

export interface WeightManifest {
  /** tfjs `modelTopology` JSON. */
  topology: unknown;
  weightSpecs: { name: string; shape: number[]; dtype: 'float32' | 'int32' | 'bool' }[];
  byteLength: number;
  sha256: string;
  chunkCount: number;
}

/**
 * Where a run trained, as the trainer worker saw it: what a figure can depend on beyond the data, the settings and
 * the seed. Runs recorded before it existed have none.
 */
export interface Environment {
  /** The browser and its platform, e.g. "Chromium 140 on Linux"; the user agent string when the browser gives no more. */
  browser: string;
  backend: BackendName;
  /** The WebGPU adapter or the WebGL renderer; null on the CPU-side backends or when the browser does not say. */
  device: string | null;
  tfjs: string;
  /** Logical cores (navigator.hardwareConcurrency); null when unknown. */
  cores: number | null;
}

export interface Run {
  id: string;
  projectId: string;
  datasetId: string;
  name: string;
  status: RunStatus;
  params: RunParams;
  backend: BackendName;
  /** Library versions the run was trained with, for reproduction. */
  versions: Record<string, string>;
  startedAt: number;
  endedAt: number | null;
  history: MetricPoint[];
  /** Final figures on the test split (flat, for the runs table). */
  metrics: Record<string, number>;
  evaluation: EvaluationReport | null;
  preprocessor: Preprocessor | null;
  model: WeightManifest | null;
  /** Why it stopped early, or what failed. */
  note: string;
  tags: Record<string, string>;
  /**
   * The recipes from the raw import to the run's dataset version, oldest first. Serving replays them
   * on every raw row before the preprocessor, so training and serving cannot skew.
   */
  recipes?: FittedRecipe[];
  /** How raw rows are read at serving time: the format of the import the run's data came from. */
  format?: ReadFormat;
  environment?: Environment;
  /** Set on a run made by importing an export bundle: it was trained elsewhere, and its data is not stored here. */
  origin?: RunOrigin;
}

/** Where an imported run came from: the bundle file and the lineage it carried (docs/delivering.md). */
export interface RunOrigin {
  kind: 'imported';
  /** The bundle's file name as picked. */
  file: string;
  importedAt: number;
  /** SHA-256 of the zip as imported: the same bundle is not imported twice into a project. */
  bundleSha256: string;
  lineage: {
    project: { id: string; name: string };
    dataset: { id: string; name: string };
    run: { id: string; name: string };
    model: { name: string; version: number };
    exportedAt: number;
  };
  /** MODEL_CARD.md as the bundle shipped it: the card the version shows until someone edits it. */
  card: string;
}

// ---------- Registry ----------

/**
 * One version of a registered model as the rest of the app sees it (serving, export, run deletion); the registry's
 * own records are RegistryModel in core/deliver/registry.
 */
export interface ModelVersion {
  /** `${name}@${version}` */
  id: string;
  name: string;
  version: number;
  runId: string;
  createdAt: number;
}

// ---------- Monitoring ----------

export interface PredictionRecord {
  id?: number;
  projectId: string;
  modelName: string;
  modelVersion: number;
  at: number;
  inputs: RawRow;
  /** null when the model gave no usable answer (see `error`). */
  output: string | number | null;
  /** Classification: probability per label, in the preprocessor's label order. */
  probabilities: number[] | null;
  latencyMs: number;
  /** Why there is no output: the model answered NaN or infinity, which is never shown as a class or a number. */
  error?: string;
  /** What was odd about the inputs (unseen categories, unreadable numbers, unknown columns...). */
  warnings?: InputWarning[];
}

/** One thing serving noticed about a raw input row. The prediction is still made unless it is an error. */
export interface InputWarning {
  kind:
    | 'unknown-column'
    | 'missing-column'
    | 'unseen-category'
    | 'unparseable-number'
    | 'unparseable-date'
    | 'out-of-range'
    | 'beyond-float32';
  /** The input column concerned. */
  column: string;
  /** The raw value as given ('' when the column is missing). */
  value: string;
  message: string;
}
