import { describe, expect, it } from 'vitest';
import {
  alignCategoryCounts,
  alignValueCounts,
  chiSquareTest,
  zTest,
  type AlignedCounts,
} from '../../../src/core/monitor/stats';
import { countCategories } from '../../../src/core/monitor/stats/columns';
import { categorical, expand, expectClose, fixtures, num, numeric, type Sample } from './stats-fixtures';

function counts(a: Sample, b: Sample): AlignedCounts {
  if (typeof expand(a)[0] === 'number') {
    return alignValueCounts(numeric(a).sort(), numeric(b).sort());
  }
  const [ra, rb] = categorical(a, b);
  return alignCategoryCounts(ra.categories, countCategories(ra, 'reference'), countCategories(rb, 'current'));
}

describe('chi-square test against scipy.stats.chisquare (Evidently expected counts)', () => {
  it('statistic and p-value match every fixture, new and vanished categories included', () => {
    expect(fixtures.chisquare.length).toBeGreaterThanOrEqual(7);
    for (const c of fixtures.chisquare) {
      const r = chiSquareTest(counts(c.reference, c.current));
      expectClose(r.statistic, num(c.statistic), 1e-12, 1e-12, `${c.name} statistic`);
      expectClose(r.pValue, num(c.pValue), 1e-9, 1e-300, `${c.name} p`);
    }
  });

  it('a category unseen in the reference gives an infinite statistic and p = 0', () => {
    const r = chiSquareTest({ keys: ['a', 'b'], reference: Float64Array.from([10, 0]), current: Float64Array.from([5, 1]) });
    expect(r.statistic).toBe(Number.POSITIVE_INFINITY);
    expect(r.pValue).toBe(0);
    expect(r.degreesOfFreedom).toBe(1);
  });

  it('refuses a side with no rows', () => {
    expect(() => chiSquareTest({ keys: ['a'], reference: Float64Array.from([0]), current: Float64Array.from([3]) })).toThrow(/both sides/);
  });
});

describe('two-proportion Z-test against the Evidently formula with scipy.stats.norm', () => {
  it('z and p match every fixture, single-value and n = 1 cases included', () => {
    for (const c of fixtures.z) {
      const r = zTest(counts(c.reference, c.current));
      expectClose(r.statistic, num(c.statistic), 1e-12, 1e-15, `${c.name} z`);
      expectClose(r.pValue, num(c.pValue), 1e-9, 1e-300, `${c.name} p`);
    }
  });

  it('keeps a representable p-value far in the tail where 1 - Φ(|z|) would round to 0', () => {
    const r = zTest({ keys: ['n', 'y'], reference: Float64Array.from([990, 10]), current: Float64Array.from([10, 990]) });
    expect(Math.abs(r.statistic)).toBeGreaterThan(40);
    expect(r.pValue).toBe(0); // below 1e-308: even the exact tail underflows here
    const mild = zTest({ keys: ['n', 'y'], reference: Float64Array.from([600, 400]), current: Float64Array.from([400, 600]) });
    expect(Math.abs(mild.statistic)).toBeGreaterThan(8.5);
    expect(mild.pValue).toBeGreaterThan(0);
  });
});
