// Train/validation/test assignment. Seeded so a dataset version (whose id covers the split spec) is
// reproducible, and stratified so small classes appear in every partition. A time split orders rows
// by a date instead, so the model is tested on a later period than it learned from, as in use.

import { imageBytes } from './columns';
import { parseDateColumn } from './date-text';
import { mulberry32, shuffleInPlace } from '../shared/rng';
import { SPLIT_NONE, SPLIT_TEST, SPLIT_TRAIN, SPLIT_VALIDATION } from '../shared/types';
import type { ColumnData, SplitCounts, SplitSpec } from '../shared/types';

const PARTITIONS = [SPLIT_TRAIN, SPLIT_VALIDATION, SPLIT_TEST] as const;

/** A message when the fractions cannot describe a split, or null when they can. */
export function checkSplitSpec(spec: SplitSpec): string | null {
  const f = spec.fractions;
  const valid = f.length === 3 && f.every((x) => Number.isFinite(x) && x >= 0 && x <= 1);
  if (!valid || Math.abs(f[0] + f[1] + f[2] - 1) > 1e-6) {
    return 'Split fractions for train, validation and test must each be between 0 and 1 and add up to 1.';
  }
  if (f[0] <= 0) return 'The training split must get some rows.';
  if (!Number.isInteger(spec.seed)) return 'The split seed must be a whole number.';
  if (spec.method === 'time' && !spec.timeColumn) return 'A time split needs a date column: choose the column that says when each row happened.';
  return null;
}

/**
 * Partition sizes for `n` rows: largest-remainder rounding keeps each size within one row of its
 * exact share; then, for n >= 3, every partition with a positive fraction gets at least one row
 * (taken from the largest), so a small class still shows up in validation and test.
 */
export function partitionSizes(n: number, fractions: readonly [number, number, number]): [number, number, number] {
  const exact = fractions.map((f) => f * n);
  const sizes = exact.map(Math.floor) as [number, number, number];
  let left = n - sizes[0] - sizes[1] - sizes[2];
  const byRemainder = [0, 1, 2].sort((a, b) => exact[b] - sizes[b] - (exact[a] - sizes[a]) || a - b);
  for (let i = 0; left > 0; i = (i + 1) % 3) {
    if (fractions[byRemainder[i]] > 0) {
      sizes[byRemainder[i]]++;
      left--;
    }
  }
  if (n >= 3) {
    for (let p = 0; p < 3; p++) {
      if (fractions[p] > 0 && sizes[p] === 0) {
        const largest = sizes.indexOf(Math.max(...sizes));
        sizes[largest]--;
        sizes[p]++;
      }
    }
  }
  return sizes;
}

/**
 * One partition code per row (SPLIT_TRAIN, SPLIT_VALIDATION, SPLIT_TEST, or SPLIT_NONE for rows
 * without a target). `strata` holds a class code per row (-1 = none); it is used when the spec asks
 * for a stratified split, and each class is then split by the fractions on its own. `times` (see
 * `timeKeys`) is required by a time split: rows without a time take part in no partition.
 */
export function splitRows(
  spec: SplitSpec,
  rowCount: number,
  hasTarget: (row: number) => boolean,
  strata: Int32Array | null = null,
  times: Float64Array | null = null,
): Uint8Array {
  const problem = checkSplitSpec(spec);
  if (problem !== null) throw new RangeError(problem);
  if (spec.method === 'time') {
    if (times === null || times.length !== rowCount) throw new RangeError('A time split needs one time per row.');
    return splitByTime(spec.fractions, rowCount, hasTarget, times);
  }
  const assignment = new Uint8Array(rowCount).fill(SPLIT_NONE);
  const rand = mulberry32(spec.seed);
  for (const group of groups(rowCount, hasTarget, spec.method === 'stratified' ? strata : null)) {
    shuffleInPlace(group, rand);
    const sizes = partitionSizes(group.length, spec.fractions);
    let at = 0;
    for (let p = 0; p < 3; p++) {
      for (let k = 0; k < sizes[p]; k++) assignment[group[at++]] = PARTITIONS[p];
    }
  }
  return assignment;
}

