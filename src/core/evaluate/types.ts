// Shapes of an evaluation: the figures computed from a model's per-row outputs on a dataset version's split, and the
// record stored for a run. Plain data only (numbers, strings, arrays): it is posted from the predictor worker and
// written to IndexedDB as it is. Undefined figures (e.g. ROC AUC with one class present) are NaN.

import type { Environment, RawRow } from '../shared/types';

/** Which rows of a dataset version are evaluated: one partition of its split, or every row. */
export type EvalSplit = 'test' | 'validation' | 'train' | 'all';
export const EVAL_SPLITS: readonly EvalSplit[] = ['test', 'validation', 'train', 'all'];

export interface Averages {
  precision: number;
  recall: number;
  f1: number;
}

export interface ClassFigures {
  label: string;
  precision: number;
  recall: number;
  f1: number;
  /** Rows whose true class this is. */
  support: number;
  /** Rows predicted as this class. */
  predicted: number;
}

export interface ClassificationFigures {
  task: 'classification';
  count: number;
  accuracy: number;
  /** Mean recall over the classes present in the truth (scikit-learn's balanced_accuracy_score). */
  balancedAccuracy: number;
  /** Unweighted mean over the classes present in the truth or the predictions. */
  macro: Averages;
  /** Mean weighted by support. */
  weighted: Averages;
  perClass: ClassFigures[];
  labels: string[];
  /** confusion[actual][predicted] */
  confusion: number[][];
}

export interface RegressionFigures {
  task: 'regression';
  count: number;
  mae: number;
  rmse: number;
  r2: number;
  /** Mean of |actual - predicted| / |actual| over rows whose actual value is not 0; NaN when every actual is 0. */
  mape: number;
  /** Rows left out of MAPE because their actual value is 0. */
  mapeSkipped: number;
}

/** A curve as parallel arrays, from the strictest threshold to the loosest. */
export interface RocCurve {
  fpr: number[];
  tpr: number[];
  auc: number;
}

export interface PrCurve {
  recall: number[];
  precision: number[];
  /** scikit-learn's average_precision_score: sum over thresholds of (R_n - R_{n-1}) * P_n. */
  averagePrecision: number;
}

/** One class against the rest: its probability as the score. */
export interface ClassCurves {
  label: string;
  roc: RocCurve;
  pr: PrCurve;
}

export interface CalibrationBin {
  lower: number;
  upper: number;
  count: number;
  meanPredicted: number;
  fractionPositive: number;
}

export interface Calibration {
  bins: CalibrationBin[];
  /** Expected calibration error: sum over bins of (count / n) * |fractionPositive - meanPredicted|. */
  ece: number;
}

export interface Slice {
  value: string;
  count: number;
  /** Accuracy (classification) or MAE (regression) on the slice's rows. */
  metric: number;
}

export interface SliceTable {
  column: string;
  /** How the rows were grouped: by category value, or by quantile bucket of a number column. */
  by: 'value' | 'quantile';
  metric: 'accuracy' | 'mae';
  /** Worst first; empty slices are left out. */
  slices: Slice[];
  /** Slices beyond the kept ones (a column with very many values), not shown. */
  omitted: number;
}

export interface WorstRow {
  /** Row index in the evaluated dataset version. */
  row: number;
  /** The row's cells as stored in that version. */
  input: RawRow;
  truth: string | number;
  prediction: string | number;
  /** Probability the model gave its prediction (classification); null for regression. */
  confidence: number | null;
  /** Cross-entropy of the true class (classification) or squared error (regression). */
  loss: number;
}

/** Rows of the chosen split that could not be evaluated, by reason. */
export interface Skipped {
  /** The target is missing after the recipes. */
  missingTarget: number;
  /** The true class is one the model never saw in training. */
  unknownClass: number;
  /** A filter step of the replayed recipes drops the row (as it did when the model's version was made). */
  filtered: number;
}

export interface ClassificationEvaluation {
  task: 'classification';
  figures: ClassificationFigures;
  /** Mean cross-entropy with probabilities clipped to [1e-15, 1 - 1e-15]. */
  logLoss: number;
  /** Binary: the AUC of the second label against the first. More classes: the macro mean of one-vs-rest AUCs. */
  rocAuc: number;
  /** Same averaging as rocAuc, for average precision. */
  averagePrecision: number;
  /** Per class, one-vs-rest. */
  curves: ClassCurves[];
  /** Top-label calibration: confidence of the predicted class against whether it was right. */
  calibration: Calibration;
}

export interface RegressionEvaluation {
  task: 'regression';
  figures: RegressionFigures;
  /** Actual and predicted values (a deterministic sample when there are many rows). */
  scatter: { actual: number[]; predicted: number[] };
}

export type EvaluationResult = (ClassificationEvaluation | RegressionEvaluation) & {
  slices: SliceTable[];
  worst: WorstRow[];
  skipped: Skipped;
  /** Rows in the chosen split before any were skipped. */
  rowsInSplit: number;
};

/**
 * How the rows of the evaluated version reach the model: `own` is the run's own version (no recipe), `chain` replays
 * the recipes between an ancestor (or another import) and the model's version, `direct` uses a version whose
 * columns already are the model's inputs.
 */
export type EvalMode = 'own' | 'chain' | 'direct';

export interface StoredEvaluation {
  /** `${runId}|${datasetId}|${split}`: evaluating the same pair again replaces the record. */
  id: string;
  projectId: string;
  runId: string;
  datasetId: string;
  /** The version's name when evaluated, so the record reads well even if the version is renamed. */
  datasetName: string;
  split: EvalSplit;
  mode: EvalMode;
  /** Recipes replayed on the rows before the model saw them. */
  recipesApplied: number;
  createdAt: number;
  durationMs: number;
  result: EvaluationResult;
  /** Where the model computed the figures; absent on evaluations stored before it was recorded. */
  environment?: Environment;
}

export function evaluationId(runId: string, datasetId: string, split: EvalSplit): string {
  return `${runId}|${datasetId}|${split}`;
}
