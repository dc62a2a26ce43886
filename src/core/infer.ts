// The text table a file parses into, and the first guesses about it: names, types, problems.

import type { ColumnType, NumberSummary, RawRow } from './types';
import type { CellProblem, ColumnGuess } from './worker-api';
import { isMissing, parseNumber } from './missing';
import { CellColumn, EMPTY, SHORTEST, TEXT, cellColumnOf } from './cell-column';
import { summarizeNumbers } from './summary';

export interface RawTable {
  header: string[];
  /**
   * Each column's cells as read, untrimmed: compact CellColumns from the file readers, or plain
   * strings (records, tests), which are turned into a CellColumn the first time they are typed.
   */
  columns: (CellColumn | string[])[];
  rowCount: number;
  /** 1-based source line where each row starts; 0 when rows did not come from lines (records). */
  lines: Int32Array;
}

/** A raw table whose cells are all strings (records, tests). */
export interface TextTable extends RawTable {
  columns: string[][];
}

/** Share of non-missing cells that must parse before a column with some bad cells is still a number. */
const NUMBER_SHARE = 0.8;
const MAX_PROBLEMS = 5;

/** Where a row came from, for messages: "line 12" for files, "record 12" for in-memory records. */
export function rowPlace(raw: RawTable, row: number): string {
  const line = raw.lines[row];
  return line > 0 ? `line ${line}` : `record ${row + 1}`;
}

const converted = new WeakMap<string[], CellColumn>();

/** Column `c` as a CellColumn, converting (once) a column given as strings. */
export function cellsOf(raw: RawTable, c: number): CellColumn {
  const column = raw.columns[c];
  if (column instanceof CellColumn) return column;
  let cells = converted.get(column);
  if (cells === undefined) {
    cells = cellColumnOf(column, raw.rowCount);
    converted.set(column, cells);
  }
  return cells;
}

/** The text of one cell exactly as read. */
export function cellText(raw: RawTable, c: number, row: number): string {
  const column = raw.columns[c];
  return column instanceof CellColumn ? column.textAt(row) : column[row];
}

export function notANumberProblem(raw: RawTable, column: number, row: number): CellProblem {
  const value = cellText(raw, column, row);
  const name = raw.header[column];
  return {
    column: name,
    line: raw.lines[row],
    value,
    message: NON_FINITE.has(value.trim())
      ? `"${value.trim()}" is not a finite number (${rowPlace(raw, row)}, column "${name}"); ` +
        'a number column cannot hold it: replace it or set the column to category'
      : `"${value.trim()}" is not a number (${rowPlace(raw, row)}, column "${name}")`,
  };
}

/** Spellings of infinity that parse in JavaScript but are not values a model can learn from. */
const NON_FINITE = new Set(['Infinity', '+Infinity', '-Infinity', 'inf', '-inf', 'Inf', '-Inf', 'INF', '-INF']);
/** Largest float32: models compute in float32, where anything larger becomes Infinity. */
const FLOAT32_MAX = 3.4028234663852886e38;

/**
 * Cells that are kept as written but deserve a word: "NaN" (read as missing) and numbers too large
 * for float32 (kept in the dataset, but they overflow once a model sees them). Counted by the scan.
 */
function specialProblems(raw: RawTable, c: number, scan: TypeScan): CellProblem[] {
  const name = raw.header[c];
  const { nanCount, nanRow, hugeCount, hugeRow } = scan;
  const out: CellProblem[] = [];
  if (nanCount > 0) {
    out.push({
      column: name,
      line: raw.lines[nanRow],
      value: cellText(raw, c, nanRow),
      message: `${nanCount} cell${nanCount === 1 ? ' says' : 's say'} "NaN" (first at ${rowPlace(raw, nanRow)}); NaN is treated as missing.`,
    });
  }
  if (scan.type === 'number' && hugeCount > 0) {
    out.push({
      column: name,
      line: raw.lines[hugeRow],
      value: cellText(raw, c, hugeRow),
      message:
        `${hugeCount} value${hugeCount === 1 ? ' is' : 's are'} beyond float32's range of ±3.4e38 (first "${cellText(raw, c, hugeRow).trim()}" at ${rowPlace(raw, hugeRow)}); ` +
        'the dataset keeps them, but a model computes in float32 where they become Infinity: rescale or clip the column.',
    });
  }
  return out;
}

export function guessColumns(raw: RawTable): ColumnGuess[] {
  return raw.header.map((name, c) => guessColumn(raw, c, name));
}

