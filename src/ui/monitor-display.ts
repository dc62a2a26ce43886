// How the monitoring dashboard reads on screen: which panels show which signals, window specs as the form edits them,
// alert thresholds as lines, values by unit, the heat map's levels and the drill-down's shares. Type imports only from
// src/core (import rules): every figure here was computed by the worker; this only arranges and words it.

import type { AlertRule } from '../core/monitor/alerts/types';
import type { AlertSignal, SignalInfo } from '../core/monitor/alerts/signals';
import type { CategoryDrill, HistogramDrill } from '../core/monitor/windows/drill';
import type { WindowSignals } from '../core/monitor/windows/signals';
import type { WindowSpec } from '../core/monitor/windows/windows';
import type { Task } from '../core/shared/types';
import { dateText } from './dates';

export const HOUR_MS = 3_600_000;

// ---------- window spec ----------

/** The window as the controls edit it: requests per window, or hours per window. */
export interface WindowForm {
  kind: WindowSpec['kind'];
  /** Requests (count windows) or hours (time windows), as typed. */
  size: number;
}

export function windowFormOf(spec: WindowSpec): WindowForm {
  return spec.kind === 'count' ? { kind: 'count', size: spec.size } : { kind: 'time', size: spec.ms / HOUR_MS };
}

/** The spec the form describes, or why it describes none. */
export function windowSpecOf(form: WindowForm): { spec: WindowSpec } | { problem: string } {
  const { kind, size } = form;
  if (kind === 'count') {
    if (!Number.isInteger(size) || size < 1) return { problem: `Requests per window must be a whole number of 1 or more, not ${describeNumber(size)}.` };
    return { spec: { kind: 'count', size } };
  }
  if (!Number.isFinite(size) || size <= 0) return { problem: `Hours per window must be more than 0, not ${describeNumber(size)}.` };
  return { spec: { kind: 'time', ms: Math.round(size * HOUR_MS) } };
}

function describeNumber(n: number): string {
  return Number.isNaN(n) ? 'empty' : String(n);
}

/** "windows of 100 requests", "windows of 6 hours", "windows of 90 minutes". */
export function windowText(spec: WindowSpec): string {
  if (spec.kind === 'count') return `windows of ${spec.size} request${spec.size === 1 ? '' : 's'}`;
  const hours = spec.ms / HOUR_MS;
  if (Number.isInteger(hours)) return `windows of ${hours} hour${hours === 1 ? '' : 's'}`;
  const minutes = spec.ms / 60_000;
  return Number.isInteger(minutes) ? `windows of ${minutes} minutes` : `windows of ${spec.ms} ms`;
}

export function sameWindow(a: WindowSpec, b: WindowSpec): boolean {
  return a.kind === 'count' ? b.kind === 'count' && a.size === b.size : b.kind === 'time' && a.ms === b.ms;
}

type WindowSpan = Pick<WindowSignals, 'index' | 'start' | 'end' | 'requests' | 'complete'>;

/** "Window 3: 2024-05-01T10:00:00Z to 2024-05-01T11:00:00Z, 100 requests (still filling)". */
export function windowLabel(w: WindowSpan): string {
  const span = Number.isFinite(w.start) && Number.isFinite(w.end) ? `${dateText(w.start, false)} to ${dateText(w.end, false)}, ` : '';
  const requests = `${w.requests} request${w.requests === 1 ? '' : 's'}`;
  return `Window ${w.index}: ${span}${requests}${w.complete ? '' : ' (still filling)'}`;
}

// ---------- panels ----------

export interface PanelLine {
  signal: AlertSignal;
  label: string;
}

export interface PanelDef {
  id: string;
  title: string;
  side: 'system' | 'ml';
  lines: PanelLine[];
  /** Draw CBPE's ±3 standard-error band around the estimated accuracy. */
  band?: boolean;
}

