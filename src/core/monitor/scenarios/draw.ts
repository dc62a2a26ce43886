// Which source row each request replays, and in what order. The rows drawn depend on the seed alone (never on the
// scenario), so the control and a shifted scenario played with one seed send the same rows and differ only by the
// scenario's change.

import { parseDateColumn } from '../../data/date-text';
import { mulberry32, shuffleInPlace } from '../../shared/rng';
import type { RawRow } from '../../shared/types';
import type { ReplayOrder } from './types';

/**
 * Row indices for `count` requests. Up to the number of rows, rows are drawn without replacement: a seeded sample
 * (`shuffled`), the first rows (`as-is`) or the earliest dates (`by-date`). Beyond it every request is an independent
 * seeded draw with replacement, then put in the order asked (row order, or date order).
 */
export function drawRows(rowCount: number, count: number, seed: number, order: ReplayOrder, dates: Float64Array | null): Int32Array {
  const rand = mulberry32(seed);
  let picks: Int32Array;
  if (count <= rowCount) {
    picks = Int32Array.from({ length: rowCount }, (_, i) => i);
    if (order === 'shuffled') shuffleInPlace(picks, rand);
    else if (order === 'by-date') sortByDate(picks, dates);
    return picks.slice(0, count);
  }
  picks = new Int32Array(count);
  for (let i = 0; i < count; i++) picks[i] = Math.floor(rand() * rowCount);
  if (order === 'as-is') picks.sort();
  else if (order === 'by-date') sortByDate(picks, dates);
  return picks;
}

/** Stable on ties: two rows of one date keep their row order, so the replay does not depend on the sort's internals. */
function sortByDate(picks: Int32Array, dates: Float64Array | null): void {
  if (!dates) throw new Error('Replay by date needs the rows\' dates.');
  const sorted = Array.from(picks).sort((a, b) => dates[a] - dates[b] || a - b);
  picks.set(sorted);
}

/**
 * Each row's date in ms since 1970 (UTC): text read the way the import reads a date column (one day/month convention
 * for the whole column), numbers taken as ms already. A row without a readable date is an error naming the row,
 * since a request cannot be placed on the calendar without one.
 */
export function rowDates(rows: readonly RawRow[], column: string): Float64Array {
  const texts: string[] = [];
  const textAt: number[] = [];
  const out = new Float64Array(rows.length);
  rows.forEach((row, i) => {
    const v = row[column];
    if (typeof v === 'string') {
      texts.push(v);
      textAt.push(i);
    } else out[i] = typeof v === 'number' ? v : Number.NaN;
  });
  const parsed = parseDateColumn(texts);
  textAt.forEach((rowIndex, k) => (out[rowIndex] = parsed[k]));
  for (let i = 0; i < out.length; i++) {
    if (!Number.isFinite(out[i])) {
      const shown = rows[i][column] === undefined ? 'no such column' : JSON.stringify(rows[i][column]);
      throw new Error(`Replay by date: row ${i + 1} has no readable date in column "${column}" (${shown}).`);
    }
  }
  return out;
}
