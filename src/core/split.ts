// Train/validation/test assignment. Seeded so a dataset version (whose id covers the split spec) is
// reproducible, and stratified so small classes appear in every partition.

import { mulberry32, shuffleInPlace } from './rng';
import { SPLIT_NONE, SPLIT_TEST, SPLIT_TRAIN, SPLIT_VALIDATION } from './types';
import type { SplitCounts, SplitSpec } from './types';

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
 * for a stratified split, and each class is then split by the fractions on its own.
 */
export function splitRows(
  spec: SplitSpec,
  rowCount: number,
  hasTarget: (row: number) => boolean,
  strata: Int32Array | null = null,
): Uint8Array {
  const problem = checkSplitSpec(spec);
  if (problem !== null) throw new RangeError(problem);
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