/** The time-series panels, system side first (what a DevOps dashboard shows), then what ML needs, for the task. */
export function dashboardPanels(task: Task): PanelDef[] {
  const line = (signal: AlertSignal, label: string): PanelLine => ({ signal, label });
  const one = (id: string, title: string, side: PanelDef['side'], signal: AlertSignal): PanelDef => ({ id, title, side, lines: [line(signal, title)] });
  const system: PanelDef[] = [
    one('requests', 'Requests', 'system', 'requests'),
    one('error-rate', 'Error rate', 'system', 'error_rate'),
    {
      id: 'latency',
      title: 'Latency',
      side: 'system',
      lines: [line('latency_p50_ms', 'p50'), line('latency_p95_ms', 'p95'), line('latency_p99_ms', 'p99')],
    },
  ];
  const ml: PanelDef[] = [
    one('prediction-drift', 'Prediction drift score', 'ml', 'prediction_drift'),
    one('drifted-share', 'Drifted feature share', 'ml', 'drifted_share'),
    one('missing-share', 'Missing share', 'ml', 'missing_share'),
    one('unseen-share', 'Unseen-category share', 'ml', 'unseen_category_share'),
    one('out-of-range-share', 'Out-of-range share', 'ml', 'out_of_range_share'),
  ];
  if (task === 'classification') {
    ml.push(one('top-class-share', 'Top-class share', 'ml', 'top_class_share'));
    ml.push(one('score-std', 'Score spread (std)', 'ml', 'score_std'));
    ml.push({
      id: 'accuracy',
      title: 'Accuracy: estimated vs realized',
      side: 'ml',
      lines: [line('accuracy_estimated', 'estimated (CBPE)'), line('accuracy_realized', 'realized')],
      band: true,
    });
  } else {
    ml.push(one('score-std', 'Prediction spread (std)', 'ml', 'score_std'));
    ml.push(one('mae', 'MAE realized', 'ml', 'mae_realized'));
  }
  return [...system, ...ml];
}

/** CBPE's band per window (null where there is no estimate), beside the estimated accuracy. */
export function estimateBand(windows: readonly Pick<WindowSignals, 'performance'>[]): { lower: (number | null)[]; upper: (number | null)[] } {
  return {
    lower: windows.map((w) => w.performance.estimated?.accuracy.lower ?? null),
    upper: windows.map((w) => w.performance.estimated?.accuracy.upper ?? null),
  };
}

export interface ThresholdLine {
  ruleId: string;
  signal: AlertSignal;
  value: number;
  /** e.g. 'alert "Slow answers": p95 > 250 ms' (with the rule's own window when it is not the dashboard's). */
  label: string;
}

/**
 * The alert rules that watch one of the panel's lines, as horizontal lines. Only rules without a column: the panels
 * show the whole-input figures (per-column rules appear in the heat map's drill-down instead).
 */
export function thresholdLines(
  rules: readonly AlertRule[],
  lines: readonly PanelLine[],
  unitOf: (signal: AlertSignal) => SignalInfo['unit'],
  shown: WindowSpec,
): ThresholdLine[] {
  const out: ThresholdLine[] = [];
  for (const rule of rules) {
    const line = lines.find((l) => l.signal === rule.signal);
    if (!line || rule.column !== undefined) continue;
    const prefix = lines.length > 1 ? `${line.label} ` : '';
    const elsewhere = sameWindow(rule.window, shown) ? '' : ` (rule on ${windowText(rule.window)})`;
    out.push({
      ruleId: rule.id,
      signal: rule.signal,
      value: rule.threshold,
      label: `alert "${rule.name}": ${prefix}${rule.comparator} ${formatValue(rule.threshold, unitOf(rule.signal))}${elsewhere}`,
    });
  }
  return out;
}

// ---------- values ----------

/** A figure in its unit: shares as percentages, ms with its unit, counts whole; '–' when the window has none. */
export function formatValue(value: number | null | undefined, unit: SignalInfo['unit']): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '–';
  switch (unit) {
    case 'share':
      return formatShare(value);
    case 'ms':
      return `${value < 10 ? value.toFixed(2) : value.toFixed(1)} ms`;
    case 'requests':
    case 'count':
      return String(Math.round(value));
    case 'statistic':
      return formatScore(value);
    case 'target units':
      return Math.abs(value) >= 1000 ? value.toFixed(0) : Number(value.toPrecision(4)).toString();
  }
}

/** An axis tick: counts take whole ticks only (a fractional request is no tick worth labelling). */
export function formatTick(value: number, unit: SignalInfo['unit']): string {
  if ((unit === 'requests' || unit === 'count') && !Number.isInteger(value)) return '';
  return formatValue(value, unit);
}

export function formatShare(value: number | null | undefined): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '–';
  const pct = value * 100;
  if (pct !== 0 && Math.abs(pct) < 0.1) return `${pct.toPrecision(1)}%`;
  return `${pct.toFixed(1)}%`;
}

