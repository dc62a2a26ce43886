// @ts-check
// The serving half of a data recipe: the cell semantics of every step, and the replay of a fitted recipe on one
// raw row. Plain JavaScript on purpose: the app's table path (src/core/recipe/apply-table.ts) calls these same cell
// functions, and the export bundle ships this file byte for byte next to transform.js, so a row is transformed the
// same way in training, in the app and wherever the model is deployed.
// Its only imports are its siblings transform.js and dates.js: it must run in Node and in a page without a build step.

/** @typedef {import('../recipe/types').FittedRecipe} FittedRecipe */
/** @typedef {import('../recipe/types').FittedStep} FittedStep */
/** @typedef {import('../recipe/types').Condition} Condition */
/** @typedef {import('../recipe/types').CompareOp} CompareOp */
/** @typedef {import('../recipe/types').DatePart} DatePart */
/** @typedef {import('../shared/types').RawValue} RawValue */
/** @typedef {Record<string, RawValue | undefined>} InputRow */
/**
 * A cell once read with its column's type: a number column holds a number (NaN when missing), a category column
 * a trimmed string (null when missing).
 * @typedef {number | string | null} Cell
 */
/** @typedef {{ year: number, month: number, day: number, hour: number }} DateFields */

// Cells are read exactly as the preprocessing reads them: one definition of "missing" and of a number, in
// transform.js, which the bundle ships next to this file.
import { categoryValue, MISSING_SPELLINGS, missingValue, numberValue } from './transform.js';
import { dateCell } from './dates.js';

export { categoryValue, MISSING_SPELLINGS, missingValue, numberValue };

// ---------- Cell functions, one per step ----------

/**
 * cast number -> category: the number's own text.
 * @param {number} value
 * @returns {string | null}
 */
export function numberToCategory(value) {
  return Number.isNaN(value) ? null : String(value);
}

/**
 * cast category -> number: read as the importer reads numbers, in the number format of the file the text came from
 * (the cast step records it); text that is no number becomes missing.
 * @param {string | null} value
 * @param {import('../shared/types').NumberFormat} [format]
 * @returns {number}
 */
export function categoryToNumber(value, format) {
  return value === null ? NaN : numberValue(value, format);
}

/**
 * cast category -> date: read as the importer reads dates (`dayFirst` settles 03/04/2021); a row carries a date as
 * its ISO text (serving/dates.js isoDate), so text that is no date becomes missing.
 * @param {string | null} value
 * @param {boolean} [dayFirst]
 * @returns {string | null}
 */
export function categoryToDate(value, dayFirst) {
  return value === null ? null : dateCell(value, dayFirst);
}

/**
 * @param {number} value
 * @param {number} offset
 * @param {number} factor never 0 (fitting replaces a zero spread by 1)
 * @returns {number}
 */
export function scaleValue(value, offset, factor) {
  return (value - offset) / factor;
}

/**
 * Missing stays missing: NaN fails both comparisons.
 * @param {number} value
 * @param {number} min
 * @param {number} max
 * @returns {number}
 */
export function clipValue(value, min, max) {
  if (value < min) return min;
  if (value > max) return max;
  return value;
}

/**
 * Position of a category among the fitted ones; -1 when missing or unseen.
 * @param {string | null} value
 * @param {readonly string[]} categories
 * @returns {number}
 */
export function categoryIndex(value, categories) {
  return value === null ? -1 : categories.indexOf(value);
}

/**
 * @param {string} column
 * @param {string} category
 * @returns {string}
 */
export function onehotName(column, category) {
  return `${column}=${category}`;
}

/**
 * @param {string} column
 * @param {DatePart} part
 * @returns {string}
 */
export function datePartName(column, part) {
  return `${column}.${part}`;
}

/**
 * Which bucket a number falls in: 0 below the first boundary, i for [b(i-1), b(i)), boundaries.length at or above
 * the last; -1 when missing.
 * @param {number} value
 * @param {readonly number[]} boundaries strictly increasing
 * @returns {number}
 */
