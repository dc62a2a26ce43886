// @ts-check
// The serving half of the preprocessing recipe. Plain JavaScript on purpose: the app imports this file and the
// export bundle ships it byte for byte, so a model answers the same in the app and wherever it is deployed.
// Its only import is its sibling dates.js (shipped next to it): it must run in Node and in a page without a build step.

import { DAY_MS, dateValue } from './dates.js';

/** @typedef {import('../shared/types').Preprocessor} Preprocessor */
/** @typedef {import('../shared/types').RawValue} RawValue */
/** @typedef {Record<string, RawValue | undefined>} InputRow */

/**
 * Text that means "no value" (after trimming); null, undefined and NaN are missing too. The import reads cells by the
 * same list (src/core/data/missing.ts imports it). pandas' default markers — 'NaN'/'nan' are what pandas and numpy
 * write for missing floats — plus '?' (UCI datasets) and the error values a spreadsheet exports for a formula with no
 * value ('#DIV/0!', '#VALUE!' ...), which would otherwise turn a whole number column into a category.
 */
export const MISSING_SPELLINGS = Object.freeze([
  '', 'NA', 'N/A', 'n/a', '#N/A', '#N/A N/A', '#NA', '<NA>', 'null', 'NULL', 'None', '?', 'NaN', 'nan', '-NaN', '-nan',
  '#DIV/0!', '#VALUE!', '#REF!', '#NAME?', '#NUM!', '#NULL!',
]);
const MISSING_TOKENS = new Set(MISSING_SPELLINGS);
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/**
 * Whether a raw cell counts as missing, by the same rule the importer uses.
 * @param {unknown} cell
 * @returns {boolean}
 */
export function missingValue(cell) {
  if (cell === null || cell === undefined) return true;
  if (typeof cell === 'number') return Number.isNaN(cell);
  if (typeof cell === 'string') return MISSING_TOKENS.has(cell.trim());
  return false;
}

/**
 * A raw cell as a number, or NaN when it is missing or not a number. Text is read in `format` (the file's number
 * format, recorded at import; '.' decimals without thousands separators when absent); numbers are taken as they are.
 * @param {unknown} cell
 * @param {NumberFormat} [format]
 * @returns {number}
 */
export function numberValue(cell, format) {
  if (missingValue(cell)) return NaN;
  if (typeof cell === 'number') return Number.isFinite(cell) ? cell : NaN;
  if (typeof cell === 'string') {
    const n = readNumber(cell, format);
    return n === null ? NaN : n;
  }
  return NaN;
}

/** @typedef {import('../shared/types').NumberFormat} NumberFormat */

/** Characters a thousands separator may be written with: ' ' also stands for no-break and narrow no-break spaces. */
const THOUSANDS_CHARS = Object.freeze({ ',': ',', '.': '.', ' ': ' \u00a0\u202f', "'": "'\u2019", '': '' });

/** Currency signs an amount may carry, as spreadsheets write amounts. */
const CURRENCY_SIGNS = new Set(['$', '€', '£', '¥', '₹']);

/**
 * The number inside an amount or a rate: one currency sign before the number (after its sign or before it) or after
 * it, or one percent sign after it. Null when the text has no such sign, or signs this rule does not allow.
 * @param {string} t trimmed text
 * @returns {{ body: string, percent: boolean } | null}
 */
function unwrapAmount(t) {
  const last = t.charAt(t.length - 1);
  const percent = last === '%';
  const trailing = CURRENCY_SIGNS.has(last);
  const first = t.charAt(0);
  const signed = (first === '-' || first === '+') && CURRENCY_SIGNS.has(t.charAt(1));
  const leading = signed || CURRENCY_SIGNS.has(first);
  if (!percent && !trailing && !leading) return null;
  if (leading && (percent || trailing)) return null;
  const body = t.slice(signed ? 2 : leading ? 1 : 0, leading ? t.length : t.length - 1).trim();
  if (signed && (body.charAt(0) === '-' || body.charAt(0) === '+')) return null;
  return { body: signed ? first + body : body, percent };
}

