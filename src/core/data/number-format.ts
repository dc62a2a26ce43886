// How a file writes its numbers ("83,35", "1.234,5", "1 234,5", "1,234.5", "1'234.5"), told from the cells the way
// spreadsheet imports tell it. Reading a text in a format is serving/transform.js's readNumber, which the export
// bundle ships, so import, recipes and serving read "54,3" alike; this module decides which format a column and a
// file are written in.
//
// The rules:
// - A cell fits a format when readNumber reads it in that format. A column fits the formats every one of its
//   number-like cells fits (a cell is number-like when it fits at least one of the eight formats below).
// - What can differ between formats is the role of '.' and ',': decimal mark or thousands separator ("1 234" and
//   "1'234" can only be grouped). A column is ambiguous when the formats it fits give one of them both roles: "1,234"
//   alone is 1234 with ',' thousands and 1.234 with ',' decimals. Other cells decide first: "83,35" (not 3 digits
//   after the comma) makes ',' decimal, "1,234,567" makes it thousands, "1.234,5" fixes both.
// - An ambiguous column is read like the file's other columns when the file's format fits it, else with '.' decimals;
//   it is marked ambiguous so the user is told.
// - A column that no single format fits (some "1.5", some "1,5") is mixed: it is read in the format most of its cells
//   fit and the others are listed with their lines, never quietly turned into a category.
// - The file's format is the one most number-like columns fit; ties go to the earlier of NUMBER_FORMATS ('.' decimals
//   without separators first).

import { readNumber } from '../serving/transform.js';
import type { NumberFormat } from '../shared/types';

export { readNumber };

/** Every format detection considers, in order of preference when cells cannot tell them apart. */
export const NUMBER_FORMATS: readonly NumberFormat[] = Object.freeze(
  (
    [
      ['.', ''],
      ['.', ','],
      ['.', ' '],
      ['.', "'"],
      [',', ''],
      [',', '.'],
      [',', ' '],
      [',', "'"],
    ] as const
  ).map(([decimal, thousands]) => Object.freeze({ decimal, thousands }) as NumberFormat),
);

/** A set of formats as bits: bit k is NUMBER_FORMATS[k]. */
export const ALL_FORMATS = (1 << NUMBER_FORMATS.length) - 1;

export function sameNumberFormat(a: NumberFormat, b: NumberFormat): boolean {
  return a.decimal === b.decimal && a.thousands === b.thousands;
}

export function formatIndex(format: NumberFormat): number {
  return NUMBER_FORMATS.findIndex((f) => sameNumberFormat(f, format));
}

export function isNumberFormat(x: unknown): x is NumberFormat {
  if (typeof x !== 'object' || x === null) return false;
  const { decimal, thousands } = x as Record<string, unknown>;
  return NUMBER_FORMATS.some((f) => f.decimal === decimal && f.thousands === thousands) && Object.keys(x).length === 2;
}

const MARK_NAMES: Record<string, string> = { '': 'none', ',': '","', '.': '"."', ' ': 'space', "'": '"\'"' };

/** 'decimal ",", thousands "."' */
export function describeNumberFormat(format: NumberFormat): string {
  return `decimal ${MARK_NAMES[format.decimal]}, thousands ${MARK_NAMES[format.thousands]}`;
}

const THOUSANDS_ORDER: readonly NumberFormat['thousands'][] = ['', ',', '.', ' ', "'"];
/** Every (decimal mark, thousands separator) pair a reading can use, by index decimal * 5 + thousands. */
const READINGS: readonly NumberFormat[] = (['.', ','] as const).flatMap((decimal) =>
  THOUSANDS_ORDER.map((thousands) => ({ decimal, thousands }) as NumberFormat),
);
/** Per format of NUMBER_FORMATS: its reading's index, and its thousands separator's index. */
const READING_OF = NUMBER_FORMATS.map((f) => (f.decimal === '.' ? 0 : 5) + THOUSANDS_ORDER.indexOf(f.thousands));
const SEPARATOR_OF = NUMBER_FORMATS.map((f) => THOUSANDS_ORDER.indexOf(f.thousands));
/** Per reading: -1 not read yet, else 0 or 1. Reset by each fitMask. */
const readings = new Int8Array(READINGS.length);
const has = [true, false, false, false, false];
/** '%', '$', '€', '£', '¥', '₹'. */
const AMOUNT_SIGNS = new Set([0x25, 0x24, 0x20ac, 0xa3, 0xa5, 0x20b9]);

/**
 * The formats `text` reads as a number in, as bits (0: not a number in any). Formats that differ only in a
 * separator the text does not contain read it alike, so each distinct reading is made once; one pass over the
 * characters first turns away words, dates and the like.
 */
