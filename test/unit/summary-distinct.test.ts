import { describe, expect, it } from 'vitest';
import { countDistinct, summarizeNumbers } from '../../src/core/data/summary';
import { mulberry32 } from '../../src/core/shared/rng';

/** The plain definition: distinct present values, -0 the same as 0. */
function reference(values: Float64Array): number {
  const seen = new Set<number>();
  for (const v of values) if (!Number.isNaN(v)) seen.add(v + 0);
  return seen.size;
}

function column(n: number, cell: (random: () => number, i: number) => number, seed = 1): Float64Array {
  const random = mulberry32(seed);
  return Float64Array.from({ length: n }, (_, i) => cell(random, i));
}

describe('distinct values in a number profile', () => {
  const cases: [string, Float64Array][] = [
    ['three decimals', column(50_000, (r) => Math.round((r() - 0.5) * 200_000) / 1000)],
    ['integers with missing', column(50_000, (r, i) => (i % 13 === 0 ? NaN : Math.floor(r() * 1000) - 500))],
    ['mixed decimals', column(20_000, (r) => Number((r() * 100).toFixed(Math.floor(r() * 4))))],
    ['zero and negative zero', Float64Array.of(0, -0, 1.5, -1.5, NaN, -0)],
    ['off any grid', column(20_000, (r) => r() * 1e-3 + 1e-9)],
    ['a wide range', column(20_000, (r) => Math.floor(r() * 1e12))],
    ['with infinities', Float64Array.of(1, Infinity, -Infinity, 2, Infinity)],
    ['all missing', Float64Array.of(NaN, NaN)],
    ['sums that are not on their grid', column(10_000, (r) => Math.floor(r() * 10) * 0.1 + 0.2)],
  ];
  for (const [name, values] of cases) {
    it(`counts exactly: ${name}`, () => {
      expect(summarizeNumbers(values).unique).toBe(reference(values));
      expect(countDistinct(values)).toBe(reference(values));
    });
  }
});
