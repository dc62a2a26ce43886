import { describe, expect, it } from 'vitest';
import { isMissing, parseNumber } from '../../src/core/data/missing';
import { conditionMask, startWork } from '../../src/core/recipe/work';
import type { Condition } from '../../src/core/recipe/types';
import * as recipe from '../../src/core/serving/recipe.js';
import { SPLIT_TRAIN } from '../../src/core/shared/types';
import { build } from '../fixtures/recipe-tables';

describe('missing values', () => {
  // recipe.js reads cells with transform.js's functions; they must agree with the importer's rules.
  it('are read by the serving files exactly as by the importer', () => {
    const cells = ['', '  ', 'NA', ' N/A ', 'null', 'NULL', 'None', '?', 'NaN', 'nan', 'na', 'n/a', '0', '-1.5e3', '.5', '5.',
      '1,000', '0x10', 'Infinity', '-Infinity', ' 42 ', 'abc', '1e400'];
    for (const c of [...cells, ...recipe.MISSING_SPELLINGS, ...recipe.MISSING_SPELLINGS.map((s) => ` ${s}\t`)]) {
      expect(recipe.missingValue(c), c).toBe(isMissing(c));
      expect(Number.isNaN(recipe.numberValue(c)) ? null : recipe.numberValue(c), c).toBe(isMissing(c) ? null : parseNumber(c));
    }
    for (const c of [null, undefined, NaN]) expect(recipe.missingValue(c)).toBe(true);
    for (const c of [Infinity, -0, 0, 3.25]) expect(recipe.missingValue(c)).toBe(false);
  });
});

describe('conditions', () => {
  const cells = new Map<string, number | string | null>([
    ['n', 5],
    ['gone', NaN],
    ['s', 'b'],
    ['none', null],
    ['date', '2020-03-01'],
  ]);
  const get = (c: string) => cells.get(c) ?? null;
  const test = (c: Condition) => recipe.testCondition(c, get);

  it('compares numbers and text; a missing cell or a value of the other type never compares', () => {
    const ops = ['eq', 'ne', 'lt', 'le', 'gt', 'ge'] as const;
    expect(ops.map((op) => test({ kind: 'compare', column: 'n', op, value: 5 }))).toEqual([true, false, false, true, false, true]);
    expect(ops.map((op) => test({ kind: 'compare', column: 'n', op, value: 7 }))).toEqual([false, true, true, true, false, false]);
    expect(ops.map((op) => test({ kind: 'compare', column: 'gone', op, value: 5 }))).toEqual([false, false, false, false, false, false]);
    expect(ops.map((op) => test({ kind: 'compare', column: 'none', op, value: 'b' }))).toEqual([false, false, false, false, false, false]);
    expect(test({ kind: 'compare', column: 'n', op: 'eq', value: '5' })).toBe(false);
    expect(test({ kind: 'compare', column: 's', op: 'lt', value: 'c' })).toBe(true);
    // Text orders by code unit, so ISO dates compare as dates.
    expect(test({ kind: 'compare', column: 'date', op: 'ge', value: '2020-02-29' })).toBe(true);
    expect(test({ kind: 'compare', column: 's', op: 'lt', value: 'B' })).toBe(false);
  });

  it('tests missing cells and lists', () => {
    expect(test({ kind: 'missing', column: 'gone', negate: false })).toBe(true);
    expect(test({ kind: 'missing', column: 'none', negate: true })).toBe(false);
    expect(test({ kind: 'missing', column: 'n', negate: false })).toBe(false);
    expect(test({ kind: 'in', column: 's', values: ['a', 'b'], negate: false })).toBe(true);
    expect(test({ kind: 'in', column: 's', values: ['a'], negate: true })).toBe(true);
    expect(test({ kind: 'in', column: 'none', values: ['a'], negate: false })).toBe(false);
    expect(test({ kind: 'in', column: 'none', values: ['a'], negate: true })).toBe(true);
  });

  it('combines with all and any; empty all is true, empty any is false', () => {
    const yes: Condition = { kind: 'missing', column: 'none', negate: false };
    const no: Condition = { kind: 'missing', column: 'n', negate: false };
    expect(test({ kind: 'all', conditions: [] })).toBe(true);
    expect(test({ kind: 'any', conditions: [] })).toBe(false);
    expect(test({ kind: 'all', conditions: [yes, no] })).toBe(false);
    expect(test({ kind: 'any', conditions: [no, yes] })).toBe(true);
    expect(test({ kind: 'all', conditions: [yes, { kind: 'any', conditions: [no, { kind: 'all', conditions: [] }] }] })).toBe(true);
  });

  it('give the same answer on a table, leaf by leaf and nested', () => {
    const d = build([
      { name: 'n', values: [1, null, 3, 4] },
      { name: 's', values: ['a', ' b ', null, 'NA'] },
    ]);
    const work = startWork(d.schema, d.table, new Uint8Array(4).fill(SPLIT_TRAIN));
    const mask = (c: Condition) => Array.from(conditionMask(c, work));
    expect(mask({ kind: 'compare', column: 'n', op: 'ge', value: 3 })).toEqual([0, 0, 1, 1]);
    // ' b ' is read trimmed and 'NA' as missing, as at serving time.
    expect(mask({ kind: 'in', column: 's', values: ['b'], negate: false })).toEqual([0, 1, 0, 0]);
    expect(mask({ kind: 'missing', column: 's', negate: false })).toEqual([0, 0, 1, 1]);
    expect(
      mask({ kind: 'any', conditions: [{ kind: 'compare', column: 'n', op: 'lt', value: 2 }, { kind: 'all', conditions: [{ kind: 'missing', column: 'n', negate: false }, { kind: 'compare', column: 's', op: 'eq', value: 'b' }] }] }),
    ).toEqual([1, 1, 0, 0]);
  });
});

