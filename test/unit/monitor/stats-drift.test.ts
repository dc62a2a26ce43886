import { describe, expect, it } from 'vitest';
import {
  DRIFT_TESTS,
  datasetDrift,
  defaultDriftTest,
  driftOfColumn,
  isDrift,
  type ColumnDrift,
} from '../../../src/core/monitor/stats';
import { categorical, expectClose, fixtures, num, numeric } from './stats-fixtures';

const codes = (values: Array<string | null>, categories: string[]) => ({
  codes: Int32Array.from(values, (v) => (v === null ? -1 : categories.indexOf(v))),
  categories,
});

describe('driftOfColumn against Evidently’s tests transcribed onto SciPy', () => {
  it('chooses the same test and threshold, and matches statistic, p-value, verdict and PSI', () => {
    expect(fixtures.drift.length).toBeGreaterThanOrEqual(15);
    for (const c of fixtures.drift) {
      const r =
        c.kind === 'numeric'
          ? driftOfColumn(numeric(c.a), numeric(c.b), 'numeric', c.override, c.name)
          : driftOfColumn(...categorical(c.a, c.b), 'categorical', c.override, c.name);
      expect(r.status, c.name).toBe('ok');
      expect(r.test, c.name).toBe(c.test);
      expect(r.threshold, c.name).toBe(c.threshold);
      expect([r.rows.reference, r.rows.current], c.name).toEqual(c.rows);
      expectClose(r.statistic as number, num(c.statistic), 1e-9, 1e-15, `${c.name} statistic`);
      if (c.pValue === null) expect(r.pValue, c.name).toBeNull();
      else expectClose(r.pValue as number, num(c.pValue), 1e-9, 1e-300, `${c.name} p`);
      expect(r.drifted, c.name).toBe(c.drifted);
      expectClose(r.psi as number, num(c.psi), 1e-9, 1e-15, `${c.name} PSI`);
      expect(r.column).toBe(c.name);
    }
    // The fixtures cover every test as a default or an override, on both sides of their thresholds.
    expect(new Set(fixtures.drift.map((c) => c.test))).toEqual(new Set(Object.keys(DRIFT_TESTS)));
    expect(new Set(fixtures.drift.map((c) => c.drifted))).toEqual(new Set([true, false]));
  });

  it('leaves missing values out and counts them', () => {
    const ref = Float64Array.from([1, 2, Number.NaN, 3, 4, 5, 6, Number.POSITIVE_INFINITY]);
    const cur = Float64Array.from([Number.NaN, 1, 2, 3, 4, 5, 6]);
    const r = driftOfColumn(ref, cur, 'numeric');
    expect(r.missing).toEqual({ reference: 2, current: 1 });
    expect(r.rows).toEqual({ reference: 6, current: 6 });
    expect(r.test).toBe('ks');
    expect(r.statistic).toBe(0);
    expect(r.pValue).toBe(1);
    expect(r.drifted).toBe(false);
    const cats = ['a', 'b', 'c'];
    const rc = driftOfColumn(codes(['a', 'b', null, 'c'], cats), codes(['a', null, null], cats), 'categorical');
    expect(rc.missing).toEqual({ reference: 1, current: 2 });
    expect(rc.rows).toEqual({ reference: 3, current: 1 });
  });

  it('reports a column left empty instead of testing it', () => {
    const blank = driftOfColumn(Float64Array.from([1, 2, 3]), Float64Array.from([Number.NaN, Number.NaN]), 'numeric', undefined, 'age');
    expect(blank).toMatchObject({ column: 'age', status: 'empty-current', statistic: null, pValue: null, score: null, psi: null, drifted: false });
    const cats = ['x'];
    expect(driftOfColumn(codes([null], cats), codes(['x'], cats), 'categorical').status).toBe('empty-reference');
  });

  it('refuses inputs that do not fit the kind, a foreign dictionary or a code outside it', () => {
    const cats = ['a', 'b'];
    expect(() => driftOfColumn(codes(['a'], cats), codes(['b'], ['a', 'c']), 'categorical', undefined, 'city')).toThrow(/city.*same category dictionary/);
    expect(() => driftOfColumn({ codes: Int32Array.from([0, 5]), categories: cats }, codes(['a'], cats), 'categorical')).toThrow(/row 1 has category code 5/);
    expect(() =>
      driftOfColumn(codes(['a'], cats) as unknown as Float64Array, Float64Array.from([1]), 'numeric', undefined, 'x'),
    ).toThrow(/x: a numeric column takes Float64Array/);
  });
});

