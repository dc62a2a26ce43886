import type { ColumnData, Table } from './types';

/** A cell as the user would read it; missing values are empty. */
export function cellText(column: ColumnData, row: number): string {
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
