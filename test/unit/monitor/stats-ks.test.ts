import { describe, expect, it } from 'vitest';
import { kolmogorovSmirnovSf, ksTwoSample, smirnovSf } from '../../../src/core/monitor/stats';
import { expectClose, fixtures, num, numeric } from './stats-fixtures';

describe('Kolmogorov–Smirnov distributions against SciPy', () => {
  it('kstwo.sf(x, n) matches over every algorithm region (n from 1 to 200 000)', () => {
    expect(fixtures.kstwo.length).toBeGreaterThan(400);
    for (const [n, x, sf] of fixtures.kstwo) expectClose(kolmogorovSmirnovSf(n, x), num(sf), 1e-9, 1e-300, `kstwo.sf(${x}, ${n})`);
  });

  it('the one-sided smirnov survival function matches scipy.special.smirnov', () => {
    for (const [n, x, sf] of fixtures.smirnov) expectClose(smirnovSf(n, x), num(sf), 1e-9, 1e-300, `smirnov(${n}, ${x})`);
  });

  it('kstwo is NaN for a non-integer or zero n, 1 below the support and 0 at x = 1', () => {
    expect(kolmogorovSmirnovSf(0, 0.5)).toBeNaN();
    expect(kolmogorovSmirnovSf(2.5, 0.5)).toBeNaN();
    expect(kolmogorovSmirnovSf(10, 0.04)).toBe(1);
    expect(kolmogorovSmirnovSf(10, 1)).toBe(0);
  });
});

describe('two-sample KS test against scipy.stats.ks_2samp', () => {
  it('statistic and p-value match for every fixture pair and method', () => {
    let compared = 0;
    for (const c of fixtures.ks) {
      const a = numeric(c.a);
      const b = numeric(c.b);
      for (const method of ['auto', 'exact', 'asymp'] as const) {
        const expected = c.results[method];
        if (!expected) continue;
        const r = ksTwoSample(a, b, method);
        expectClose(r.statistic, num(expected.statistic), 1e-12, 0, `${c.name} [${method}] D`);
        expectClose(r.pValue, num(expected.pValue), 1e-9, 1e-300, `${c.name} [${method}] p`);
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(35);
  });

  it('auto uses the exact distribution up to 10 000 rows per side and the asymptotic one above', () => {
    const small = Float64Array.from({ length: 50 }, (_, i) => i);
    const big = Float64Array.from({ length: 10_001 }, (_, i) => i / 200);
    expect(ksTwoSample(small, small.map((x) => x + 3)).method).toBe('exact');
    expect(ksTwoSample(small, big).method).toBe('asymp');
    expect(ksTwoSample(small, big, 'exact').method).toBe('exact');
  });

  it('order of the input does not matter and the samples are not modified', () => {
    const a = Float64Array.from([3, 1, 2, 9, 4]);
    const b = Float64Array.from([8, 6, 7, 5]);
    const r1 = ksTwoSample(a, b);
    const r2 = ksTwoSample(a.slice().reverse(), b.slice().reverse());
    expect(r2).toEqual(r1);
    expect(Array.from(a)).toEqual([3, 1, 2, 9, 4]);
  });

  it('rejects empty samples and NaN, naming the problem', () => {
    expect(() => ksTwoSample([], [1])).toThrow(/non-empty/);
    expect(() => ksTwoSample([1, Number.NaN], [1])).toThrow(/NaN/);
  });
});