/** A drift score: p-values can be tiny, so small numbers keep two significant digits in exponent form. */
export function formatScore(value: number | null | undefined): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '–';
  if (value === 0) return '0';
  if (!Number.isFinite(value)) return value > 0 ? '∞' : '-∞';
  const abs = Math.abs(value);
  if (abs < 0.001) return value.toExponential(1);
  if (abs >= 1000) return value.toFixed(0);
  return Number(value.toPrecision(3)).toString();
}

/** The panel's accessible name: its title and each line's value in the newest window. */
export function lastValueSummary(title: string, lines: readonly { label: string; values: readonly (number | null)[] }[], unit: SignalInfo['unit']): string {
  const count = lines[0]?.values.length ?? 0;
  if (count === 0) return `${title}: no windows yet`;
  const parts = lines.map((l) => {
    const v = l.values[count - 1] ?? null;
    const text = formatValue(v, unit);
    return lines.length > 1 ? `${l.label} ${text}` : text;
  });
  return `${title}: newest window (${count - 1}) ${parts.join(', ')}, over ${count} window${count === 1 ? '' : 's'}`;
}

// ---------- heat map ----------

export type HeatLevel = 'untested' | 'calm' | 'near' | 'drifted';

/**
 * How close a cell is to drift, so colour can say it before the number is read: a p-value drifts below its threshold,
 * a distance at or above it. "near" is within a factor of two of the threshold on the drift side's way.
 */
export function heatLevel(cell: { score: number | null; drifted: boolean; threshold: number | null }, scoreKind: 'p-value' | 'distance'): HeatLevel {
  if (cell.drifted) return 'drifted';
  if (cell.score === null || cell.threshold === null || Number.isNaN(cell.score)) return 'untested';
  const closeness = scoreKind === 'p-value' ? (cell.score <= 0 ? Infinity : cell.threshold / cell.score) : cell.threshold <= 0 ? Infinity : cell.score / cell.threshold;
  return closeness >= 0.5 ? 'near' : 'calm';
}

/** The tests a heat-map row used over its windows (a column's default test can change with the window's values). */
export function rowTests(cells: readonly { test: string }[]): string[] {
  return [...new Set(cells.map((c) => c.test).filter((t) => t !== ''))];
}

// ---------- drill-down ----------

export interface ShareBar {
  label: string;
  reference: number;
  current: number;
  referenceCount: number;
  currentCount: number;
  /** The reference never saw it (category bars only). */
  unseen: boolean;
}

function shareOf(count: number, total: number): number {
  return total === 0 ? 0 : count / total;
}

/** The histogram's bins as shares of each side's present values, labelled by their edges. */
export function histogramBars(drill: HistogramDrill, formatEdge: (v: number) => string = (v) => formatScore(v)): ShareBar[] {
  const refTotal = drill.reference.reduce((s, c) => s + c, 0);
  const curTotal = drill.current.reduce((s, c) => s + c, 0);
  const label = drill.dates ? (v: number) => dateText(v, true) : formatEdge;
  return drill.reference.map((ref, i) => {
    const cur = drill.current[i] ?? 0;
    const lo = drill.edges[i]!;
    const hi = drill.edges[i + 1]!;
    return {
      label: `${label(lo)} to ${label(hi)}`,
      reference: shareOf(ref, refTotal),
      current: shareOf(cur, curTotal),
      referenceCount: ref,
      currentCount: cur,
      unseen: false,
    };
  });
}

/** The category bars as shares of each side's present values, with the summed rest as one "other" bar. */
export function categoryBars(drill: CategoryDrill): ShareBar[] {
  const refTotal = drill.bars.reduce((s, b) => s + b.reference, 0) + (drill.other?.reference ?? 0);
  const curTotal = drill.bars.reduce((s, b) => s + b.current, 0) + (drill.other?.current ?? 0);
  const bars = drill.bars.map((b) => ({
    label: b.category,
    reference: shareOf(b.reference, refTotal),
    current: shareOf(b.current, curTotal),
    referenceCount: b.reference,
    currentCount: b.current,
    unseen: b.unseen,
  }));
  if (drill.other) {
    bars.push({
      label: `${drill.other.categories} other categories`,
      reference: shareOf(drill.other.reference, refTotal),
      current: shareOf(drill.other.current, curTotal),
      referenceCount: drill.other.reference,
      currentCount: drill.other.current,
      unseen: false,
    });
  }
  return bars;
}
