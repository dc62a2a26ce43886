import { describe, expect, it } from 'vitest';
import { summarizeColumn } from '../../src/core/data/summary';

describe('summarizeColumn', () => {
  it('summarises numbers with the population standard deviation', () => {
    const s = summarizeColumn({ kind: 'number', values: Float64Array.of(2, 4, 4, NaN, 4, 5, 5, 7, 9, NaN) });
    expect(s).toEqual({ kind: 'number', missing: 2, unique: 5, min: 2, max: 9, mean: 5, std: 2 });
  });

  it('gives NaN statistics for a column with no values', () => {
    const s = summarizeColumn({ kind: 'number', values: Float64Array.of(NaN, NaN) });
    expect(s).toMatchObject({ kind: 'number', missing: 2, unique: 0 });
    if (s.kind === 'number') expect([s.min, s.max, s.mean, s.std].every(Number.isNaN)).toBe(true);
  });

  it('lists the ten most frequent categories, ties by value', () => {
    const dictionary = 'abcdefghijkl'.split('');
    // 'l' x12, 'k' x11, ..., 'a' x1, then two missing; 'b' and 'c' are made to tie.
    const codes: number[] = [];
    dictionary.forEach((_, code) => {
      for (let i = 0; i <= code; i++) codes.push(code);
    });
    codes.push(1, -1, -1); // 'b' now has 3, like 'c'
    const s = summarizeColumn({ kind: 'category', codes: Int32Array.from(codes), dictionary });
    if (s.kind !== 'category') throw new Error('expected a category summary');
    expect(s.missing).toBe(2);
    expect(s.unique).toBe(12);
    expect(s.top).toHaveLength(10);
    expect(s.top[0]).toEqual({ value: 'l', count: 12 });
    // 'b' and 'c' tie for tenth place; the value decides, so 'c' is left out.
    expect(s.top.slice(8)).toEqual([
      { value: 'd', count: 4 },
      { value: 'b', count: 3 },
    ]);
  });

  it('counts only categories that occur', () => {
    const s = summarizeColumn({ kind: 'category', codes: Int32Array.of(0, 0, 2), dictionary: ['x', 'y', 'z'] });
    expect(s).toEqual({ kind: 'category', missing: 0, unique: 2, top: [{ value: 'x', count: 2 }, { value: 'z', count: 1 }] });
  });
});
