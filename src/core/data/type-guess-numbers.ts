// The number format of parsed columns (see number-format.ts for the rules): what each column's cells fit, the file's
// format, and the column's own reading with its ambiguous or mixed cells. Works on the compact CellColumn, whose plain
// '.'-decimal cells are stored as numbers: their text is rebuilt only where it matters ("1.234" may be thousands).

import { CellColumn, EMPTY, MAX_FIXED_DIGITS, SHORTEST, TEXT } from './cell-column';
import { isMissing } from './missing';
import {
  ALL_FORMATS,
  NUMBER_FORMATS,
  chooseColumnFormat,
  chooseFileFormat,
  describeNumberFormat,
  fitColumn,
  fitMask,
  formatIndex,
  readNumber,
  sameNumberFormat,
} from './number-format';
import type { ColumnFit, ColumnFormat, NumberShape } from './number-format';
import type { NumberFormat } from '../shared/types';
import type { CellProblem } from '../contracts/parse';

/** Share of present cells that must be number-like before a column's format says anything about the file's. */
const NUMBER_LIKE_SHARE = 0.5;
const MAX_MIXED = 10;

/** Formats with '.' decimals: they read every plain decimal cell alike. */
const DOT_DECIMAL = NUMBER_FORMATS.reduce((mask, f, k) => (f.decimal === '.' ? mask | (1 << k) : mask), 0);
const DOT_THOUSANDS = 1 << formatIndex({ decimal: ',', thousands: '.' });

export interface ColumnShapes {
  fit: ColumnFit;
  /** Per distinct text of the column: the formats it fits (0 for missing spellings and words). */
  textMasks: Uint16Array;
  /** Cells that are not missing. */
  present: number;
}

const cache = new WeakMap<CellColumn, ColumnShapes>();

/**
 * The formats a cell stored as a plain decimal fits: "12" fits all; "1.5" only '.' decimals; "1.234" (three digits
 * after the point, 1-3 before, no leading zero) could also be 1234 with '.' thousands.
 */
function fixedMask(value: number, digits: number): number {
  if (digits === 0) return ALL_FORMATS;
  const size = Math.abs(value);
  return digits === 3 && size >= 1 && size < 1000 ? DOT_DECIMAL | DOT_THOUSANDS : DOT_DECIMAL;
}

/** What the cells of a column fit, worked out once per column (it does not depend on the format chosen). */
export function columnShapes(column: CellColumn, rows: number): ColumnShapes {
  const kept = cache.get(column);
  if (kept !== undefined) return kept;
  const { formats, values, texts } = column;
  const textCounts = new Uint32Array(texts.length);
  let integers = 0;
  let decimals = 0;
  let thousandsLike = 0;
  let missing = 0;
  for (let r = 0; r < rows; r++) {
    const f = formats[r];
    if (f === TEXT) textCounts[values[r]]++;
    else if (f === EMPTY) missing++;
    else if (f === 0 || f === SHORTEST) integers++;
    else if (fixedMask(values[r], f) === DOT_DECIMAL) decimals++;
    else thousandsLike++;
  }
  const textMasks = new Uint16Array(texts.length);
  const shapes: NumberShape[] = [
    { mask: ALL_FORMATS, count: integers, dot: false, comma: false },
    { mask: DOT_DECIMAL, count: decimals, dot: true, comma: false },
    { mask: DOT_DECIMAL | DOT_THOUSANDS, count: thousandsLike, dot: true, comma: false },
  ];
  texts.forEach((text, i) => {
    if (textCounts[i] === 0) return;
    if (isMissing(text)) {
      missing += textCounts[i];
      return;
    }
    const mask = fitMask(text);
    textMasks[i] = mask;
    if (mask !== 0) shapes.push({ mask, count: textCounts[i], dot: text.includes('.'), comma: text.includes(',') });
  });
  const made = { fit: fitColumn(shapes), textMasks, present: rows - missing };
  cache.set(column, made);
  return made;
}