export function bucketIndex(value, boundaries) {
  if (Number.isNaN(value)) return -1;
  let lo = 0;
  let hi = boundaries.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (boundaries[mid] <= value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The label of each bucket, in bucketIndex order: "< b0", "[b0, b1)", ..., ">= bk".
 * @param {readonly number[]} boundaries
 * @returns {string[]}
 */
export function bucketLabels(boundaries) {
  const n = boundaries.length;
  /** @type {string[]} */
  const labels = [`< ${boundaries[0]}`];
  for (let i = 1; i < n; i++) labels.push(`[${boundaries[i - 1]}, ${boundaries[i]})`);
  labels.push(`>= ${boundaries[n - 1]}`);
  return labels;
}

/** What a topk step calls every value it does not keep. */
export const OTHER_CATEGORY = 'other';

/**
 * 32-bit FNV-1a over the text's UTF-8 bytes (a lone surrogate counts as U+FFFD, as TextEncoder writes it): the same
 * number in every browser, in Node, and in any language that hashes the UTF-8 text the same way.
 * @param {string} text
 * @returns {number} an unsigned 32-bit integer
 */
export function fnv1a(text) {
  let h = 0x811c9dc5;
  /** @param {number} b */
  const byte = (b) => {
    h = Math.imul(h ^ b, 0x01000193);
  };
  for (let i = 0; i < text.length; i++) {
    let c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdfff) {
      const d = c <= 0xdbff && i + 1 < text.length ? text.charCodeAt(i + 1) : 0;
      if (d >= 0xdc00 && d <= 0xdfff) {
        c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
        i++;
      } else c = 0xfffd;
    }
    if (c < 0x80) byte(c);
    else if (c < 0x800) {
      byte(0xc0 | (c >> 6));
      byte(0x80 | (c & 63));
    } else if (c < 0x10000) {
      byte(0xe0 | (c >> 12));
      byte(0x80 | ((c >> 6) & 63));
      byte(0x80 | (c & 63));
    } else {
      byte(0xf0 | (c >> 18));
      byte(0x80 | ((c >> 12) & 63));
      byte(0x80 | ((c >> 6) & 63));
      byte(0x80 | (c & 63));
    }
  }
  return h >>> 0;
}

/**
 * The label of hash bucket `index`.
 * @param {number} index
 * @returns {string}
 */
export function hashBucketName(index) {
  return `bucket ${index}`;
}

/**
 * Which bucket a category falls in; -1 when missing.
 * @param {string | null} value
 * @param {number} buckets a whole number >= 1
 * @returns {number}
 */
export function hashBucket(value, buckets) {
  return value === null ? -1 : fnv1a(value) % buckets;
}

/**
 * topk: a kept value stays itself, any other present value (seen in training or not) becomes "other", missing stays
 * missing.
 * @param {string | null} value
 * @param {readonly string[]} categories the kept values
 * @returns {string | null}
 */
export function topkValue(value, categories) {
  if (value === null) return null;
  return categories.includes(value) ? value : OTHER_CATEGORY;
}

// YYYY-MM-DD or YYYY/MM/DD (one separator throughout; one-digit months and days too), optionally followed by a
// time: T or a space, H:MM or HH:MM, optional :SS and fraction, optional Z or +HH:MM / -HHMM offset.
const DATE = /^(\d{4})([-/])(\d{1,2})\2(\d{1,2})(?:[Tt ](\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?\s*(?:[Zz]|[+-]\d{2}(?::?\d{2})?)?)?$/;

/**
 * @param {number} year
 * @returns {boolean}
 */
function leapYear(year) {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

const DAYS_BEFORE_MONTH = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334];

/**
 * @param {number} year
 * @param {number} month 1-12
 * @returns {number}
 */
function daysInMonth(year, month) {
  if (month === 2) return leapYear(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/**
 * Reads a date or date-time. The fields are taken as written: an offset is accepted but not applied, so "hour" is
 * the hour of day where the value was recorded, and no machine's time zone can change the result.
 * A date without a time has hour 0. Impossible dates (2021-02-29, month 13, hour 24) give null.
 * @param {string | null} value
 * @returns {DateFields | null}
 */
export function parseDate(value) {
  if (value === null) return null;
  const m = DATE.exec(value);
  if (!m) return null;
  const year = Number(m[1]);
  const month = Number(m[3]);
  const day = Number(m[4]);
  const hour = m[5] === undefined ? 0 : Number(m[5]);
  const minute = m[6] === undefined ? 0 : Number(m[6]);
  const second = m[7] === undefined ? 0 : Number(m[7]);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  if (hour > 23 || minute > 59 || second > 59) return null;
  return { year, month, day, hour };
}

/**
 * Days since 1970-01-01 in the proleptic Gregorian calendar, by arithmetic rather than Date so that years 0-99
 * and time zones cannot interfere.
 * @param {DateFields} d
 * @returns {number}
 */
function daysSinceEpoch(d) {
  const y = d.month <= 2 ? d.year - 1 : d.year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = (d.month + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + d.day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/**
 * One part of a parsed date; NaN when the date is missing or unreadable.
 * weekday is ISO: 1 = Monday ... 7 = Sunday. dayofyear counts from 1.
 * @param {DateFields | null} d
 * @param {DatePart} part
 * @returns {number}
 */
export function datePart(d, part) {
  if (d === null) return NaN;
  switch (part) {
    case 'year':
      return d.year;
    case 'month':
      return d.month;
    case 'day':
      return d.day;
    case 'hour':
      return d.hour;
    case 'dayofyear':
      return DAYS_BEFORE_MONTH[d.month - 1] + (d.month > 2 && leapYear(d.year) ? 1 : 0) + d.day;
    case 'weekday': {
      // 1970-01-01 was a Thursday (ISO 4).
      const w = (daysSinceEpoch(d) + 3) % 7;
      return (w < 0 ? w + 7 : w) + 1;
    }
    default:
      return NaN;
  }
}

/**
 * A comparison with a missing cell is false for every operator; text compares by UTF-16 code units (so ISO dates
 * order correctly), never by locale. A value of the other type never matches.
 * @param {CompareOp} op
 * @param {Cell} cell
 * @param {number | string} value
 * @returns {boolean}
 */
export function compareCell(op, cell, value) {
  if (cell === null || (typeof cell === 'number' && Number.isNaN(cell))) return false;
  if (typeof cell !== typeof value) return false;
  switch (op) {
    case 'eq':
      return cell === value;
    case 'ne':
      return cell !== value;
    case 'lt':
      return cell < value;
    case 'le':
      return cell <= value;
    case 'gt':
      return cell > value;
    case 'ge':
      return cell >= value;
    default:
      return false;
  }
}

/**
 * @param {Cell} cell
 * @returns {boolean}
 */
export function cellMissing(cell) {
  return cell === null || (typeof cell === 'number' && Number.isNaN(cell));
}

/**
 * Whether a category cell is one of `values`; a missing cell is in no list.
 * @param {Cell} cell
 * @param {readonly string[]} values
 * @returns {boolean}
 */
export function cellIn(cell, values) {
  return typeof cell === 'string' && values.includes(cell);
}

/**
 * Evaluates a condition against one row's cells.
 * @param {Condition} condition
 * @param {(column: string) => Cell} get
 * @returns {boolean}
 */
export function testCondition(condition, get) {
  switch (condition.kind) {
    case 'compare':
      return compareCell(condition.op, get(condition.column), condition.value);
    case 'missing':
      return cellMissing(get(condition.column)) !== condition.negate;
    case 'in':
      return cellIn(get(condition.column), condition.values) !== condition.negate;
    case 'all':
      return condition.conditions.every((c) => testCondition(c, get));
    case 'any':
      return condition.conditions.some((c) => testCondition(c, get));
    default:
      return false;
  }
}

// ---------- One row ----------

/**
 * Applies one fitted step to a row's cells, in place.
 * @param {FittedStep} step
 * @param {Map<string, Cell>} cells
 */
function applyStep(step, cells) {
  /** @param {string} name */
  const num = (name) => {
    const v = cells.get(name);
    return typeof v === 'number' ? v : NaN;
  };
  /** @param {string} name */
  const cat = (name) => {
    const v = cells.get(name);
    return typeof v === 'string' ? v : null;
  };
  switch (step.kind) {
    case 'drop':
      for (const c of step.columns) cells.delete(c);
      return;
    case 'rename': {
      const v = cells.get(step.from);
      cells.delete(step.from);
      cells.set(step.to, v === undefined ? null : v);
      return;
    }
    case 'cast': {
      // A date travels as its ISO text, so date -> category keeps the text as it is.
      const v = cells.get(step.column);
      if (step.to === 'category') cells.set(step.column, typeof v === 'string' ? v : numberToCategory(num(step.column)));
      else if (step.to === 'date') cells.set(step.column, categoryToDate(cat(step.column), step.dayFirst));
      else cells.set(step.column, categoryToNumber(cat(step.column), step.format));
      return;
    }
    case 'filter':
      // Skipped: a filter decides which rows a model learns from, but a deployed model must answer every row it is
      // given, so there is nothing to drop a row in favour of.
      return;
    case 'impute':
      if (typeof step.fill === 'number') {
        const v = num(step.column);
        cells.set(step.column, Number.isNaN(v) ? step.fill : v);
      } else {
        const v = cat(step.column);
        cells.set(step.column, v === null ? step.fill : v);
      }
      return;
    case 'scale':
      cells.set(step.column, scaleValue(num(step.column), step.offset, step.factor));
      return;
    case 'clip':
      cells.set(step.column, clipValue(num(step.column), step.min, step.max));
      return;
    case 'onehot': {
      const at = categoryIndex(cat(step.column), step.categories);
      cells.delete(step.column);
      step.categories.forEach((c, i) => cells.set(onehotName(step.column, c), i === at ? 1 : 0));
      return;
    }
    case 'ordinal': {
      const at = categoryIndex(cat(step.column), step.categories);
      cells.set(step.column, at < 0 ? NaN : at);
      return;
    }
    case 'bucketize': {
      const at = bucketIndex(num(step.column), step.boundaries);
      cells.set(step.column, at < 0 ? null : bucketLabels(step.boundaries)[at]);
      return;
    }
    case 'hash': {
      const at = hashBucket(cat(step.column), step.buckets);
      cells.set(step.column, at < 0 ? null : hashBucketName(at));
      return;
    }
    case 'topk':
      cells.set(step.column, topkValue(cat(step.column), step.categories));
      return;
    case 'dateparts': {
      const d = parseDate(cat(step.column));
      if (!step.keep) cells.delete(step.column);
      for (const p of step.parts) cells.set(datePartName(step.column, p), datePart(d, p));
      return;
    }
    default:
      throw new Error(`unknown recipe step "${/** @type {{ kind: string }} */ (step).kind}"`);
  }
}

/**
 * A raw cell read as its recipe input column's type: numbers in the row's number format, dates (as ISO text) with
 * its day order, anything else as a category.
 * @param {string} type
 * @param {unknown} raw
 * @param {import('../shared/types').ReadFormat} [format]
 * @returns {Cell}
 */
function inputCell(type, raw, format) {
  if (type === 'number') return numberValue(raw, format?.number);
  if (type === 'date') return dateCell(raw, format?.dayFirst);
  return categoryValue(raw);
}

/**
 * Replays a fitted recipe on one raw row, as a user would type it (numbers as numbers or text, missing as null, NA,
 * an empty string or an absent key). Every step applies the cell semantics the table was transformed with, except
 * filters (see applyStep). Keys the recipe was not fitted on are ignored. The result has exactly the recipe's output
 * columns, missing values as null, in an object without a prototype so that a column named "__proto__" is an
 * ordinary key.
 * @param {FittedRecipe} fitted
 * @param {InputRow} row
 * @param {import('../shared/types').ReadFormat} [format] how the row's text writes numbers (the run's format)
 * @returns {Record<string, RawValue>}
 */
export function applyRecipeToRow(fitted, row, format) {
  if (fitted.version !== 1) throw new Error(`unknown fitted recipe version ${String(fitted.version)}`);
  /** @type {Map<string, Cell>} */
  const cells = new Map();
  for (const col of fitted.input) {
    const raw = Object.prototype.hasOwnProperty.call(row, col.name) ? row[col.name] : undefined;
    cells.set(col.name, inputCell(col.type, raw, format));
  }
  for (const step of fitted.steps) applyStep(step, cells);
  /** @type {Record<string, RawValue>} */
  const out = Object.create(null);
  for (const col of fitted.output) {
    const v = cells.get(col.name);
    out[col.name] = v === undefined || cellMissing(v) ? null : v;
  }
  return out;
}

/**
 * Whether a raw row survives every filter of a fitted recipe, each evaluated on the cells as the steps before it
 * left them (as the table path does). Serving never drops a row (applyRecipeToRow skips filters); this tells which
 * raw rows the transformed table kept, e.g. to pick raw examples whose answers a trained model can be checked on.
 * @param {FittedRecipe} fitted
 * @param {InputRow} row
 * @param {import('../shared/types').ReadFormat} [format] how the row's text writes numbers and dates (the run's format)
 * @returns {boolean}
 */
export function rowPassesFilters(fitted, row, format) {
  if (fitted.version !== 1) throw new Error(`unknown fitted recipe version ${String(fitted.version)}`);
  /** @type {Map<string, Cell>} */
  const cells = new Map();
  for (const col of fitted.input) {
    const raw = Object.prototype.hasOwnProperty.call(row, col.name) ? row[col.name] : undefined;
    cells.set(col.name, inputCell(col.type, raw, format));
  }
  /** @param {string} name */
  const get = (name) => {
    const v = cells.get(name);
    return v === undefined ? null : v;
  };
  for (const step of fitted.steps) {
    if (step.kind === 'filter') {
      if (!testCondition(step.condition, get)) return false;
    } else applyStep(step, cells);
  }
  return true;
}
