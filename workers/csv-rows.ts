// Collects papaparse rows into a columnar text table, tracking the source line where each row
// starts so every later message can point at a line the user can find in an editor.

import type { RawTable } from '../src/core/infer';

const PREVIEW_ROWS = 20;
const MAX_RAGGED_SHOWN = 3;

/** Line breaks inside a row's quoted fields: "\n", "\r\n" and a lone "\r" each count once. */
function breaksInside(row: string[]): number {
  let breaks = 0;
  for (const field of row) {
    for (let i = field.indexOf('\n'); i >= 0; i = field.indexOf('\n', i + 1)) breaks++;
    for (let i = field.indexOf('\r'); i >= 0; i = field.indexOf('\r', i + 1)) {
      // A trailing "\r" belongs to a "\r\n" line ending that papaparse split in two.
      if (i + 1 < field.length && field[i + 1] !== '\n') breaks++;
    }
  }
  return breaks;
}

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
  /** Line on which the next row from papaparse starts. */
  private nextLine = 1;

  /** Adds papaparse's rows in file order; returns the start line of each, for locating parse errors. */
  add(rows: string[][]): number[] {
    const starts = new Array<number>(rows.length);
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i];
      const line = this.nextLine;
      starts[i] = line;
      this.nextLine += 1 + breaksInside(row);
      // Blank lines (including ones of only separators) are skipped, as papaparse's 'greedy' mode would.
      if (isBlank(row)) continue;
      if (this.header === null) {
        this.header = row;
        this.columns = row.map(() => []);
      } else if (row.length !== this.header.length) {
        this.raggedCount++;
        if (this.ragged.length < MAX_RAGGED_SHOWN) this.ragged.push({ line, fields: row.length });
      } else {
        this.push(row, line);
      }
    }
    return starts;
  }

  /** Line where the row after the last one added would start. */
  get currentLine(): number {
    return this.nextLine;
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
