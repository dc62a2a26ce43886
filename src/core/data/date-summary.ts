// The profile of a date column: its range and how many rows fall in each day, month or year, the
// period chosen so the bar chart has at most MAX_PERIODS bars (years for spans longer than that).

import { countDistinct } from './summary';
import type { DateSummary } from '../shared/types';

export const MAX_PERIODS = 40;

type Unit = DateSummary['periods']['unit'];

/** The start (ms since 1970 UTC) of the day, month or year holding `ms`. */
export function periodStart(ms: number, unit: Unit): number {
  const d = new Date(ms);
  const year = d.getUTCFullYear();
  const at = new Date(0);
  at.setUTCFullYear(year, unit === 'year' ? 0 : d.getUTCMonth(), unit === 'day' ? d.getUTCDate() : 1);
  return at.getTime();
}

function nextPeriod(start: number, unit: Unit): number {
  const d = new Date(start);
  if (unit === 'day') d.setUTCDate(d.getUTCDate() + 1);
  else if (unit === 'month') d.setUTCMonth(d.getUTCMonth() + 1);
  else d.setUTCFullYear(d.getUTCFullYear() + 1);
  return d.getTime();
}

/** The finest of day, month and year that covers min..max in at most MAX_PERIODS periods. */
export function periodUnit(min: number, max: number): Unit {
  const a = new Date(min);
  const b = new Date(max);
  const days = Math.round((periodStart(max, 'day') - periodStart(min, 'day')) / 86_400_000) + 1;
  if (days <= MAX_PERIODS) return 'day';
  const months = (b.getUTCFullYear() - a.getUTCFullYear()) * 12 + b.getUTCMonth() - a.getUTCMonth() + 1;
  return months <= MAX_PERIODS ? 'month' : 'year';
}

export function summarizeDates(values: Float64Array): DateSummary {
  let min = Infinity;
  let max = -Infinity;
  let present = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v !== v) continue;
    present++;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const missing = values.length - present;
  if (present === 0) return { kind: 'date', missing, unique: 0, min: NaN, max: NaN, periods: { unit: 'day', counts: [] } };
  const unit = periodUnit(min, max);
  const starts: number[] = [];
  for (let s = periodStart(min, unit); s <= max; s = nextPeriod(s, unit)) starts.push(s);
  const counts = new Array<number>(starts.length).fill(0);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v !== v) continue;
    // Binary search: the last period starting at or before v.
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= v) lo = mid;
      else hi = mid - 1;
    }
    counts[lo]++;
  }
  return {
    kind: 'date',
    missing,
    unique: countDistinct(values),
    min,
    max,
    periods: { unit, counts: starts.map((start, i) => ({ start, count: counts[i] })) },
  };
}
