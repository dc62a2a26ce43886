// Splitting a request log into the windows the Monitor computes its signals on: every N requests (count windows) or
// every T milliseconds of the log's own clock (time windows, aligned to the first request, so a replay's virtual year
// gets the same windows however fast it ran). A window never copies columns: it names row ranges of the chunks.
//
// Planning needs only what a chunk head says (its size and time span), so a worker can plan a million-request log
// from the heads and then read the chunks one window at a time; slicing a window reads the chunks' `at` column.
//
//   count windows: requests [k·N, (k+1)·N) in log order (chunks in the order given, rows in chunk order); the last
//     one may hold fewer. Its time span is [time of its first request, time of the next window's first request); the
//     last window ends 1 ms after its newest request. With requests out of time order the spans can overlap.
//   time windows: [origin + k·T, origin + (k+1)·T) with origin the earliest request; a span with no request is an
//     empty window (requests 0), so a gap in traffic shows as a gap, not as a shorter series.

import type { AlertWindow } from '../alerts/types';

export type WindowSpec = AlertWindow;

/** A plan holding more windows than this is refused: the window is too small for the log. */
export const MAX_WINDOWS = 10_000;

/** What planning reads of a chunk: its size and the times of its earliest and newest request (a ChunkHead has them). */
export interface ChunkSpan {
  readonly rows: number;
  readonly firstAt: number;
  readonly lastAt: number;
}

/** What slicing reads of a chunk: its request times, per row. */
export interface ChunkClock extends ChunkSpan {
  readonly at: Float64Array;
}

/** Rows [from, to) of the chunk at position `chunk` of the log. */
export interface WindowSlice {
  readonly chunk: number;
  readonly from: number;
  readonly to: number;
}

/** A window before its chunks are read: which chunks slicing it needs. */
export type WindowPlan =
  | { readonly kind: 'count'; readonly index: number; readonly from: number; readonly to: number; readonly chunks: readonly number[] }
  | { readonly kind: 'time'; readonly index: number; readonly start: number; readonly end: number; readonly chunks: readonly number[] };

export interface LogPlan {
  readonly spec: WindowSpec;
  /** Requests in the log. */
  readonly total: number;
  /** Log position (0-based, in log order) of each chunk's first request. */
  readonly offsets: readonly number[];
  /** Time windows: the earliest request's time, where window 0 starts; NaN for count windows or an empty log. */
  readonly origin: number;
  /** The newest request's time (-Infinity for an empty log): a time window ending at or before it is closed. */
  readonly newest: number;
  readonly windows: readonly WindowPlan[];
}

export interface LogWindow {
  readonly index: number;
  readonly kind: WindowSpec['kind'];
  /** [start, end) in the log's milliseconds (see the file comment for count windows). */
  readonly start: number;
  readonly end: number;
  readonly requests: number;
  /**
   * Whether the window can still grow: a count window is complete once it holds its size; a time window once a later
   * request exists (the log is read in time order). Alerts step on complete windows only.
   */
  readonly complete: boolean;
  /** Log positions [from, to) of its requests (the hull, should a time window's requests be out of log order). */
  readonly positions: { readonly from: number; readonly to: number };
  readonly slices: readonly WindowSlice[];
}

function checkSpec(spec: WindowSpec): void {
  if (spec.kind === 'count') {
    if (!Number.isSafeInteger(spec.size) || spec.size < 1) throw new Error(`A count window holds a whole number of requests from 1, not ${String(spec.size)}.`);
  } else if (spec.kind === 'time') {
    if (!(spec.ms > 0) || !Number.isFinite(spec.ms)) throw new Error(`A time window lasts a positive, finite number of milliseconds, not ${String(spec.ms)}.`);
  } else {
    throw new Error(`A window is {kind: 'count', size} or {kind: 'time', ms}, not ${JSON.stringify(spec)}.`);
  }
}

function tooMany(count: number, spec: WindowSpec): Error {
  const size = spec.kind === 'count' ? `${spec.size} requests` : `${spec.ms} ms`;
  return new Error(`Windows of ${size} cut this log into ${count} windows, more than ${MAX_WINDOWS}; choose a larger window.`);
}

/** Where each window's requests are, from the chunks' heads, in the order the log is read. */
export function planWindows(spans: readonly ChunkSpan[], spec: WindowSpec): LogPlan {
  checkSpec(spec);
  const offsets: number[] = [];
  let total = 0;
  let origin = Infinity;
  let newest = -Infinity;
  spans.forEach((s, i) => {
    if (!Number.isInteger(s.rows) || s.rows < 0) throw new Error(`Chunk ${i} of the log has ${String(s.rows)} rows.`);
    offsets.push(total);
    total += s.rows;
    if (s.rows === 0) return;
    if (!Number.isFinite(s.firstAt) || !Number.isFinite(s.lastAt)) throw new Error(`Chunk ${i} of the log has no finite time span.`);
    origin = Math.min(origin, s.firstAt);
    newest = Math.max(newest, s.lastAt);
  });
  const windows: WindowPlan[] = [];
  if (total === 0) return { spec, total, offsets, origin: NaN, newest: -Infinity, windows };

  if (spec.kind === 'count') {
    const count = Math.ceil(total / spec.size);
    if (count > MAX_WINDOWS) throw tooMany(count, spec);
    let chunk = 0;
    for (let k = 0; k < count; k++) {
      const from = k * spec.size;
      const to = Math.min(total, from + spec.size);
      // The chunk holding the next window's first request is needed too: it gives this window's end.
      const last = Math.min(total - 1, to);
      while (offsets[chunk] + spans[chunk].rows <= from) chunk++;
      const chunks: number[] = [];
      for (let c = chunk; c < spans.length && offsets[c] <= last; c++) if (spans[c].rows > 0) chunks.push(c);
      windows.push({ kind: 'count', index: k, from, to, chunks });
    }
    return { spec, total, offsets, origin: NaN, newest, windows };
  }

  const count = timeIndex(newest, origin, spec.ms) + 1;
  if (count > MAX_WINDOWS) throw tooMany(count, spec);
  const touching: number[][] = Array.from({ length: count }, () => []);
  spans.forEach((s, c) => {
    if (s.rows === 0) return;
    const first = timeIndex(s.firstAt, origin, spec.ms);
    const last = timeIndex(s.lastAt, origin, spec.ms);
    for (let k = first; k <= last; k++) touching[k].push(c);
  });
  for (let k = 0; k < count; k++) {
    windows.push({ kind: 'time', index: k, start: origin + k * spec.ms, end: origin + (k + 1) * spec.ms, chunks: touching[k] });
  }
  return { spec, total, offsets, origin, newest, windows };
}

