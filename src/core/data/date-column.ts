// Whether a parsed column holds dates, which way round its a/b/yyyy dates are written, and its cells
// read as dates. Works on the distinct texts of a CellColumn, so a million-row column of a few
// thousand days is parsed a few thousand times.

import { EMPTY, TEXT } from './cell-column';
import type { CellColumn } from './cell-column';
import { cellProblem, cellText, cellsOf, rowPlace } from './type-guess';
import type { RawTable } from './type-guess';
import { isMissing } from './missing';
import { numericDateParts, parseDateText } from '../serving/dates.js';
import { countDistinct } from './summary';
import type { ReadFormat } from '../shared/types';
import type { CellProblem, ColumnGuess } from '../contracts/parse';

/** Share of present cells that must read as dates for the column to be guessed a date (as for numbers). */
const DATE_SHARE = 0.8;
const MAX_BAD = 5;

/** How a column writes its a/b/yyyy dates, decided by the values that only fit one order. */
export type DayOrder = 'day-first' | 'month-first' | 'either';

export interface DateScan {
  /** Whether enough present cells read as dates for the column to be a date column. */
  isDate: boolean;
  order: DayOrder;
  /** Some values only fit day/month and others only month/day: the column mixes the two. */
  conflict: boolean;
  /** Whether some value is written a/b/yyyy at all (only then does the order matter). */
  slashed: boolean;
  /** One a/b/yyyy value that could be read either way, for the note ("03/04/2021"). */
  example: string | null;
}

function distinctCounts(column: CellColumn, rowCount: number): { textRows: Float64Array; present: number } {
  const { formats, values } = column;
  const textRows = new Float64Array(column.texts.length);
  let present = 0;
  for (let r = 0; r < rowCount; r++) {
    const f = formats[r];
    if (f === EMPTY) continue;
    if (f === TEXT) textRows[values[r]]++;
    // A cell stored as a number (2021, 20211118) is present but never a date.
    else present++;
  }
  column.texts.forEach((text, t) => {
    if (textRows[t] > 0 && isMissing(text)) textRows[t] = 0;
    else present += textRows[t];
  });
  return { textRows, present };
}

/**
 * Reads the column's distinct texts as dates. Pure numbers are never dates (a column of years stays a
 * number). A value with a first part above 12 fixes day/month, a second part above 12 month/day;
 * without either the order cannot be told from the column.
 */
export function scanDates(column: CellColumn, rowCount: number): DateScan {
  const { textRows, present } = distinctCounts(column, rowCount);
  let dayFirstOnly = 0;
  let monthFirstOnly = 0;
  let slashed = false;
  let example: string | null = null;
  let readMonthFirst = 0;
  let readDayFirst = 0;
  column.texts.forEach((text, t) => {
    const rows = textRows[t];
    if (rows === 0) return;
    const parts = numericDateParts(text);
    if (parts) {
      slashed = true;
      if (parts[0] > 12 && parts[1] <= 12) dayFirstOnly += rows;
      else if (parts[1] > 12 && parts[0] <= 12) monthFirstOnly += rows;
      else if (example === null && parts[0] !== parts[1]) example = text.trim();
    }
    if (!Number.isNaN(parseDateText(text, false))) readMonthFirst += rows;
    if (!Number.isNaN(parseDateText(text, true))) readDayFirst += rows;
  });
  const conflict = dayFirstOnly > 0 && monthFirstOnly > 0;
  const order: DayOrder = conflict
    ? dayFirstOnly >= monthFirstOnly ? 'day-first' : 'month-first'
    : dayFirstOnly > 0 ? 'day-first' : monthFirstOnly > 0 ? 'month-first' : 'either';
  const read = Math.max(readMonthFirst, readDayFirst);
  return { isDate: present > 0 && read >= DATE_SHARE * present, order, conflict, slashed, example };
}

/** Whether a/b/yyyy values are read day first: the column's own evidence, else the file's choice. */
export function dayFirstFor(scan: DateScan, fileDayFirst: boolean): boolean {
  return scan.order === 'either' ? fileDayFirst : scan.order === 'day-first';
}

