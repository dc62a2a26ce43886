import { describe, expect, it } from 'vitest';
import {
  associate,
  correlationRatio,
  cramersV,
  displayOrder,
  histogram,
  pearson,
  profileTable,
  quantile,
  quantiles,
  type CategoryProfile,
  type NumberProfile,
} from '../../src/core/data/profile';
import type { ColumnData, ColumnSchema, Table } from '../../src/core/shared/types';

const f64 = (xs: number[]) => Float64Array.from(xs);
const i32 = (xs: number[]) => Int32Array.from(xs);

function expectClose(actual: object, expected: Record<string, number>): void {
  const got = actual as Record<string, number>;
  expect(Object.keys(got).sort()).toEqual(Object.keys(expected).sort());
  for (const key of Object.keys(expected)) expect(got[key], key).toBeCloseTo(expected[key], 12);
}

/** Codes for a contingency table given as counts[a][b]. */
function fromContingency(counts: number[][]): { a: Int32Array; b: Int32Array } {
  const a: number[] = [];
  const b: number[] = [];
  counts.forEach((row, x) =>
    row.forEach((n, y) => {
      for (let i = 0; i < n; i++) {
        a.push(x);
        b.push(y);
      }
    }),
  );
  return { a: i32(a), b: i32(b) };
}

