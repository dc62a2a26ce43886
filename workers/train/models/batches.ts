// One epoch's training batches in shuffled order. Small models are bound by the number and cost of device ops per
// step, and how to cut a batch cheaply differs by backend (tfjs 4.22):
// - 'slice-copy': gather the whole split into shuffled order once per epoch and slice each batch from it. A contiguous
//   slice is a view on cpu and webgl (no kernel at all) and one small kernel on webgpu, where two gathers per batch
//   were two kernels with index arithmetic.
// - 'host-copy': the cpu backend keeps tensors in JS arrays, so the shuffled copy is built by copying rows there
//   (about 10 ms an epoch for 360 Shapes images); tfjs's cpu gather works out every element's index (about 100 ns
//   each: 110 ms an epoch for the same images, and model.fit pays it in its per-batch gathers).
// - 'upload-index': wasm's slice copies its whole input out of the heap first (readSync), so slicing a split-sized
//   tensor costs a split-sized copy per batch; there each batch uploads its few indices and gathers.
// - 'slice-index': past SHUFFLED_COPY_LIMIT_BYTES on the other backends: gather by a slice of the device permutation.
// The values are the same rows in every mode, so the mode never changes a result.

import * as tf from '@tensorflow/tfjs';
import type { Split } from './data';

/** Above this size the shuffled copy (which lives beside the split for the epoch) costs more memory than it saves. */
export const SHUFFLED_COPY_LIMIT_BYTES = 128 * 2 ** 20;

export type BatchMode = 'host-copy' | 'slice-copy' | 'upload-index' | 'slice-index';

export function batchModeFor(backend: string, train: Split, limitBytes = SHUFFLED_COPY_LIMIT_BYTES): BatchMode {
  if (backend === 'wasm') return 'upload-index';
  if (4 * (train.x.size + train.y.size) > limitBytes) return 'slice-index';
  return backend === 'cpu' ? 'host-copy' : 'slice-copy';
}

/** The rows of `t` in `order`, copied in JS: for the cpu backend, where dataSync() hands over its own array. */
function hostGather(t: tf.Tensor, order: Int32Array): tf.Tensor {
  const values = t.dataSync() as Float32Array | Int32Array;
  const width = t.shape.slice(1).reduce((a, b) => a * b, 1);
  const out = values instanceof Int32Array ? new Int32Array(order.length * width) : new Float32Array(order.length * width);
  // Element by element: a subarray and set() per row is slower on narrow tables (35 against 24 ms for 90,000 rows of 20).
  for (let i = 0; i < order.length; i++) {
    const from = order[i] * width;
    const to = i * width;
    for (let j = 0; j < width; j++) out[to + j] = values[from + j];
  }
  return tf.tensor(out, [order.length, ...t.shape.slice(1)], t.dtype);
}

export class EpochBatches {
  readonly #train: Split;
  readonly #order: Int32Array;
  readonly #permutation: tf.Tensor1D | null = null;
  readonly #shuffled: { x: tf.Tensor; y: tf.Tensor } | null = null;

  constructor(train: Split, order: Int32Array, mode: BatchMode = batchModeFor(tf.getBackend(), train)) {
    this.#train = train;
    this.#order = order;
    if (mode === 'upload-index') return;
    if (mode === 'host-copy') {
      this.#shuffled = { x: hostGather(train.x, order), y: hostGather(train.y, order) };
      return;
    }
    const permutation = tf.tensor1d(order, 'int32');
    if (mode === 'slice-index') {
      this.#permutation = permutation;
      return;
    }
    this.#shuffled = { x: tf.gather(train.x, permutation), y: tf.gather(train.y, permutation) };
    permutation.dispose();
  }

  /** Inputs and targets of rows [start, start + size) of the shuffled order; call inside tf.tidy. */
  batch(start: number, size: number): [tf.Tensor, tf.Tensor] {
    if (this.#shuffled) return [tf.slice(this.#shuffled.x, start, size), tf.slice(this.#shuffled.y, start, size)];
    const index = this.#permutation ? tf.slice(this.#permutation, start, size) : tf.tensor1d(this.#order.subarray(start, start + size), 'int32');
    return [tf.gather(this.#train.x, index), tf.gather(this.#train.y, index)];
  }

  dispose(): void {
    this.#permutation?.dispose();
    this.#shuffled?.x.dispose();
    this.#shuffled?.y.dispose();
  }
}