/** What the import says about how a date column's a/b/yyyy values were read. */
export function dateNote(scan: DateScan, fileDayFirst: boolean): { dayFirst: boolean; ambiguous: boolean; note: string } {
  const dayFirst = dayFirstFor(scan, fileDayFirst);
  if (!scan.slashed) return { dayFirst, ambiguous: false, note: '' };
  if (scan.conflict) {
    return {
      dayFirst,
      ambiguous: false,
      note:
        `Some dates only fit day/month and others only month/day; read as ${dayFirst ? 'day/month' : 'month/day'}, ` +
        'the order most values fit, and the others are flagged as not dates.',
    };
  }
  if (scan.order !== 'either') {
    return {
      dayFirst,
      ambiguous: false,
      note: `Read as ${dayFirst ? 'day/month' : 'month/day'}: some values only fit that order.`,
    };
  }
  // Only values like 05/05/2021, whose order does not matter.
  if (scan.example === null) return { dayFirst, ambiguous: false, note: '' };
  const example = scan.example;
  const parts = numericDateParts(example) ?? [3, 4];
  const monthName = (m: number) =>
    ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'][m - 1];
  return {
    dayFirst,
    ambiguous: true,
    note:
      `${example} could be ${parts[0]} ${monthName(parts[1])} or ${monthName(parts[0])} ${parts[1]}: ` +
      `read as ${dayFirst ? 'day/month' : 'month/day'}, change 'Dates like 03/04/2021' above.`,
  };
}

/**
 * The column's cells as dates (ms since 1970 UTC, NaN when missing or not a date), with the rows of
 * the first few cells that are present but not dates and how many there are.
 */
export function readDates(
  column: CellColumn,
  rowCount: number,
  dayFirst: boolean,
): { values: Float64Array; bad: number[]; badCount: number } {
  const { formats, values: cells } = column;
  const byText = new Float64Array(column.texts.length);
  /** 0: not a date, 1: date, 2: missing. */
  const kinds = new Uint8Array(column.texts.length);
  column.texts.forEach((text, t) => {
    if (isMissing(text)) {
      kinds[t] = 2;
      byText[t] = NaN;
      return;
    }
    byText[t] = parseDateText(text, dayFirst);
    kinds[t] = Number.isNaN(byText[t]) ? 0 : 1;
  });
  const values = new Float64Array(rowCount).fill(NaN);
  const bad: number[] = [];
  let badCount = 0;
  for (let r = 0; r < rowCount; r++) {
    const f = formats[r];
    if (f === EMPTY) continue;
    if (f === TEXT) {
      const t = cells[r];
      values[r] = byText[t];
      if (kinds[t] !== 0) continue;
    }
    if (badCount++ < MAX_BAD) bad.push(r);
  }
  return { values, bad, badCount };
}

/** Scans kept per table, as infer.ts keeps its type scans: tables do not change after parsing. */
const scans = new WeakMap<RawTable, (DateScan | undefined)[]>();

/** Column `c` of a parsed table scanned for dates (once per table and column). */
export function dateScanOf(raw: RawTable, c: number): DateScan {
  let kept = scans.get(raw);
  if (kept === undefined) {
    kept = [];
    scans.set(raw, kept);
  }
  return (kept[c] ??= scanDates(cellsOf(raw, c), raw.rowCount));
}

export function notADateProblem(raw: RawTable, c: number, row: number): CellProblem {
  return cellProblem(raw, c, row, `"${cellText(raw, c, row).trim()}" is not a date (${rowPlace(raw, row)}, column "${raw.header[c]}")`);
}

/** Column `c` read as dates with the file's day order (unless the column's own values settle it). */
export function datesOf(raw: RawTable, c: number, format: ReadFormat): { values: Float64Array; bad: number[]; badCount: number } {
  return readDates(cellsOf(raw, c), raw.rowCount, dayFirstFor(dateScanOf(raw, c), format.dayFirst));
}

/** The import's guess for a date column: counts, cells that are not dates, and how a/b/yyyy was read. */
export function dateGuess(raw: RawTable, c: number, format: ReadFormat): ColumnGuess {
  const { values, bad, badCount } = datesOf(raw, c, format);
  let absent = 0;
  for (let r = 0; r < values.length; r++) if (Number.isNaN(values[r])) absent++;
  return {
    name: raw.header[c],
    type: 'date',
    missing: absent - badCount,
    unique: countDistinct(values),
    problems: bad.map((r) => notADateProblem(raw, c, r)),
    dates: dateNote(dateScanOf(raw, c), format.dayFirst),
  };
}
