// Everything the Monitor shows for one window, side by side: what a DevOps dashboard shows (requests, errors, latency)
// and what ML needs (prediction and feature drift against the reference, data quality, "is it answering at all"
// checks, estimated and realized performance), computed from the columnar log without building a row object.
// `signalValue` reads one alert signal (src/core/monitor/alerts/signals.ts) out of it.

import type { Expectation } from '../../data/expectations';
import type { AlertSignal } from '../alerts/signals';
import { quantileSorted } from '../stats/binning';
import { estimateCbpe, realizedPerformance, type CbpeEstimate } from '../stats/cbpe';
import { DRIFT_TESTS, type DriftOverride } from '../stats/choose-test';
import { datasetDrift, driftOfColumn, type ColumnDrift } from '../stats/column-drift';
import { gatherColumn, type ChunkList, type LiveSample } from './live-columns';
import { applicableExpectations, windowQuality, type WindowQuality } from './quality';
import type { ReferenceColumn, ReferenceProfile } from './reference';
import { scanRows, type RowScan } from './rows';
import type { LogWindow } from './windows';

/** Evidently's dataset drift: the dataset drifted when at least this share of its columns did. */
export const DEFAULT_DRIFT_SHARE = 0.5;

export interface SignalOptions {
  /** Per input column: another drift test, another threshold, or both. */
  readonly overrides?: Readonly<Record<string, DriftOverride>>;
  /** The same for the prediction's drift. */
  readonly predictionOverride?: DriftOverride;
  /** Share of drifted columns at which the dataset counts as drifted. */
  readonly driftShare?: number;
  /** Labels count as known when they arrived at or before this time; every logged label when absent. */
  readonly asOf?: number;
  /** The project's expectation suite; only what applies to the raw inputs is checked (./quality.ts). */
  readonly expectations?: readonly Expectation[];
}

export interface ValueSummary {
  readonly mean: number;
  readonly std: number;
  readonly min: number;
  readonly max: number;
  readonly p50: number;
}

/** CBPE's estimate; `rows`: the answered rows with probabilities it is over. */
export type EstimatedPerformance = CbpeEstimate;

export type RealizedPerformance =
  | { readonly task: 'classification'; readonly accuracy: number; readonly macroF1: number }
  | { readonly task: 'regression'; readonly mae: number; readonly rmse: number };

export interface WindowSignals {
  readonly index: number;
  readonly kind: LogWindow['kind'];
  readonly start: number;
  readonly end: number;
  readonly complete: boolean;
  readonly requests: number;
  readonly errors: number;
  /** null in an empty window, as every share below. */
  readonly errorRate: number | null;
  /** Over every request, errors included (numpy's linear quantile); null in an empty window. */
  readonly latency: { readonly p50: number | null; readonly p95: number | null; readonly p99: number | null };
  /** The predicted class or value against the predictions on the reference; null when none were given. */
  readonly predictionDrift: ColumnDrift | null;
  /** Classification: share of answered requests per class, in the classes' order; null for regression. */
  readonly classShares: readonly number[] | null;
  /** Regression: the answered values; null for classification or when nothing was answered. */
  readonly valueSummary: ValueSummary | null;
  readonly topClassShare: number | null;
  /** Population std of the top probability (classification) or of the predicted value (regression). */
  readonly scoreStd: number | null;
  readonly nanOutputs: number;
  /** One per reference input column, in the reference's order. */
  readonly features: readonly ColumnDrift[];
  /** Drifted / tested columns; null when no column could be tested. */
  readonly driftedShare: number | null;
  readonly datasetDrifted: boolean;
  readonly quality: WindowQuality;
  readonly performance: {
    /** CBPE (classification with a fitted reference model); null otherwise or when no row has probabilities. */
    readonly estimated: EstimatedPerformance | null;
    /** On answered rows whose label was known at `asOf`; null when there are none. */
    readonly realized: RealizedPerformance | null;
    readonly labelled: number;
    /** null: every logged label counted. */
    readonly asOf: number | null;
  };
}

/** Refuses overrides for columns the reference does not have, so a misspelt column does not pass silently. */
export function checkOverrides(reference: Pick<ReferenceProfile, 'columns'>, overrides: Readonly<Record<string, DriftOverride>> = {}): void {
  const names = new Set(reference.columns.map((c) => c.name));
  const unknown = Object.keys(overrides).filter((k) => !names.has(k));
  if (unknown.length > 0) {
    throw new Error(`Drift overrides name ${unknown.map((u) => `"${u}"`).join(', ')}, not an input column of the reference (${[...names].join(', ')}).`);
  }
}

function overrideOf(overrides: Readonly<Record<string, DriftOverride>> | undefined, column: string): DriftOverride | undefined {
  return overrides && Object.prototype.hasOwnProperty.call(overrides, column) ? overrides[column] : undefined;
}

