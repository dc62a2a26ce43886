// Summaries of the replay's source rows, so a scenario can size a change in a column's own units ("a quarter of its
// standard deviation"). Computed once per column on first use: a transform asks for the same column per request.

import type { RawRow } from '../../shared/types';
import type { ColumnStats, NumericSummary } from './types';

/** Mean and population std of the finite numbers in `column`; text, null and missing cells are left out. */
export function numericSummary(rows: readonly RawRow[], column: string): NumericSummary {
  let count = 0;
  let mean = 0;
  let m2 = 0;
  for (const row of rows) {
    const v = row[column];
    if (typeof v !== 'number' || !Number.isFinite(v)) continue;
    // Welford's update: one pass, and no loss of precision on large values such as body masses in grams.
    count++;
    const d = v - mean;
    mean += d / count;
    m2 += d * (v - mean);
  }
  return { count, mean: count > 0 ? mean : Number.NaN, std: count > 1 ? Math.sqrt(m2 / count) : 0 };
}

export function columnStats(rows: readonly RawRow[]): ColumnStats {
  const cache = new Map<string, NumericSummary>();
  return {
    numeric(column) {
      let s = cache.get(column);
      if (!s) {
        s = numericSummary(rows, column);
        cache.set(column, s);
      }
      return s;
    },
  };
}
