// Column profiles shown on the data screen and stored with each dataset version.

import type { CategorySummary, ColumnData, ColumnSummary, NumberSummary } from './types';

const TOP_CATEGORIES = 10;

export function summarizeColumn(col: ColumnData): ColumnSummary {
  return col.kind === 'number' ? summarizeNumbers(col.values) : summarizeCategories(col.codes, col.dictionary);
}

/** Statistics over the present values; with none present min, max, mean and std are NaN. */
function summarizeNumbers(values: Float64Array): NumberSummary {
  const present = values.filter((v) => !Number.isNaN(v));
  const n = present.length;
  const missing = values.length - n;
  if (n === 0) return { kind: 'number', missing, unique: 0, min: NaN, max: NaN, mean: NaN, std: NaN };
  // Sorting a copy counts distinct values without a hash set the size of the column.
  present.sort();
  let unique = 1;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    sum += present[i];
    if (i > 0 && present[i] !== present[i - 1]) unique++;
  }
  const mean = sum / n;
  // Two passes: summing squared deviations is stable where sum-of-squares minus square-of-sum is not.
  let squares = 0;
  for (let i = 0; i < n; i++) squares += (present[i] - mean) ** 2;
  return { kind: 'number', missing, unique, min: present[0], max: present[n - 1], mean, std: Math.sqrt(squares / n) };
}

/** The missing count and every value that occurs, most frequent first. */
export function categoryCounts(codes: Int32Array, dictionary: string[]): { missing: number; used: { value: string; count: number }[] } {
  const counts = new Float64Array(dictionary.length);
  let missing = 0;
  for (const code of codes) {
    if (code < 0) missing++;
    else counts[code]++;
  }
  const used: { value: string; count: number }[] = [];
  counts.forEach((count, code) => {
    if (count > 0) used.push({ value: dictionary[code], count });
  });
  // Ties broken by value so the result is the same whatever order the dictionary has.
  used.sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
  return { missing, used };
}

function summarizeCategories(codes: Int32Array, dictionary: string[]): CategorySummary {
  const { missing, used } = categoryCounts(codes, dictionary);
  return { kind: 'category', missing, unique: used.length, top: used.slice(0, TOP_CATEGORIES) };
}
