// Parquet column chunks written straight into CellColumns: Parquet is columnar already, so no row
// arrays are assembled and no number becomes a string. A cell reads as the text the record path
// (cellText) would give it, so typing and the stored dataset do not depend on the route.

import { CellColumn } from '../../../src/core/data/cell-column';
import type { RawTable } from '../../../src/core/data/type-guess';
import { cellText } from './records';

const PREVIEW_ROWS = 20;
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** A chunk of one column as hyparquet decodes it: a plain array or a typed array. */
export type ChunkValues = ArrayLike<unknown>;

export class ParquetColumns {
  readonly columns: CellColumn[];
  rowCount = 0;
  /** Per column: a timestamp's ISO text by its time, made once per distinct time. */
  private readonly dates: Map<number, string>[];
  private readonly index: Map<string, number>;

  constructor(
    readonly header: string[],
    expectedRows: number,
  ) {
    this.columns = header.map(() => new CellColumn(expectedRows));
    this.dates = header.map(() => new Map());
    this.index = new Map(header.map((name, c) => [name, c]));
  }

  /** Writes `values` into column `name` from row `rowStart`, keeping only rows below `rowEnd`. */
  add(name: string, values: ChunkValues, rowStart: number, rowEnd: number): void {
    const c = this.index.get(name);
    if (c === undefined) return;
    const column = this.columns[c];
    const count = Math.min(values.length, rowEnd - rowStart);
    if (values instanceof Float64Array || values instanceof Float32Array || values instanceof Int32Array) {
      for (let i = 0; i < count; i++) column.setNumber(rowStart + i, values[i]);
    } else {
      for (let i = 0; i < count; i++) this.set(c, rowStart + i, values[i]);
    }
  }

  /** The rows read so far are complete. */
  endRows(rowEnd: number): void {
    this.rowCount = rowEnd;
  }

  table(header: string[]): RawTable {
    for (const column of this.columns) column.trim(this.rowCount);
    return { header, columns: this.columns, rowCount: this.rowCount, lines: new Int32Array(this.rowCount) };
  }

  preview(): string[][] {
    const n = Math.min(this.rowCount, PREVIEW_ROWS);
    return Array.from({ length: n }, (_, r) => this.columns.map((column) => column.textAt(r)));
  }

  private set(c: number, row: number, value: unknown): void {
    const column = this.columns[c];
    switch (typeof value) {
      case 'number':
        column.setNumber(row, value);
        return;
      case 'bigint':
        // Within 2^53 the number prints exactly as the bigint does.
        if (value <= MAX_SAFE && value >= -MAX_SAFE) column.setNumber(row, Number(value));
        else column.setText(row, String(value));
        return;
      case 'string':
        column.setText(row, value);
        return;
      default:
        if (value instanceof Date) {
          const time = value.getTime();
          const dates = this.dates[c];
          let text = dates.get(time);
          if (text === undefined) {
            text = cellText(value);
            dates.set(time, text);
          }
          column.setText(row, text);
        } else column.setText(row, cellText(value));
    }
  }
}
