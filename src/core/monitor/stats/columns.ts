// The shapes a column takes on its way into the drift tests, and the cleaning every test shares.
//
// Numeric columns are Float64Array with NaN for a missing value (±Infinity is treated as missing too, as
// Evidently does). Categorical columns are dictionary codes: an Int32Array of indexes into `categories`, with -1
// for missing. The reference and the current sample of one column must be coded against the same dictionary (the
// request log grows one dictionary per column, so a category unseen in training gets a new code, not a new
// meaning); the codes are what the statistics count, the labels only order them.

export type ColumnKind = 'numeric' | 'categorical';

export interface CategoricalValues {
  /** Index into `categories` per row; -1 marks a missing value. */
  readonly codes: Int32Array;
  readonly categories: readonly string[];
}

export interface CleanNumeric {
  /** The finite values, sorted ascending. */
  readonly sorted: Float64Array;
  /** Rows left out because they were NaN or infinite. */
  readonly missing: number;
}

/** Finite values of a numeric column, sorted, and how many were left out. */
export function cleanNumeric(values: Float64Array): CleanNumeric {
  let kept = 0;
  for (let i = 0; i < values.length; i++) if (Number.isFinite(values[i])) kept++;
  const sorted = new Float64Array(kept);
  let k = 0;
  let ordered = true;
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i])) continue;
    if (k > 0 && values[i] < sorted[k - 1]) ordered = false;
    sorted[k++] = values[i];
  }
  // A reference compared with window after window arrives sorted already; typed-array sort does not notice.
  if (!ordered) sorted.sort();
  return { sorted, missing: values.length - kept };
}

export interface CategoryCounts {
  /** Rows per code, indexed like `categories`. */
  readonly counts: Float64Array;
  readonly total: number;
  readonly missing: number;
}

/** Rows per category code; rejects codes outside the dictionary, naming the first offending row. */
export function countCategories(values: CategoricalValues, side: string): CategoryCounts {
  const size = values.categories.length;
  const counts = new Float64Array(size);
  let missing = 0;
  for (let i = 0; i < values.codes.length; i++) {
    const code = values.codes[i];
    if (code === -1) missing++;
    else if (code >= 0 && code < size) counts[code]++;
    else throw new Error(`${side} row ${i} has category code ${code}, outside the dictionary of ${size} categories`);
  }
  return { counts, total: values.codes.length - missing, missing };
}

/** Number of distinct values in a sorted array. */
export function distinctSorted(sorted: Float64Array): number {
  let n = 0;
  for (let i = 0; i < sorted.length; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) n++;
  return n;
}

/** Number of distinct values across two sorted arrays. */
export function distinctUnion(a: Float64Array, b: Float64Array): number {
  let i = 0;
  let j = 0;
  let n = 0;
  while (i < a.length || j < b.length) {
    const v = j >= b.length || (i < a.length && a[i] <= b[j]) ? a[i] : b[j];
    while (i < a.length && a[i] === v) i++;
    while (j < b.length && b[j] === v) j++;
    n++;
  }
  return n;
}
