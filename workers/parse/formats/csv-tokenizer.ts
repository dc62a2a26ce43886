// A streaming CSV tokenizer: text arrives in chunks of any size and rows come out with the line each
// starts on. Written here rather than taken from papaparse so one pass can count lines exactly, accept
// "\n", "\r\n" and "\r" mixed in one file, and stop at the column and field-length limits while a
// row is still incomplete (a 100 MB line without a break must fail fast, not be buffered whole).

import { MAX_COLUMNS, MAX_FIELD_CHARS, fieldTooLong, tooManyColumns } from './limits';

const QUOTE = 34;
const LF = 10;
const CR = 13;
const SPACE = 32;

const enum State {
  /** At the first character of a field. */
  FieldStart,
  Unquoted,
  Quoted,
  /** Just after a quote inside a quoted field: an escaped quote, or the field's end. */
  QuoteSeen,
  /** After the closing quote: only spaces may come before the separator or line end. */
  AfterQuote,
}

/** Called for each complete row; returning a string stops tokenizing with that message. */
export type RowSink = (fields: string[], line: number) => string | void;

/**
 * Receives a row field by field: `field` gets text.slice(start, end) without that string being made,
 * so a reader can take a number straight from the characters; `row` ends the row that began on
 * `line`, and returning a string stops tokenizing with that message.
 */
export interface FieldSink {
  field(text: string, start: number, end: number): void;
  row(line: number): string | void;
}

/** A RowSink as a FieldSink: each row's fields as strings. */
class RowFields implements FieldSink {
  private fields: string[] = [];
  constructor(private readonly sink: RowSink) {}
  field(text: string, start: number, end: number): void {
    this.fields.push(start === 0 && end === text.length ? text : text.slice(start, end));
  }
  row(line: number): string | void {
    const fields = this.fields;
    this.fields = [];
    return this.sink(fields, line);
  }
}

/** Line breaks inside a quoted value: "\n", "\r\n" and a lone "\r" each count once. */
function breaksIn(text: string): number {
  let breaks = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === LF) breaks++;
    else if (c === CR && text.charCodeAt(i + 1) !== LF) breaks++;
  }
  return breaks;
}

export class CsvTokenizer {
  private state = State.FieldStart;
  /** Fields of the row so far. */
  private fieldCount = 0;
  /** A field's text so far when it is quoted or spans chunks; unquoted fields within a chunk are passed as ranges. */
  private field = '';
  private fieldQuoted = false;
  /** Line the current row started on, and the line the tokenizer is on now. */
  private rowLine = 1;
  private line = 1;
  /** The current unquoted field as a range of the chunk being read; rangeEnd -1 when there is none. */
  private rangeStart = 0;
  private rangeEnd = -1;
  /** A "\r" ended the last chunk: a "\n" starting the next one belongs to it. */
  private pendingCr = false;
  private failed: string | null = null;

  private readonly sink: FieldSink;

  constructor(
    private readonly delimiter: number,
    sink: RowSink | FieldSink,
    private readonly maxColumns = MAX_COLUMNS,
  ) {
    this.sink = typeof sink === 'function' ? new RowFields(sink) : sink;
  }

  /** Feeds the next piece of text; returns an error message once tokenizing has failed. */
  push(text: string): string | null {
    if (this.failed) return this.failed;
    let i = 0;
    const n = text.length;
    if (this.pendingCr) {
      this.pendingCr = false;
      if (n > 0 && text.charCodeAt(0) === LF) i = 1;
    }
    const d = this.delimiter;
    while (i < n) {
      switch (this.state) {
        case State.FieldStart: {
          if (text.charCodeAt(i) === QUOTE) {
            this.state = State.Quoted;
            this.fieldQuoted = true;
            i++;
          } else this.state = State.Unquoted;
          break;
        }
        case State.Unquoted: {
          let j = i;
          let c = 0;
          while (j < n) {
            c = text.charCodeAt(j);
            if (c === d || c === LF || c === CR) break;
            j++;
          }
          // A quote inside an unquoted value is kept as a character, as spreadsheets do.
          if (j === n || this.field !== '') {
            // The field began in an earlier chunk or goes on in the next: gather it as a string.
            if (j > i) {
              this.field = this.field === '' ? text.slice(i, j) : this.field + text.slice(i, j);
              if (this.field.length > MAX_FIELD_CHARS) return this.fail(fieldTooLong(this.rowLine));
            }
            if (j === n) return null;
          } else {
            if (j - i > MAX_FIELD_CHARS) return this.fail(fieldTooLong(this.rowLine));
            this.rangeStart = i;
            this.rangeEnd = j;
          }
          i = this.separator(text, j, c);
          if (this.failed) return this.failed;
          break;
        }
        case State.Quoted: {
          const j = text.indexOf('"', i);
          const end = j < 0 ? n : j;
          if (end > i) {
            this.field = this.field === '' ? text.slice(i, end) : this.field + text.slice(i, end);
            if (this.field.length > MAX_FIELD_CHARS) return this.fail(fieldTooLong(this.rowLine));
          }
          if (j < 0) return null;
          this.state = State.QuoteSeen;
          i = j + 1;
          break;
        }
        case State.QuoteSeen: {
          if (text.charCodeAt(i) === QUOTE) {
            this.field += '"';
            this.state = State.Quoted;
            i++;
          } else this.state = State.AfterQuote;
          break;
        }
        case State.AfterQuote: {
          const c = text.charCodeAt(i);
          if (c === SPACE) i++;
          else if (c === d || c === LF || c === CR) {
            i = this.separator(text, i, c);
            if (this.failed) return this.failed;
          } else {
            return this.fail(
              `Line ${this.rowLine}: a quoted value has extra characters after its closing quote. ` +
                'Inside a quoted value, write a double quote as two ("").',
            );
          }
          break;
        }
      }
    }
    return null;
  }

