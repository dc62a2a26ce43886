// Expectation suites: checks a dataset version must pass (types, missing values, ranges, allowed
// categories, row count), suggested from a profile, edited by the user, and run against any version of
// the project. Pure; the app runs `validate` in the analysis worker.

import type { DatasetProfile } from './profile';
import { DAY_MS, dateText } from '../serving/dates.js';
import type { ColumnData, ColumnSchema, ColumnType, Table } from '../shared/types';

interface ExpectationBase {
  /** Unique within a suite; suggestions use `${kind}:${column}` so re-suggesting keeps ids stable. */
  id: string;
  /** Disabled expectations are kept in the suite but not checked. */
  enabled: boolean;
}

export type Expectation =
  | (ExpectationBase & { kind: 'type'; column: string; type: ColumnType })
  | (ExpectationBase & { kind: 'missing'; column: string; /** 0 means not null. */ maxFraction: number })
  /** `dates`: a date column's range, min and max in ms since 1970 UTC (whole days: from min's day to max's). */
  | (ExpectationBase & { kind: 'range'; column: string; min: number; max: number; dates?: true })
  | (ExpectationBase & { kind: 'categories'; column: string; allowed: string[] })
  | (ExpectationBase & { kind: 'row-count'; min: number; max: number });

export type ExpectationKind = Expectation['kind'];

export interface ExpectationSuite {
  /** One suite per project, so the project id is the key. */
  projectId: string;
  expectations: Expectation[];
  /** The version the expectations were first suggested from, if any. */
  suggestedFrom: string | null;
  updatedAt: number;
}

export interface ExpectationResult {
  id: string;
  passed: boolean;
  /**
   * Rows that break the expectation: out of range, not allowed, missing (for `missing`: every missing row,
   * even when their share stays within the allowed fraction), all rows for a wrong type or absent column,
   * 0 for the row count.
   */
  failingRows: number;
  /** A failing value as the user would read it ('' for a missing cell), or null when there is none to show. */
  example: string | null;
  /** One sentence on what was found. */
  detail: string;
}

export interface ValidationReport {
  passed: boolean;
  rowCount: number;
  /** Enabled expectations only, in suite order. */
  results: ExpectationResult[];
}

/** Suggested ranges are widened by this share of the observed span on each side. */
export const RANGE_MARGIN = 0.1;
/** Suggested row-count bounds: this share below and above the observed count. */
export const ROW_COUNT_MARGIN = 0.5;
/** Suggested missing fraction: the observed one times this, so a similar version still passes. */
export const MISSING_MARGIN = 1.5;

/**
 * Expectations that the profiled version passes: each column's type, its missing fraction (not null when
 * none is missing), numeric ranges widened by RANGE_MARGIN of the span (or of |value| for a constant), the
 * observed categories (unless there are too many to list), and the row count within ±ROW_COUNT_MARGIN.
 */
export function suggestSuite(profile: DatasetProfile): Expectation[] {
  const out: Expectation[] = [];
  const n = profile.rowCount;
  out.push({
    id: 'row-count',
    kind: 'row-count',
    enabled: true,
    min: Math.floor(n * (1 - ROW_COUNT_MARGIN)),
    max: Math.ceil(n * (1 + ROW_COUNT_MARGIN)),
  });
  for (const c of profile.columns) {
    out.push({ id: `type:${c.name}`, kind: 'type', enabled: true, column: c.name, type: c.type });
    const observed = n > 0 ? c.missing / n : 0;
    out.push({
      id: `missing:${c.name}`,
      kind: 'missing',
      enabled: true,
      column: c.name,
      maxFraction: observed === 0 ? 0 : Math.min(1, ceilTo(observed * MISSING_MARGIN, 3)),
    });
    if (c.kind === 'number' && !Number.isNaN(c.min)) {
      const span = c.max - c.min;
      const margin = span > 0 ? span * RANGE_MARGIN : Math.abs(c.min) * RANGE_MARGIN || 1;
      out.push({
        id: `range:${c.name}`,
        kind: 'range',
        enabled: true,
        column: c.name,
        min: roundOut(c.min - margin, span || margin, 'down'),
        max: roundOut(c.max + margin, span || margin, 'up'),
      });
    }
    if (c.kind === 'date' && !Number.isNaN(c.min)) {
      // Widened like numbers, then out to whole days: the first day's start to the last day's end.
      const margin = Math.max(DAY_MS, (c.max - c.min) * RANGE_MARGIN);
      const min = Math.floor((c.min - margin) / DAY_MS) * DAY_MS;
      const max = Math.floor((c.max + margin) / DAY_MS) * DAY_MS + DAY_MS - 1;
      out.push({ id: `range:${c.name}`, kind: 'range', enabled: true, column: c.name, min, max, dates: true });
    }
    if (c.kind === 'category' && c.observed) {
      out.push({ id: `categories:${c.name}`, kind: 'categories', enabled: true, column: c.name, allowed: [...c.observed] });
    }
  }
  return out;
}

