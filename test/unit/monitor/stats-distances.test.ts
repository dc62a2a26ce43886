import { describe, expect, it } from 'vitest';
import {
  alignCategoryCounts,
  jensenShannonDistance,
  psiLevel,
  psiOfCounts,
  psiOfNumeric,
  sturgesShares,
  wassersteinNormed,
} from '../../../src/core/monitor/stats';
import { alignValueCounts, fillEmptyShares, quantileSorted, sturgesEdges, toShares } from '../../../src/core/monitor/stats/binning';
import { cleanNumeric, countCategories } from '../../../src/core/monitor/stats/columns';
import { categorical, expectClose, fixtures, num, numeric } from './stats-fixtures';

describe('Wasserstein distance against scipy.stats.wasserstein_distance and numpy.std', () => {
  it('raw distance, reference std and Evidently-normed distance match', () => {
    for (const c of fixtures.wasserstein) {
      const r = wassersteinNormed(numeric(c.a).sort(), numeric(c.b).sort());
      expectClose(r.distance, num(c.distance), 1e-9, 1e-15, `${c.name} distance`);
      expectClose(r.referenceStd, num(c.referenceStd), 1e-9, 1e-15, `${c.name} std`);
      expectClose(r.normed, num(c.normed), 1e-9, 1e-15, `${c.name} normed`);
    }
  });

  it('divides by 0.001 when the reference is constant', () => {
    const r = wassersteinNormed(Float64Array.from([2, 2, 2]), Float64Array.from([2.5]));
    expect(r.referenceStd).toBe(0);
    expectClose(r.normed, 500, 1e-12, 0, 'normed');
  });
});

describe('Jensen–Shannon distance and PSI against SciPy with Evidently binning', () => {
  const shares = (c: (typeof fixtures.binned)[number]): { js: number; psi: number } => {
    if (c.kind === 'numeric') {
      const a = cleanNumeric(numeric(c.a)).sorted;
      const b = cleanNumeric(numeric(c.b)).sorted;
      const distinct = new Set(a).size;
      const binned = distinct > 20 ? sturgesShares(a, b) : (() => {
        const k = alignValueCounts(a, b);
        return { reference: toShares(k.reference, a.length), current: toShares(k.current, b.length) };
      })();
      return { js: jensenShannonDistance(binned.reference, binned.current), psi: psiOfNumeric(a, b) };
    }
    const [ra, rb] = categorical(c.a, c.b);
    const k = alignCategoryCounts(ra.categories, countCategories(ra, 'reference'), countCategories(rb, 'current'));
    return { js: jensenShannonDistance(k.reference, k.current), psi: psiOfCounts(k) };
  };

  it('every fixture matches: categories, Sturges histograms, decile bins, empty bins and ties at the deciles', () => {
    expect(fixtures.binned.length).toBeGreaterThanOrEqual(12);
    for (const c of fixtures.binned) {
      const r = shares(c);
      expectClose(r.js, num(c.jensenShannon), 1e-9, 1e-15, `${c.name} JS`);
      expectClose(r.psi, num(c.psi), 1e-9, 1e-15, `${c.name} PSI`);
    }
  });

  it('disjoint distributions are √ln 2 apart; identical ones 0', () => {
    expectClose(jensenShannonDistance([1, 1, 0, 0], [0, 0, 2, 2]), Math.sqrt(Math.LN2), 1e-15, 0, 'disjoint');
    expect(jensenShannonDistance([3, 4], [6, 8])).toBe(0);
  });

  it("fills empty bins with Evidently's epsilon: 1e-4, or a millionth of the smallest share when that is ≤ 1e-4", () => {
    expect(Array.from(fillEmptyShares(Float64Array.from([0.5, 0, 0.5])))).toEqual([0.5, 0.0001, 0.5]);
    const small = fillEmptyShares(Float64Array.from([0.99995, 0.00005, 0]));
    expectClose(small[2], 0.00005 / 1e6, 1e-15, 0, 'epsilon');
  });

  it('sturges edges and quantiles follow numpy', () => {
    expect(Array.from(sturgesEdges(0, 8, 8))).toEqual([0, 2, 4, 6, 8]);
    expect(Array.from(sturgesEdges(3, 3, 10))).toEqual([2.5, 3.5]);
    const s = Float64Array.from([1, 2, 3, 4]);
    expect(quantileSorted(s, 0.5)).toBe(2.5);
    expect(quantileSorted(s, 1)).toBe(4);
  });

  it('reads PSI levels at 0.1 and 0.25', () => {
    expect(psiLevel(0.05)).toBe('stable');
    expect(psiLevel(0.1)).toBe('moderate');
    expect(psiLevel(0.3)).toBe('major');
  });
});
