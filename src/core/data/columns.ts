// Small facts about a column that every layer needs, with one exhaustive switch each so a new
// column kind is a compile error here rather than a silent miscast somewhere else.

import type { ColumnData, ImageColumnData } from '../shared/types';

/** The typed array holding a column's cells (transferred to and from workers). */
export function columnBuffer(column: ColumnData): ArrayBuffer {
  switch (column.kind) {
    case 'number':
    case 'date':
      return column.values.buffer as ArrayBuffer;
    case 'category':
      return column.codes.buffer as ArrayBuffer;
    case 'image':
      return column.pixels.buffer as ArrayBuffer;
  }
}

/** How many rows a column holds. */
export function columnLength(column: ColumnData): number {
  switch (column.kind) {
    case 'number':
    case 'date':
      return column.values.length;
    case 'category':
      return column.codes.length;
    case 'image':
      return column.pixels.length / imageBytes(column);
  }
}

/** Bytes of one image in an image column. */
export function imageBytes(shape: Pick<ImageColumnData, 'width' | 'height' | 'channels'>): number {
  return shape.width * shape.height * shape.channels;
}

/** Row r's pixels (a view, not a copy). */
export function imageAt(column: ImageColumnData, row: number): Uint8Array {
  const size = imageBytes(column);
  return column.pixels.subarray(row * size, (row + 1) * size);
}
