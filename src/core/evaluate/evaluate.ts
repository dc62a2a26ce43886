// Every figure of an evaluation from a model's per-row outputs: the one function the predictor worker calls after
// predicting a split, so the figures the Evaluate stage shows and stores are computed in one place, off the main
// thread. Per-row data is cut to sizes that store and draw well (curves thinned, scatter sampled, top rows only);
// the figures themselves use every row.

import { isoDate } from '../serving/dates.js';
import { setCell } from '../train/preprocess';
import type { RawRow, Table } from '../shared/types';
import { classificationFigures } from './classification';
import { prCurve, rocCurve, thinCurve } from './curves';
import { calibrationCurve, rowLogLosses } from './probability';
import { regressionFigures } from './regression';
import { groupColumn, sliceScores } from './slices';
import type { TablePredictions } from '../contracts/predict';
import type { ClassCurves, EvaluationResult, SliceTable, WorstRow } from './types';
import { squaredErrors, worstIndices } from './worst';

export const CURVE_POINTS = 200;
export const SCATTER_POINTS = 2000;
export const WORST_ROWS = 25;
export const MAX_SLICES = 50;
export const MAX_SLICE_COLUMNS = 40;

/** A model's predictions over a table (TablePredictions) with what they mean. */
export interface PredictionsInput extends TablePredictions {
  task: 'classification' | 'regression';
  /** Classification: class labels in the model's output order. */
  labels: readonly string[];
}

function mean(values: readonly number[]): number {
  const finite = values.filter((v) => !Number.isNaN(v));
  return finite.length === 0 ? NaN : finite.reduce((s, v) => s + v, 0) / finite.length;
}

/** Slices for every column of the evaluated version but images, worst first within each column. */
function slicesOf(table: Table, rows: Int32Array, scores: Float64Array, metric: SliceTable['metric']): SliceTable[] {
  const out: SliceTable[] = [];
  for (let c = 0; c < table.columns.length && out.length < MAX_SLICE_COLUMNS; c++) {
    const column = table.columns[c];
    const grouping = groupColumn(column, rows);
    if (!grouping) continue;
    const slices = sliceScores(scores, grouping, metric === 'accuracy');
    out.push({
      column: table.names[c],
      by: column.kind === 'number' ? 'quantile' : 'value',
      metric,
      slices: slices.slice(0, MAX_SLICES),
      omitted: Math.max(0, slices.length - MAX_SLICES),
    });
  }
  return out;
}

/** A row's cells as stored (numbers, category text, null when missing); image columns are left out. */
function inputRow(table: Table, r: number): RawRow {
  const out: RawRow = {};
  table.columns.forEach((col, c) => {
    if (col.kind === 'number') setCell(out, table.names[c], Number.isNaN(col.values[r]) ? null : col.values[r]);
    else if (col.kind === 'date') setCell(out, table.names[c], isoDate(col.values[r]));
    else if (col.kind === 'category') setCell(out, table.names[c], col.codes[r] >= 0 ? (col.dictionary[col.codes[r]] ?? null) : null);
  });
  return out;
}

/** An evenly spaced sample of at most `max` positions, in order. */
function samplePositions(n: number, max: number): number[] {
  if (n <= max) return Array.from({ length: n }, (_, i) => i);
  return Array.from({ length: max }, (_, i) => Math.floor((i * n) / max));
}

export function evaluatePredictions(input: PredictionsInput, table: Table): EvaluationResult {
  const { rows, truth, predicted, probabilities, skipped, rowsInSplit } = input;
  const n = rows.length;
  if (truth.length !== n || predicted.length !== n) throw new RangeError('rows, truth and predictions differ in length');
  const common = { skipped, rowsInSplit };

  if (input.task === 'regression') {
    const losses = squaredErrors(truth, predicted);
    const absolute = Float64Array.from(losses, Math.sqrt);
    const worst: WorstRow[] = worstIndices(losses, WORST_ROWS).map((i) => ({
      row: rows[i],
      input: inputRow(table, rows[i]),
      truth: truth[i],
      prediction: predicted[i],
      confidence: null,
      loss: losses[i],
    }));
    const picks = samplePositions(n, SCATTER_POINTS);
    return {
      task: 'regression',
      figures: regressionFigures(truth, predicted),
      scatter: { actual: picks.map((i) => truth[i]), predicted: picks.map((i) => predicted[i]) },
      slices: slicesOf(table, rows, absolute, 'mae'),
      worst,
      ...common,
    };
  }

  const labels = input.labels;
  const k = labels.length;
  if (!probabilities || probabilities.length !== n * k) throw new RangeError('classification needs k probabilities per row');
  const figures = classificationFigures(truth, predicted, labels);
  const losses = rowLogLosses(truth, probabilities, k);
  const curves: ClassCurves[] = labels.map((label, c) => {
    const scores = Float64Array.from({ length: n }, (_, i) => probabilities[i * k + c]);
    const positive = Array.from({ length: n }, (_, i) => truth[i] === c);
    const roc = rocCurve(scores, positive);
    const pr = prCurve(scores, positive);
    return {
      label,
      roc: thinCurve(roc, ['fpr', 'tpr'], CURVE_POINTS),
      pr: thinCurve(pr, ['recall', 'precision'], CURVE_POINTS),
    };
  });
  // Binary: one figure for the second label against the first (the first's curve mirrors it).
  const headline = k === 2 ? [curves[1]] : curves;
  const confidence = Float64Array.from({ length: n }, (_, i) => probabilities[i * k + predicted[i]]);
  const correct = Array.from({ length: n }, (_, i) => truth[i] === predicted[i]);
  const worst: WorstRow[] = worstIndices(losses, WORST_ROWS).map((i) => ({
    row: rows[i],
    input: inputRow(table, rows[i]),
    truth: labels[truth[i]],
    prediction: labels[predicted[i]],
    confidence: confidence[i],
    loss: losses[i],
  }));
  return {
    task: 'classification',
    figures,
    logLoss: n === 0 ? NaN : losses.reduce((s, l) => s + l, 0) / n,
    rocAuc: mean(headline.map((c) => c.roc.auc)),
    averagePrecision: mean(headline.map((c) => c.pr.averagePrecision)),
    curves,
    calibration: calibrationCurve(confidence, correct),
    slices: slicesOf(table, rows, Float64Array.from(correct, Number), 'accuracy'),
    worst,
    ...common,
  };
}
