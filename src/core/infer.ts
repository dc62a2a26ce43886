// The text table a file parses into, and the first guesses about it: names, types, problems.

import type { ColumnType, RawRow } from './types';
import type { CellProblem, ColumnGuess } from './worker-api';
import { isMissing, parseNumber } from './missing';

export interface RawTable {
  header: string[];
  /** columns[c][r]: the cell text as read, untrimmed. */
  columns: string[][];
  rowCount: number;
  /** 1-based source line where each row starts; 0 when rows did not come from lines (records). */
  lines: Int32Array;
}

/** Share of non-missing cells that must parse before a column with some bad cells is still a number. */
const NUMBER_SHARE = 0.8;
const MAX_PROBLEMS = 5;

/** Where a row came from, for messages: "line 12" for files, "record 12" for in-memory records. */
export function rowPlace(raw: RawTable, row: number): string {
  const line = raw.lines[row];
  return line > 0 ? `line ${line}` : `record ${row + 1}`;
}

export function notANumberProblem(raw: RawTable, column: number, row: number): CellProblem {
  const value = raw.columns[column][row];
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
 * for float32 (kept in the dataset, but they overflow once a model sees them).
 */
function specialProblems(raw: RawTable, c: number, isNumber: boolean): CellProblem[] {
  const cells = raw.columns[c];
  const name = raw.header[c];
  let nanCount = 0;
  let nanRow = -1;
  let hugeCount = 0;
  let hugeRow = -1;
  for (let r = 0; r < raw.rowCount; r++) {
    const cell = cells[r];
    const t = cell.length <= 8 ? cell.trim() : '';
    if (t === 'NaN' || t === 'nan') {
      if (nanCount++ === 0) nanRow = r;
      // Beyond float32 a number needs 39 digits or an exponent; only those are worth parsing again.
    } else if (isNumber && (cell.length > 38 || cell.includes('e') || cell.includes('E'))) {
      const n = parseNumber(cell);
      if (n !== null && Math.abs(n) > FLOAT32_MAX && hugeCount++ === 0) hugeRow = r;
    }
  }
  const out: CellProblem[] = [];
  if (nanCount > 0) {
    out.push({
      column: name,
      line: raw.lines[nanRow],
      value: cells[nanRow],
      message: `${nanCount} cell${nanCount === 1 ? ' says' : 's say'} "NaN" (first at ${rowPlace(raw, nanRow)}); NaN is treated as missing.`,
    });
  }
  if (hugeCount > 0) {
    out.push({
      column: name,
      line: raw.lines[hugeRow],
      value: cells[hugeRow],
      message:
        `${hugeCount} value${hugeCount === 1 ? ' is' : 's are'} beyond float32's range of ±3.4e38 (first "${cells[hugeRow].trim()}" at ${rowPlace(raw, hugeRow)}); ` +
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
  /** The parsed numbers, in row order, when the column is a number. */
  numbers: Float64Array | null;
  /** Rows of the first few cells that do not parse, when the column is a number. */
  bad: number[];
}

/** Decides a column's type from how many of its present cells parse as numbers. */
function scanType(raw: RawTable, c: number): TypeScan {
  const cells = raw.columns[c];
  const numbers = new Float64Array(raw.rowCount);
  let missing = 0;
  let parsed = 0;
  const bad: number[] = [];
  for (let r = 0; r < raw.rowCount; r++) {
    const cell = cells[r];
    if (isMissing(cell)) {
      missing++;
      continue;
    }
    const n = parseNumber(cell);
    if (n === null) {
      if (bad.length < MAX_PROBLEMS) bad.push(r);
    } else numbers[parsed++] = n;
  }
  const present = raw.rowCount - missing;
  // An all-missing column gives nothing to go on; category is the type that never rejects a value.
  const isNumber = present > 0 && parsed >= NUMBER_SHARE * present;
  return isNumber
    ? { type: 'number', missing, numbers: numbers.subarray(0, parsed), bad: parsed === present ? [] : bad }
    : { type: 'category', missing, numbers: null, bad: [] };
}

/** Just the guessed type of column `c`, without the counts. */
export function guessType(raw: RawTable, c: number): ColumnType {
  return scanType(raw, c).type;
}

function guessColumn(raw: RawTable, c: number, name: string): ColumnGuess {
  const scan = scanType(raw, c);
  if (scan.numbers === null) {
    const texts = new Set<string>();
    const cells = raw.columns[c];
    for (let r = 0; r < raw.rowCount; r++) if (!isMissing(cells[r])) texts.add(cells[r].trim());
    return { name, type: 'category', missing: scan.missing, unique: texts.size, problems: specialProblems(raw, c, false) };
  }
  return {
    name,
    type: 'number',
    missing: scan.missing,
    unique: countDistinct(scan.numbers),
    problems: [...scan.bad.map((r) => notANumberProblem(raw, c, r)), ...specialProblems(raw, c, true)],
  };
}

/** Distinct values by sorting, which is much faster than a Set for large numeric columns. */
function countDistinct(values: Float64Array): number {
  if (values.length === 0) return 0;
  const sorted = values.slice().sort();
  let unique = 1;
  for (let i = 1; i < sorted.length; i++) if (sorted[i] !== sorted[i - 1]) unique++;
  return unique;
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
export function rawFromRecords(records: RawRow[]): RawTable {
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
      columns[c][r] = cellText(Object.hasOwn(record, key) ? record[key] : undefined);
    });
  });
  return { header, columns, rowCount: records.length, lines: new Int32Array(records.length) };
}

function cellText(v: RawRow[string] | undefined): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  return v;
}