function ceilTo(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.ceil(x * f - 1e-9) / f;
}

/** Rounds a widened bound outwards to about four significant digits of the span, so it reads cleanly. */
function roundOut(x: number, scale: number, direction: 'up' | 'down'): number {
  const step = 10 ** (Math.floor(Math.log10(Math.abs(scale))) - 3);
  const q = x / step;
  const rounded = (direction === 'up' ? Math.ceil(q - 1e-9) : Math.floor(q + 1e-9)) * step;
  // Floating-point noise such as 2.4000000000000004 would defeat the point of rounding.
  return Number(rounded.toPrecision(12));
}

/** Problems that make a suite unusable, one sentence each; empty when it can be saved and run. */
export function checkSuite(expectations: Expectation[]): string[] {
  const problems: string[] = [];
  const ids = new Set<string>();
  for (const e of expectations) {
    if (ids.has(e.id)) problems.push(`Two expectations share the id "${e.id}".`);
    ids.add(e.id);
    const what = describeTarget(e);
    if (e.kind === 'range' || e.kind === 'row-count') {
      if (!Number.isFinite(e.min) || !Number.isFinite(e.max)) problems.push(`${what}: minimum and maximum must be numbers.`);
      else if (e.min > e.max) problems.push(`${what}: the minimum (${e.min}) is above the maximum (${e.max}).`);
    }
    if (e.kind === 'missing' && !(e.maxFraction >= 0 && e.maxFraction <= 1)) {
      problems.push(`${what}: the allowed missing share must be between 0 and 100%.`);
    }
  }
  return problems;
}

function describeTarget(e: Expectation): string {
  return e.kind === 'row-count' ? 'Row count' : `"${e.column}" (${e.kind})`;
}

/** Checks `table` (columns matched to `schema` by position) against every enabled expectation. */
export function validate(expectations: Expectation[], schema: ColumnSchema[], table: Table): ValidationReport {
  const byName = new Map<string, number>();
  schema.forEach((c, i) => byName.set(c.name, i));
  const results = expectations
    .filter((e) => e.enabled)
    .map((e): ExpectationResult => {
      if (e.kind === 'row-count') return checkRowCount(e, table.rowCount);
      const index = byName.get(e.column);
      if (index === undefined) {
        return {
          id: e.id,
          passed: false,
          failingRows: table.rowCount,
          example: null,
          detail: `Column "${e.column}" is not in this version.`,
        };
      }
      const column = table.columns[index];
      switch (e.kind) {
        case 'type':
          return checkType(e, schema[index].type, column, table.rowCount);
        case 'missing':
          return checkMissing(e, column, table.rowCount);
        case 'range':
          return checkRange(e, column, table.rowCount);
        case 'categories':
          return checkCategories(e, column, table.rowCount);
      }
    });
  return { passed: results.every((r) => r.passed), rowCount: table.rowCount, results };
}

type Of<K extends ExpectationKind> = Extract<Expectation, { kind: K }>;

function checkRowCount(e: Of<'row-count'>, rowCount: number): ExpectationResult {
  const passed = rowCount >= e.min && rowCount <= e.max;
  return {
    id: e.id,
    passed,
    failingRows: 0,
    example: passed ? null : String(rowCount),
    detail: `${rowCount} rows; expected ${e.min} to ${e.max}.`,
  };
}

