// Uploads a split to the device once per run: encoded tabular rows, or images scaled to 0-1 as [n, h, w, c].

import * as tf from '@tensorflow/tfjs';
import { encodeRows } from '../../../src/core/train/preprocess';
import type { ColumnSchema, Preprocessor, Table } from '../../../src/core/shared/types';

export interface Split {
  rows: Int32Array;
  x: tf.Tensor;
  /** One-hot float targets (classification) or standardised targets [n, 1] (regression). */
  y: tf.Tensor2D;
  /** Class indices, for accuracy (classification only). */
  classes: tf.Tensor1D | null;
  /** Class index per row (classification) or standardised target (regression), on the CPU. */
  targets: Int32Array | Float32Array;
}

/** Pixels of `rows` from an image column (HWC uint8 per row), scaled to 0-1. */
export function imagePixels(table: Table, column: string, rows: Int32Array): { data: Float32Array; shape: [number, number, number, number] } {
  const at = table.names.indexOf(column);
  const data = table.columns[at];
  if (at < 0 || data.kind !== 'image') throw new Error(`column "${column}" holds no images`);
  const size = data.width * data.height * data.channels;
  const out = new Float32Array(rows.length * size);
  for (let i = 0; i < rows.length; i++) {
    const source = data.pixels.subarray(rows[i] * size, (rows[i] + 1) * size);
    for (let j = 0; j < size; j++) out[i * size + j] = source[j] / 255;
  }
  return { data: out, shape: [rows.length, data.height, data.width, data.channels] };
}

export function uploadSplit(pre: Preprocessor, schema: ColumnSchema[], table: Table, rows: Int32Array, keep: tf.Tensor[]): Split {
  const { x, y } = encodeRows(pre, schema, table, rows);
  const n = rows.length;
  let xt: tf.Tensor;
  if (pre.image) {
    const pixels = imagePixels(table, pre.image.column, rows);
    xt = tf.tensor4d(pixels.data, pixels.shape);
  } else {
    xt = tf.tensor2d(x, [n, pre.inputSize]);
  }
  keep.push(xt);
  if (pre.task === 'classification') {
    const k = pre.labels.length;
    const oneHot = new Float32Array(n * k);
    for (let i = 0; i < n; i++) oneHot[i * k + y[i]] = 1;
    const yt = tf.tensor2d(oneHot, [n, k]);
    const classes = tf.tensor1d(y as Int32Array, 'int32');
    keep.push(yt, classes);
    return { rows, x: xt, y: yt, classes, targets: y };
  }
  const yt = tf.tensor2d(y as Float32Array, [n, 1]);
  keep.push(yt);
  return { rows, x: xt, y: yt, classes: null, targets: y };
}
