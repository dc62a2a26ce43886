// A stored version's cells as CSV text, a block of rows at a time. Text a spreadsheet would run as a formula
// (OWASP "CSV injection": a cell starting with =, +, -, @, tab or carriage return) is written with a leading
// apostrophe, in category cells and column names; number cells are written plainly, since -3.5 in a number column
// is a number and no formula. Dates are ISO 8601 (UTC), missing cells empty.

import type { ColumnSchema, Table } from '../../shared/types';

const FORMULA_START = /^[=+\-@\t\r]/;

/** The cell as a spreadsheet will take it as text: a leading apostrophe when it could start a formula. */
export function guardCell(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/** RFC 4180 quoting: a field holding the separator, a quote or a line break is quoted, its quotes doubled. */
export function quoteField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvHeader(schema: readonly ColumnSchema[]): string {
  return schema.map((c) => quoteField(guardCell(c.name))).join(',') + '\r\n';
}

/** Image columns have no text form; the export refuses them up front with this message. */
export function csvRefusal(schema: readonly ColumnSchema[]): string | null {
  const images = schema.filter((c) => c.type === 'image').map((c) => `"${c.name}"`);
  return images.length === 0 ? null : `The version has image columns (${images.join(', ')}), which CSV and Parquet exports cannot hold.`;
}

/** Rows [from, to) of the table as CSV lines, each ending in CRLF. */
export function csvRows(table: Table, from: number, to: number): string {
  const cells = table.columns.map((column) => {
    switch (column.kind) {
      case 'number':
        return (r: number): string => {
          const v = column.values[r];
          return Number.isNaN(v) ? '' : String(v);
        };
      case 'date':
        return (r: number): string => {
          const v = column.values[r];
          return Number.isFinite(v) ? new Date(v).toISOString() : '';
        };
      case 'category': {
        // Each dictionary value is guarded and quoted once, not once per row.
        const written = column.dictionary.map((value) => quoteField(guardCell(value)));
        return (r: number): string => {
          const code = column.codes[r];
          return code < 0 ? '' : written[code];
        };
      }
      case 'image':
        throw new Error('an image column has no CSV form (check csvRefusal first)');
    }
  });
  let out = '';
  for (let r = from; r < to; r++) out += cells.map((cell) => cell(r)).join(',') + '\r\n';
  return out;
}
