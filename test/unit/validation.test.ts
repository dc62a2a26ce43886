import { describe, expect, it } from 'vitest';
import { profileTable } from '../../src/core/data/profile';
import type { ColumnSchema, Table } from '../../src/core/shared/types';
import { checkSuite, suggestSuite, validate, type Expectation } from '../../src/core/data/expectations';

const schema: ColumnSchema[] = [
  { name: 'mass', type: 'number', role: 'feature' },
  { name: 'island', type: 'category', role: 'feature' },
  { name: 'species', type: 'category', role: 'target' },
];

/** 10 rows: mass 10..20 (one missing), island x/y, species A/B. */
function table(mass: number[], islandCodes: number[], dictionary = ['x', 'y']): Table {
  return {
    names: schema.map((c) => c.name),
    rowCount: mass.length,
    columns: [
      { kind: 'number', values: Float64Array.from(mass) },
      { kind: 'category', codes: Int32Array.from(islandCodes), dictionary },
      { kind: 'category', codes: Int32Array.from(mass.map((_, i) => i % 2)), dictionary: ['A', 'B'] },
    ],
  };
}

const base = table([10, 11, 12, 13, 14, 15, 16, 18, 20, NaN], [0, 1, 0, 1, 0, 1, 0, 1, 0, 1]);

describe('suggestSuite', () => {
  const suite = suggestSuite(profileTable(schema, base));
  const byId = new Map(suite.map((e) => [e.id, e]));

  it('suggests types, missing shares, widened ranges, observed categories and row count bounds', () => {
    expect(byId.get('row-count')).toEqual({ id: 'row-count', kind: 'row-count', enabled: true, min: 5, max: 15 });
    expect(byId.get('type:mass')).toMatchObject({ kind: 'type', column: 'mass', type: 'number' });
    expect(byId.get('type:island')).toMatchObject({ kind: 'type', type: 'category' });
    // Span 10, widened by 10% of it on each side.
    expect(byId.get('range:mass')).toMatchObject({ kind: 'range', column: 'mass', min: 9, max: 21 });
    // 1 of 10 missing, times 1.5; none missing -> not null.
    expect(byId.get('missing:mass')).toMatchObject({ kind: 'missing', maxFraction: 0.15 });
    expect(byId.get('missing:island')).toMatchObject({ kind: 'missing', maxFraction: 0 });
    expect(byId.get('categories:island')).toMatchObject({ kind: 'categories', allowed: ['x', 'y'] });
    expect(byId.get('categories:species')).toMatchObject({ allowed: ['A', 'B'] });
    expect(suite.every((e) => e.enabled)).toBe(true);
    expect(checkSuite(suite)).toEqual([]);
  });

  it('is passed by the version it was suggested from', () => {
    const report = validate(suite, schema, base);
    expect(report.passed).toBe(true);
    expect(report.results).toHaveLength(suite.length);
    expect(report.results.find((r) => r.id === 'missing:mass')).toMatchObject({ passed: true, failingRows: 1 });
  });

  it('widens a constant column by a share of its value and rounds bounds outwards', () => {
    const constant = table([50, 50, 50, 50], [0, 0, 0, 0]);
    const range = suggestSuite(profileTable(schema, constant)).find((e) => e.kind === 'range');
    expect(range).toMatchObject({ min: 45, max: 55 });
    const awkward = table([0.1, 0.2, 0.3], [0, 1, 0]);
    const r2 = suggestSuite(profileTable(schema, awkward)).find((e) => e.kind === 'range');
    // Span 0.2, margin 0.02: 0.08 and 0.32 without floating-point noise.
    expect(r2).toMatchObject({ min: 0.08, max: 0.32 });
  });
});