interface TypeScan {
  type: ColumnType;
  missing: number;
  /** When the column is a number: one value per row, NaN where the cell is missing or does not parse. */
  values: Float64Array | null;
  /** The number column's profile, worked out once for the guess and reused by the build. */
  summary: NumberSummary | null;
  /** Rows of the first few cells that do not parse, when the column is a number. */
  bad: number[];
  badCount: number;
  nanCount: number;
  nanRow: number;
  /** Parsed values beyond float32's range. */
  hugeCount: number;
  hugeRow: number;
}

/**
 * Scans are kept per table: guessing, the build's plan and the number conversion all need the same
 * reading of every cell, and a million-row column is worth reading once. Tables are not changed
 * after parsing, and the entry goes when the table does.
 */
const scans = new WeakMap<RawTable, (TypeScan | undefined)[]>();

function scanType(raw: RawTable, c: number): TypeScan {
  let kept = scans.get(raw);
  if (kept === undefined) {
    kept = [];
    scans.set(raw, kept);
  }
  return (kept[c] ??= scanColumn(raw, c));
}

const enum TextKind {
  Bad,
  Number,
  Missing,
  /** Missing, spelled "NaN": worth a word of its own. */
  NaN,
}

/** What each distinct text of a column is: read once per distinct text, not once per cell. */
function readTexts(texts: readonly string[]): { kinds: Uint8Array; numbers: Float64Array } {
  const kinds = new Uint8Array(texts.length);
  const numbers = new Float64Array(texts.length).fill(NaN);
  texts.forEach((text, i) => {
    if (isMissing(text)) {
      const t = text.length <= 8 ? text.trim() : '';
      kinds[i] = t === 'NaN' || t === 'nan' ? TextKind.NaN : TextKind.Missing;
      return;
    }
    const n = parseNumber(text);
    if (n === null) kinds[i] = TextKind.Bad;
    else {
      kinds[i] = TextKind.Number;
      numbers[i] = n;
    }
  });
  return { kinds, numbers };
}

/**
 * Column `c` as numbers: NaN where a cell is missing or does not parse, with the rows of the first
 * few that do not parse and how many there are.
 */
function readNumbers(raw: RawTable, c: number): { values: Float64Array; bad: number[]; badCount: number } {
  const column = cellsOf(raw, c);
  const rows = raw.rowCount;
  const { formats } = column;
  const values = column.values.slice(0, rows);
  const { kinds, numbers } = readTexts(column.texts);
  const bad: number[] = [];
  let badCount = 0;
  for (let r = 0; r < rows; r++) {
    if (formats[r] !== TEXT) continue;
    const t = values[r];
    values[r] = numbers[t];
    if (kinds[t] === TextKind.Bad && badCount++ < MAX_PROBLEMS) bad.push(r);
  }
  return { values, bad, badCount };
}

/** Decides a column's type from how many of its present cells parse as numbers. */
function scanColumn(raw: RawTable, c: number): TypeScan {
  const column = cellsOf(raw, c);
  const { formats, values } = column;
  const { kinds, numbers } = readTexts(column.texts);
  let missing = 0;
  let parsed = 0;
  let nanCount = 0;
  let nanRow = -1;
  let hugeCount = 0;
  let hugeRow = -1;
  for (let r = 0; r < raw.rowCount; r++) {
    const f = formats[r];
    let n: number;
    if (f < SHORTEST) {
      // Fixed notation with at most 15 digits: never beyond float32's range.
      parsed++;
      continue;
    } else if (f === SHORTEST) n = values[r];
    else if (f === EMPTY) {
      missing++;
      continue;
    } else {
      const kind = kinds[values[r]];
      if (kind === TextKind.Bad) continue;
      if (kind !== TextKind.Number) {
        missing++;
        if (kind === TextKind.NaN && nanCount++ === 0) nanRow = r;
        continue;
      }
      n = numbers[values[r]];
    }
    parsed++;
    if (Math.abs(n) > FLOAT32_MAX && hugeCount++ === 0) hugeRow = r;
  }
  const present = raw.rowCount - missing;
  // An all-missing column gives nothing to go on; category is the type that never rejects a value.
  const isNumber = present > 0 && parsed >= NUMBER_SHARE * present;
  const counts = { missing, nanCount, nanRow, hugeCount, hugeRow };
  if (!isNumber) return { type: 'category', values: null, summary: null, bad: [], badCount: 0, ...counts };
  const read = readNumbers(raw, c);
  return { type: 'number', values: read.values, summary: null, bad: read.bad, badCount: read.badCount, ...counts };
}