/** Whether a chunk's times never go backwards, remembered per column so each chunk is checked once. */
const ordered = new WeakMap<Float64Array, boolean>();

function inTimeOrder(at: Float64Array): boolean {
  let known = ordered.get(at);
  if (known === undefined) {
    known = true;
    for (let i = 1; i < at.length; i++) {
      if (at[i] < at[i - 1]) {
        known = false;
        break;
      }
    }
    ordered.set(at, known);
  }
  return known;
}

/** The time window a request falls in: one formula for planning and slicing, so no rounding can lose a row. */
function timeIndex(t: number, origin: number, ms: number): number {
  return Math.floor((t - origin) / ms);
}

/** First row whose window is ≥ k, in a chunk whose times are in order. */
function firstInOrAfter(at: Float64Array, k: number, origin: number, ms: number, lo: number, hi: number): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (timeIndex(at[mid], origin, ms) < k) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Rows of one chunk in time window k, as maximal runs of consecutive rows. */
function timeRuns(chunk: number, clock: ChunkClock, k: number, origin: number, ms: number, out: WindowSlice[]): void {
  const { at, rows } = clock;
  if (inTimeOrder(at)) {
    const from = firstInOrAfter(at, k, origin, ms, 0, rows);
    const to = firstInOrAfter(at, k + 1, origin, ms, from, rows);
    if (to > from) out.push({ chunk, from, to });
    return;
  }
  let runStart = -1;
  for (let r = 0; r <= rows; r++) {
    const inside = r < rows && timeIndex(at[r], origin, ms) === k;
    if (inside && runStart < 0) runStart = r;
    else if (!inside && runStart >= 0) {
      out.push({ chunk, from: runStart, to: r });
      runStart = -1;
    }
  }
}

/** One planned window's rows and time span, reading the `at` column of the chunks it names. */
export function sliceWindow(plan: LogPlan, window: WindowPlan, clockOf: (chunk: number) => ChunkClock): LogWindow {
  const slices: WindowSlice[] = [];
  if (window.kind === 'time') {
    if (plan.spec.kind !== 'time') throw new Error('A time window was sliced with a plan of count windows.');
    for (const c of window.chunks) {
      timeRuns(c, clockOf(c), window.index, plan.origin, plan.spec.ms, slices);
    }
    let requests = 0;
    let from = Infinity;
    let to = -Infinity;
    for (const s of slices) {
      requests += s.to - s.from;
      from = Math.min(from, plan.offsets[s.chunk] + s.from);
      to = Math.max(to, plan.offsets[s.chunk] + s.to);
    }
    const positions = requests === 0 ? { from: 0, to: 0 } : { from, to };
    return { index: window.index, kind: 'time', start: window.start, end: window.end, requests, complete: plan.newest >= window.end, positions, slices };
  }

  let start = NaN;
  let newest = -Infinity;
  let nextStart = NaN;
  for (const c of window.chunks) {
    const clock = clockOf(c);
    const offset = plan.offsets[c];
    const from = Math.max(window.from, offset) - offset;
    const to = Math.min(window.to, offset + clock.rows) - offset;
    if (to > from) {
      slices.push({ chunk: c, from, to });
      if (Number.isNaN(start)) start = clock.at[from];
      for (let r = from; r < to; r++) if (clock.at[r] > newest) newest = clock.at[r];
    }
    if (window.to >= offset && window.to < offset + clock.rows) nextStart = clock.at[window.to - offset];
  }
  const end = Number.isNaN(nextStart) ? newest + 1 : nextStart;
  return {
    index: window.index,
    kind: 'count',
    start,
    end,
    requests: window.to - window.from,
    complete: plan.spec.kind === 'count' && window.to - window.from === plan.spec.size,
    positions: { from: window.from, to: window.to },
    slices,
  };
}

/** Every window of a log held in memory (chunks in log order). */
export function splitWindows(chunks: readonly ChunkClock[], spec: WindowSpec): LogWindow[] {
  const plan = planWindows(chunks, spec);
  return plan.windows.map((w) => sliceWindow(plan, w, (c) => chunks[c]));
}

/** For each chunk, the index of the last window that reads it (-1 for none): after that window it can be let go. */
export function lastUse(plan: LogPlan): Int32Array {
  const out = new Int32Array(plan.offsets.length).fill(-1);
  for (const w of plan.windows) for (const c of w.chunks) out[c] = Math.max(out[c], w.index);
  return out;
}