/** Eligible rows in ascending order, one group per class code (in code order) or a single group. */
function groups(rowCount: number, hasTarget: (row: number) => boolean, strata: Int32Array | null): Int32Array[] {
  const key = new Int32Array(rowCount);
  let groupCount = 1;
  for (let r = 0; r < rowCount; r++) {
    if (!hasTarget(r)) key[r] = -1;
    else if (strata === null) key[r] = 0;
    else {
      key[r] = strata[r];
      if (strata[r] >= groupCount) groupCount = strata[r] + 1;
    }
  }
  const sizes = new Int32Array(groupCount);
  for (let r = 0; r < rowCount; r++) if (key[r] >= 0) sizes[key[r]]++;
  const out = Array.from(sizes, (size) => new Int32Array(size));
  const fill = new Int32Array(groupCount);
  for (let r = 0; r < rowCount; r++) if (key[r] >= 0) out[key[r]][fill[key[r]]++] = r;
  return out.filter((g) => g.length > 0);
}

export function countSplit(assignment: Uint8Array): SplitCounts {
  const counts: SplitCounts = { train: 0, validation: 0, test: 0 };
  for (const code of assignment) {
    if (code === SPLIT_TRAIN) counts.train++;
    else if (code === SPLIT_VALIDATION) counts.validation++;
    else if (code === SPLIT_TEST) counts.test++;
  }
  return counts;
}

/**
 * Earliest rows train, the next validate, the latest test. A boundary never falls inside a run of
 * equal times: rows of one moment go to the same partition, so the test period starts strictly
 * after the training period ends (the later partition gives way when they would be split).
 */
function splitByTime(
  fractions: readonly [number, number, number],
  rowCount: number,
  hasTarget: (row: number) => boolean,
  times: Float64Array,
): Uint8Array {
  const assignment = new Uint8Array(rowCount).fill(SPLIT_NONE);
  const rows: number[] = [];
  for (let r = 0; r < rowCount; r++) if (hasTarget(r) && !Number.isNaN(times[r])) rows.push(r);
  // Equal times keep file order, so the split does not depend on the sort's implementation.
  rows.sort((a, b) => times[a] - times[b] || a - b);
  const sizes = partitionSizes(rows.length, fractions);
  const boundaries = [sizes[0], sizes[0] + sizes[1]];
  for (let i = 0; i < 2; i++) {
    let b = Math.max(boundaries[i], i > 0 ? boundaries[i - 1] : 0);
    while (b > 0 && b < rows.length && times[rows[b]] === times[rows[b - 1]]) b++;
    boundaries[i] = b;
  }
  rows.forEach((row, k) => {
    assignment[row] = k < boundaries[0] ? SPLIT_TRAIN : k < boundaries[1] ? SPLIT_VALIDATION : SPLIT_TEST;
  });
  return assignment;
}

/**
 * The time of each row of a column, for a time split: dates and numbers are taken as they are (only
 * their order matters), text is read as dates (see date-text.ts). NaN marks no date.
 */
export function timeKeys(column: ColumnData): Float64Array {
  if (column.kind === 'number' || column.kind === 'date') return Float64Array.from(column.values);
  if (column.kind === 'image') return new Float64Array(column.pixels.length / imageBytes(column)).fill(NaN);
  const byCode = parseDateColumn(column.dictionary);
  return Float64Array.from(column.codes, (code) => (code < 0 ? NaN : byCode[code]));
}

/**
 * The times a spec's split needs from a table's columns: null for methods that need none, or a
 * message when the file has no date column, the chosen column is not one, or it holds no date.
 */
export function timesForSplit(
  spec: SplitSpec,
  names: readonly string[],
  columns: readonly ColumnData[],
): { ok: true; times: Float64Array | null } | { ok: false; message: string } {
  if (spec.method !== 'time') return { ok: true, times: null };
  const name = spec.timeColumn ?? '';
  const dates = names.filter((_, c) => columns[c].kind === 'date');
  if (dates.length === 0) {
    return {
      ok: false,
      message:
        'A time split needs a date column; this file has none: no column reads as dates (2024-03-31, 2024-03-31T14:05, ' +
        '03/31/2024, 31.03.2024 or 31 Mar 2024) in at least 80% of its cells. Choose a random or stratified split, ' +
        'or set a column of dates to the date type.',
    };
  }
  const index = names.indexOf(name);
  if (index < 0) return { ok: false, message: `The date column "${name}" for the time split is not in the data.` };
  if (columns[index].kind !== 'date') {
    const list = dates.slice(0, 5).map((d) => `"${d}"`).join(', ');
    return {
      ok: false,
      message: `Column "${name}" is a ${columns[index].kind} column, not a date, so it cannot order a time split. Choose a date column: ${list}.`,
    };
  }
  const times = timeKeys(columns[index]);
  if (!times.some((t) => !Number.isNaN(t))) {
    return {
      ok: false,
      message:
        `Column "${name}" has no date in any row, so it cannot order a time split. Choose another date column or a random split.`,
    };
  }
  return { ok: true, times };
}