/** Just the guessed type of column `c`, without the counts. */
export function guessType(raw: RawTable, c: number): ColumnType {
  return scanType(raw, c).type;
}

/** The profile of a number column's scanned values, worked out on first use. */
function numberSummary(scan: TypeScan, values: Float64Array): NumberSummary {
  return (scan.summary ??= summarizeNumbers(values));
}

/**
 * Column `c` as numbers (NaN for missing), with the rows of its first unparsable cells, how many
 * there are and the values' profile. When the guess read it as a number column this is that scan,
 * copied so the caller may hand it away; otherwise the column is read as numbers now.
 */
export function numbersOf(
  raw: RawTable,
  c: number,
): { values: Float64Array; bad: number[]; badCount: number; summary: NumberSummary | null } {
  const scan = scanType(raw, c);
  if (scan.values === null) return { ...readNumbers(raw, c), summary: null };
  return { values: scan.values.slice(), bad: scan.bad, badCount: scan.badCount, summary: numberSummary(scan, scan.values) };
}

/** Distinct trimmed texts of the present cells: the category count a guess shows. */
function distinctTexts(raw: RawTable, c: number): number {
  const column = cellsOf(raw, c);
  const { formats, values } = column;
  const used = new Uint8Array(column.texts.length);
  const texts = new Set<string>();
  for (let r = 0; r < raw.rowCount; r++) {
    const f = formats[r];
    if (f === TEXT) used[values[r]] = 1;
    else if (f !== EMPTY) texts.add(column.textAt(r));
  }
  column.texts.forEach((text, i) => {
    if (used[i] === 1 && !isMissing(text)) texts.add(text.trim());
  });
  return texts.size;
}

function guessColumn(raw: RawTable, c: number, name: string): ColumnGuess {
  const scan = scanType(raw, c);
  if (scan.values === null) {
    return { name, type: 'category', missing: scan.missing, unique: distinctTexts(raw, c), problems: specialProblems(raw, c, scan) };
  }
  return {
    name,
    type: 'number',
    missing: scan.missing,
    unique: numberSummary(scan, scan.values).unique,
    problems: [...scan.bad.map((r) => notANumberProblem(raw, c, r)), ...specialProblems(raw, c, scan)],
  };
}

/** Header cells that are all blank, or all numbers, mean the file has no header line. */
export function checkHeader(header: string[]): string | null {
  const named = header.map((h) => h.trim()).filter((h) => h !== '');
  if (named.length === 0) return 'The first line has no column names. Add a header line naming each column.';
  if (named.every((h) => parseNumber(h) !== null)) {
    const shown = named.slice(0, 5).join(', ') + (named.length > 5 ? ', ...' : '');
    return `The first line looks like data, not column names: ${shown}. Add a header line naming each column.`;
  }
  return null;
}

/**
 * Column names made usable as keys: trimmed, blanks named "Column N", and repeats kept but told
 * apart by a suffix ("Mass", "Mass (2)") so no column is lost.
 */
export function uniqueNames(header: string[]): string[] {
  const base = header.map((h, i) => h.trim() || `Column ${i + 1}`);
  const used = new Set<string>();
  const taken = new Set(base);
  return base.map((name) => {
    if (!used.has(name)) {
      used.add(name);
      return name;
    }
    let k = 2;
    while (used.has(`${name} (${k})`) || taken.has(`${name} (${k})`)) k++;
    const unique = `${name} (${k})`;
    used.add(unique);
    return unique;
  });
}

/** Records (e.g. a bundled JSON sample) as a raw text table, so they go through the same checks as a file. */
export function rawFromRecords(records: RawRow[]): TextTable {
  const header: string[] = [];
  const index = new Map<string, number>();
  for (const record of records) {
    for (const key of Object.keys(record)) {
      if (!index.has(key)) {
        index.set(key, header.length);
        header.push(key);
      }
    }
  }
  const columns = header.map(() => new Array<string>(records.length));
  records.forEach((record, r) => {
    header.forEach((key, c) => {
      // Own keys only: a record without "constructor" must not read Object.prototype's.
      columns[c][r] = recordCellText(Object.hasOwn(record, key) ? record[key] : undefined);
    });
  });
  return { header, columns, rowCount: records.length, lines: new Int32Array(records.length) };
}

function recordCellText(v: RawRow[string] | undefined): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  return v;
}
