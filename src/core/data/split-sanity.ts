// Whether a split leaves enough held-out rows for its metrics to mean something. A version with 2
// validation rows would train and report an accuracy of 0%, 50% or 100%, which says nothing: such a
// version is refused with how many rows it would take, before anything is stored.

import { partitionSizes } from './split';
import { SPLIT_NONE, SPLIT_TEST, SPLIT_TRAIN, SPLIT_VALIDATION } from '../shared/types';
import type { SplitSpec } from '../shared/types';
import { plural } from '../shared/plural';

/** Fewest rows a validation or test partition may have. */
export const MIN_HELD_OUT_ROWS = 10;

const NAMES = ['training', 'validation', 'test'] as const;

function percent(f: number): string {
  return String(Math.round(f * 1000) / 10);
}

/** The fewest labelled rows whose split by `fractions` gives every held-out partition MIN_HELD_OUT_ROWS. */
export function rowsNeeded(fractions: readonly [number, number, number]): number | null {
  if (fractions[1] <= 0 || fractions[2] <= 0) return null;
  const smallest = Math.min(fractions[1], fractions[2]);
  // Start below the exact answer (rounding can give a partition one more row than its share) and count up.
  let n = Math.max(1, Math.floor(MIN_HELD_OUT_ROWS / smallest) - 3);
  for (;;) {
    const sizes = partitionSizes(n, fractions);
    if (sizes[1] >= MIN_HELD_OUT_ROWS && sizes[2] >= MIN_HELD_OUT_ROWS) return n;
    n++;
  }
}

/**
 * Why a split cannot make a version, or null when it can: the validation or test partition has fewer
 * than MIN_HELD_OUT_ROWS rows, or (stratified) the test partition lacks a class the data has.
 * `strata` is the target's class code per row (-1 none) and `classes` names the codes.
 */
export function checkSplitSizes(
  spec: SplitSpec,
  assignment: Uint8Array,
  strata: Int32Array | null = null,
  classes: readonly string[] = [],
  source: 'table' | 'images' = 'table',
): string | null {
  const counts = [0, 0, 0];
  for (const code of assignment) {
    if (code === SPLIT_TRAIN) counts[0]++;
    else if (code === SPLIT_VALIDATION) counts[1]++;
    else if (code === SPLIT_TEST) counts[2]++;
  }
  const labelled = counts[0] + counts[1] + counts[2];
  const explore =
    source === 'table'
      ? 'You can still look at a smaller file in the import preview; saving it as a version to train on needs more rows.'
      : 'Add more images before saving a version to train on.';
  const needs = source === 'table' ? 'the file needs at least' : 'the import needs at least';
  const unit = source === 'table' ? 'rows with a target' : 'labelled images';
  const split = spec.fractions.map(percent).join('/');
  for (const p of [2, 1]) {
    if (counts[p] >= MIN_HELD_OUT_ROWS) continue;
    const needed = rowsNeeded(spec.fractions);
    const how =
      needed === null
        ? `give the ${NAMES[p]} split a share of the rows (it has ${percent(spec.fractions[p])}%).`
        : labelled >= needed && spec.method === 'time'
          ? `and a time split keeps the rows of one date together: the ${NAMES[p]} period needs rows of more dates (the file has ${labelled} ${unit}).`
          : `so ${needs} ${needed} ${unit} for a ${split} split (it has ${labelled}).`;
    const what = source === 'table' ? 'row' : 'image';
    return `The ${NAMES[p]} split would get ${plural(counts[p], what)}; at least ${MIN_HELD_OUT_ROWS} are needed, ${how} ${explore}`;
  }
  if (spec.method === 'stratified' && strata !== null) {
    const inData = new Map<number, number>();
    const inTest = new Set<number>();
    for (let r = 0; r < assignment.length; r++) {
      const code = strata[r];
      if (code < 0 || assignment[r] === SPLIT_NONE) continue;
      inData.set(code, (inData.get(code) ?? 0) + 1);
      if (assignment[r] === SPLIT_TEST) inTest.add(code);
    }
    const lacking = [...inData.keys()].filter((code) => !inTest.has(code)).sort((a, b) => a - b);
    if (lacking.length > 0) {
      const shown = lacking
        .slice(0, 5)
        .map((code) => `"${classes[code] ?? code}" (${plural(inData.get(code) ?? 0, source === 'table' ? 'row' : 'image')})`)
        .join(', ');
      const more = lacking.length > 5 ? ` and ${lacking.length - 5} more` : '';
      return (
        `The test split would have no row of class ${shown}${more}, so its metrics could not judge ${lacking.length === 1 ? 'that class' : 'those classes'}. ` +
        (source === 'table'
          ? 'A stratified split needs at least 3 rows of each class: add rows of it, or merge or drop rare classes. '
          : 'A stratified split needs at least 3 images of each label: add images of it, or leave the label out. ') +
        explore
      );
    }
  }
  return null;
}