/**
 * The number a text spells in `format`, or null when it spells none (or an infinite one). The rules, shared by
 * import, recipes and serving (src/core/data/number-format.ts detects the format):
 * - an optional sign, then digits, then optionally the decimal mark and digits ("1.", ".5" and "007" are numbers);
 * - digits may be grouped by the thousands separator: a first group of 1-3 digits not starting with 0, then groups
 *   of exactly 3 ("1.234.567,5" in { decimal: ',', thousands: '.' }); ungrouped digits are fine too ("1234,5");
 * - an exponent ("1,5e3", "2E-4") only in a number written without thousands separators;
 * - amounts and rates as spreadsheets write them: one currency sign ($ € £ ¥ ₹) before or after the number
 *   ("$1,200.00", "-$5", "12,50 €"), or a percent sign after it, read as spreadsheets read it ("12.5%" is 0.125);
 * - accounting negatives: an unsigned number or amount in parentheses is negative ("(1,200.00)", "($5)", "$(5)").
 * @param {string} text
 * @param {NumberFormat} [format]
 * @returns {number | null}
 */
export function readNumber(text, format) {
  const t = text.trim();
  const owed = accountingBody(t);
  if (owed === null) return readAmount(t, format);
  const n = readAmount(owed, format);
  return n === null ? null : n === 0 ? 0 : -n;
}

/**
 * The amount inside an accounting negative, as spreadsheets' accounting formats write them: "(45)", "(1,200.00)",
 * "($5)", "$(5)", "(12.5%)". Null when the text is not in parentheses, or the inside has a sign of its own.
 * @param {string} t trimmed text
 * @returns {string | null}
 */
function accountingBody(t) {
  if (t.charAt(t.length - 1) !== ')') return null;
  const sign = CURRENCY_SIGNS.has(t.charAt(0)) ? t.charAt(0) : '';
  if (t.charAt(sign.length) !== '(') return null;
  const inside = t.slice(sign.length + 1, -1).trim();
  const first = inside.charAt(CURRENCY_SIGNS.has(inside.charAt(0)) ? 1 : 0);
  if (first === '-' || first === '+' || first === '') return null;
  return sign + inside;
}

/**
 * readNumber of a text that is not an accounting negative.
 * @param {string} t trimmed text
 * @param {NumberFormat} [format]
 * @returns {number | null}
 */
function readAmount(t, format) {
  const amount = unwrapAmount(t);
  if (amount === null) return readPlainNumber(t, format);
  const n = readPlainNumber(amount.body, format);
  if (n === null || !amount.percent) return n;
  // Shifting the decimal text, not dividing, so "33.3%" is the double nearest 0.333, as typed.
  const shown = String(n);
  const rate = shown.includes('e') ? n / 100 : Number(`${shown}e-2`);
  return Number.isFinite(rate) ? rate : null;
}

/**
 * readNumber without currency or percent signs.
 * @param {string} t trimmed text
 * @param {NumberFormat} [format]
 * @returns {number | null}
 */
function readPlainNumber(t, format) {
  if (format === undefined || (format.decimal === '.' && format.thousands === '')) {
    if (!NUMBER.test(t)) return null;
    const n = Number(t);
    return Number.isFinite(n) ? n : null;
  }
  const separators = THOUSANDS_CHARS[format.thousands] ?? '';
  const end = t.length;
  let i = 0;
  let plain = '';
  const first = t.charCodeAt(0);
  if (first === 43 || first === 45) {
    if (first === 45) plain = '-';
    i = 1;
  }
  const intStart = i;
  while (i < end && isDigit(t.charCodeAt(i))) i++;
  let intDigits = t.slice(intStart, i);
  let grouped = false;
  if (separators !== '' && i < end && separators.includes(t[i])) {
    if (intDigits.length < 1 || intDigits.length > 3 || intDigits[0] === '0') return null;
    while (i < end && separators.includes(t[i])) {
      const group = t.slice(i + 1, i + 4);
      if (group.length !== 3 || !isDigit(group.charCodeAt(0)) || !isDigit(group.charCodeAt(1)) || !isDigit(group.charCodeAt(2))) {
        return null;
      }
      intDigits += group;
      i += 4;
    }
    if (i < end && isDigit(t.charCodeAt(i))) return null;
    grouped = true;
  }
  let fraction = '';
  if (i < end && t[i] === format.decimal) {
    const fracStart = ++i;
    while (i < end && isDigit(t.charCodeAt(i))) i++;
    fraction = t.slice(fracStart, i);
  }
  if (intDigits === '' && fraction === '') return null;
  plain += `${intDigits || '0'}.${fraction || '0'}`;
  if (i < end && (t[i] === 'e' || t[i] === 'E')) {
    if (grouped) return null;
    let k = i + 1;
    if (t[k] === '+' || t[k] === '-') k++;
    const expStart = k;
    while (k < end && isDigit(t.charCodeAt(k))) k++;
    if (k === expStart) return null;
    plain += `e${t.slice(i + 1, k)}`;
    i = k;
  }
  if (i !== end) return null;
  const n = Number(plain);
  return Number.isFinite(n) ? n : null;
}

