// Splitting the request log into count and time windows: edges, chunk boundaries, empty time windows, requests out
// of time order, and planning from chunk heads alone.

import { describe, expect, it } from 'vitest';
import { chunksOf } from '../../../src/core/monitor/log/chunk-builder';
import type { RequestChunk } from '../../../src/core/monitor/log/types';
import { MAX_WINDOWS, lastUse, planWindows, sliceWindow, splitWindows, type LogWindow } from '../../../src/core/monitor/windows/windows';
import { classifier, served } from './log-fixtures';

/** Requests with the given times, ids 0.., in chunks of `capacity`. */
function log(times: number[], capacity: number): RequestChunk[] {
  return chunksOf(classifier(), times.map((at, id) => served(id, { at })), capacity);
}

/** The request ids a window covers, in window order. */
function ids(window: LogWindow, chunks: RequestChunk[]): number[] {
  return window.slices.flatMap((s) => Array.from(chunks[s.chunk].ids.subarray(s.from, s.to)));
}

describe('count windows', () => {
  // Ten requests at 0, 10, ..., 90 in chunks of 4: [0-3] [4-7] [8-9].
  const chunks = log([0, 10, 20, 30, 40, 50, 60, 70, 80, 90], 4);

  it('take every N requests across chunk boundaries, the last one shorter', () => {
    const windows = splitWindows(chunks, { kind: 'count', size: 3 });
    expect(windows.map((w) => ids(w, chunks))).toEqual([[0, 1, 2], [3, 4, 5], [6, 7, 8], [9]]);
    expect(windows.map((w) => w.requests)).toEqual([3, 3, 3, 1]);
    expect(windows.map((w) => w.complete)).toEqual([true, true, true, false]);
    // Window 1 (requests 3..5) straddles chunks 0 and 1 as two views, not a copy.
    expect(windows[1].slices).toEqual([
      { chunk: 0, from: 3, to: 4 },
      { chunk: 1, from: 0, to: 2 },
    ]);
    expect(windows.map((w) => w.positions)).toEqual([
      { from: 0, to: 3 },
      { from: 3, to: 6 },
      { from: 6, to: 9 },
      { from: 9, to: 10 },
    ]);
  });

  it('span from their first request to the next window\'s first, the last to 1 ms after its newest', () => {
    const windows = splitWindows(chunks, { kind: 'count', size: 4 });
    expect(windows.map((w) => [w.start, w.end])).toEqual([
      [0, 40],
      [40, 80],
      [80, 91],
    ]);
  });

  it('make one window of the whole log when N is at least its size', () => {
    const [only, ...rest] = splitWindows(chunks, { kind: 'count', size: 10 });
    expect(rest).toEqual([]);
    expect(ids(only, chunks)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(only.complete).toBe(true);
  });
});

describe('time windows', () => {
  it('are aligned to the first request and include an empty window for a gap in traffic', () => {
    // 100 ms windows from t = 5: [5, 105) [105, 205) [205, 305) [305, 405).
    const chunks = log([5, 50, 104, 105, 330, 404], 4);
    const windows = splitWindows(chunks, { kind: 'time', ms: 100 });
    expect(windows.map((w) => [w.start, w.end])).toEqual([
      [5, 105],
      [105, 205],
      [205, 305],
      [305, 405],
    ]);
    // A request exactly at an edge belongs to the window the edge starts.
    expect(windows.map((w) => ids(w, chunks))).toEqual([[0, 1, 2], [3], [], [4, 5]]);
    expect(windows[2]).toMatchObject({ requests: 0, slices: [] });
    // Only the window holding the newest request can still grow.
    expect(windows.map((w) => w.complete)).toEqual([true, true, true, false]);
  });

  it('collect requests that arrived out of time order inside a chunk', () => {
    const chunks = log([0, 150, 20, 160, 30], 8);
    const windows = splitWindows(chunks, { kind: 'time', ms: 100 });
    expect(windows.map((w) => ids(w, chunks))).toEqual([
      [0, 2, 4],
      [1, 3],
    ]);
    expect(windows[0].slices).toEqual([
      { chunk: 0, from: 0, to: 1 },
      { chunk: 0, from: 2, to: 3 },
      { chunk: 0, from: 4, to: 5 },
    ]);
    expect(windows[1].positions).toEqual({ from: 1, to: 4 });
  });

  it('lose no request to rounding at fractional edges', () => {
    const times = Array.from({ length: 50 }, (_, i) => 0.1 * i);
    const chunks = log(times, 7);
    const windows = splitWindows(chunks, { kind: 'time', ms: 0.3 });
    expect(windows.reduce((n, w) => n + w.requests, 0)).toBe(50);
    expect(windows.flatMap((w) => ids(w, chunks))).toEqual(times.map((_, i) => i));
  });
});

describe('planning from chunk heads', () => {
  it('names the chunks each window needs and when each can be let go', () => {
    const chunks = log([0, 10, 20, 30, 40, 50, 60, 70, 80, 90], 4);
    const heads = chunks.map(({ rows, firstAt, lastAt }) => ({ rows, firstAt, lastAt }));
    const plan = planWindows(heads, { kind: 'count', size: 3 });
    expect(plan.total).toBe(10);
    expect(plan.offsets).toEqual([0, 4, 8]);
    // Window 1 ends at request 6's time, which lies in chunk 1, so it needs chunks 0 and 1; window 2 (6..8) needs
    // 1 and 2, and the next window's first request (9) is in chunk 2 as well.
    expect(plan.windows.map((w) => w.chunks)).toEqual([[0], [0, 1], [1, 2], [2]]);
    expect(Array.from(lastUse(plan))).toEqual([1, 2, 3]);
    // Slicing reads only the chunks the plan named.
    const read: number[] = [];
    const window = sliceWindow(plan, plan.windows[2], (c) => {
      read.push(c);
      return chunks[c];
    });
    expect(read).toEqual([1, 2]);
    expect(ids(window, chunks)).toEqual([6, 7, 8]);
    expect(window.end).toBe(90);
  });

  it('plans a time window over a chunk from its span, without reading its rows', () => {
    const plan = planWindows(
      [
        { rows: 3, firstAt: 0, lastAt: 250 },
        { rows: 2, firstAt: 260, lastAt: 320 },
      ],
      { kind: 'time', ms: 100 },
    );
    expect(plan.windows.map((w) => w.chunks)).toEqual([[0], [0], [0, 1], [1]]);
  });

  it('gives no window for an empty log', () => {
    expect(planWindows([], { kind: 'count', size: 10 }).windows).toEqual([]);
    expect(splitWindows([], { kind: 'time', ms: 10 })).toEqual([]);
  });

  it('refuses a malformed window and one that cuts the log into too many', () => {
    const heads = [{ rows: 5, firstAt: 0, lastAt: 1_000_000 }];
    expect(() => planWindows(heads, { kind: 'count', size: 0 })).toThrow(/count window holds a whole number/);
    expect(() => planWindows(heads, { kind: 'time', ms: -1 })).toThrow(/positive, finite number of milliseconds/);
    expect(() => planWindows(heads, { kind: 'time', ms: 1 })).toThrow(new RegExp(`more than ${MAX_WINDOWS}; choose a larger window`));
  });
});
