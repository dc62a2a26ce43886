import { allMidnight, dateText } from '../serving/dates.js';
import type { ColumnData, Table } from '../shared/types';

/** Date columns known to be all midnight, so each is checked once, not per cell. */
const dateOnly = new WeakMap<Float64Array, boolean>();

/** Whether a date column is shown as plain dates (every value at midnight UTC) rather than date-times. */
export function showsDateOnly(values: Float64Array): boolean {
  let only = dateOnly.get(values);
  if (only === undefined) {
    only = allMidnight(values);
    dateOnly.set(values, only);
  }
  return only;
}

/** A cell as the user would read it; missing values are empty, dates are ISO text. */
export function cellText(column: ColumnData, row: number): string {
  if (column.kind === 'date') return dateText(column.values[row], showsDateOnly(column.values));
  if (column.kind === 'number') {
    const v = column.values[row];
    return Number.isNaN(v) ? '' : String(v);
  }
  if (column.kind === 'image') return `image ${column.width}x${column.height}x${column.channels}`;
  const code = column.codes[row];
  return code < 0 ? '' : (column.dictionary[code] ?? '');
}

export function previewRows(table: Table, limit: number): string[][] {
  const rows: string[][] = [];
  const n = Math.min(limit, table.rowCount);
  for (let r = 0; r < n; r++) rows.push(table.columns.map((c) => cellText(c, r)));
  return rows;
}
