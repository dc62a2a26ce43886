// Collects tokenized rows into a columnar text table, tracking the source line where each row
// starts so every later message can point at a line the user can find in an editor.

import type { RawTable } from '../src/core/infer';
import { MAX_ROWS, tooManyRows } from './formats/limits';

const PREVIEW_ROWS = 20;
const MAX_RAGGED_SHOWN = 3;

function isBlank(row: string[]): boolean {
  return row.every((field) => field.trim() === '');
}

export class RowCollector {
  header: string[] | null = null;
  columns: string[][] = [];
  rowCount = 0;
  preview: string[][] = [];
  raggedCount = 0;
  private ragged: { line: number; fields: number }[] = [];
  private lines = new Int32Array(1024);

  constructor(private readonly fileName: string) {}

  /** Adds one row in file order, with the line it starts on; returns an error message to stop. */
  add(row: string[], line: number): string | void {
    // Blank lines (including ones of only separators) are skipped.
    if (isBlank(row)) return;
    if (this.header === null) {
      this.header = row;
      this.columns = row.map(() => []);
    } else if (row.length !== this.header.length) {
      this.raggedCount++;
      if (this.ragged.length < MAX_RAGGED_SHOWN) this.ragged.push({ line, fields: row.length });
    } else {
      if (this.rowCount >= MAX_ROWS) return tooManyRows(this.fileName);
      this.push(row, line);
    }
  }

  raggedMessage(): string | null {
    if (this.raggedCount === 0 || this.header === null) return null;
    const width = this.header.length;
    const shown = this.ragged.map((r) => `Line ${r.line} has ${r.fields} field${r.fields === 1 ? '' : 's'} but the header has ${width}.`);
    const total = this.raggedCount > shown.length ? ` ${this.raggedCount} lines in all have the wrong number of fields.` : '';
    return `${shown.join(' ')}${total} A value that contains the separator must be in double quotes.`;
  }

  table(header: string[]): RawTable {
    return { header, columns: this.columns, rowCount: this.rowCount, lines: this.lines.slice(0, this.rowCount) };
  }

  private push(row: string[], line: number): void {
    if (this.rowCount === this.lines.length) {
      const grown = new Int32Array(this.lines.length * 2);
      grown.set(this.lines);
      this.lines = grown;
    }
    this.lines[this.rowCount] = line;
    for (let c = 0; c < row.length; c++) this.columns[c].push(row[c]);
    if (this.preview.length < PREVIEW_ROWS) this.preview.push(row);
    this.rowCount++;
  }
}
