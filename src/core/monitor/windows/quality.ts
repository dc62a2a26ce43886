// Data quality of a window's live inputs: missing cells per column, requests the serving checker flagged as out of the
// training range, categories the reference never saw, and the project's expectation suite
// (src/core/data/expectations.ts) checked on the window's raw inputs, each failure with up to three example rows.
//
// The suite describes a dataset version; on live traffic:
//   missing     fails when the column's missing share in the window exceeds maxFraction;
//   range       fails on present values outside [min, max] (dates: the date's ms, as the suite stores them);
//   categories  fails on present values not in the allowed list (read as trimmed text, as the model reads them);
//   type        number / date fails on the cells the serving checker could not read as one ('unparseable-number',
//               'unparseable-date' warnings, which follow the run's number and date format); category never fails;
//   row-count   is not checked: a window's size is the window's choice, not the data's.
// Expectations on columns the model does not take as raw input (the target, a column a recipe made) are skipped.

import type { Expectation } from '../../data/expectations';
import { inputValue } from '../log/chunk-read';
import { WARNING_KINDS, type InputColumn, type RequestChunk } from '../log/types';
import { eachSlice, locate, type ChunkList, type LiveSample } from './live-columns';
import type { ReferenceColumn, ReferenceProfile } from './reference';
import type { LogWindow } from './windows';

/** Example rows kept per failing expectation. */
export const MAX_EXAMPLES = 3;

export interface ExampleRow {
  readonly requestId: number;
  readonly at: number;
  /** The raw cell as it arrived; '' when it is missing. */
  readonly value: string;
}

export interface ExpectationFailure {
  readonly id: string;
  readonly kind: Expectation['kind'];
  readonly column: string;
  /** Rows that break it (for `missing`: every missing row of the window). */
  readonly failingRows: number;
  readonly share: number;
  readonly detail: string;
  readonly examples: readonly ExampleRow[];
}

export interface ColumnQuality {
  readonly column: string;
  /** Missing cells / requests; null in an empty window. */
  readonly missingShare: number | null;
  /** Categorical columns: rows with a category the reference never saw / requests; null otherwise. */
  readonly unseenShare: number | null;
}

export interface WindowQuality {
  readonly columns: readonly ColumnQuality[];
  /** Missing cells over every monitored input column / (requests × columns). */
  readonly missingShare: number | null;
  /** Requests carrying an 'out-of-range' warning (a number outside the training range) / requests. */
  readonly outOfRangeShare: number | null;
  /** Requests with at least one category the reference never saw / requests. */
  readonly unseenCategoryShare: number | null;
  readonly expectations: readonly ExpectationFailure[];
  /** Expectations checked on this window (failing or not). */
  readonly expectationsChecked: number;
}

export interface SkippedExpectation {
  readonly id: string;
  readonly reason: string;
}

type Checkable = Exclude<Expectation, { kind: 'row-count' }>;

/** The enabled expectations that apply to the model's raw inputs, and why the others are left out. */
export function applicableExpectations(
  reference: Pick<ReferenceProfile, 'columns'>,
  expectations: readonly Expectation[],
): { checked: Checkable[]; skipped: SkippedExpectation[] } {
  const byName = new Map(reference.columns.map((c) => [c.name, c]));
  const checked: Checkable[] = [];
  const skipped: SkippedExpectation[] = [];
  for (const e of expectations) {
    if (!e.enabled) continue;
    if (e.kind === 'row-count') {
      skipped.push({ id: e.id, reason: 'a window\'s row count is set by the window, not by the data' });
      continue;
    }
    const col = byName.get(e.column);
    const why = col ? mismatch(e, col) : `"${e.column}" is not a raw input of the model`;
    if (why) skipped.push({ id: e.id, reason: why });
    else checked.push(e);
  }
  return { checked, skipped };
}

function mismatch(e: Checkable, col: ReferenceColumn): string | null {
  if (e.kind === 'range') {
    const numeric = col.kind === 'numeric';
    if (!numeric || Boolean(e.dates) !== col.dates) return `a ${e.dates ? 'date' : 'number'} range does not apply to "${col.name}", a ${describe(col)} column`;
  }
  if (e.kind === 'categories' && col.kind !== 'categorical') return `allowed categories do not apply to "${col.name}", a ${describe(col)} column`;
  if (e.kind === 'type' && e.type === 'image') return 'image columns are not monitored';
  return null;
}

function describe(col: ReferenceColumn): string {
  return col.kind === 'categorical' ? 'category' : col.dates ? 'date' : 'number';
}

function shareOf(count: number, total: number): number | null {
  return total === 0 ? null : count / total;
}

function showCell(value: ReturnType<typeof inputValue>): string {
  return value === null ? '' : String(value);
}

function inputOf(chunk: RequestChunk, name: string): InputColumn | undefined {
  for (const c of chunk.inputs) if (c.name === name) return c;
  return undefined;
}

/** Up to MAX_EXAMPLES window positions where `fails` holds, and how many there are. */
function failing(n: number, fails: (k: number) => boolean): { count: number; first: number[] } {
  let count = 0;
  const first: number[] = [];
  for (let k = 0; k < n; k++) {
    if (!fails(k)) continue;
    count++;
    if (first.length < MAX_EXAMPLES) first.push(k);
  }
  return { count, first };
}