/** @param {number} code */
function isDigit(code) {
  return code >= 48 && code <= 57;
}

/**
 * A raw cell as a category value, or null when it is missing.
 * @param {unknown} cell
 * @returns {string | null}
 */
export function categoryValue(cell) {
  if (missingValue(cell)) return null;
  return String(cell).trim();
}

/**
 * Standardises a number with the training statistics; a constant training column has std 0 and is only centred.
 * @param {number} value
 * @param {number} mean
 * @param {number} std
 * @returns {number}
 */
export function scale(value, mean, std) {
  const s = std === 0 || !Number.isFinite(std) ? 1 : std;
  return (value - mean) / s;
}

/**
 * Encodes one raw row (as a user would type it) into the model's input vector.
 * @param {Preprocessor} pre
 * @param {InputRow} row
 * @param {import('../shared/types').ReadFormat} [format] how the row's text writes numbers and dates (the run's format)
 * @returns {number[]}
 */
export function encodeRow(pre, row, format) {
  /** @type {number[]} */
  const out = new Array(pre.inputSize).fill(0);
  let offset = 0;
  for (const f of pre.features) {
    // Own keys only: a feature named "constructor" or "__proto__" absent from the row is missing,
    // not a value inherited from Object.prototype.
    const cell = Object.prototype.hasOwnProperty.call(row, f.name) ? row[f.name] : undefined;
    if (f.kind === 'number' || f.kind === 'date') {
      // A date is read from its text, as the import read it, in days since 1970 (the unit it was fitted in).
      const v = f.kind === 'date' ? dateValue(cell, format?.dayFirst) / DAY_MS : numberValue(cell, format?.number);
      out[offset] = scale(Number.isNaN(v) ? f.mean : v, f.mean, f.std);
      offset += 1;
    } else {
      const v = categoryValue(cell);
      const at = v === null ? -1 : f.categories.indexOf(v);
      if (at >= 0) out[offset + at] = 1;
      offset += f.categories.length;
    }
  }
  if (offset !== pre.inputSize) {
    throw new Error(`preprocessor describes ${offset} inputs but declares inputSize ${pre.inputSize}`);
  }
  return out;
}

/**
 * Turns one row of model output into the user's terms.
 * @param {Preprocessor} pre
 * @param {ArrayLike<number>} outputs softmax probabilities (classification) or the standardised value (regression)
 * @returns {{ output: string | number, probabilities: number[] | null }}
 */
export function decodeOutput(pre, outputs) {
  if (pre.task === 'classification') {
    if (outputs.length !== pre.labels.length) {
      throw new Error(`model gave ${outputs.length} outputs for ${pre.labels.length} labels`);
    }
    const probabilities = Array.from(outputs, Number);
    let best = 0;
    for (let i = 1; i < probabilities.length; i++) if (probabilities[i] > probabilities[best]) best = i;
    return { output: pre.labels[best], probabilities };
  }
  const std = pre.targetStd === 0 || !Number.isFinite(pre.targetStd) ? 1 : pre.targetStd;
  return { output: Number(outputs[0]) * std + pre.targetMean, probabilities: null };
}
