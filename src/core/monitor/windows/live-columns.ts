// One input column of a window, read from the log's chunks into the shape its reference column has: numbers (NaN
// when missing or unreadable; dates as ms) or category codes against the reference dictionary, with the categories
// training never saw appended after it (per window, so the reference itself never changes). Cells are read as the
// model's preprocessing reads them (src/core/serving/transform.js), each dictionary entry once per chunk, so a window
// of a million rows allocates its few output arrays and nothing per row.

import { dateValue } from '../../serving/dates.js';
import { categoryValue, missingValue, numberValue } from '../../serving/transform.js';
import type { InputColumn, RequestChunk } from '../log/types';
import type { CategoricalReference, NumericReference, ReferenceColumn } from './reference';
import type { LogWindow } from './windows';
import type { ReadFormat } from '../../shared/types';

/** The log's chunks by position, as the window's slices name them; a worker streaming the log leaves holes. */
export type ChunkList = ArrayLike<RequestChunk | undefined>;

export function chunkAt(chunks: ChunkList, position: number): RequestChunk {
  const chunk = chunks[position];
  if (!chunk) throw new Error(`Chunk ${position} of the log is needed by this window but was not given.`);
  return chunk;
}

/** Calls `visit` for each slice of the window with the window position of its first row. */
export function eachSlice(window: LogWindow, chunks: ChunkList, visit: (chunk: RequestChunk, from: number, to: number, at: number) => void): void {
  let at = 0;
  for (const s of window.slices) {
    visit(chunkAt(chunks, s.chunk), s.from, s.to, at);
    at += s.to - s.from;
  }
}

/** The chunk row of window position `k` (for the few example rows a report shows). */
export function locate(window: LogWindow, chunks: ChunkList, k: number): { chunk: RequestChunk; row: number } {
  let at = 0;
  for (const s of window.slices) {
    const size = s.to - s.from;
    if (k < at + size) return { chunk: chunkAt(chunks, s.chunk), row: s.from + (k - at) };
    at += size;
  }
  throw new Error(`Position ${k} is outside this window of ${window.requests} requests.`);
}

export interface NumericSample {
  readonly kind: 'numeric';
  readonly values: Float64Array;
  /** 1 where the cell is missing (absent, null, NaN or a missing spelling such as "NA"). */
  readonly missing: Uint8Array;
  readonly missingCount: number;
}

export interface CategoricalSample {
  readonly kind: 'categorical';
  /** Into `categories`; -1 when missing. */
  readonly codes: Int32Array;
  /** The reference categories, then those first seen in this window. */
  readonly categories: readonly string[];
  /** Categories below this index are the reference's. */
  readonly known: number;
  readonly missing: Uint8Array;
  readonly missingCount: number;
  /** Rows holding a category the reference never saw. */
  readonly unseenCount: number;
}

export type LiveSample = NumericSample | CategoricalSample;

function inputOf(chunk: RequestChunk, name: string): InputColumn | undefined {
  for (const c of chunk.inputs) if (c.name === name) return c;
  return undefined;
}

