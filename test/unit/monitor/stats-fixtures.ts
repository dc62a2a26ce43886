// Reads test/fixtures/monitor/stats.json (written by make_stats_fixtures.py with SciPy) and decodes its samples.
import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import type { CategoricalValues } from '../../../src/core/monitor/stats';

export type Num = number | 'NaN' | 'Infinity' | '-Infinity';
export type Segment = Array<number | string | null> | { repeat: number | string; n: number } | { weyl: [number, number, number]; n: number; scale: number; offset: number };
export type Sample = Segment[];

export interface StatsFixtures {
  versions: Record<string, string>;
  special: { gammaincc: Array<[number, number, Num]>; gammainc: Array<[number, number, Num]>; normal: Array<[number, Num, Num]> };
  kstwo: Array<[number, number, Num]>;
  smirnov: Array<[number, number, Num]>;
  ks: Array<{ name: string; a: Sample; b: Sample; results: Partial<Record<'auto' | 'exact' | 'asymp', { statistic: Num; pValue: Num }>> }>;
  chisquare: Array<{ name: string; reference: Sample; current: Sample; statistic: Num; pValue: Num }>;
  z: Array<{ name: string; reference: Sample; current: Sample; statistic: Num; pValue: Num }>;
  wasserstein: Array<{ name: string; a: Sample; b: Sample; distance: Num; referenceStd: Num; normed: Num }>;
  binned: Array<{ name: string; kind: 'numeric' | 'categorical'; a: Sample; b: Sample; jensenShannon: Num; psi: Num }>;
  drift: Array<{
    name: string;
    kind: 'numeric' | 'categorical';
    a: Sample;
    b: Sample;
    override?: { test: 'ks' | 'chisquare' | 'z' | 'wasserstein' | 'jensenshannon' | 'psi'; threshold?: number };
    test: string;
    threshold: number;
    statistic: Num;
    pValue: Num | null;
    drifted: boolean;
    psi: Num;
    rows: [number, number];
  }>;
  isotonic: Array<{ name: string; x: number[]; y: number[]; knots: number[]; fitted: number[]; queries: number[]; predicted: number[] }>;
}

export const fixtures = JSON.parse(
  readFileSync(new URL('../../fixtures/monitor/stats.json', import.meta.url), 'utf8'),
) as StatsFixtures;

export function num(x: Num): number {
  return typeof x === 'number' ? x : x === 'NaN' ? Number.NaN : x === 'Infinity' ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
}

/** Sample values in fixture order; null (missing) becomes NaN for numbers. */
export function expand(sample: Sample): Array<number | string | null> {
  const out: Array<number | string | null> = [];
  for (const seg of sample) {
    if (Array.isArray(seg)) out.push(...seg);
    else if ('repeat' in seg) for (let i = 0; i < seg.n; i++) out.push(seg.repeat);
    else {
      const [a1, a2, a3] = seg.weyl;
      // Same operations, in the same order, as the Python generator.
      for (let i = 0; i < seg.n; i++) out.push(seg.offset + seg.scale * (((i * a1) % 1) + ((i * a2) % 1) + ((i * a3) % 1) - 1.5));
    }
  }
  return out;
}

export function numeric(sample: Sample): Float64Array {
  return Float64Array.from(expand(sample), (v) => (v === null ? Number.NaN : Number(v)));
}

/** Two categorical samples coded against one dictionary (labels in first-seen order). */
export function categorical(a: Sample, b: Sample): [CategoricalValues, CategoricalValues] {
  const categories: string[] = [];
  const index = new Map<string, number>();
  const code = (v: number | string | null): number => {
    if (v === null) return -1;
    const key = String(v);
    if (!index.has(key)) {
      index.set(key, categories.length);
      categories.push(key);
    }
    return index.get(key) as number;
  };
  const ca = Int32Array.from(expand(a), code);
  const cb = Int32Array.from(expand(b), code);
  return [
    { codes: ca, categories },
    { codes: cb, categories },
  ];
}

/** Relative closeness, with NaN matching NaN, infinities matching exactly and 0 matching |x| ≤ absolute. */
export function expectClose(actual: number, expected: number, relative = 1e-9, absolute = 1e-300, what = ''): void {
  if (Number.isNaN(expected)) {
    expect(actual, what).toBeNaN();
    return;
  }
  if (!Number.isFinite(expected)) {
    expect(actual, what).toBe(expected);
    return;
  }
  const err = Math.abs(actual - expected);
  const ok = err <= absolute || err <= relative * Math.abs(expected);
  expect(ok, `${what}: got ${actual}, expected ${expected} (relative error ${err / Math.abs(expected)})`).toBe(true);
}
