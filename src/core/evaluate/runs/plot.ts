// Geometry for the compare plots, kept out of the components so it can be tested: nice axis
// ticks, parallel-coordinates axes (numeric or categorical) and metric-vs-parameter points.

import type { Run } from '../../shared/types';
import { cellValue, type CellValue, type RunColumn } from './columns';
import type { HistoryPick } from './history';

/** Round tick values covering [min, max], about `count` of them (1, 2 or 5 times a power of ten apart). */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return [];
  if (min === max) return [min];
  const lo = Math.min(min, max);
  const hi = Math.max(min, max);
  const raw = (hi - lo) / Math.max(1, count);
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? 10 * power;
  const ticks: number[] = [];
  // Rounding to the step's decimals avoids ticks like 0.30000000000000004.
  const decimals = Math.max(0, -Math.floor(Math.log10(step)));
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) ticks.push(Number(v.toFixed(decimals)));
  return ticks;
}

export interface NumericAxis {
  kind: 'number';
  min: number;
  max: number;
  ticks: number[];
}

export interface CategoryAxis {
  kind: 'category';
  categories: string[];
}

export type Axis = NumericAxis | CategoryAxis;

/** Numeric when every present value is a number, categorical otherwise; null when no run has a value. */
export function axisFor(values: readonly CellValue[]): Axis | null {
  const present = values.filter((v): v is Exclude<CellValue, undefined> => v !== undefined);
  if (present.length === 0) return null;
  if (present.every((v) => typeof v === 'number')) {
    const nums = present as number[];
    const min = Math.min(...nums);
    const max = Math.max(...nums);
    return { kind: 'number', min, max, ticks: niceTicks(min, max, 4) };
  }
  const categories = [...new Set(present.map(String))].sort((a, b) => a.localeCompare(b, undefined, { numeric: true }));
  return { kind: 'category', categories };
}

/** Position of a value on an axis in [0, 1] (0 = bottom/left); null when missing or off the axis. */
export function axisPosition(axis: Axis, value: CellValue): number | null {
  if (value === undefined) return null;
  if (axis.kind === 'number') {
    if (typeof value !== 'number') return null;
    return axis.max === axis.min ? 0.5 : (value - axis.min) / (axis.max - axis.min);
  }
  const i = axis.categories.indexOf(String(value));
  if (i < 0) return null;
  return axis.categories.length === 1 ? 0.5 : i / (axis.categories.length - 1);
}

export interface ParallelAxis {
  column: RunColumn;
  axis: Axis;
}

export interface ParallelLine {
  runId: string;
  runName: string;
  /** One per axis, in axis order. */
  positions: (number | null)[];
  values: CellValue[];
  /** The goal metric's position on its own scale, for colouring; null when the run has none. */
  goal: number | null;
}

export interface ParallelPlot {
  axes: ParallelAxis[];
  lines: ParallelLine[];
}

/**
 * Parallel coordinates over `columns` (params first, the goal metric last). Columns where every
 * run has the same value are dropped (they would only draw a flat bundle), unless it is the goal.
 */
export function parallelPlot(runs: readonly Run[], columns: readonly RunColumn[], goal: RunColumn | null, pick: HistoryPick): ParallelPlot {
  const wanted = goal ? [...columns.filter((c) => c.id !== goal.id), goal] : [...columns];
  const axes: ParallelAxis[] = [];
  for (const column of wanted) {
    const values = runs.map((r) => cellValue(r, column, pick));
    const axis = axisFor(values);
    if (!axis) continue;
    const varies = new Set(values.map((v) => String(v))).size > 1;
    if (!varies && column.id !== goal?.id) continue;
    axes.push({ column, axis });
  }
  const goalAxis = axes.find((a) => a.column.id === goal?.id);
  const lines = runs.map((run) => {
    const values = axes.map((a) => cellValue(run, a.column, pick));
    return {
      runId: run.id,
      runName: run.name,
      values,
      positions: axes.map((a, i) => axisPosition(a.axis, values[i])),
      goal: goalAxis ? axisPosition(goalAxis.axis, cellValue(run, goalAxis.column, pick)) : null,
    };
  });
  return { axes, lines };
}

export interface ScatterPoint {
  runId: string;
  runName: string;
  x: CellValue;
  y: number;
  /** Positions in [0, 1] on each axis. */
  px: number;
  py: number;
}

export interface ScatterPlot {
  x: Axis | null;
  y: NumericAxis | null;
  points: ScatterPoint[];
  /** Runs left out because they lack a value on one of the axes. */
  missing: number;
}

/** A metric (numeric y) against a parameter or another metric (numeric or categorical x). */
export function scatterPlot(runs: readonly Run[], xCol: RunColumn, yCol: RunColumn, pick: HistoryPick): ScatterPlot {
  const rows = runs.map((run) => ({ run, x: cellValue(run, xCol, pick), y: cellValue(run, yCol, pick) }));
  const usable = rows.filter((r): r is typeof r & { y: number } => r.x !== undefined && typeof r.y === 'number');
  const x = axisFor(usable.map((r) => r.x));
  const yAxis = axisFor(usable.map((r) => r.y));
  const y = yAxis?.kind === 'number' ? yAxis : null;
  const points: ScatterPoint[] = [];
  if (x && y) {
    for (const r of usable) {
      const px = axisPosition(x, r.x);
      const py = axisPosition(y, r.y);
      if (px !== null && py !== null) points.push({ runId: r.run.id, runName: r.run.name, x: r.x, y: r.y, px, py });
    }
  }
  return { x, y, points, missing: runs.length - points.length };
}
