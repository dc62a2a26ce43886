// The text table a file parses into, and the first guesses about it: names, types, problems.

import type { ColumnType, NumberFormat, NumberSummary, RawRow, ReadFormat } from '../shared/types';
import { DEFAULT_READ_FORMAT } from '../shared/types';
import { dateGuess, dateScanOf } from './date-column';
import type { CellProblem, ColumnGuess } from '../contracts/parse';
import { adviseColumns } from './roles';
import { caseVariantNote } from './case-variants';
import { rateMixNote } from './rate-mix';
import { isMissing, parseNumber } from './missing';
import { fitMask, readNumber, sameNumberFormat } from './number-format';
import { columnNumbers, columnShapes, fixedReader, rereadsFixed } from './type-guess-numbers';
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
/** Share of readable numbers beyond which a column that is not a number says which cells kept it from being one. */
const MOSTLY = 0.5;
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

/** A problem with the cell at (`c`, `row`), tied to its source line and text; `message` says what is wrong. */
export function cellProblem(raw: RawTable, c: number, row: number, message: string): CellProblem {
  return { column: raw.header[c], line: raw.lines[row], value: cellText(raw, c, row), message };
}

export function notANumberProblem(raw: RawTable, column: number, row: number): CellProblem {
  const value = cellText(raw, column, row).trim();
  const name = raw.header[column];
  return cellProblem(
    raw,
    column,
    row,
    NON_FINITE.has(value)
      ? `"${value}" is not a finite number (${rowPlace(raw, row)}, column "${name}"); ` +
          'a number column cannot hold it: replace it or set the column to category'
      : `"${value}" is not a number (${rowPlace(raw, row)}, column "${name}")`,
  );
}

/** Spellings of infinity that parse in JavaScript but are not values a model can learn from. */
const NON_FINITE = new Set(['Infinity', '+Infinity', '-Infinity', 'inf', '-inf', 'Inf', '-Inf', 'INF', '-INF']);
/** Largest float32: models compute in float32, where anything larger becomes Infinity. */
const FLOAT32_MAX = 3.4028234663852886e38;

/**
 * Cells that are kept as written but deserve a word, whatever type the column ends up with: "NaN" (read as
 * missing), numbers too large for float32 (kept in the dataset, but they overflow once a model sees them), and in a
 * column that is not a number: infinities, and the cells that kept a mostly-number column from being one. A number
 * column's unreadable cells (infinities among them) are its problems already. Counted by the scan.
 */
function specialProblems(raw: RawTable, c: number, scan: TypeScan): CellProblem[] {
  const { nanCount, nanRow, hugeCount, hugeRow } = scan;
  const out: CellProblem[] = [];
  if (scan.type !== 'number' && scan.infCount > 0) {
    const { infCount, infRow } = scan;
    out.push(
      cellProblem(
        raw,
        c,
        infRow,
        `${infCount} cell${infCount === 1 ? ' says' : 's say'} "${cellText(raw, c, infRow).trim()}" (first at ${rowPlace(raw, infRow)}); ` +
          'infinity is not a value a model can learn from: replace it.',
      ),
    );
  }
  if (scan.type !== 'number' && scan.parsed > MOSTLY * (scan.parsed + scan.badCount)) {
    const { badCount, badRow } = scan;
    out.push(
      cellProblem(
        raw,
        c,
        badRow,
        `${badCount} of ${scan.parsed + badCount} values ${badCount === 1 ? 'is not a number' : 'are not numbers'} ` +
          `(first "${cellText(raw, c, badRow).trim()}" at ${rowPlace(raw, badRow)}), so the column is read as a ${scan.type}; ` +
          'fix them to use it as a number.',
      ),
    );
  }
  if (nanCount > 0) {
    out.push(
      cellProblem(raw, c, nanRow, `${nanCount} cell${nanCount === 1 ? ' says' : 's say'} "NaN" (first at ${rowPlace(raw, nanRow)}); NaN is treated as missing.`),
    );
  }
  if (hugeCount > 0) {
    out.push(
      cellProblem(
        raw,
        c,
        hugeRow,
        `${hugeCount} value${hugeCount === 1 ? ' is' : 's are'} beyond float32's range of ±3.4e38 (first "${cellText(raw, c, hugeRow).trim()}" at ${rowPlace(raw, hugeRow)}); ` +
          'the dataset keeps them, but a model computes in float32 where they become Infinity: rescale or clip the column.',
      ),
    );
  }
  return out;
}

