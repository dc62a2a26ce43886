// How text cells are read: which spellings mean "no value" and which are numbers. Shared by type
// guessing and dataset building so the guess and the build can never disagree.

import { MISSING_SPELLINGS, readNumber } from '../serving/transform.js';

/** Spellings of a missing value, compared after trimming: serving's, so import and serving agree. */
const MISSING: ReadonlySet<string> = new Set(MISSING_SPELLINGS);

const LONGEST_MISSING = Math.max(...MISSING_SPELLINGS.map((s) => s.length));

function printable(code: number): boolean {
  return code > 32 && code < 127;
}

export function isMissing(cell: string): boolean {
  // Most cells are values: no spelling starts with a digit, and the trim is skipped when the cell is too long to be a
  // marker and starts and ends with printable ASCII, which trim() would keep.
  const first = cell.charCodeAt(0);
  if (first >= 48 && first <= 57) return false;
  if (cell.length > LONGEST_MISSING && printable(cell.charCodeAt(0)) && printable(cell.charCodeAt(cell.length - 1))) {
    return false;
  }
  return MISSING.has(cell.trim());
}

/** Exact powers of ten: every one up to 1e22 is a double without rounding. */
const POW10 = Array.from({ length: 23 }, (_, k) => Number(`1e${k}`));
/** Digits whose value stays an exact integer in a double (below 2^53). */
const MAX_FAST_DIGITS = 15;

/**
 * The common cell ("-12.345", "4071") read without a regex or a string-to-number conversion.
 * With at most 15 digits the mantissa is an exact integer and 10^k an exact power, so the one
 * correctly rounded division gives exactly what Number() gives. NaN means "not this simple form":
 * the caller falls back to the full rules.
 */
function plainDecimal(s: string): number {
  const n = s.length;
  let i = 0;
  let negative = false;
  const first = s.charCodeAt(0);
  if (first === 45) {
    negative = true;
    i = 1;
  } else if (first === 43) i = 1;
  let mantissa = 0;
  let digits = 0;
  let point = -1;
  for (; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      mantissa = mantissa * 10 + (c - 48);
      digits++;
    } else if (c === 46 && point < 0) point = digits;
    else return NaN;
  }
  if (digits === 0 || digits > MAX_FAST_DIGITS) return NaN;
  const value = point < 0 ? mantissa : mantissa / POW10[digits - point];
  return negative ? -value : value;
}

/**
 * The number a cell spells in plain decimals ('.' mark, no thousands separators; an amount or rate sign allowed, as
 * readNumber reads it), or null.
 */
export function parseNumber(s: string): number | null {
  const fast = plainDecimal(s);
  if (!Number.isNaN(fast)) return fast;
  return readNumber(s);
}
