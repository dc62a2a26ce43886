// The changes a scenario makes to live traffic, as small pure building blocks. Each one starts at a share of the replay
// (`from`: 0.5 = the middle), so "when should it be seen" follows from the same number (see `changeWindow`).

import type { RawValue } from '../../shared/types';
import type { ReplayFrame, RequestContent, ScenarioTransform } from './types';

/** The first request a change applies to: the first seq whose progress seq / count reaches `from`. */
export function changeStart(from: number, count: number): number {
  return Math.ceil(from * count);
}

/** The count window (numbered from 0, `windowSize` requests each) that holds the change's first request. */
export function changeWindow(from: number, count: number, windowSize: number): number {
  return Math.floor(changeStart(from, count) / windowSize);
}

function started(from: number, frame: ReplayFrame): boolean {
  return frame.seq >= changeStart(from, frame.count);
}

function withInput(request: RequestContent, column: string, value: RawValue): RequestContent {
  return { input: { ...request.input, [column]: value }, label: request.label };
}

/** No change at all: the control replay. */
export const unchanged: ScenarioTransform = (request) => request;

export interface ShiftStep {
  /** Share of the replay from which this step applies (until the next step). */
  from: number;
  /** How far the column moves, in its standard deviations over the source rows. */
  stds: number;
}

/**
 * A numeric column moves by steps: from each step's `from`, values gain `stds` × the column's std. Missing and text
 * cells stay as they are (numbers written as text stay text); results keep the original's decimals, so a body mass in
 * whole grams is still whole grams.
 */
export function shiftNumeric(column: string, steps: readonly ShiftStep[]): ScenarioTransform {
  const ordered = [...steps].sort((a, b) => a.from - b.from);
  return (request, frame) => {
    let stds = 0;
    for (const step of ordered) if (started(step.from, frame)) stds = step.stds;
    if (stds === 0) return request;
    const value = request.input[column];
    const number = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : Number.NaN;
    if (!Number.isFinite(number)) return request;
    const moved = keepDecimals(typeof value === 'string' ? value : String(value), number + stds * frame.stats.numeric(column).std);
    return withInput(request, column, typeof value === 'string' ? String(moved) : moved);
  };
}

function keepDecimals(written: string, value: number): number {
  const m = /^-?\d*(?:\.(\d+))?$/.exec(written.trim());
  return m ? Number(value.toFixed(m[1]?.length ?? 0)) : value;
}

/** From `from` on, a share of requests carries `value` in `column`: a category training never saw. */
export function injectCategory(column: string, value: string, share: number, from: number): ScenarioTransform {
  return (request, frame) => (started(from, frame) && frame.rand() < share ? withInput(request, column, value) : request);
}

/** From `from` on, `column` arrives blank in every request: an upstream job stopped filling it. */
export function blankColumn(column: string, from: number): ScenarioTransform {
  return (request, frame) => (started(from, frame) ? withInput(request, column, null) : request);
}