export function guessColumns(raw: RawTable, format: ReadFormat = DEFAULT_READ_FORMAT): ColumnGuess[] {
  const guesses = raw.header.map((name, c) => guessColumn(raw, c, name, format));
  // Roles are suggested here, so every guess (the first, and again after a format change) carries them.
  return adviseColumns(guesses, raw.rowCount, (c) => scanType(raw, c).values).map((guess, c) => {
    const note =
      guess.type === 'category'
        ? caseVariantNote(cellsOf(raw, c).texts)
        : guess.type === 'number'
          ? rateMixNote(cellsOf(raw, c), raw.rowCount, guess.numbers?.format ?? format.number, (r) => rowPlace(raw, r))
          : null;
    return note ? { ...guess, notes: [...(guess.notes ?? []), note] } : guess;
  });
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
  /** Cells spelling an infinity ("Infinity", "-inf"): never numbers. */
  infCount: number;
  infRow: number;
  /** Present cells read as numbers in the scan's format, and the first that is not. */
  parsed: number;
  badRow: number;
}

/**
 * Scans are kept per table and number format: guessing, the build's plan and the number conversion
 * all need the same reading of every cell, and a million-row column is worth reading once. Tables are
 * not changed after parsing, and the entry goes when the table does. One format at a time: another
 * (the user chose the file's format) reads every column again. Without a format, the table's current one.
 */
const scans = new WeakMap<RawTable, { format: NumberFormat; kept: (TypeScan | undefined)[] }>();

function scanType(raw: RawTable, c: number, format?: NumberFormat): TypeScan {
  let entry = scans.get(raw);
  if (entry === undefined || (format !== undefined && !sameNumberFormat(entry.format, format))) {
    entry = { format: format ?? DEFAULT_READ_FORMAT.number, kept: [] };
    scans.set(raw, entry);
  }
  const { kept } = entry;
  return (kept[c] ??= scanColumn(raw, c, entry.format));
}

const enum TextKind {
  Bad,
  Number,
  Missing,
  /** Missing, spelled "NaN": worth a word of its own. */
  NaN,
  /** Not a number either, but worth a word of its own in any column. */
  Infinite,
}