function featureDrift(ref: ReferenceColumn, sample: LiveSample, override: DriftOverride | undefined): ColumnDrift {
  if (ref.kind === 'numeric' && sample.kind === 'numeric') {
    // The reference is handed over already cleaned and sorted; its own missing count is put back.
    const drift = driftOfColumn(ref.sorted, sample.values, 'numeric', override, ref.name);
    return { ...drift, missing: { reference: ref.missing, current: drift.missing.current } };
  }
  if (ref.kind === 'categorical' && sample.kind === 'categorical') {
    return driftOfColumn({ codes: ref.codes, categories: sample.categories }, { codes: sample.codes, categories: sample.categories }, 'categorical', override, ref.name);
  }
  throw new Error(`"${ref.name}": the window's sample is ${sample.kind}, its reference ${ref.kind}.`);
}

function sortedQuantiles(values: Float64Array): WindowSignals['latency'] {
  if (values.length === 0) return { p50: null, p95: null, p99: null };
  const sorted = values.sort();
  return { p50: quantileSorted(sorted, 0.5), p95: quantileSorted(sorted, 0.95), p99: quantileSorted(sorted, 0.99) };
}

function populationStd(values: ArrayLike<number>, count: number): number | null {
  if (count === 0) return null;
  let sum = 0;
  for (let i = 0; i < count; i++) sum += values[i];
  const mean = sum / count;
  let squares = 0;
  for (let i = 0; i < count; i++) squares += (values[i] - mean) ** 2;
  return Math.sqrt(squares / count);
}

function predictionDrift(reference: ReferenceProfile, rows: RowScan, override: DriftOverride | undefined): ColumnDrift | null {
  const ref = reference.predictions;
  if (!ref) return null;
  if (ref.kind === 'categorical' && rows.outputCodes) {
    const categories = reference.classes;
    return driftOfColumn({ codes: ref.codes, categories }, { codes: rows.outputCodes, categories }, 'categorical', override, 'prediction');
  }
  if (ref.kind === 'numeric' && rows.outputValues) return driftOfColumn(ref.values, rows.outputValues, 'numeric', override, 'prediction');
  throw new Error('The reference predictions and the logged outputs are of different tasks.');
}

function outputSignals(reference: ReferenceProfile, rows: RowScan): Pick<WindowSignals, 'classShares' | 'valueSummary' | 'topClassShare' | 'scoreStd'> {
  if (rows.outputCodes) {
    const counts = new Float64Array(reference.classes.length);
    for (const c of rows.outputCodes) if (c >= 0) counts[c]++;
    const answered = rows.answered;
    const classShares = answered === 0 ? null : Array.from(counts, (c) => c / answered);
    const top = new Float64Array(rows.scored.rows);
    const K = reference.classes.length;
    const p = rows.scored.probabilities;
    for (let r = 0; r < top.length; r++) {
      let best = -Infinity;
      for (let c = 0; c < K; c++) if (p[r * K + c] > best) best = p[r * K + c];
      top[r] = best;
    }
    return {
      classShares,
      valueSummary: null,
      topClassShare: classShares ? Math.max(...classShares) : null,
      scoreStd: populationStd(top, top.length),
    };
  }
  const values = rows.outputValues!;
  const answered = new Float64Array(rows.answered);
  let n = 0;
  for (const v of values) if (!Number.isNaN(v)) answered[n++] = v;
  if (n === 0) return { classShares: null, valueSummary: null, topClassShare: null, scoreStd: null };
  const std = populationStd(answered, n)!;
  let sum = 0;
  for (const v of answered) sum += v;
  const sorted = answered.sort();
  return {
    classShares: null,
    valueSummary: { mean: sum / n, std, min: sorted[0], max: sorted[n - 1], p50: quantileSorted(sorted, 0.5) },
    topClassShare: null,
    scoreStd: std,
  };
}

function performance(reference: ReferenceProfile, rows: RowScan, asOf: number | undefined): WindowSignals['performance'] {
  const { cbpe, classes } = reference;
  const estimated = cbpe && rows.scored.rows > 0 ? estimateCbpe(cbpe, rows.scored.probabilities, rows.scored.predicted) : null;
  const { rows: labelled, truth, predicted } = rows.labelled;
  let realized: RealizedPerformance | null = null;
  if (labelled > 0 && reference.task === 'classification') {
    const r = realizedPerformance(Int32Array.from(truth), Int32Array.from(predicted), classes.length);
    realized = { task: 'classification', accuracy: r.accuracy, macroF1: r.macroF1 };
  } else if (labelled > 0) {
    let absolute = 0;
    let squared = 0;
    for (let i = 0; i < labelled; i++) {
      const e = predicted[i] - truth[i];
      absolute += Math.abs(e);
      squared += e * e;
    }
    realized = { task: 'regression', mae: absolute / labelled, rmse: Math.sqrt(squared / labelled) };
  }
  return { estimated, realized, labelled, asOf: asOf ?? null };
}

