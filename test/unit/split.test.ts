import { describe, expect, it } from 'vitest';
import { countSplit, partitionSizes, splitRows } from '../../src/core/split';
import { SPLIT_NONE, SPLIT_TEST, SPLIT_TRAIN, SPLIT_VALIDATION } from '../../src/core/types';
import type { SplitSpec } from '../../src/core/types';

const STRATIFIED: SplitSpec = { method: 'stratified', seed: 42, fractions: [0.7, 0.15, 0.15] };
const RANDOM: SplitSpec = { ...STRATIFIED, method: 'random' };
const all = () => true;

/** Class codes 0, 1, 2 in blocks of 152, 68 and 124 rows (the penguin species counts). */
function classes(): Int32Array {
  return Int32Array.from({ length: 344 }, (_, i) => (i < 152 ? 0 : i < 220 ? 1 : 2));
}

describe('partitionSizes', () => {
  it('keeps each size within one row of its exact share and sums to n', () => {
    for (let n = 0; n < 200; n++) {
      const sizes = partitionSizes(n, [0.7, 0.15, 0.15]);
      expect(sizes[0] + sizes[1] + sizes[2]).toBe(n);
      if (n >= 20) sizes.forEach((s, p) => expect(Math.abs(s - n * [0.7, 0.15, 0.15][p])).toBeLessThan(1));
    }
  });

  it('gives each partition a row once there are three', () => {
    expect(partitionSizes(3, [0.7, 0.15, 0.15])).toEqual([1, 1, 1]);
    expect(partitionSizes(5, [0.8, 0.1, 0.1])).toEqual([3, 1, 1]);
    expect(partitionSizes(2, [0.7, 0.15, 0.15])).toEqual([2, 0, 0]);
    expect(partitionSizes(10, [0.8, 0, 0.2])).toEqual([8, 0, 2]);
  });
});

describe('splitRows', () => {
  it('is deterministic for a seed and changes with the seed', () => {
    const a = splitRows(STRATIFIED, 344, all, classes());
    expect(splitRows(STRATIFIED, 344, all, classes())).toEqual(a);
    expect(splitRows({ ...STRATIFIED, seed: 43 }, 344, all, classes())).not.toEqual(a);
  });

  it('random split follows the fractions', () => {
    const counts = countSplit(splitRows(RANDOM, 1000, all));
    expect(counts).toEqual({ train: 700, validation: 150, test: 150 });
  });

  it('stratified split keeps class ratios within one row per class', () => {
    const labels = classes();
    const assignment = splitRows(STRATIFIED, 344, all, labels);
    for (const [code, n] of [
      [0, 152],
      [1, 68],
      [2, 124],
    ]) {
      for (const [p, f] of [
        [SPLIT_TRAIN, 0.7],
        [SPLIT_VALIDATION, 0.15],
        [SPLIT_TEST, 0.15],
      ]) {
        let count = 0;
        for (let r = 0; r < 344; r++) if (labels[r] === code && assignment[r] === p) count++;
        expect(Math.abs(count - n * f), `class ${code} partition ${p}`).toBeLessThan(1);
      }
    }
  });

  it('puts a class of three rows in every partition', () => {
    const labels = Int32Array.from({ length: 103 }, (_, i) => (i < 100 ? 0 : 1));
    const assignment = splitRows(STRATIFIED, 103, all, labels);
    expect([...assignment.subarray(100)].sort()).toEqual([SPLIT_TRAIN, SPLIT_VALIDATION, SPLIT_TEST]);
  });

  it('leaves rows without a target out of every partition', () => {
    const labels = classes();
    labels[5] = -1;
    const hasTarget = (r: number) => r % 10 !== 0 && labels[r] >= 0;
    const assignment = splitRows(STRATIFIED, 344, hasTarget, labels);
    for (let r = 0; r < 344; r++) {
      expect(assignment[r] === SPLIT_NONE, `row ${r}`).toBe(!hasTarget(r));
    }
    const counts = countSplit(assignment);
    const eligible = Array.from({ length: 344 }, (_, r) => r).filter(hasTarget).length;
    expect(counts.train + counts.validation + counts.test).toBe(eligible);
  });

  it('shuffles rows rather than taking them in order', () => {
    const assignment = splitRows(RANDOM, 1000, all);
    // In file order the first 700 would all be training rows.
    expect(countSplit(assignment.subarray(0, 700)).train).toBeLessThan(600);
  });

  it('refuses fractions that do not add up to 1', () => {
    expect(() => splitRows({ ...RANDOM, fractions: [0.7, 0.2, 0.2] }, 10, all)).toThrow(/add up to 1/);
  });
});