function checkType(e: Of<'type'>, actual: ColumnType, column: ColumnData, rowCount: number): ExpectationResult {
  const passed = actual === e.type;
  return {
    id: e.id,
    passed,
    failingRows: passed ? 0 : rowCount,
    example: passed ? null : firstPresent(column),
    detail: passed ? `"${e.column}" is ${actual}.` : `"${e.column}" is ${actual}, expected ${e.type}.`,
  };
}

function checkMissing(e: Of<'missing'>, column: ColumnData, rowCount: number): ExpectationResult {
  let missing = 0;
  if (column.kind === 'number' || column.kind === 'date') for (const v of column.values) missing += Number.isNaN(v) ? 1 : 0;
  else if (column.kind === 'category') for (const c of column.codes) missing += c < 0 ? 1 : 0;
  // Image columns have an image in every row (an import refuses or skips files that do not decode).
  const fraction = rowCount > 0 ? missing / rowCount : 0;
  const passed = fraction <= e.maxFraction;
  const allowed = e.maxFraction === 0 ? 'none allowed' : `at most ${percent(e.maxFraction)} allowed`;
  return {
    id: e.id,
    passed,
    failingRows: missing,
    example: missing > 0 ? '' : null,
    detail: `${missing} missing (${percent(fraction)}); ${allowed}.`,
  };
}

function checkRange(e: Of<'range'>, column: ColumnData, rowCount: number): ExpectationResult {
  const needed = e.dates ? 'date' : 'number';
  if (column.kind !== needed) return wrongKind(e, needed, column, rowCount);
  let failing = 0;
  let example: string | null = null;
  const show = (v: number) => (e.dates ? dateText(v, v % DAY_MS === 0) : String(v));
  // Missing values are the `missing` expectation's business, not the range's.
  for (const v of column.values) {
    if (Number.isNaN(v) || (v >= e.min && v <= e.max)) continue;
    failing++;
    example ??= show(v);
  }
  const [from, to] = e.dates ? [dateText(e.min, true), dateText(e.max, true)] : [e.min, e.max];
  return {
    id: e.id,
    passed: failing === 0,
    failingRows: failing,
    example,
    detail: failing === 0 ? `All present values within ${from} to ${to}.` : `${failing} values outside ${from} to ${to}.`,
  };
}

function checkCategories(e: Of<'categories'>, column: ColumnData, rowCount: number): ExpectationResult {
  if (column.kind !== 'category') return wrongKind(e, 'category', column, rowCount);
  const allowed = new Set(e.allowed);
  // Decide once per dictionary entry, then count by code.
  const ok = column.dictionary.map((value) => allowed.has(value));
  let failing = 0;
  let example: string | null = null;
  for (const code of column.codes) {
    if (code < 0 || ok[code]) continue;
    failing++;
    example ??= column.dictionary[code];
  }
  return {
    id: e.id,
    passed: failing === 0,
    failingRows: failing,
    example,
    detail: failing === 0 ? 'Every present value is allowed.' : `${failing} values not in the allowed set.`,
  };
}

function wrongKind(e: Of<'range'> | Of<'categories'>, needed: ColumnType, column: ColumnData, rowCount: number): ExpectationResult {
  return {
    id: e.id,
    passed: false,
    failingRows: rowCount,
    example: firstPresent(column),
    detail: `"${e.column}" is ${column.kind}; this expectation needs a ${needed} column.`,
  };
}

function firstPresent(column: ColumnData): string | null {
  if (column.kind === 'number') {
    for (const v of column.values) if (!Number.isNaN(v)) return String(v);
    return null;
  }
  if (column.kind === 'image') return `image ${column.width}x${column.height}x${column.channels}`;
  if (column.kind === 'date') {
    for (const v of column.values) if (!Number.isNaN(v)) return dateText(v, v % DAY_MS === 0);
    return null;
  }
  for (const c of column.codes) if (c >= 0) return column.dictionary[c];
  return null;
}

function percent(fraction: number): string {
  return `${Number((fraction * 100).toFixed(2))}%`;
}
