// @ts-check
// Dates written as text, read into milliseconds since 1970 (UTC). Plain JavaScript on purpose: the import
// (src/core/data/date-text.ts re-exports this file), recipes and the export bundle all read dates with this one
// file, so a raw row's date means the same thing at serving as it did at import.
// Dates without a zone are read as UTC: the order of local times is the same in every zone, and a
// date's day does not move with the machine's zone.

const MONTHS = [
  'january', 'february', 'march', 'april', 'may', 'june',
  'july', 'august', 'september', 'october', 'november', 'december',
];

/** Milliseconds in a day: date features reach the model as days since 1970. */
export const DAY_MS = 86_400_000;

/** yyyy-mm-dd or yyyy/mm/dd, optionally a time and a zone (Z or ±hh:mm). Also yyyy-mm. */
const ISO = /^(\d{4})[-/](\d{1,2})(?:[-/](\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?\s*(Z|[+-]\d{2}:?\d{2})?)?)?$/i;
/** a/b/yyyy, a-b-yyyy or a.b.yyyy, optionally a time: month/day or day/month is decided per column. */
const NUMERIC = /^(\d{1,2})([/.-])(\d{1,2})\2(\d{4})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$/;
/** 5 Jan 2020, 5-Jan-2020, 05 January 2020 */
const DAY_MONTH_NAME = /^(\d{1,2})[ -]([a-z]{3,9})\.?[\s,-]*(\d{4})$/i;
/** Jan 5, 2020 or January 5 2020 */
const MONTH_NAME_DAY = /^([a-z]{3,9})\.? (\d{1,2})(?:st|nd|rd|th)?,? (\d{4})$/i;

/**
 * @param {number} year
 * @param {number} month
 */
function daysIn(year, month) {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/**
 * @param {number} year
 * @param {number} month
 * @param {number} day
 */
function utc(year, month, day, hour = 0, minute = 0, second = 0, ms = 0) {
  if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) return NaN;
  if (hour > 23 || minute > 59 || second > 59) return NaN;
  // Date.UTC maps years 0-99 to 1900-1999; setUTCFullYear does not.
  const date = new Date(Date.UTC(2000, month - 1, day, hour, minute, second, ms));
  date.setUTCFullYear(year);
  return date.getTime();
}

/**
 * 1-12 for a month name or its abbreviation ("Jan", "Sept", "january"), -1 otherwise.
 * @param {string} name
 */
function monthOf(name) {
  const lower = name.toLowerCase();
  if (lower === 'sept') return 9;
  return MONTHS.findIndex((full) => lower.length >= 3 && full.startsWith(lower)) + 1 || -1;
}

/** @param {string | undefined} zone */
function zoneOffsetMs(zone) {
  if (!zone || zone.toUpperCase() === 'Z') return 0;
  const sign = zone[0] === '-' ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  return sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4))) * 60_000;
}

/**
 * One text date in milliseconds since 1970 UTC, or NaN when it is not a date Loopbench reads.
 * `dayFirst` settles a/b/yyyy: false reads it as month/day (US), true as day/month.
 * @param {string} text
 * @param {boolean} [dayFirst]
 * @returns {number}
 */
export function parseDateText(text, dayFirst = false) {
  const s = text.trim();
  let m = ISO.exec(s);
  if (m) {
    const fraction = m[7] ? Number(m[7].slice(0, 3).padEnd(3, '0')) : 0;
    const t = utc(Number(m[1]), Number(m[2]), m[3] ? Number(m[3]) : 1, Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0), fraction);
    return t - zoneOffsetMs(m[8]);
  }
  m = NUMERIC.exec(s);
  if (m) {
    const [a, b] = [Number(m[1]), Number(m[3])];
    const [month, day] = dayFirst ? [b, a] : [a, b];
    return utc(Number(m[4]), month, day, Number(m[5] ?? 0), Number(m[6] ?? 0), Number(m[7] ?? 0));
  }
  m = DAY_MONTH_NAME.exec(s);
  if (m) {
    const month = monthOf(m[2]);
    return month < 0 ? NaN : utc(Number(m[3]), month, Number(m[1]));
  }
  m = MONTH_NAME_DAY.exec(s);
  if (m) {
    const month = monthOf(m[1]);
    return month < 0 ? NaN : utc(Number(m[3]), month, Number(m[2]));
  }
  return NaN;
}

/**
 * The two leading parts of an a/b/yyyy date ("03/04/2021" -> [3, 4]), whose order the column decides;
 * null for any other text.
 * @param {string} text
 * @returns {[number, number] | null}
 */
export function numericDateParts(text) {
  const m = NUMERIC.exec(text.trim());
  return m ? [Number(m[1]), Number(m[3])] : null;
}

/**
 * A raw serving cell as a date (ms since 1970 UTC), NaN when it is missing or not a date. Only text is
 * read: a bare number (2021, 20211118) is not a date, as at import.
 * @param {unknown} cell
 * @param {boolean} [dayFirst]
 * @returns {number}
 */
export function dateValue(cell, dayFirst = false) {
  return typeof cell === 'string' ? parseDateText(cell, dayFirst) : NaN;
}

/**
 * A date as ISO text: "2021-11-18" when `dateOnly`, else "2021-11-18T14:05:00Z" (with milliseconds when
 * it has some). Years outside 0-9999 keep JavaScript's expanded form (+012345-01-01).
 * @param {number} ms
 * @param {boolean} dateOnly
 * @returns {string}
 */
export function dateText(ms, dateOnly) {
  if (!Number.isFinite(ms)) return '';
  const iso = new Date(ms).toISOString();
  const t = iso.indexOf('T');
  if (dateOnly) return iso.slice(0, t);
  return iso.endsWith('.000Z') ? iso.slice(0, -5) + 'Z' : iso;
}

/**
 * Whether every present date of a column falls at midnight UTC, so it is shown and cast as a plain date.
 * @param {ArrayLike<number>} values
 * @returns {boolean}
 */
export function allMidnight(values) {
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === v && v % DAY_MS !== 0) return false;
  }
  return true;
}

/**
 * A date as the text a row carries between recipe steps and into the model's preprocessing: ISO, date only at
 * midnight UTC, null when missing. Decided per value, so the row path and the table path agree cell by cell.
 * @param {number} ms
 * @returns {string | null}
 */
export function isoDate(ms) {
  return Number.isFinite(ms) ? dateText(ms, ms % DAY_MS === 0) : null;
}

/**
 * A raw cell of a date column as its ISO text (see isoDate), null when missing or not a date.
 * @param {unknown} cell
 * @param {boolean} [dayFirst]
 * @returns {string | null}
 */
export function dateCell(cell, dayFirst = false) {
  return isoDate(dateValue(cell, dayFirst));
}