describe('validate', () => {
  const expectations: Expectation[] = [
    { id: 'r', kind: 'range', column: 'mass', min: 10, max: 15, enabled: true },
    { id: 'c', kind: 'categories', column: 'island', allowed: ['x'], enabled: true },
    { id: 'm', kind: 'missing', column: 'mass', maxFraction: 0, enabled: true },
    { id: 'n', kind: 'row-count', min: 1, max: 5, enabled: true },
    { id: 't', kind: 'type', column: 'island', type: 'number', enabled: true },
    { id: 'off', kind: 'range', column: 'mass', min: 0, max: 0, enabled: false },
  ];

  it('counts failing rows and shows an example of a failing value', () => {
    const report = validate(expectations, schema, base);
    expect(report.passed).toBe(false);
    expect(report.rowCount).toBe(10);
    const r = new Map(report.results.map((x) => [x.id, x]));
    // 16, 18, 20 are above 15; the missing row is not the range's business.
    expect(r.get('r')).toMatchObject({ passed: false, failingRows: 3, example: '16' });
    expect(r.get('c')).toMatchObject({ passed: false, failingRows: 5, example: 'y' });
    expect(r.get('m')).toMatchObject({ passed: false, failingRows: 1, example: '' });
    expect(r.get('m')?.detail).toMatch(/1 missing \(10%\); none allowed/);
    expect(r.get('n')).toMatchObject({ passed: false, failingRows: 0, example: '10' });
    expect(r.get('t')).toMatchObject({ passed: false, failingRows: 10, example: 'x' });
    expect(r.get('t')?.detail).toMatch(/is category, expected number/);
    // Disabled expectations are not checked.
    expect(r.has('off')).toBe(false);
  });

  it('passes once the data fits', () => {
    const fits = table([10, 11, 12], [0, 0, 0]);
    const report = validate(expectations.filter((e) => e.id !== 't'), schema, fits);
    expect(report.passed).toBe(true);
    expect(report.results.map((x) => x.failingRows)).toEqual([0, 0, 0, 0]);
  });

  it('fails expectations on a column missing from the version, with the reason', () => {
    const other: ColumnSchema[] = [{ name: 'species', type: 'category', role: 'target' }];
    const t: Table = { names: ['species'], rowCount: 2, columns: [{ kind: 'category', codes: Int32Array.from([0, 1]), dictionary: ['A', 'B'] }] };
    const report = validate(expectations.slice(0, 3), other, t);
    expect(report.passed).toBe(false);
    for (const result of report.results) {
      expect(result).toMatchObject({ passed: false, failingRows: 2, example: null });
      expect(result.detail).toMatch(/is not in this version/);
    }
  });

  it('fails a range on a category column instead of comparing text with numbers', () => {
    const result = validate([{ id: 'x', kind: 'range', column: 'island', min: 0, max: 1, enabled: true }], schema, base).results[0];
    expect(result).toMatchObject({ passed: false, failingRows: 10 });
    expect(result.detail).toMatch(/needs a number column/);
  });

  it('counts a category outside the allowed set by its dictionary entry, missing cells aside', () => {
    const t = table([1, 2, 3, 4], [0, 2, -1, 2], ['x', 'y', 'z']);
    const result = validate([{ id: 'c', kind: 'categories', column: 'island', allowed: ['x', 'y'], enabled: true }], schema, t).results[0];
    expect(result).toMatchObject({ passed: false, failingRows: 2, example: 'z' });
  });
});

describe('checkSuite', () => {
  it('names the problems that make a suite unusable', () => {
    const problems = checkSuite([
      { id: 'a', kind: 'range', column: 'mass', min: 5, max: 1, enabled: true },
      { id: 'a', kind: 'row-count', min: NaN, max: 3, enabled: true },
      { id: 'b', kind: 'missing', column: 'mass', maxFraction: 1.5, enabled: true },
    ]);
    expect(problems).toEqual([
      '"mass" (range): the minimum (5) is above the maximum (1).',
      'Two expectations share the id "a".',
      'Row count: minimum and maximum must be numbers.',
      '"mass" (missing): the allowed missing share must be between 0 and 100%.',
    ]);
  });
});
