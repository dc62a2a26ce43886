// The predictor worker's contract (workers/predict.worker.ts): serving single rows and predicting or evaluating a
// version's split. A table job that is cancelled rejects with a Failure of kind 'cancelled' (./outcomes.ts). Types only.

import type { BackendName, Environment, InputWarning, Preprocessor, RawRow, ReadFormat } from '../shared/types';
import type { FittedRecipe } from '../recipe/types';
import type { EvalSplit, EvaluationResult, Skipped } from '../evaluate/types';
import type { DatasetRef } from './dataset';
import type { ProgressEvent } from './events';
import type { TrainedModel } from './model';
import type { BehaviourResult, BehaviourTest } from '../deliver/gates/behaviour-types';


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
