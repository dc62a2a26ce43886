// Content hashing: a dataset version's id is the SHA-256 of its canonical content, so the same data
// imported twice is recognised as the same version.

import type { ColumnData, ColumnSchema, SplitSpec, Table } from './types';

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
 * Canonical dataset hash, version 1. Hashing column by column keeps memory to one column's bytes
 * at a time (a 1M-row column is 8 MB), where one buffer of the whole table could take hundreds.
 *
 *   head    = UTF-8 JSON of { v: 1, rowCount, schema: [{name, type, role}], split: {method, seed, fractions} }
 *             (a time split adds timeColumn after fractions)
 *   col_i   = SHA-256 of column i's cells in row order:
 *             number   -> each value as a little-endian float64, every NaN (missing) as the one
 *                         canonical quiet NaN 0x7FF8000000000000
 *             category -> per cell: 0xFFFFFFFF if missing, else the UTF-8 byte length of the
 *                         decoded string as a little-endian uint32 followed by those bytes
 *   id      = hex SHA-256 of ( SHA-256(head) || col_0 || col_1 || ... )
 *
 * Categories are hashed as decoded strings, so two dictionaries that encode the same cells in a
 * different order give the same id.
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
  for (const column of table.columns) {
    parts.push(new Uint8Array(await crypto.subtle.digest('SHA-256', columnBytes(column, table.rowCount))));
  }
  const all = new Uint8Array(parts.length * 32);
  parts.forEach((p, i) => all.set(p, i * 32));
  return sha256Hex(all);
}

function columnBytes(column: ColumnData, rowCount: number): Uint8Array<ArrayBuffer> {
  if (column.kind === 'number') return numberBytes(column.values.subarray(0, rowCount));
  return categoryBytes(column.codes.subarray(0, rowCount), column.dictionary);
}

function numberBytes(values: Float64Array): Uint8Array<ArrayBuffer> {
  const out = new Float64Array(values.length);
  const view = new DataView(out.buffer);
  if (LITTLE_ENDIAN) out.set(values);
  else for (let i = 0; i < values.length; i++) view.setFloat64(i * 8, values[i], true);
  // Missing values may carry any NaN payload; the canonical form must not depend on it.
  for (let i = 0; i < values.length; i++) {
    if (Number.isNaN(values[i])) {
      view.setUint32(i * 8, 0, true);
      view.setUint32(i * 8 + 4, 0x7ff80000, true);
    }
  }
  return new Uint8Array(out.buffer);
}

function categoryBytes(codes: Int32Array, dictionary: string[]): Uint8Array<ArrayBuffer> {
  const encoder = new TextEncoder();
  const encoded = dictionary.map((s) => encoder.encode(s));
  let size = 0;
  for (const code of codes) size += 4 + (code < 0 ? 0 : encoded[code].length);
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  let at = 0;
  for (const code of codes) {
    if (code < 0) {
      view.setUint32(at, 0xffffffff, true);
      at += 4;
    } else {
      const bytes = encoded[code];
      view.setUint32(at, bytes.length, true);
      out.set(bytes, at + 4);
      at += 4 + bytes.length;
    }
  }
  return out;
}
