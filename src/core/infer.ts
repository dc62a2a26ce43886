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
 * for float32 (kept in the dataset, but they overflow once a model sees them). Counted by the scan.
 */
function specialProblems(raw: RawTable, c: number, scan: TypeScan): CellProblem[] {
  const cells = raw.columns[c];
  const name = raw.header[c];
  const { nanCount, nanRow, hugeCount, hugeRow } = scan;
  const out: CellProblem[] = [];
  if (nanCount > 0) {
    out.push({
      column: name,
      line: raw.lines[nanRow],
      value: cells[nanRow],
      message: `${nanCount} cell${nanCount === 1 ? ' says' : 's say'} "NaN" (first at ${rowPlace(raw, nanRow)}); NaN is treated as missing.`,
    });
  }
  if (scan.type === 'number' && hugeCount > 0) {
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
  // One table of slots for every column's distinct count: a new 16 MB buffer per column of a
  // million rows would each push the engine toward a full collection of the whole text table.
  const slots = new Float64Array(distinctSlots(raw.rowCount));
  return raw.header.map((name, c) => guessColumn(raw, c, name, slots));
}

interface TypeScan {
  type: ColumnType;
  missing: number;
  /** When the column is a number: one value per row, NaN where the cell is missing or does not parse. */
  values: Float64Array | null;
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
 * parse of every cell, and a million-row column is worth parsing once. Tables are not changed
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

/** Decides a column's type from how many of its present cells parse as numbers. */
function scanColumn(raw: RawTable, c: number): TypeScan {
  const cells = raw.columns[c];
  const values = new Float64Array(raw.rowCount);
  let missing = 0;
  let parsed = 0;
  const bad: number[] = [];
  let nanCount = 0;
  let nanRow = -1;
  let hugeCount = 0;
  let hugeRow = -1;
  for (let r = 0; r < raw.rowCount; r++) {
    const cell = cells[r];
    if (isMissing(cell)) {
      missing++;
      values[r] = NaN;
      // "NaN" is one of the missing spellings, but worth a word of its own.
      const t = cell.length <= 8 ? cell.trim() : '';
      if ((t === 'NaN' || t === 'nan') && nanCount++ === 0) nanRow = r;
      continue;
    }
    const n = parseNumber(cell);
    if (n === null) {
      values[r] = NaN;
      if (bad.length < MAX_PROBLEMS) bad.push(r);
    } else {
      values[r] = n;
      parsed++;
      if (Math.abs(n) > FLOAT32_MAX && hugeCount++ === 0) hugeRow = r;
    }
  }
  const present = raw.rowCount - missing;
  // An all-missing column gives nothing to go on; category is the type that never rejects a value.
  const isNumber = present > 0 && parsed >= NUMBER_SHARE * present;
  const counts = { missing, nanCount, nanRow, hugeCount, hugeRow };
  return isNumber
    ? { type: 'number', values, bad: parsed === present ? [] : bad, badCount: present - parsed, ...counts }
    : { type: 'category', values: null, bad: [], badCount: 0, ...counts };
}

/** Just the guessed type of column `c`, without the counts. */
export function guessType(raw: RawTable, c: number): ColumnType {
  return scanType(raw, c).type;
}

/**
 * Column `c` as numbers (NaN for missing), with the rows of its first unparsable cells and how many
 * there are, when the guess already read it as a number column; null otherwise. A fresh copy, so
 * the caller may hand it away.
 */
export function scannedNumbers(raw: RawTable, c: number): { values: Float64Array; bad: number[]; badCount: number } | null {
  const scan = scanType(raw, c);
  if (scan.values === null) return null;
  return { values: scan.values.slice(), bad: scan.bad, badCount: scan.badCount };
}

function guessColumn(raw: RawTable, c: number, name: string, slots: Float64Array): ColumnGuess {
  const scan = scanType(raw, c);
  if (scan.values === null) {
    const texts = new Set<string>();
    const cells = raw.columns[c];
    for (let r = 0; r < raw.rowCount; r++) if (!isMissing(cells[r])) texts.add(cells[r].trim());
    return { name, type: 'category', missing: scan.missing, unique: texts.size, problems: specialProblems(raw, c, scan) };
  }
  return {
    name,
    type: 'number',
    missing: scan.missing,
    unique: countDistinct(scan.values, slots),
    problems: [...scan.bad.map((r) => notANumberProblem(raw, c, r)), ...specialProblems(raw, c, scan)],
  };
}

/** The slot count countDistinct needs for `rows` values: a power of two, at least twice as many. */
function distinctSlots(rows: number): number {
  let size = 16;
  while (size < rows * 2) size *= 2;
  return size;
}

/**
 * Distinct values, NaN (no value) not counted, -0 the same as 0. An open-addressing table over the
 * values' bits: no sort (n log n) and no Set of boxed numbers, one slot array twice the column's size.
 * The slot comes from the hash's top bits, which depend on all input bits.
 */
function countDistinct(values: Float64Array, slots: Float64Array): number {
  // `slots` has a power-of-two length of at least twice the values; the hash's top log2 bits pick the slot.
  const log2 = Math.log2(slots.length);
  const mask = slots.length - 1;
  const shift = 32 - log2;
  slots.fill(NaN);
  const scratch = new Float64Array(1);
  const bits = new Uint32Array(scratch.buffer);
  let unique = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v !== v) continue;
    // 0 and -0 are one value; + 0 turns -0 into 0 and leaves every other value as it is.
    scratch[0] = v + 0;
    let at = Math.imul(bits[0] ^ Math.imul(bits[1], 0x9e3779b1), 0x85ebca6b) >>> shift;
    for (;;) {
      const s = slots[at];
      if (s !== s) {
        slots[at] = scratch[0];
        unique++;
        break;
      }
      if (s === v) break;
      at = (at + 1) & mask;
    }
  }
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
