// How text cells are read: which spellings mean "no value" and which are numbers. Shared by type
// guessing and dataset building so the guess and the build can never disagree.

/**
 * Spellings of a missing value, compared after trimming. 'NaN'/'nan' are what pandas and numpy
 * write for missing floats, so they count as missing rather than as a bad number.
 */
const MISSING = new Set(['', 'NA', 'N/A', 'null', 'NULL', 'None', '?', 'NaN', 'nan']);

const LONGEST_MISSING = 4;

function printable(code: number): boolean {
  return code > 32 && code < 127;
}

export function isMissing(cell: string): boolean {
  // Most cells are values: skip the trim when the cell is too long to be a marker and starts and
  // ends with printable ASCII, which trim() would keep.
  if (cell.length > LONGEST_MISSING && printable(cell.charCodeAt(0)) && printable(cell.charCodeAt(cell.length - 1))) {
    return false;
  }
  return MISSING.has(cell.trim());
}

// Plain decimal notation only: no thousands separators, no hex, no 'Infinity'.
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** The number a cell spells, or null when it is not a plain finite decimal number. */
export function parseNumber(s: string): number | null {
  const t = s.trim();
  if (!NUMBER.test(t)) return null;
  const n = Number(t);
  return Number.isFinite(n) ? n : null;
}