describe('default test per column (Evidently’s table)', () => {
  it.each([
    ['numeric', 1000, 6, 'ks'],
    ['numeric', 1000, 5, 'chisquare'],
    ['numeric', 1000, 3, 'chisquare'],
    ['numeric', 1000, 2, 'z'],
    ['numeric', 10, 1, 'z'],
    ['categorical', 1000, 3, 'chisquare'],
    ['categorical', 1000, 40, 'chisquare'],
    ['categorical', 1000, 2, 'z'],
    ['numeric', 1001, 6, 'wasserstein'],
    ['numeric', 1001, 5, 'jensenshannon'],
    ['categorical', 1001, 2, 'jensenshannon'],
    ['categorical', 50_000, 30, 'jensenshannon'],
  ] as const)('%s column, %i reference rows, %i distinct values -> %s', (kind, rows, distinct, test) => {
    expect(defaultDriftTest(kind, rows, distinct)).toBe(test);
  });

  it('compares p-values with ≤ for KS, < for chi-square and Z, and distances with ≥', () => {
    expect(isDrift('ks', 0.05, 0.05)).toBe(true);
    expect(isDrift('chisquare', 0.05, 0.05)).toBe(false);
    expect(isDrift('z', 0.0499, 0.05)).toBe(true);
    expect(isDrift('wasserstein', 0.1, 0.1)).toBe(true);
    expect(isDrift('jensenshannon', 0.0999, 0.1)).toBe(false);
    expect(isDrift('psi', 0.25, 0.1)).toBe(true);
    expect(DRIFT_TESTS.ks.defaultThreshold).toBe(0.05);
    expect(DRIFT_TESTS.wasserstein.defaultThreshold).toBe(0.1);
  });
});

describe('per-column overrides', () => {
  const ref = Float64Array.from({ length: 200 }, (_, i) => Math.sin(i) * 3);
  const cur = ref.map((x) => x + 0.4);

  it('a threshold alone keeps the default test and moves the verdict', () => {
    const base = driftOfColumn(ref, cur, 'numeric');
    expect(base.test).toBe('ks');
    const strict = driftOfColumn(ref, cur, 'numeric', { threshold: (base.pValue as number) / 2 });
    const loose = driftOfColumn(ref, cur, 'numeric', { threshold: Math.min(1, (base.pValue as number) * 2) });
    expect(strict).toMatchObject({ test: 'ks', drifted: false });
    expect(loose).toMatchObject({ test: 'ks', drifted: true });
  });

  it('a test replaces the choice and brings its own default threshold and score', () => {
    const r = driftOfColumn(ref, cur, 'numeric', { test: 'wasserstein' });
    expect(r.test).toBe('wasserstein');
    expect(r.threshold).toBe(0.1);
    expect(r.pValue).toBeNull();
    expect(r.score).toBe(r.statistic);
    expect(r.detail?.rawDistance).toBeCloseTo(0.4, 6);
  });

  it('rejects a test that does not fit the column and a threshold out of range', () => {
    const cats = ['a', 'b'];
    expect(() => driftOfColumn(codes(['a'], cats), codes(['b'], cats), 'categorical', { test: 'ks' }, 'colour')).toThrow(/colour: the ks test does not apply to a categorical column/);
    expect(() => driftOfColumn(ref, cur, 'numeric', { threshold: 1.5 }, 'x')).toThrow(/x: threshold 1.5 is not valid for ks/);
    expect(() => driftOfColumn(ref, cur, 'numeric', { test: 'psi', threshold: -1 })).toThrow(/not valid for psi/);
    expect(() => driftOfColumn(ref, cur, 'numeric', { test: 'anova' as 'ks' })).toThrow(/unknown drift test "anova"/);
  });
});

describe('datasetDrift', () => {
  const col = (drifted: boolean, status: ColumnDrift['status'] = 'ok'): ColumnDrift => ({
    kind: 'numeric',
    test: 'ks',
    threshold: 0.05,
    statistic: status === 'ok' ? 0.5 : null,
    pValue: status === 'ok' ? 0.01 : null,
    score: status === 'ok' ? 0.01 : null,
    drifted,
    psi: null,
    rows: { reference: 10, current: 10 },
    missing: { reference: 0, current: 0 },
    status,
  });

  it('drifts when the share of drifted columns reaches the threshold (0.5 by default)', () => {
    expect(datasetDrift([col(true), col(false)])).toMatchObject({ columns: 2, driftedColumns: 1, share: 0.5, drifted: true });
    expect(datasetDrift([col(true), col(false), col(false)])).toMatchObject({ share: 1 / 3, drifted: false });
    expect(datasetDrift([col(true), col(false), col(false)], 0.3).drifted).toBe(true);
  });

  it('leaves untested columns out of the share and says how many', () => {
    const r = datasetDrift([col(true), col(false, 'empty-current'), col(false, 'empty-reference')]);
    expect(r).toMatchObject({ columns: 1, driftedColumns: 1, share: 1, drifted: true, skipped: 2 });
    expect(datasetDrift([]).drifted).toBe(false);
    expect(() => datasetDrift([col(true)], 0)).toThrow(/share must be in/);
  });
});