function examplesAt(window: LogWindow, chunks: ChunkList, column: string, positions: readonly number[]): ExampleRow[] {
  return positions.map((k) => {
    const { chunk, row } = locate(window, chunks, k);
    const col = inputOf(chunk, column);
    return { requestId: chunk.ids[row], at: chunk.at[row], value: col ? showCell(inputValue(col, row)) : '' };
  });
}

/** Window positions of rows carrying a warning of `kind` about `column`. */
function warnedRows(window: LogWindow, chunks: ChunkList, column: string, kind: (typeof WARNING_KINDS)[number]): Uint8Array {
  const flags = new Uint8Array(window.requests);
  const kindCode = WARNING_KINDS.indexOf(kind);
  eachSlice(window, chunks, (chunk, from, to, at) => {
    const d = chunk.warningDetails;
    const columnCode = d.strings.indexOf(column);
    if (columnCode < 0) return;
    for (let i = 0; i < d.rows.length; i++) {
      const r = d.rows[i];
      if (r >= from && r < to && d.kinds[i] === kindCode && d.columns[i] === columnCode) flags[at + r - from] = 1;
    }
  });
  return flags;
}

function checkOne(e: Checkable, sample: LiveSample, window: LogWindow, chunks: ChunkList): ExpectationFailure | null {
  const n = window.requests;
  const fail = (found: { count: number; first: number[] }, detail: string): ExpectationFailure => ({
    id: e.id,
    kind: e.kind,
    column: e.column,
    failingRows: found.count,
    share: found.count / n,
    detail,
    examples: examplesAt(window, chunks, e.column, found.first),
  });
  switch (e.kind) {
    case 'missing': {
      const share = sample.missingCount / n;
      if (share <= e.maxFraction) return null;
      const found = failing(n, (k) => sample.missing[k] === 1);
      return fail(found, `${found.count} of ${n} missing (${percent(share)}); at most ${percent(e.maxFraction)} allowed.`);
    }
    case 'range': {
      if (sample.kind !== 'numeric') return null;
      const { values } = sample;
      const found = failing(n, (k) => !Number.isNaN(values[k]) && (values[k] < e.min || values[k] > e.max));
      return found.count === 0 ? null : fail(found, `${found.count} values outside ${e.min} to ${e.max}${e.dates ? ' (ms since 1970)' : ''}.`);
    }
    case 'categories': {
      if (sample.kind !== 'categorical') return null;
      const allowed = new Set(e.allowed);
      const ok = sample.categories.map((c) => allowed.has(c));
      const { codes } = sample;
      const found = failing(n, (k) => codes[k] >= 0 && !ok[codes[k]]);
      return found.count === 0 ? null : fail(found, `${found.count} values not in the allowed set.`);
    }
    case 'type': {
      if (e.type !== 'number' && e.type !== 'date') return null;
      const flags = warnedRows(window, chunks, e.column, e.type === 'number' ? 'unparseable-number' : 'unparseable-date');
      const found = failing(n, (k) => flags[k] === 1);
      return found.count === 0 ? null : fail(found, `${found.count} values could not be read as ${e.type === 'number' ? 'a number' : 'a date'}.`);
    }
  }
}

function percent(fraction: number): string {
  return `${Number((fraction * 100).toFixed(2))}%`;
}

/** `samples[i]` is the window's sample of `reference.columns[i]`; `checked` from applicableExpectations. */
export function windowQuality(
  window: LogWindow,
  chunks: ChunkList,
  reference: Pick<ReferenceProfile, 'columns'>,
  samples: readonly LiveSample[],
  checked: readonly Checkable[],
): WindowQuality {
  const n = window.requests;
  const columns = reference.columns.map((ref, i): ColumnQuality => {
    const s = samples[i];
    return { column: ref.name, missingShare: shareOf(s.missingCount, n), unseenShare: s.kind === 'categorical' ? shareOf(s.unseenCount, n) : null };
  });
  const missingCells = samples.reduce((sum, s) => sum + s.missingCount, 0);

  const unseen = new Uint8Array(n);
  for (const s of samples) {
    if (s.kind !== 'categorical' || s.unseenCount === 0) continue;
    for (let k = 0; k < n; k++) if (s.codes[k] >= s.known) unseen[k] = 1;
  }
  let unseenRows = 0;
  for (let k = 0; k < n; k++) unseenRows += unseen[k];

  const outOfRangeBit = 1 << WARNING_KINDS.indexOf('out-of-range');
  let outOfRange = 0;
  eachSlice(window, chunks, (chunk, from, to) => {
    for (let r = from; r < to; r++) if ((chunk.warnings[r] & outOfRangeBit) !== 0) outOfRange++;
  });

  const index = new Map(reference.columns.map((c, i) => [c.name, i]));
  const failures: ExpectationFailure[] = [];
  if (n > 0) {
    for (const e of checked) {
      const at = index.get(e.column);
      if (at === undefined) throw new Error(`Expectation "${e.id}" names "${e.column}", which is not a monitored input.`);
      const failure = checkOne(e, samples[at], window, chunks);
      if (failure) failures.push(failure);
    }
  }
  return {
    columns,
    missingShare: reference.columns.length === 0 ? null : shareOf(missingCells, n * reference.columns.length),
    outOfRangeShare: shareOf(outOfRange, n),
    unseenCategoryShare: shareOf(unseenRows, n),
    expectations: failures,
    expectationsChecked: n > 0 ? checked.length : 0,
  };
}