describe('cell functions', () => {
  it('buckets numbers with half-open intervals', () => {
    const b = [0, 10, 20];
    expect([-5, 0, 9.99, 10, 20, 1e9, NaN].map((v) => recipe.bucketIndex(v, b))).toEqual([0, 1, 1, 2, 3, 3, -1]);
    expect(recipe.bucketLabels(b)).toEqual(['< 0', '[0, 10)', '[10, 20)', '>= 20']);
    expect(recipe.bucketLabels([1.5])).toEqual(['< 1.5', '>= 1.5']);
  });

  it('reads dates strictly and the same on every machine', () => {
    expect(recipe.parseDate('2020-02-29')).toEqual({ year: 2020, month: 2, day: 29, hour: 0 });
    expect(recipe.parseDate('2020-02-29T07:08:09.123+05:30')).toEqual({ year: 2020, month: 2, day: 29, hour: 7 });
    expect(recipe.parseDate('2020/02/29 23:00')).toEqual({ year: 2020, month: 2, day: 29, hour: 23 });
    expect(recipe.parseDate('2020-2-9 7:05 Z')).toEqual({ year: 2020, month: 2, day: 9, hour: 7 });
    for (const bad of ['1900-02-29', '2020-13-01', '2020-00-10', '2020-04-31', '2020-01-01T24:00', '2020-01-01T10:60', '2020-01/01', '20-01-01', '2020-001-01', '2020-01-01 7', 'x2020-01-01', '2020-01-01T', null]) {
      expect(recipe.parseDate(bad), String(bad)).toBeNull();
    }
  });

  it('gives weekdays and days of the year that agree with the calendar', () => {
    // Date.UTC is only the reference here; recipe.js computes by arithmetic. Every 13th day over 430 years.
    const wrong: string[] = [];
    let checked = 0;
    for (let t = Date.UTC(1800, 0, 1); t < Date.UTC(2230, 0, 1); t += 13 * 86_400_000) {
      const d = new Date(t);
      const text = d.toISOString().slice(0, 10);
      const parsed = recipe.parseDate(text);
      const doy = Math.round((t - Date.UTC(d.getUTCFullYear(), 0, 1)) / 86_400_000) + 1;
      if (recipe.datePart(parsed, 'weekday') !== ((d.getUTCDay() + 6) % 7) + 1) wrong.push(`${text} weekday`);
      if (recipe.datePart(parsed, 'dayofyear') !== doy) wrong.push(`${text} dayofyear`);
      checked++;
    }
    expect(wrong).toEqual([]);
    expect(checked).toBeGreaterThan(12_000);
    expect(recipe.datePart(recipe.parseDate('0004-03-01'), 'weekday')).toBe(1);
    expect(recipe.datePart(null, 'year')).toBeNaN();
  });

  it('casts and clips without inventing values', () => {
    expect(recipe.numberToCategory(NaN)).toBeNull();
    expect(recipe.numberToCategory(-0)).toBe('0');
    expect(recipe.numberToCategory(1e21)).toBe('1e+21');
    expect(recipe.categoryToNumber('1e+21')).toBe(1e21);
    expect(recipe.categoryToNumber(null)).toBeNaN();
    expect(recipe.clipValue(NaN, 0, 1)).toBeNaN();
    expect(recipe.clipValue(-1, 0, 1)).toBe(0);
  });
});
