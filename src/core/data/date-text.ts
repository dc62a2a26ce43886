// Dates written as text, read into milliseconds since 1970 (UTC). The reader itself is serving/dates.js,
// plain JavaScript shipped in the export bundle, so import and serving read a date by the same rules.

import { numericDateParts, parseDateText } from '../serving/dates.js';

export { DAY_MS, allMidnight, dateText, dateValue, numericDateParts, parseDateText } from '../serving/dates.js';

/**
 * Every value of a column read with one convention: a/b/yyyy is day/month when some value has a
 * first part above 12 (it cannot be a month), month/day otherwise. Reading values one by one would
 * put 03/04 and 13/04 on different calendars. Used for text columns (old versions) in a time split.
 */
export function parseDateColumn(values: readonly string[]): Float64Array {
  let dayFirst = false;
  for (const value of values) {
    const parts = numericDateParts(value);
    if (parts && parts[0] > 12 && parts[1] <= 12) {
      dayFirst = true;
      break;
    }
  }
  return Float64Array.from(values, (v) => parseDateText(v, dayFirst));
}
