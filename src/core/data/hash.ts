// Content hashing: a dataset version's id is the SHA-256 of its canonical content, so the same data
// imported twice is recognised as the same version.

import type { ColumnData, ColumnSchema, ImageColumnData, SplitSpec, Table } from '../shared/types';

type Hashable = ArrayBuffer | ArrayBufferView | string;

export async function sha256Hex(data: Hashable): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', toBytes(data));
  return hex(new Uint8Array(digest));
}

function toBytes(data: Hashable): Uint8Array<ArrayBuffer> {
  if (typeof data === 'string') return new TextEncoder().encode(data);
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  const view = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  // WebCrypto refuses views of a SharedArrayBuffer; those are copied.
  return view.buffer instanceof ArrayBuffer ? (view as Uint8Array<ArrayBuffer>) : new Uint8Array(view);
}

function hex(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) out += b.toString(16).padStart(2, '0');
  return out;
}

const LITTLE_ENDIAN = new Uint8Array(new Float64Array([1]).buffer)[7] === 0x3f;

/**
 * Canonical dataset hash, version 1. Hashing column by column keeps memory to two columns' bytes
 * at a time (a 1M-row column is 8 MB), where one buffer of the whole table could take hundreds.
 *
 *   head    = UTF-8 JSON of { v: 1, rowCount, schema: [{name, type, role}], split: {method, seed, fractions} }
 *             (a time split adds timeColumn after fractions)
 *   col_i   = SHA-256 of column i's cells in row order:
 *             number   -> each value as a little-endian float64, every NaN (missing) as the one
 *                         canonical quiet NaN 0x7FF8000000000000
 *             category -> per cell: 0xFFFFFFFF if missing, else the UTF-8 byte length of the
 *                         decoded string as a little-endian uint32 followed by those bytes
 *             image    -> width, height and channels as little-endian uint32s, then every pixel
 *                         byte (HWC, row after row), so a changed pixel or shape changes the id
 *             date     -> the ASCII bytes "date" followed by the cells as for number (ms since 1970 UTC)
 *   id      = hex SHA-256 of ( SHA-256(head) || col_0 || col_1 || ... )
 *
 * Categories are hashed as decoded strings, so two dictionaries that encode the same cells in a
 * different order give the same id. A date column's cells are prefixed so that they never hash like a
 * number column holding the same values (the schema's type differs too; the cells alone must differ as
 * well, since a column digest may be compared on its own).
 */
export async function hashDataset(schema: ColumnSchema[], split: SplitSpec, table: Table): Promise<string> {
  const head = JSON.stringify({
    v: 1,
    rowCount: table.rowCount,
    schema: schema.map(({ name, type, role }) => ({ name, type, role })),
    split: {
      method: split.method,
      seed: split.seed,
      fractions: [...split.fractions],
      // Only time splits name a column; leaving the key out otherwise keeps earlier ids unchanged.
      ...(split.method === 'time' ? { timeColumn: split.timeColumn ?? '' } : {}),
    },
  });
  const parts: Uint8Array[] = [new Uint8Array(await crypto.subtle.digest('SHA-256', toBytes(head)))];
  // One column's digest runs (WebCrypto works off this thread) while the next column's bytes are
  // made, so at most two columns' bytes are alive at once.
  let running: Promise<ArrayBuffer> | null = null;
  for (const column of table.columns) {
    const next = crypto.subtle.digest('SHA-256', columnBytes(column, table.rowCount));
    if (running !== null) parts.push(new Uint8Array(await running));
    running = next;
  }
  if (running !== null) parts.push(new Uint8Array(await running));
  const all = new Uint8Array(parts.length * 32);
  parts.forEach((p, i) => all.set(p, i * 32));
  return sha256Hex(all);
}

function columnBytes(column: ColumnData, rowCount: number): Uint8Array<ArrayBuffer> {
  if (column.kind === 'number') return numberBytes(column.values.subarray(0, rowCount));
  if (column.kind === 'image') return imageBytes(column, rowCount);
  if (column.kind === 'date') return dateBytes(column.values.subarray(0, rowCount));
  return categoryBytes(column.codes.subarray(0, rowCount), column.dictionary);
}

