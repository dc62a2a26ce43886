// Dates written as text, read into milliseconds since 1970 (UTC). Used to order rows for a time
// split, so what matters is that every format a column uses maps onto one consistent timeline.
// Dates without a zone are read as UTC: the order of local times is the same in every zone.

const MONTHS = [
  'january', 'february', 'march', 'april', 'may', 'june',
  'july', 'august', 'september', 'october', 'november', 'december',
];

/** yyyy-mm-dd or yyyy/mm/dd, optionally a time and a zone (Z or ±hh:mm). Also yyyy-mm. */
const ISO = /^(\d{4})[-/](\d{1,2})(?:[-/](\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?\s*(Z|[+-]\d{2}:?\d{2})?)?)?$/i;
/** a/b/yyyy, a-b-yyyy or a.b.yyyy, optionally a time: month/day or day/month is decided per column. */
const NUMERIC = /^(\d{1,2})([/.-])(\d{1,2})\2(\d{4})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$/;
/** 5 Jan 2020, 5-Jan-2020, 05 January 2020 */
const DAY_MONTH_NAME = /^(\d{1,2})[ -]([a-z]{3,9})\.?[\s,-]*(\d{4})$/i;
/** Jan 5, 2020 or January 5 2020 */
const MONTH_NAME_DAY = /^([a-z]{3,9})\.? (\d{1,2})(?:st|nd|rd|th)?,? (\d{4})$/i;

function daysIn(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function utc(year: number, month: number, day: number, hour = 0, minute = 0, second = 0, ms = 0): number {
  if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) return NaN;
  if (hour > 23 || minute > 59 || second > 59) return NaN;
  // Date.UTC maps years 0-99 to 1900-1999; setUTCFullYear does not.
  const date = new Date(Date.UTC(2000, month - 1, day, hour, minute, second, ms));
  date.setUTCFullYear(year);
  return date.getTime();
}

/** 1-12 for a month name or its abbreviation ("Jan", "Sept", "january"), -1 otherwise. */
function monthOf(name: string): number {
  const lower = name.toLowerCase();
  if (lower === 'sept') return 9;
  return MONTHS.findIndex((full) => lower.length >= 3 && full.startsWith(lower)) + 1 || -1;
}

function zoneOffsetMs(zone: string | undefined): number {
  if (!zone || zone.toUpperCase() === 'Z') return 0;
  const sign = zone[0] === '-' ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  return sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4))) * 60_000;
}

/**
 * One text date in milliseconds since 1970 UTC, or NaN when it is not a date Loopbench reads.
 * `dayFirst` settles a/b/yyyy: false reads it as month/day (US), true as day/month.
 */
export function parseDateText(text: string, dayFirst = false): number {
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
 * Every value of a column read with one convention: a/b/yyyy is day/month when some value has a
 * first part above 12 (it cannot be a month), month/day otherwise. Reading values one by one would
 * put 03/04 and 13/04 on different calendars.
 */
export function parseDateColumn(values: readonly string[]): Float64Array {
  let dayFirst = false;
  for (const value of values) {
    const m = NUMERIC.exec(value.trim());
    if (m && Number(m[1]) > 12 && Number(m[3]) <= 12) {
      dayFirst = true;
      break;
    }
  }
  return Float64Array.from(values, (v) => parseDateText(v, dayFirst));
}