  /** Ends the text: emits a last row without a line break, or reports an unclosed quote. */
  finish(): string | null {
    if (this.failed) return this.failed;
    if (this.state === State.Quoted) {
      return this.fail(`Line ${this.rowLine}: a quoted value is never closed. Check for a missing closing double quote (").`);
    }
    const pending = this.fieldCount > 0 || this.field !== '' || this.state !== State.FieldStart;
    if (pending) {
      this.endField('');
      if (!this.failed) this.endRow();
    }
    return this.failed;
  }

  /** Handles the separator or line break at `j`; returns where to continue. */
  private separator(text: string, j: number, c: number): number {
    this.endField(text);
    if (this.failed) return text.length;
    if (c === this.delimiter) return j + 1;
    this.endRow();
    if (c === CR) {
      if (j + 1 === text.length) {
        this.pendingCr = true;
        return j + 1;
      }
      if (text.charCodeAt(j + 1) === LF) return j + 2;
    }
    return j + 1;
  }

  /** Ends the field: the range set by the unquoted state in `text` when there is one, else `this.field`. */
  private endField(text: string): void {
    if (this.fieldCount >= this.maxColumns) {
      this.fail(tooManyColumns(`Line ${this.rowLine}`));
      return;
    }
    this.fieldCount++;
    if (this.rangeEnd >= 0) {
      this.sink.field(text, this.rangeStart, this.rangeEnd);
      this.rangeEnd = -1;
    } else {
      if (this.fieldQuoted) this.line += breaksIn(this.field);
      this.sink.field(this.field, 0, this.field.length);
      this.field = '';
    }
    this.fieldQuoted = false;
    this.state = State.FieldStart;
  }

  private endRow(): void {
    this.fieldCount = 0;
    const stop = this.sink.row(this.rowLine);
    this.line++;
    this.rowLine = this.line;
    if (typeof stop === 'string') this.fail(stop);
  }

  private fail(message: string): string {
    this.failed = message;
    return message;
  }
}

const CANDIDATES = [',', '\t', ';', '|'];
const SNIFF_ROWS = 30;

/**
 * The separator that splits the first rows most consistently into more than one field. `preferTab`
 * (a .tsv name) wins ties. Commas are the default when nothing splits.
 */
export function detectDelimiter(sample: string, complete: boolean, preferTab: boolean): string {
  let best = preferTab ? '\t' : ',';
  let bestScore = 0;
  for (const candidate of CANDIDATES) {
    const counts: number[] = [];
    // No column limit while judging: a file too wide to import should be refused for its width
    // under its real separator, not read with another one. The sample is bounded, so this is cheap.
    const tokenizer = new CsvTokenizer(
      candidate.charCodeAt(0),
      (fields) => {
        if (fields.every((f) => f.trim() === '')) return;
        counts.push(fields.length);
        if (counts.length >= SNIFF_ROWS) return 'enough';
      },
      Number.POSITIVE_INFINITY,
    );
    const error = tokenizer.push(sample) ?? (complete ? tokenizer.finish() : null);
    if (error && error !== 'enough') continue;
    if (counts.length === 0 || counts[0] < 2) continue;
    const width = counts[0];
    const consistent = counts.filter((c) => c === width).length / counts.length;
    // Consistency first; among equally consistent splits, more fields means a truer separator.
    const score = consistent * 1000 + Math.min(width, 999) + (candidate === '\t' && preferTab ? 0.5 : 0);
    if (score > bestScore) {
      bestScore = score;
      best = candidate;
    }
  }
  return best;
}
