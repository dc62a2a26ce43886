// Sorting runs by any column. Missing values sort last in both directions, so flipping the order
// never brings a column of blanks to the top.

import type { Run } from '../../shared/types';
import { cellValue, type CellValue, type RunColumn } from './columns';
import type { HistoryPick } from './history';

export type SortDirection = 'ascending' | 'descending';

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

/** Ascending order of two present values: numbers before booleans before text when kinds mix. */
export function compareValues(a: Exclude<CellValue, undefined>, b: Exclude<CellValue, undefined>): number {
  const rank = (v: typeof a) => (typeof v === 'number' ? 0 : typeof v === 'boolean' ? 1 : 2);
  if (rank(a) !== rank(b)) return rank(a) - rank(b);
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  return collator.compare(String(a), String(b));
}

/** A sorted copy; ties keep their order (newest first as listed), so the sort is stable. */
export function sortRuns(runs: readonly Run[], col: Pick<RunColumn, 'kind' | 'key'>, direction: SortDirection, pick: HistoryPick): Run[] {
  const sign = direction === 'ascending' ? 1 : -1;
  const keyed = runs.map((run, index) => ({ run, index, value: cellValue(run, col, pick) }));
  keyed.sort((x, y) => {
    if (x.value === undefined || y.value === undefined) {
      if (x.value === y.value) return x.index - y.index;
      return x.value === undefined ? 1 : -1;
    }
    return sign * compareValues(x.value, y.value) || x.index - y.index;
  });
  return keyed.map((k) => k.run);
}
