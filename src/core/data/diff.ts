// What changed between two dataset versions, from their stored metadata alone (schema, counts and
// column summaries), so comparing two versions never loads their rows.

import type { ColumnRole, ColumnSchema, ColumnSummary, ColumnType, DatasetVersion, SplitCounts } from '../shared/types';

export interface Change<T> {
  from: T;
  to: T;
  changed: boolean;
}

export interface NumberChange extends Change<number> {
  /** to - from; NaN when either side is missing. */
  delta: number;
}

export interface ColumnChange {
  name: string;
  type: Change<ColumnType>;
  role: Change<ColumnRole>;
}

export type StatKey = 'missing' | 'unique' | 'mean' | 'std' | 'min' | 'max';

export interface StatChange extends NumberChange {
  key: StatKey;
  /** Dates' min and max: from and to are ms since 1970 UTC, the delta milliseconds. */
  date?: true;
}

export interface CategoryShareChange {
  value: string;
  /** Share of the column's present values, 0-1; null when the value is outside a side's stored top list. */
  from: number | null;
  to: number | null;
  delta: number;
  changed: boolean;
}

export interface ColumnStatsDiff {
  name: string;
  stats: StatChange[];
  /** Categories only: the most frequent values of either side and how their shares moved. */
  shares: CategoryShareChange[];
  changed: boolean;
}

export interface VersionDiff {
  from: { id: string; name: string };
  to: { id: string; name: string };
  added: ColumnSchema[];
  removed: ColumnSchema[];
  /** Columns in both versions whose type or role differs. */
  retyped: ColumnChange[];
  rows: NumberChange;
  split: Record<keyof SplitCounts, NumberChange> & { method: Change<string> };
  /** Every column present in both versions, in the newer version's order. */
  columns: ColumnStatsDiff[];
  /** True when nothing compared differs. */
  identical: boolean;
}

/** Relative tolerance for summary statistics: float noise is not a change. */
const TOLERANCE = 1e-9;

function sameNumber(a: number, b: number): boolean {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b);
  return Math.abs(a - b) <= TOLERANCE * Math.max(1, Math.abs(a), Math.abs(b));
}

function numberChange(from: number, to: number): NumberChange {
  return { from, to, delta: to - from, changed: !sameNumber(from, to) };
}

function change<T>(from: T, to: T): Change<T> {
  return { from, to, changed: from !== to };
}

function methodLabel(v: DatasetVersion): string {
  return v.split.method === 'time' ? `time (${v.split.timeColumn ?? '?'})` : v.split.method;
}

/** Compares `from` (usually the older version) with `to`. */
export function diffVersions(from: DatasetVersion, to: DatasetVersion): VersionDiff {
  const fromColumns = new Map(from.schema.map((c, i) => [c.name, i]));
  const toColumns = new Map(to.schema.map((c, i) => [c.name, i]));
  const added = to.schema.filter((c) => !fromColumns.has(c.name));
  const removed = from.schema.filter((c) => !toColumns.has(c.name));

  const retyped: ColumnChange[] = [];
  const columns: ColumnStatsDiff[] = [];
  to.schema.forEach((column, j) => {
    const i = fromColumns.get(column.name);
    if (i === undefined) return;
    const before = from.schema[i];
    const type = change(before.type, column.type);
    const role = change(before.role, column.role);
    if (type.changed || role.changed) retyped.push({ name: column.name, type, role });
    columns.push(diffSummaries(column.name, from.summaries[i], from.rowCount, to.summaries[j], to.rowCount));
  });

  const counts = (key: keyof SplitCounts) => numberChange(from.split.counts[key], to.split.counts[key]);
  const split = {
    train: counts('train'),
    validation: counts('validation'),
    test: counts('test'),
    method: change(methodLabel(from), methodLabel(to)),
  };
  const rows = numberChange(from.rowCount, to.rowCount);
  const identical =
    added.length === 0 &&
    removed.length === 0 &&
    retyped.length === 0 &&
    !rows.changed &&
    !split.train.changed &&
    !split.validation.changed &&
    !split.test.changed &&
    !split.method.changed &&
    columns.every((c) => !c.changed);
  return {
    from: { id: from.id, name: from.name },
    to: { id: to.id, name: to.name },
    added,
    removed,
    retyped,
    rows,
    split,
    columns,
    identical,
  };
}

/**
 * Statistic deltas of one column. Missing and unique counts compare across any types; mean, std,
 * min and max only between number summaries, category shares only between category summaries.
 * A version stored without summaries gives no statistics rather than false changes.
 */
export function diffSummaries(
  name: string,
  from: ColumnSummary | undefined,
  fromRows: number,
  to: ColumnSummary | undefined,
  toRows: number,
): ColumnStatsDiff {
  const stats: StatChange[] = [];
  let shares: CategoryShareChange[] = [];
  if (from && to) {
    stats.push({ key: 'missing', ...numberChange(from.missing, to.missing) });
    if (from.kind !== 'image' && to.kind !== 'image') stats.push({ key: 'unique', ...numberChange(from.unique, to.unique) });
    if (from.kind === 'number' && to.kind === 'number') {
      for (const key of ['mean', 'std', 'min', 'max'] as const) stats.push({ key, ...numberChange(from[key], to[key]) });
    } else if (from.kind === 'date' && to.kind === 'date') {
      for (const key of ['min', 'max'] as const) stats.push({ key, ...numberChange(from[key], to[key]), date: true });
    } else if (from.kind === 'category' && to.kind === 'category') {
      shares = shareChanges(from, fromRows, to, toRows);
    } else if (from.kind === 'image' && to.kind === 'image') {
      // An image column's "mean" is its mean pixel intensity over all channels (0-255).
      stats.push({ key: 'mean', ...numberChange(meanOf(from.meanIntensity), meanOf(to.meanIntensity)) });
    }
  }
  const changed = stats.some((s) => s.changed) || shares.some((s) => s.changed);
  return { name, stats, shares, changed };
}

function meanOf(values: number[]): number {
  return values.length === 0 ? NaN : values.reduce((a, b) => a + b, 0) / values.length;
}

type CategorySummaryLike = Extract<ColumnSummary, { kind: 'category' }>;

function shareChanges(from: CategorySummaryLike, fromRows: number, to: CategorySummaryLike, toRows: number): CategoryShareChange[] {
  const shareIn = (s: CategorySummaryLike, rows: number, value: string): number | null => {
    const present = rows - s.missing;
    const hit = s.top.find((t) => t.value === value);
    if (hit) return present > 0 ? hit.count / present : 0;
    // The top list holds every value when there are no more values than entries: absent means none.
    return s.top.length >= s.unique ? 0 : null;
  };
  const values: string[] = [];
  for (const t of [...to.top, ...from.top]) if (!values.includes(t.value)) values.push(t.value);
  return values.map((value) => {
    const a = shareIn(from, fromRows, value);
    const b = shareIn(to, toRows, value);
    const delta = a === null || b === null ? NaN : b - a;
    // A value that left one side's top list without a known share counts as a change in ranking.
    const changed = a === null || b === null ? true : !sameNumber(a, b);
    return { value, from: a, to: b, delta, changed };
  });
}