/** The columns' cells are mostly numbers in some format. */
export function numberLike(shapes: ColumnShapes): boolean {
  return shapes.fit.numberCells > 0 && shapes.fit.numberCells >= NUMBER_LIKE_SHARE * shapes.present;
}

/** The format most of the file's number-like columns fit. */
export function detectNumberFormat(columns: readonly CellColumn[], rows: number): NumberFormat {
  return chooseFileFormat(columns.map((c) => columnShapes(c, rows)).filter(numberLike).map((s) => s.fit));
}

/** A cell's text when the column is read in a format with ',' decimals: stored plain decimals are read again. */
export function rereadsFixed(format: NumberFormat): boolean {
  return format.decimal !== '.';
}

/** A reader of stored plain-decimal cells in `format`, each distinct text read once. */
export function fixedReader(format: NumberFormat): (value: number, digits: number) => number | null {
  const read = new Map<string, number | null>();
  return (value, digits) => {
    if (digits === 0 || !rereadsFixed(format)) return value;
    const text = value.toFixed(digits);
    let n = read.get(text);
    if (n === undefined) {
      n = readNumber(text, format);
      read.set(text, n);
    }
    return n;
  };
}

export type ColumnNumbers = { format: NumberFormat; ambiguous: boolean; mixed: CellProblem[] };

/**
 * How column `name`'s numbers are written, for its guess; undefined when it is not mostly numbers or its numbers
 * read alike in every format. `reading` is the
 * format the file is read in; a column that fits it is told in it. `place(row)` names a row ("line 12").
 */
export function columnNumbers(
  column: CellColumn,
  rows: number,
  name: string,
  reading: NumberFormat,
  line: (row: number) => number,
  place: (row: number) => string,
): ColumnNumbers | undefined {
  const shapes = columnShapes(column, rows);
  // Integers read alike in every format: nothing to tell.
  if (!numberLike(shapes) || shapes.fit.fits === ALL_FORMATS) return undefined;
  const chosen: ColumnFormat = chooseColumnFormat(shapes.fit, reading);
  const mixed = chosen.mixed ? mixedCells(column, rows, shapes, chosen.format, name, line, place) : [];
  return { format: chosen.format, ambiguous: chosen.ambiguous, mixed };
}

/** Cells `format` does not read but another format does, first few, the first telling how many there are. */
function mixedCells(
  column: CellColumn,
  rows: number,
  shapes: ColumnShapes,
  format: NumberFormat,
  name: string,
  line: (row: number) => number,
  place: (row: number) => string,
): CellProblem[] {
  const bit = 1 << formatIndex(format);
  const { formats, values } = column;
  const found: number[] = [];
  let count = 0;
  for (let r = 0; r < rows; r++) {
    const f = formats[r];
    let mask: number;
    if (f === TEXT) mask = shapes.textMasks[values[r]];
    else if (f <= MAX_FIXED_DIGITS) mask = fixedMask(values[r], f);
    else continue;
    if (mask === 0 || mask & bit) continue;
    if (count++ < MAX_MIXED) found.push(r);
  }
  const most = describeNumberFormat(format);
  return found.map((r, i) => {
    const value = column.textAt(r).trim();
    const lead =
      i === 0
        ? `Column "${name}" mixes number formats: most cells are written ${most}, but ${count} ${count === 1 ? 'is' : 'are'} not. `
        : '';
    return { column: name, line: line(r), value, message: `${lead}"${value}" (${place(r)}) is written in another number format.` };
  });
}

/** Whether a column's own format reads its cells as `reading` does (else its cells become problems). */
export function readsAlike(shapes: ColumnShapes, own: NumberFormat, reading: NumberFormat): boolean {
  return sameNumberFormat(own, reading) || (shapes.fit.fits & (1 << formatIndex(reading))) !== 0;
}
