// Collects tokenized fields straight into columns (CellColumn: numbers read from the characters,
// other texts decoded once per distinct value), tracking the source line where each row starts so
// every later message can point at a line the user can find in an editor.

import { CellColumn } from '../../src/core/data/cell-column';
import type { RawTable } from '../../src/core/data/type-guess';
import type { FieldSink } from './formats/csv-tokenizer';
import { MAX_ROWS, tooManyRows } from './formats/limits';

const PREVIEW_ROWS = 20;
const MAX_RAGGED_SHOWN = 3;

/** Whether text.slice(start, end) is only whitespace, usually without making the string. */
function blankRange(text: string, start: number, end: number): boolean {
  if (end === start) return true;
  const c = text.charCodeAt(start);
  // A printable ASCII first character is one trim() keeps.
  if (c > 32 && c < 127) return false;
  return text.slice(start, end).trim() === '';
}

export class RowCollector implements FieldSink {
  header: string[] | null = null;
  columns: CellColumn[] = [];
  rowCount = 0;
  preview: string[][] = [];
  raggedCount = 0;
  private ragged: { line: number; fields: number }[] = [];
  private lines = new Int32Array(1024);
  /** The row being read: its fields so far, whether all were blank, and its text while it may be shown. */
  private fieldIndex = 0;
  private blank = true;
  private texts: string[] = [];

  /** `expectedRows` sizes the columns up front (an estimate; they grow past it). */
  constructor(
    private readonly fileName: string,
    private readonly expectedRows = 0,
  ) {}

  field(text: string, start: number, end: number): void {
    if (this.blank && !blankRange(text, start, end)) this.blank = false;
    const c = this.fieldIndex++;
    // Until the header is known, and for the preview rows, the fields are kept as text too.
    if (this.header === null || this.rowCount < PREVIEW_ROWS) this.texts.push(text.slice(start, end));
    // Cells go in at row `rowCount`; a row that turns out ragged is simply overwritten by the next.
    if (this.header !== null && c < this.columns.length) this.columns[c].setRange(this.rowCount, text, start, end);
  }

  /** Ends the row that began on `line`; returns an error message to stop. */
  row(line: number): string | void {
    const fields = this.fieldIndex;
    const blank = this.blank;
    const texts = this.texts;
    this.fieldIndex = 0;
    this.blank = true;
    this.texts = [];
    // Blank lines (including ones of only separators) are skipped.
    if (blank) return;
    if (this.header === null) {
      this.header = texts;
      this.columns = texts.map(() => new CellColumn(this.expectedRows));
    } else if (fields !== this.header.length) {
      this.raggedCount++;
      if (this.ragged.length < MAX_RAGGED_SHOWN) this.ragged.push({ line, fields });
    } else {
      if (this.rowCount >= MAX_ROWS) return tooManyRows(this.fileName);
      this.commit(texts, line);
    }
  }

  /** Adds one row given as strings, as the tokenizer would field by field. */
  add(row: string[], line: number): string | void {
    for (const cell of row) this.field(cell, 0, cell.length);
    return this.row(line);
  }

  raggedMessage(): string | null {
    if (this.raggedCount === 0 || this.header === null) return null;
    const width = this.header.length;
    const shown = this.ragged.map((r) => `Line ${r.line} has ${r.fields} field${r.fields === 1 ? '' : 's'} but the header has ${width}.`);
    const total = this.raggedCount > shown.length ? ` ${this.raggedCount} lines in all have the wrong number of fields.` : '';
    return `${shown.join(' ')}${total} A value that contains the separator must be in double quotes.`;
  }

  table(header: string[]): RawTable {
    for (const column of this.columns) column.trim(this.rowCount);
    return { header, columns: this.columns, rowCount: this.rowCount, lines: this.lines.slice(0, this.rowCount) };
  }

  private commit(texts: string[], line: number): void {
    if (this.rowCount === this.lines.length) {
      const grown = new Int32Array(this.lines.length * 2);
      grown.set(this.lines);
      this.lines = grown;
    }
    this.lines[this.rowCount] = line;
    if (this.preview.length < PREVIEW_ROWS) this.preview.push(texts);
    this.rowCount++;
  }
}
