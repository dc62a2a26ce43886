// Some rows of one stored column, decoded from the chunks that hold them and no others: what a view that shows a
// page of a large version (the image gallery) reads instead of the whole table.

import { imageBytes } from '../../core/data/columns';
import type { ColumnData, DatasetVersion, ImageShape } from '../../core/shared/types';
import type { ChunkRecord } from '../db';

/** What a category or image column stores on its chunk 0 only, and every chunk's cells need. */
export interface ColumnHeader {
  dictionary?: string[];
  image?: ImageShape;
}

/** The chunks holding `rows`, ascending; a row outside the version is an error, not an empty cell. */
export function chunksHolding(meta: DatasetVersion, rows: readonly number[]): number[] {
  const chunks = new Set<number>();
  for (const row of rows) {
    if (!Number.isInteger(row) || row < 0 || row >= meta.rowCount) {
      throw new RangeError(`Dataset ${meta.id} has no row ${row} (it has ${meta.rowCount}).`);
    }
    chunks.add(Math.floor(row / meta.chunkRows));
  }
  return [...chunks].sort((a, b) => a - b);
}

/** The header a chunk 0 record carries, if it is one. */
export function headerOf(record: ChunkRecord): ColumnHeader {
  return { ...(record.dictionary ? { dictionary: record.dictionary } : {}), ...(record.image ? { image: record.image } : {}) };
}

/**
 * Column `index` at `rows`, in that order (a row may repeat), from `chunks` (by chunk number), which must hold
 * every chunk chunksHolding names.
 */
export function decodeCells(
  meta: DatasetVersion,
  index: number,
  chunks: ReadonlyMap<number, ChunkRecord>,
  rows: readonly number[],
  header: ColumnHeader,
): ColumnData {
  const column = meta.schema[index];
  const shape = header.image;
  if (column.type === 'image' && !shape) throw new Error(`Dataset ${meta.id}: image column "${column.name}" has no image shape in storage.`);
  const size = column.type === 'image' ? (shape ? imageBytes(shape) : 0) : column.type === 'category' ? 4 : 8;
  const chunkOf = (row: number): { record: ChunkRecord; at: number } => {
    const chunk = Math.floor(row / meta.chunkRows);
    const record = chunks.get(chunk);
    if (!record) throw new Error(`Dataset ${meta.id} is incomplete in storage: column "${column.name}" has no chunk ${chunk}.`);
    if (record.kind !== column.type) throw new Error(`Dataset ${meta.id}: column "${column.name}" is stored with the wrong type.`);
    const start = chunk * meta.chunkRows;
    const length = Math.min(meta.rowCount, start + meta.chunkRows) - start;
    if (record.data.byteLength !== length * size) throw new Error(`Dataset ${meta.id}: chunk ${chunk} of ${column.name} has the wrong length.`);
    return { record, at: row - start };
  };
  switch (column.type) {
    case 'number':
    case 'date': {
      const values = new Float64Array(rows.length);
      rows.forEach((row, i) => {
        const { record, at } = chunkOf(row);
        values[i] = new Float64Array(record.data, at * size, 1)[0];
      });
      return { kind: column.type, values };
    }
    case 'category': {
      const codes = new Int32Array(rows.length);
      rows.forEach((row, i) => {
        const { record, at } = chunkOf(row);
        codes[i] = new Int32Array(record.data, at * size, 1)[0];
      });
      return { kind: 'category', codes, dictionary: header.dictionary ?? [] };
    }
    case 'image': {
      const { width, height, channels } = shape as ImageShape; // present: checked before the switch
      const pixels = new Uint8Array(rows.length * size);
      rows.forEach((row, i) => {
        const { record, at } = chunkOf(row);
        pixels.set(new Uint8Array(record.data, at * size, size), i * size);
      });
      return { kind: 'image', pixels, width, height, channels };
    }
  }
}
