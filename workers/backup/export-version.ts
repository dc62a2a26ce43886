// A stored version as a CSV or Parquet file, made in the worker from the version it reads by id; the page receives
// the file as a Blob (the browser keeps its bytes) and saves it. The split assignment is not written: importing the
// file with the version's split spec draws the same one again.

import { parquetWriteBuffer, type ColumnSource } from 'hyparquet-writer';
import { csvHeader, csvRefusal, csvRows } from '../../src/core/data/export/csv';
import type { ColumnData, DatasetVersion, Table } from '../../src/core/shared/types';
import type { VersionExportOutcome } from '../../src/core/contracts/parse';

/** Rows per piece of CSV text: bounded strings rather than one of the whole version. */
const CSV_ROWS_PER_PIECE = 20_000;

export function exportFileName(version: DatasetVersion, extension: 'csv' | 'parquet'): string {
  const base = version.name.replace(/[^\p{L}\p{N}._-]+/gu, '-').replace(/^-+|-+$/g, '') || 'version';
  return `${base}-${version.id.slice(0, 8)}.${extension}`;
}

export function versionCsv(version: DatasetVersion, table: Table): VersionExportOutcome {
  const refusal = csvRefusal(version.schema);
  if (refusal) return { ok: false, message: refusal };
  const pieces: string[] = [csvHeader(version.schema)];
  for (let from = 0; from < table.rowCount; from += CSV_ROWS_PER_PIECE) {
    pieces.push(csvRows(table, from, Math.min(table.rowCount, from + CSV_ROWS_PER_PIECE)));
  }
  return { ok: true, file: new Blob(pieces, { type: 'text/csv;charset=utf-8' }), fileName: exportFileName(version, 'csv'), rows: table.rowCount };
}

export function versionParquet(version: DatasetVersion, table: Table): VersionExportOutcome {
  const refusal = csvRefusal(version.schema);
  if (refusal) return { ok: false, message: refusal };
  const columnData: ColumnSource[] = version.schema.map((column, i) => parquetColumn(column.name, table.columns[i], table.rowCount));
  const bytes = parquetWriteBuffer({ columnData, createdBy: 'Loopbench' });
  return { ok: true, file: new Blob([bytes], { type: 'application/vnd.apache.parquet' }), fileName: exportFileName(version, 'parquet'), rows: table.rowCount };
}

/** Numbers as DOUBLE, categories as UTF-8 strings, dates as TIMESTAMP (ms, UTC); a missing cell is null. */
function parquetColumn(name: string, column: ColumnData, rowCount: number): ColumnSource {
  switch (column.kind) {
    case 'number': {
      const data: (number | null)[] = new Array(rowCount);
      for (let r = 0; r < rowCount; r++) data[r] = Number.isNaN(column.values[r]) ? null : column.values[r];
      return { name, data, type: 'DOUBLE' };
    }
    case 'date': {
      const data: (Date | null)[] = new Array(rowCount);
      for (let r = 0; r < rowCount; r++) data[r] = Number.isFinite(column.values[r]) ? new Date(column.values[r]) : null;
      return { name, data, type: 'TIMESTAMP' };
    }
    case 'category': {
      const data: (string | null)[] = new Array(rowCount);
      for (let r = 0; r < rowCount; r++) data[r] = column.codes[r] < 0 ? null : column.dictionary[column.codes[r]];
      return { name, data, type: 'STRING' };
    }
    case 'image':
      throw new Error(`the image column "${name}" has no Parquet form (check csvRefusal first)`);
  }
}
