// Rows of a table as raw values (what a user would type and what serving receives), and the head of a table, for
// previews and for holding the table path against the row path.

import type { ColumnData, RawRow, Table } from '../shared/types';
import { imageRecipeMessage } from './work';
import { isoDate } from '../serving/dates.js';

/**
 * Every cell of row `r`: numbers as numbers, categories as text, missing as null. The object has no prototype, so a
 * column named "__proto__" or "constructor" is an ordinary key.
 */
export function tableRow(table: Table, r: number): RawRow {
  const out: RawRow = Object.create(null);
  table.columns.forEach((col, i) => {
    if (col.kind === 'image') throw new Error(imageRecipeMessage(table.names[i]));
    if (col.kind === 'date') out[table.names[i]] = isoDate(col.values[r]);
    else if (col.kind === 'number') {
      const v = col.values[r];
      out[table.names[i]] = Number.isNaN(v) ? null : v;
    } else {
      const c = col.codes[r];
      out[table.names[i]] = c >= 0 ? (col.dictionary[c] ?? null) : null;
    }
  });
  return out;
}

/** The first `n` rows of a table and its split assignment (sharing nothing with the original). */
export function headTable(table: Table, assignment: Uint8Array, n: number): { table: Table; assignment: Uint8Array } {
  const k = Math.max(0, Math.min(n, table.rowCount));
  return {
    table: {
      names: table.names.slice(),
      rowCount: k,
      columns: table.columns.map((col): ColumnData => {
        if (col.kind === 'number' || col.kind === 'date') return { kind: col.kind, values: col.values.slice(0, k) };
        if (col.kind === 'category') return { kind: 'category', codes: col.codes.slice(0, k), dictionary: col.dictionary };
        return { ...col, pixels: col.pixels.slice(0, k * col.width * col.height * col.channels) };
      }),
    },
    assignment: assignment.slice(0, k),
  };
}