describe('quantile (linear interpolation between closest ranks, type 7)', () => {
  const oneToTen = f64([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);

  it('matches hand-computed values: h = (n - 1) p', () => {
    // h = 9 p: p5 -> 0.45, p25 -> 2.25, median -> 4.5, p75 -> 6.75, p95 -> 8.55
    expectClose(quantiles(oneToTen), { p5: 1.45, p25: 3.25, median: 5.5, p75: 7.75, p95: 9.55 });
    expect(quantile(oneToTen, 0)).toBe(1);
    expect(quantile(oneToTen, 1)).toBe(10);
  });

  it('interpolates on uneven gaps and handles one value and none', () => {
    // h = 3 * 0.5 = 1.5: halfway between 2 and 10.
    expect(quantile(f64([1, 2, 10, 50]), 0.5)).toBe(6);
    // h = 3 * 0.25 = 0.75: 1 + 0.75 * (2 - 1).
    expect(quantile(f64([1, 2, 10, 50]), 0.25)).toBe(1.75);
    expect(quantiles(f64([7]))).toEqual({ p5: 7, p25: 7, median: 7, p75: 7, p95: 7 });
    expect(Number.isNaN(quantile(f64([]), 0.5))).toBe(true);
  });
});

describe('histogram', () => {
  it('cuts [min, max] into equal bins with max in the last one', () => {
    const h = histogram(f64([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]), 5);
    expect(h).toEqual({ min: 0, max: 10, counts: [2, 2, 2, 2, 3] });
  });

  it('gives a one-value column a single bin and an empty one none', () => {
    expect(histogram(f64([5, 5, 5]))).toEqual({ min: 5, max: 5, counts: [3] });
    expect(histogram(f64([])).counts).toEqual([]);
  });

  it('keeps every value on awkward floating-point widths', () => {
    const values = f64([0.1, 0.2, 0.3, 0.30000000000000004, 0.7]);
    const h = histogram(values, 20);
    expect(h.counts).toHaveLength(20);
    expect(h.counts.reduce((a, b) => a + b, 0)).toBe(5);
    expect(h.counts[0]).toBe(1);
    expect(h.counts[19]).toBe(1);
  });
});

describe('association measures', () => {
  it("Cramér's V of a 2x2 table equals |phi| = |ad - bc| / sqrt(r1 r2 c1 c2)", () => {
    // [[10, 20], [30, 40]]: chi² = 4/12 + 4/18 + 4/28 + 4/42 = 0.793651, V = sqrt(chi² / 100) = 0.0890871
    const { a, b } = fromContingency([
      [10, 20],
      [30, 40],
    ]);
    expect(cramersV(a, b)).toBeCloseTo(0.0890871, 6);
    expect(cramersV(a, b)).toBeCloseTo(200 / Math.sqrt(30 * 70 * 40 * 60), 10);
  });

  it("Cramér's V is 1 for a perfect link, 0 for independence, and undefined for one category", () => {
    const perfect = fromContingency([
      [50, 0],
      [0, 50],
    ]);
    expect(cramersV(perfect.a, perfect.b)).toBeCloseTo(1, 12);
    const independent = fromContingency([
      [10, 10, 10],
      [20, 20, 20],
    ]);
    expect(cramersV(independent.a, independent.b)).toBeCloseTo(0, 12);
    expect(Number.isNaN(cramersV(i32([0, 0, 0]), i32([0, 1, 0])))).toBe(true);
    // Two id-like columns: 1001 x 1001 cells is past the limit.
    const ids = i32(Array.from({ length: 1001 }, (_, i) => i));
    expect(Number.isNaN(cramersV(ids, ids))).toBe(true);
  });

  it("Cramér's V of a 3x3 table uses min(r, c) - 1 and skips missing codes", () => {
    // Diagonal 3x3: chi² = n (k - 1), so V = 1; the missing pair (-1) must not count.
    const { a, b } = fromContingency([
      [5, 0, 0],
      [0, 5, 0],
      [0, 0, 5],
    ]);
    expect(cramersV(i32([...a, -1]), i32([...b, 2]))).toBeCloseTo(1, 12);
  });

  it('correlation ratio eta = sqrt(SS between / SS total)', () => {
    // Groups {1,2,3} and {4,5,6}: SS total 17.5, SS between 13.5.
    const groups = i32([0, 0, 0, 1, 1, 1]);
    expect(correlationRatio(groups, f64([1, 2, 3, 4, 5, 6]))).toBeCloseTo(Math.sqrt(13.5 / 17.5), 12);
    // Same group means: no link. Missing values and codes are skipped.
    expect(correlationRatio(i32([0, 0, 1, 1, -1]), f64([1, 3, 3, 1, 100]))).toBe(0);
    expect(correlationRatio(i32([0, 1, 0, 1]), f64([1, 2, NaN, 2]))).toBeCloseTo(1, 12);
    expect(Number.isNaN(correlationRatio(i32([0, 1]), f64([4, 4])))).toBe(true);
  });

  it("Pearson's r on a textbook example, skipping missing pairs", () => {
    // dx = [-2,-1,0,1,2], dy = [-2,0,1,0,1]: r = 6 / sqrt(10 * 6)
    expect(pearson(f64([1, 2, 3, 4, 5, NaN]), f64([2, 4, 5, 4, 5, 9]))).toBeCloseTo(6 / Math.sqrt(60), 12);
    expect(pearson(f64([1, 2, 3]), f64([3, 2, 1]))).toBeCloseTo(-1, 12);
    expect(Number.isNaN(pearson(f64([1, 1, 1]), f64([1, 2, 3])))).toBe(true);
  });

  it('picks the measure from the column kinds, |r| for two numbers', () => {
    const num = (xs: number[]): ColumnData => ({ kind: 'number', values: f64(xs) });
    const cat = (xs: number[]): ColumnData => ({ kind: 'category', codes: i32(xs), dictionary: ['a', 'b'] });
    expect(associate(num([1, 2, 3, 4]), cat([0, 0, 1, 1]))?.measure).toBe('eta');
    expect(associate(cat([0, 0, 1, 1]), num([1, 2, 3, 4]))?.measure).toBe('eta');
    expect(associate(cat([0, 0, 1, 1]), cat([0, 1, 0, 1]))).toEqual({ measure: 'cramers-v', value: 0, rows: 4 });
    expect(associate(num([1, 2, 3, NaN]), num([3, 2, 1, 0]))).toEqual({ measure: 'abs-pearson', value: 1, rows: 3 });
    expect(associate(num([1, 1, 1, 1]), cat([0, 0, 1, 1]))).toBeNull();
  });
});

describe('profileTable', () => {
  const schema: ColumnSchema[] = [
    { name: 'mass', type: 'number', role: 'feature' },
    { name: 'island', type: 'category', role: 'feature' },
    { name: 'noise', type: 'number', role: 'ignore' },
    { name: 'species', type: 'category', role: 'target' },
  ];
  const table: Table = {
    names: schema.map((c) => c.name),
    rowCount: 6,
    columns: [
      { kind: 'number', values: f64([1, 2, 3, 4, 5, NaN]) },
      { kind: 'category', codes: i32([0, 0, 1, 1, 2, -1]), dictionary: ['x', 'y', 'z'] },
      { kind: 'number', values: f64([7, 7, 7, 7, 7, 7]) },
      { kind: 'category', codes: i32([0, 0, 0, 1, 1, 1]), dictionary: ['A', 'B'] },
    ],
  };

  it('profiles numbers and categories with missing and unique counts', () => {
    const p = profileTable(schema, table);
    expect(p.rowCount).toBe(6);
    expect(p.target).toBe('species');
    const mass = p.columns[0] as NumberProfile;
    expect(mass).toMatchObject({ kind: 'number', name: 'mass', missing: 1, unique: 5, min: 1, max: 5, mean: 3 });
    expect(mass.std).toBeCloseTo(Math.sqrt(2), 12);
    expectClose(mass.quantiles, { p5: 1.2, p25: 2, median: 3, p75: 4, p95: 4.8 });
    expect(mass.histogram.counts.reduce((a, b) => a + b, 0)).toBe(5);
    // Groups A = {1,2,3}, B = {4,5}: mean 3, SS total 10, SS between 3 * 1 + 2 * 2.25 = 7.5
    expect(mass.association?.measure).toBe('eta');
    expect(mass.association?.value).toBeCloseTo(Math.sqrt(0.75), 12);
    expect(mass.association?.rows).toBe(5);

    const island = p.columns[1] as CategoryProfile;
    expect(island).toMatchObject({ kind: 'category', missing: 1, unique: 3, other: 0, observed: ['x', 'y', 'z'] });
    expect(island.top).toEqual([
      { value: 'x', count: 2 },
      { value: 'y', count: 2 },
      { value: 'z', count: 1 },
    ]);
    expect(island.association?.measure).toBe('cramers-v');

    const noise = p.columns[2] as NumberProfile;
    expect(noise.histogram).toEqual({ min: 7, max: 7, counts: [6] });
    expect(noise.association).toBeNull();
    expect(p.columns[3].association).toBeNull();
  });

  it('counts categories beyond the top ones as "other" and stops listing very many', () => {
    const n = 150;
    const codes = i32(Array.from({ length: n }, (_, i) => i));
    const dictionary = Array.from({ length: n }, (_, i) => `v${String(i).padStart(3, '0')}`);
    const p = profileTable([{ name: 'id', type: 'category', role: 'feature' }], {
      names: ['id'],
      rowCount: n,
      columns: [{ kind: 'category', codes, dictionary }],
    });
    const id = p.columns[0] as CategoryProfile;
    expect(id.top).toHaveLength(8);
    expect(id.other).toBe(n - 8);
    expect(id.observed).toBeNull();
    expect(p.target).toBeNull();
  });

  it('orders columns for display: target first, then by association', () => {
    const order = displayOrder(profileTable(schema, table)).map((c) => c.name);
    expect(order[0]).toBe('species');
    expect(order.at(-1)).toBe('noise');
    expect(order).toHaveLength(4);
  });

  it('refuses a schema that does not match the table', () => {
    expect(() => profileTable(schema.slice(1), table)).toThrow(/3 columns but the table has 4/);
  });
});