/** First index of sorted `rows` at or after `row`. */
function lowerBound(rows: Int32Array, row: number): number {
  let lo = 0;
  let hi = rows.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (rows[mid] < row) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** A raw text cell of a numeric reference column as a number: a date for a date column. */
function textNumber(text: string, ref: NumericReference, format: ReadFormat): number {
  if (ref.dates) {
    const value = categoryValue(text);
    return value === null ? NaN : dateValue(value, format.dayFirst);
  }
  return numberValue(text, format.number);
}

function gatherNumeric(window: LogWindow, chunks: ChunkList, ref: NumericReference, format: ReadFormat): NumericSample {
  const n = window.requests;
  const values = new Float64Array(n).fill(NaN);
  const missing = new Uint8Array(n).fill(1);
  eachSlice(window, chunks, (chunk, from, to, at) => {
    const col = inputOf(chunk, ref.name);
    if (!col) return;
    if (col.kind === 'number') {
      // A bare number is never a date (as at import): present, but unreadable as one.
      for (let r = from; r < to; r++) {
        const v = col.values[r];
        if (Number.isNaN(v)) continue;
        missing[at + r - from] = 0;
        if (!ref.dates && Number.isFinite(v)) values[at + r - from] = v;
      }
      if (col.text) {
        const { rows, values: texts } = col.text;
        for (let j = lowerBound(rows, from); j < rows.length && rows[j] < to; j++) {
          const k = at + rows[j] - from;
          missing[k] = missingValue(texts[j]) ? 1 : 0;
          values[k] = textNumber(texts[j], ref, format);
        }
      }
      return;
    }
    const entryValue = new Float64Array(col.dictionary.length);
    const entryMissing = new Uint8Array(col.dictionary.length);
    col.dictionary.forEach((text, i) => {
      entryMissing[i] = missingValue(text) ? 1 : 0;
      entryValue[i] = textNumber(text, ref, format);
    });
    for (let r = from; r < to; r++) {
      const code = col.codes[r];
      if (code < 0) continue;
      missing[at + r - from] = entryMissing[code];
      values[at + r - from] = entryValue[code];
    }
    if (col.numbers) {
      const { rows, values: numbers } = col.numbers;
      for (let j = lowerBound(rows, from); j < rows.length && rows[j] < to; j++) {
        const k = at + rows[j] - from;
        missing[k] = 0;
        values[k] = !ref.dates && Number.isFinite(numbers[j]) ? numbers[j] : NaN;
      }
    }
  });
  let missingCount = 0;
  for (let k = 0; k < n; k++) missingCount += missing[k];
  return { kind: 'numeric', values, missing, missingCount };
}

/** The reference dictionary, extended by the categories one window adds. */
class WindowDictionary {
  readonly categories: string[];
  readonly known: number;
  private readonly extra = new Map<string, number>();

  constructor(private readonly ref: CategoricalReference) {
    this.categories = [...ref.categories];
    this.known = ref.categories.length;
  }

  /** The code of a raw cell; -1 when it is missing. */
  code(cell: string | number): number {
    const text = categoryValue(cell);
    if (text === null) return -1;
    const known = this.ref.index.get(text) ?? this.extra.get(text);
    if (known !== undefined) return known;
    const code = this.categories.length;
    this.categories.push(text);
    this.extra.set(text, code);
    return code;
  }
}

function gatherCategorical(window: LogWindow, chunks: ChunkList, ref: CategoricalReference): CategoricalSample {
  const n = window.requests;
  const codes = new Int32Array(n).fill(-1);
  const dictionary = new WindowDictionary(ref);
  eachSlice(window, chunks, (chunk, from, to, at) => {
    const col = inputOf(chunk, ref.name);
    if (!col) return;
    if (col.kind === 'text') {
      const remap = Int32Array.from(col.dictionary, (text) => dictionary.code(text));
      for (let r = from; r < to; r++) {
        const code = col.codes[r];
        if (code >= 0) codes[at + r - from] = remap[code];
      }
      if (col.numbers) {
        const { rows, values } = col.numbers;
        for (let j = lowerBound(rows, from); j < rows.length && rows[j] < to; j++) codes[at + rows[j] - from] = dictionary.code(values[j]);
      }
      return;
    }
    // Numbers sent to a category column (codes such as 1, 2, 3): each distinct number is read once per chunk.
    const seen = new Map<number, number>();
    for (let r = from; r < to; r++) {
      const v = col.values[r];
      if (Number.isNaN(v)) continue;
      let code = seen.get(v);
      if (code === undefined) {
        code = dictionary.code(v);
        seen.set(v, code);
      }
      codes[at + r - from] = code;
    }
    if (col.text) {
      const { rows, values } = col.text;
      for (let j = lowerBound(rows, from); j < rows.length && rows[j] < to; j++) codes[at + rows[j] - from] = dictionary.code(values[j]);
    }
  });
  const missing = new Uint8Array(n);
  let missingCount = 0;
  let unseenCount = 0;
  for (let k = 0; k < n; k++) {
    if (codes[k] < 0) {
      missing[k] = 1;
      missingCount++;
    } else if (codes[k] >= dictionary.known) unseenCount++;
  }
  return { kind: 'categorical', codes, categories: dictionary.categories, known: dictionary.known, missing, missingCount, unseenCount };
}

/** One reference column's cells in the window, in window order. */
export function gatherColumn(window: LogWindow, chunks: ChunkList, ref: ReferenceColumn, format: ReadFormat): LiveSample {
  return ref.kind === 'numeric' ? gatherNumeric(window, chunks, ref, format) : gatherCategorical(window, chunks, ref);
}
