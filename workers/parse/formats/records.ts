// Collects records (JSON objects) into a columnar text table. Keys live in a Map and
// are read with Object.keys, so names like "__proto__" or "constructor" are ordinary columns.

import type { RawTable } from '../../../src/core/data/type-guess';
import { MAX_COLUMNS, MAX_ROWS, tooManyColumns, tooManyRows } from './limits';

const PREVIEW_ROWS = 20;

/** A cell as text, the way the CSV path would see it: numbers as written, nested values as JSON. */
export function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  switch (typeof value) {
    case 'string':
      return value;
    case 'number':
    case 'bigint':
    case 'boolean':
      return String(value);
    default:
      if (value instanceof Date) return Number.isNaN(value.getTime()) ? '' : value.toISOString();
      return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v)) ?? '';
  }
}

export class RecordCollector {
  readonly header: string[] = [];
  readonly columns: string[][] = [];
  rowCount = 0;
  private readonly index = new Map<string, number>();
  private lines: number[] = [];

  constructor(private readonly fileName: string) {}

  /** Adds one record (own enumerable keys only); `line` is its source line, or 0. Returns an error to stop. */
  add(record: object, line: number): string | null {
    if (this.rowCount >= MAX_ROWS) return tooManyRows(this.fileName);
    const row = this.rowCount;
    for (const [key, value] of Object.entries(record)) {
      let c = this.index.get(key);
      if (c === undefined) {
        if (this.header.length >= MAX_COLUMNS) return tooManyColumns(`"${this.fileName}"`);
        c = this.header.length;
        this.index.set(key, c);
        this.header.push(key);
        // Earlier records lacked this key: their cells are missing.
        this.columns.push(new Array<string>(row).fill(''));
      }
      this.columns[c][row] = cellText(value);
    }
    this.rowCount++;
    // Keys this record lacked are missing too.
    for (const column of this.columns) if (column.length < this.rowCount) column.push('');
    this.lines.push(line);
    return null;
  }

  table(header: string[]): RawTable {
    return { header, columns: this.columns, rowCount: this.rowCount, lines: Int32Array.from(this.lines) };
  }

  preview(): string[][] {
    const n = Math.min(this.rowCount, PREVIEW_ROWS);
    return Array.from({ length: n }, (_, r) => this.columns.map((col) => col[r]));
  }
}
