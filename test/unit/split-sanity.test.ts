import { describe, expect, it } from 'vitest';
import { buildDataset } from '../../src/core/data/build-dataset';
import type { RawTable } from '../../src/core/data/type-guess';
import { buildImageDataset } from '../../src/core/data/images/dataset';
import { MIN_HELD_OUT_ROWS, checkSplitSizes, rowsNeeded } from '../../src/core/data/split-sanity';
import { splitRows } from '../../src/core/data/split';
import type { SplitSpec } from '../../src/core/shared/types';
import type { DatasetChoices } from '../../src/core/contracts/parse';

const STRATIFIED: SplitSpec = { method: 'stratified', seed: 7, fractions: [0.7, 0.15, 0.15] };
const RANDOM: SplitSpec = { ...STRATIFIED, method: 'random' };

function raw(rows: number, label: (i: number) => string): RawTable {
  return {
    header: ['x', 'label'],
    columns: [Array.from({ length: rows }, (_, i) => String(i)), Array.from({ length: rows }, (_, i) => label(i))],
    rowCount: rows,
    lines: Int32Array.from({ length: rows }, (_, i) => i + 2),
  };
}

const choices = (split: SplitSpec): DatasetChoices => ({ name: 'tiny', task: 'classification', target: 'label', types: {}, roles: {}, split });

async function refusal(table: RawTable, split: SplitSpec): Promise<string> {
  const outcome = await buildDataset(table, choices(split));
  if (outcome.ok) throw new Error('expected a refusal');
  return outcome.problems.map((p) => p.message).join('\n');
}

describe('split sizes', () => {
  it('works out the rows a split needs for 10 validation and 10 test rows', () => {
    expect(MIN_HELD_OUT_ROWS).toBe(10);
    expect(rowsNeeded([0.7, 0.15, 0.15])).toBe(65);
    expect(rowsNeeded([0.6, 0.2, 0.2])).toBe(49);
    expect(rowsNeeded([1, 0, 0])).toBeNull();
    // The rule's own fixed point: one row fewer falls short.
    const short = splitRows(RANDOM, 64, () => true);
    expect(checkSplitSizes(RANDOM, short)).not.toBeNull();
    expect(checkSplitSizes(RANDOM, splitRows(RANDOM, 65, () => true))).toBeNull();
  });

  it('refuses a two-row file, saying how many rows are needed and that it can still be explored', async () => {
    expect(await refusal(raw(2, (i) => (i ? 'a' : 'b')), RANDOM)).toBe(
      'The test split would get 0 rows; at least 10 are needed, so the file needs at least 65 rows with a target for a ' +
        '70/15/15 split (it has 2). You can still look at a smaller file in the import preview; saving it as a version to ' +
        'train on needs more rows.',
    );
  });

  it('counts only rows with a target', async () => {
    const table = raw(100, (i) => (i < 50 ? 'NA' : i % 2 ? 'a' : 'b'));
    expect(await refusal(table, RANDOM)).toMatch(/^The test split would get 7 rows; .* \(it has 50\)/);
  });

  it('refuses a stratified split whose test part misses a class, naming it', async () => {
    const table = raw(100, (i) => (i === 0 || i === 1 ? 'rare' : i % 2 ? 'a' : 'b'));
    expect(await refusal(table, STRATIFIED)).toMatch(
      /^The test split would have no row of class "rare" \(2 rows\), so its metrics could not judge that class\. A stratified split needs at least 3 rows of each class/,
    );
    // Three rows are enough: each partition gets one.
    const three = raw(100, (i) => (i < 3 ? 'rare' : i % 2 ? 'a' : 'b'));
    expect((await buildDataset(three, choices(STRATIFIED))).ok).toBe(true);
  });

  it('applies to image imports too', async () => {
    const shape = { width: 1, height: 1, channels: 1 as const };
    const labels = Array.from({ length: 6 }, (_, i) => (i % 2 ? 'cat' : 'dog'));
    const outcome = await buildImageDataset(new Uint8Array(6), labels, shape, STRATIFIED);
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) expect(outcome.message).toMatch(/^The test split would get 2 images; at least 10 are needed, so the import needs at least 65 labelled images/);
    const many = Array.from({ length: 80 }, (_, i) => (i % 2 ? 'cat' : 'dog'));
    expect((await buildImageDataset(new Uint8Array(80), many, shape, STRATIFIED)).ok).toBe(true);
  });
});