/** What each distinct text of a column is: read once per distinct text, not once per cell. */
function readTexts(texts: readonly string[], format: NumberFormat): { kinds: Uint8Array; numbers: Float64Array } {
  const plain = format.decimal === '.' && format.thousands === '';
  const kinds = new Uint8Array(texts.length);
  const numbers = new Float64Array(texts.length).fill(NaN);
  texts.forEach((text, i) => {
    if (isMissing(text)) {
      const t = text.length <= 8 ? text.trim() : '';
      kinds[i] = t === 'NaN' || t === 'nan' ? TextKind.NaN : TextKind.Missing;
      return;
    }
    // The plain format keeps missing.ts's fast path; others read as serving does.
    const n = plain ? parseNumber(text) : readNumber(text, format);
    if (n === null) kinds[i] = NON_FINITE.has(text.trim()) ? TextKind.Infinite : TextKind.Bad;
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
function readNumbers(raw: RawTable, c: number, format: NumberFormat): { values: Float64Array; bad: number[]; badCount: number } {
  const column = cellsOf(raw, c);
  const rows = raw.rowCount;
  const { formats } = column;
  const values = column.values.slice(0, rows);
  const { kinds, numbers } = readTexts(column.texts, format);
  // With ',' decimals a stored "1.234" is 1234 (or no number at all): read again from its text.
  const fixed = rereadsFixed(format) ? fixedReader(format) : null;
  const bad: number[] = [];
  let badCount = 0;
  for (let r = 0; r < rows; r++) {
    const f = formats[r];
    if (f !== TEXT) {
      if (fixed === null || f === 0 || f >= SHORTEST) continue;
      const n = fixed(values[r], f);
      values[r] = n ?? NaN;
      if (n === null && badCount++ < MAX_PROBLEMS) bad.push(r);
      continue;
    }
    const t = values[r];
    values[r] = numbers[t];
    const kind = kinds[t];
    if ((kind === TextKind.Bad || kind === TextKind.Infinite) && badCount++ < MAX_PROBLEMS) bad.push(r);
  }
  return { values, bad, badCount };
}

/** Decides a column's type from how many of its present cells parse as numbers. */
function scanColumn(raw: RawTable, c: number, format: NumberFormat): TypeScan {
  const column = cellsOf(raw, c);
  const { formats, values } = column;
  const { kinds, numbers } = readTexts(column.texts, format);
  const fixed = rereadsFixed(format) ? fixedReader(format) : null;
  let missing = 0;
  let parsed = 0;
  let nanCount = 0;
  let nanRow = -1;
  let hugeCount = 0;
  let hugeRow = -1;
  let infCount = 0;
  let infRow = -1;
  let badCount = 0;
  let badRow = -1;
  for (let r = 0; r < raw.rowCount; r++) {
    const f = formats[r];
    let n: number;
    if (f < SHORTEST) {
      // Fixed notation with at most 15 digits: never beyond float32's range. With ',' decimals, "1.5" is no number.
      if (fixed !== null && f > 0 && fixed(values[r], f) === null) {
        if (badCount++ === 0) badRow = r;
        continue;
      }
      parsed++;
      continue;
    } else if (f === SHORTEST) n = values[r];
    else if (f === EMPTY) {
      missing++;
      continue;
    } else {
      const kind = kinds[values[r]];
      if (kind === TextKind.Bad || kind === TextKind.Infinite) {
        if (kind === TextKind.Infinite && infCount++ === 0) infRow = r;
        if (badCount++ === 0) badRow = r;
        continue;
      }
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
  // Cells that are numbers in another format ("1,5" among "1.5") keep the column a number, their cells
  // flagged, rather than quietly making it a category.
  const numberLike = Math.max(parsed, columnShapes(column, raw.rowCount).fit.numberCells);
  const isNumber = present > 0 && numberLike >= NUMBER_SHARE * present;
  const counts = { missing, nanCount, nanRow, hugeCount, hugeRow, infCount, infRow, parsed, badRow };
  if (!isNumber) {
    // Not numbers: dates (see date-column.ts), or else categories.
    const type = dateScanOf(raw, c).isDate ? 'date' : 'category';
    return { type, values: null, summary: null, bad: [], badCount, ...counts };
  }
  const read = readNumbers(raw, c, format);
  return { type: 'number', values: read.values, summary: null, bad: read.bad, badCount: read.badCount, ...counts };
}

/** Just the guessed type of column `c`, without the counts. */
export function guessType(raw: RawTable, c: number, format: ReadFormat = DEFAULT_READ_FORMAT): ColumnType {
  return scanType(raw, c, format.number).type;
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
  format: ReadFormat = DEFAULT_READ_FORMAT,
): { values: Float64Array; bad: number[]; badCount: number; summary: NumberSummary | null } {
  const scan = scanType(raw, c, format.number);
  if (scan.values === null) return { ...readNumbers(raw, c, format.number), summary: null };
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

function guessColumn(raw: RawTable, c: number, name: string, format: ReadFormat): ColumnGuess {
  const scan = scanType(raw, c, format.number);
  if (scan.type === 'date') {
    const guess = dateGuess(raw, c, format);
    return { ...guess, problems: [...guess.problems, ...specialProblems(raw, c, scan)] };
  }
  if (scan.values === null) {
    return {
      name,
      type: 'category',
      missing: scan.missing,
      unique: distinctTexts(raw, c),
      problems: specialProblems(raw, c, scan),
      ...numbersField(raw, c, format.number),
    };
  }
  return {
    name,
    type: 'number',
    missing: scan.missing,
    unique: numberSummary(scan, scan.values).unique,
    problems: [...scan.bad.map((r) => notANumberProblem(raw, c, r)), ...specialProblems(raw, c, scan)],
    ...numbersField(raw, c, format.number),
  };
}

/** How a mostly-number column writes its numbers (ambiguous or mixed cells included), as a guess field. */
function numbersField(raw: RawTable, c: number, format: NumberFormat): Pick<ColumnGuess, 'numbers'> {
  const numbers = columnNumbers(cellsOf(raw, c), raw.rowCount, raw.header[c], format, (r) => raw.lines[r], (r) => rowPlace(raw, r));
  return numbers === undefined ? {} : { numbers };
}

/** Header cells that are all blank, or all numbers, mean the file has no header line. */
export function checkHeader(header: string[]): string | null {
  const named = header.map((h) => h.trim()).filter((h) => h !== '');
  if (named.length === 0) return 'The first line has no column names. Add a header line naming each column.';
  // Numbers in any format: "83,35" is as much data as "83.35".
  if (named.every((h) => parseNumber(h) !== null || fitMask(h) !== 0)) {
    const shown = named.slice(0, 5).join(', ') + (named.length > 5 ? ', ...' : '');
    return `The first line looks like data, not column names: ${shown}. Add a header line naming each column.`;
  }
  return null;
}

/**
 * Column names made usable as keys: trimmed, blanks named "Column N", repeats told apart by a suffix. The bundle's
 * CSV reader (serving/csv.js) holds the rule, so a deployed model names columns as the import did.
 */
export { uniqueNames } from '../serving/csv.js';

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