export function fitMask(text: string): number {
  const t = text.trim();
  if (t === '') return 0;
  let dot = false;
  let comma = false;
  let space = false;
  let apostrophe = false;
  for (let i = 0; i < t.length; i++) {
    const c = t.charCodeAt(i);
    if (c >= 48 && c <= 57) continue;
    if (c === 46) dot = true;
    else if (c === 44) comma = true;
    else if (c === 32 || c === 0xa0 || c === 0x202f) space = true;
    else if (c === 39 || c === 0x2019) apostrophe = true;
    // Signs, exponents, the currency and percent signs of amounts and rates, and the parentheses of accounting
    // negatives (readNumber reads them).
    else if (c !== 43 && c !== 45 && c !== 101 && c !== 69 && c !== 40 && c !== 41 && !AMOUNT_SIGNS.has(c)) return 0;
  }
  if (!dot && !comma && !space && !apostrophe) return readNumber(t) === null ? 0 : ALL_FORMATS;
  has[1] = comma;
  has[2] = dot;
  has[3] = space;
  has[4] = apostrophe;
  readings.fill(-1);
  let mask = 0;
  for (let k = 0; k < NUMBER_FORMATS.length; k++) {
    // A separator the text lacks reads as no separator at all.
    const at = has[SEPARATOR_OF[k]] ? READING_OF[k] : READING_OF[k] - SEPARATOR_OF[k];
    if (readings[at] < 0) readings[at] = readNumber(t, READINGS[at]) === null ? 0 : 1;
    if (readings[at] === 1) mask |= 1 << k;
  }
  return mask;
}

/** Cells of a column that read alike: `count` of them, fitting the formats in `mask`. */
export interface NumberShape {
  mask: number;
  count: number;
  /** The cells contain '.' or ','. */
  dot: boolean;
  comma: boolean;
}

/** What a column's number-like cells say about their format. */
export interface ColumnFit {
  /** Cells that are a number in at least one format. */
  numberCells: number;
  /** Formats every number-like cell fits (0: none, the column is mixed). */
  fits: number;
  dot: boolean;
  comma: boolean;
  /** Per format of NUMBER_FORMATS: cells it reads. */
  readBy: number[];
}

export function fitColumn(shapes: Iterable<NumberShape>): ColumnFit {
  const fit: ColumnFit = { numberCells: 0, fits: ALL_FORMATS, dot: false, comma: false, readBy: NUMBER_FORMATS.map(() => 0) };
  for (const s of shapes) {
    if (s.mask === 0 || s.count === 0) continue;
    fit.numberCells += s.count;
    fit.fits &= s.mask;
    fit.dot ||= s.dot;
    fit.comma ||= s.comma;
    for (let k = 0; k < NUMBER_FORMATS.length; k++) if (s.mask & (1 << k)) fit.readBy[k] += s.count;
  }
  if (fit.numberCells === 0) fit.fits = ALL_FORMATS;
  return fit;
}

/** What '.' and ',' mean in a format, for the marks the column uses: formats with one meaning read it alike. */
function roles(format: NumberFormat, fit: ColumnFit): string {
  const role = (mark: string) => (format.decimal === mark ? 'decimal' : format.thousands === mark ? 'thousands' : 'none');
  return `${fit.dot ? role('.') : '-'} ${fit.comma ? role(',') : '-'}`;
}

export interface ColumnFormat {
  format: NumberFormat;
  /** The column's cells alone cannot tell '.' or ',' apart as decimal mark or thousands separator. */
  ambiguous: boolean;
  /** No single format reads every number-like cell. */
  mixed: boolean;
}

/** The format to read a column in, by the rules at the top of this file; `file` is the file's format, when known. */
export function chooseColumnFormat(fit: ColumnFit, file: NumberFormat | null): ColumnFormat {
  const fileIndex = file === null ? -1 : formatIndex(file);
  if (fit.fits === 0) {
    let best = fileIndex >= 0 ? fileIndex : 0;
    fit.readBy.forEach((n, k) => {
      if (n > fit.readBy[best]) best = k;
    });
    return { format: NUMBER_FORMATS[best], ambiguous: false, mixed: true };
  }
  const fitting = NUMBER_FORMATS.filter((_, k) => fit.fits & (1 << k));
  const ambiguous = new Set(fitting.map((f) => roles(f, fit))).size > 1;
  if (fileIndex >= 0 && fit.fits & (1 << fileIndex)) return { format: NUMBER_FORMATS[fileIndex], ambiguous, mixed: false };
  const format = (ambiguous ? fitting.find((f) => f.decimal === '.') : undefined) ?? fitting[0];
  return { format, ambiguous, mixed: false };
}

/**
 * The file's format: the one most number-like columns fit (a mixed column counts for the format most of its cells
 * fit). Columns whose cells fit every format (integers) count for all and so decide nothing.
 */
export function chooseFileFormat(fits: readonly ColumnFit[]): NumberFormat {
  const votes = NUMBER_FORMATS.map(() => 0);
  for (const fit of fits) {
    if (fit.numberCells === 0) continue;
    const mask = fit.fits !== 0 ? fit.fits : 1 << formatIndex(chooseColumnFormat(fit, null).format);
    for (let k = 0; k < NUMBER_FORMATS.length; k++) if (mask & (1 << k)) votes[k]++;
  }
  let best = 0;
  votes.forEach((v, k) => {
    if (v > votes[best]) best = k;
  });
  return NUMBER_FORMATS[best];
}