/** The signals of one window; `chunks` by log position, as the window's slices name them. */
export function windowSignals(window: LogWindow, chunks: ChunkList, reference: ReferenceProfile, options: SignalOptions = {}): WindowSignals {
  checkOverrides(reference, options.overrides);
  const asOf = options.asOf;
  if (asOf !== undefined && Number.isNaN(asOf)) throw new Error('asOf is not a time: give milliseconds, or leave it out to count every label.');
  const rows = scanRows(window, chunks, reference.task, reference.classes, asOf ?? Infinity);
  const samples = reference.columns.map((ref) => gatherColumn(window, chunks, ref, reference.format));
  const features = reference.columns.map((ref, i) => featureDrift(ref, samples[i], overrideOf(options.overrides, ref.name)));
  const dataset = datasetDrift(features, options.driftShare ?? DEFAULT_DRIFT_SHARE);
  const { checked } = applicableExpectations(reference, options.expectations ?? []);
  const n = window.requests;
  return {
    index: window.index,
    kind: window.kind,
    start: window.start,
    end: window.end,
    complete: window.complete,
    requests: n,
    errors: rows.errors,
    errorRate: n === 0 ? null : rows.errors / n,
    latency: sortedQuantiles(rows.latency),
    predictionDrift: predictionDrift(reference, rows, options.predictionOverride),
    ...outputSignals(reference, rows),
    nanOutputs: rows.nanOutputs,
    features,
    driftedShare: dataset.columns === 0 ? null : dataset.share,
    datasetDrifted: dataset.drifted,
    quality: windowQuality(window, chunks, reference, samples, checked),
    performance: performance(reference, rows, asOf),
  };
}

/**
 * Which figure each alert signal reads. Drift signals read the test's `score`, whose direction depends on the test:
 * a p-value (ks, chisquare, z: drift when it is small, so a rule uses "<") or a distance (wasserstein,
 * jensenshannon, psi: drift when it is large, so ">="); `driftDirection` says which for a computed drift.
 */
export const SIGNAL_READS: Readonly<Record<AlertSignal, string>> = {
  requests: 'requests',
  error_rate: 'errorRate',
  latency_p50_ms: 'latency.p50',
  latency_p95_ms: 'latency.p95',
  latency_p99_ms: 'latency.p99',
  prediction_drift: 'predictionDrift.score (p-value or distance, by its test)',
  feature_drift: "features[column].score (p-value or distance, by the column's test)",
  drifted_share: 'driftedShare',
  missing_share: 'quality.columns[column].missingShare, or quality.missingShare over every column when none is named',
  out_of_range_share: 'quality.outOfRangeShare',
  unseen_category_share: 'quality.unseenCategoryShare',
  top_class_share: 'topClassShare',
  score_std: 'scoreStd',
  nan_outputs: 'nanOutputs',
  accuracy_estimated: 'performance.estimated.accuracy.value (CBPE)',
  accuracy_realized: 'performance.realized.accuracy',
  mae_realized: 'performance.realized.mae',
};

/** Whether a drift's score signals drift below its threshold (p-values) or at and above it (distances). */
export function driftDirection(drift: Pick<ColumnDrift, 'test'>): 'below' | 'above' {
  return DRIFT_TESTS[drift.test].score === 'p-value' ? 'below' : 'above';
}

/**
 * One alert signal's value in a window, or null when the window has none (no request, no labels yet, a column the
 * reference lacks, a figure of the other task). See SIGNAL_READS for the figure each reads.
 */
export function signalValue(signals: WindowSignals, signal: AlertSignal, column?: string): number | null {
  switch (signal) {
    case 'requests':
      return signals.requests;
    case 'error_rate':
      return signals.errorRate;
    case 'latency_p50_ms':
      return signals.latency.p50;
    case 'latency_p95_ms':
      return signals.latency.p95;
    case 'latency_p99_ms':
      return signals.latency.p99;
    case 'prediction_drift':
      return signals.predictionDrift?.score ?? null;
    case 'feature_drift':
      return signals.features.find((f) => f.column === column)?.score ?? null;
    case 'drifted_share':
      return signals.driftedShare;
    case 'missing_share':
      return column === undefined ? signals.quality.missingShare : (signals.quality.columns.find((c) => c.column === column)?.missingShare ?? null);
    case 'out_of_range_share':
      return signals.quality.outOfRangeShare;
    case 'unseen_category_share':
      return signals.quality.unseenCategoryShare;
    case 'top_class_share':
      return signals.topClassShare;
    case 'score_std':
      return signals.scoreStd;
    case 'nan_outputs':
      return signals.nanOutputs;
    case 'accuracy_estimated':
      return signals.performance.estimated?.accuracy.value ?? null;
    case 'accuracy_realized': {
      const r = signals.performance.realized;
      return r?.task === 'classification' ? r.accuracy : null;
    }
    case 'mae_realized': {
      const r = signals.performance.realized;
      return r?.task === 'regression' ? r.mae : null;
    }
  }
}