function imageBytes(column: ImageColumnData, rowCount: number): Uint8Array<ArrayBuffer> {
  const { width, height, channels } = column;
  const pixels = column.pixels.subarray(0, rowCount * width * height * channels);
  const out = new Uint8Array(12 + pixels.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, width, true);
  view.setUint32(4, height, true);
  view.setUint32(8, channels, true);
  out.set(pixels, 12);
  return out;
}

const CANONICAL_NAN_HIGH = 0x7ff80000;
const DATE_PREFIX = new TextEncoder().encode('date');

function dateBytes(values: Float64Array): Uint8Array<ArrayBuffer> {
  const cells = numberBytes(values);
  const out = new Uint8Array(DATE_PREFIX.length + cells.length);
  out.set(DATE_PREFIX, 0);
  out.set(cells, DATE_PREFIX.length);
  return out;
}

function numberBytes(values: Float64Array): Uint8Array<ArrayBuffer> {
  // The usual case hashes the column's own bytes: little-endian, and every NaN already the canonical one.
  if (LITTLE_ENDIAN && values.buffer instanceof ArrayBuffer && canonicalNaNs(values)) {
    return new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
  }
  const out = new Float64Array(values.length);
  const view = new DataView(out.buffer);
  if (LITTLE_ENDIAN) out.set(values);
  else for (let i = 0; i < values.length; i++) view.setFloat64(i * 8, values[i], true);
  // Missing values may carry any NaN payload; the canonical form must not depend on it.
  for (let i = 0; i < values.length; i++) {
    if (Number.isNaN(values[i])) {
      view.setUint32(i * 8, 0, true);
      view.setUint32(i * 8 + 4, CANONICAL_NAN_HIGH, true);
    }
  }
  return new Uint8Array(out.buffer);
}

/** Whether every NaN in `values` has the canonical bits (little-endian words: low 0, high 0x7FF80000). */
function canonicalNaNs(values: Float64Array): boolean {
  const words = new Uint32Array(values.buffer, values.byteOffset, values.length * 2);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v !== v && (words[2 * i] !== 0 || words[2 * i + 1] !== CANONICAL_NAN_HIGH)) return false;
  }
  return true;
}

function categoryBytes(codes: Int32Array, dictionary: string[]): Uint8Array<ArrayBuffer> {
  // Every value's whole record (length prefix and UTF-8 bytes) is written once into one pool, the
  // missing marker last; each cell then copies its record from the pool. One buffer rather than an
  // array per value keeps a dictionary of 200,000 dates from costing a typed array object each.
  const missing = dictionary.length;
  const offsets = new Int32Array(dictionary.length + 2);
  const encoder = new TextEncoder();
  let pool = new Uint8Array(64);
  let end = 0;
  const reserve = (bytes: number): void => {
    if (end + bytes <= pool.length) return;
    const grown = new Uint8Array(Math.max(pool.length * 2, end + bytes));
    grown.set(pool.subarray(0, end));
    pool = grown;
  };
  for (let i = 0; i < dictionary.length; i++) {
    // UTF-8 takes at most three bytes per UTF-16 unit.
    reserve(4 + dictionary[i].length * 3);
    const { written } = encoder.encodeInto(dictionary[i], pool.subarray(end + 4));
    pool[end] = written & 0xff;
    pool[end + 1] = (written >>> 8) & 0xff;
    pool[end + 2] = (written >>> 16) & 0xff;
    pool[end + 3] = (written >>> 24) & 0xff;
    end += 4 + written;
    offsets[i + 1] = end;
  }
  reserve(4);
  pool.fill(0xff, end, end + 4);
  offsets[missing + 1] = end + 4;
  let size = 0;
  for (let r = 0; r < codes.length; r++) {
    const c = codes[r] < 0 ? missing : codes[r];
    size += offsets[c + 1] - offsets[c];
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (let r = 0; r < codes.length; r++) {
    const c = codes[r] < 0 ? missing : codes[r];
    const stop = offsets[c + 1];
    for (let k = offsets[c]; k < stop; k++) out[at++] = pool[k];
  }
  return out;
}
