// Packing tensors into checkpoints and back. Read once per epoch, never per batch: every group of a checkpoint
// (weights, optimizer slots, best weights) is concatenated on the device and read in one transfer per dtype, since on
// GPU backends each readback waits for the device.

import * as tf from '@tensorflow/tfjs';
import type { TensorPack } from '../../../src/core/contracts/model';

export type NamedTensor = { name: string; tensor: tf.Tensor };

/** One pack per group, from at most two readbacks (float32, int32) started together. */
export async function packGroups(groups: NamedTensor[][]): Promise<TensorPack[]> {
  const all = groups.flat();
  for (const { name, tensor } of all) {
    if (tensor.dtype !== 'float32' && tensor.dtype !== 'int32') throw new Error(`cannot checkpoint ${name}: dtype ${tensor.dtype}`);
  }
  const [floats, ints] = await Promise.all([
    readFlat(all.filter((n) => n.tensor.dtype === 'float32').map((n) => n.tensor)),
    readFlat(all.filter((n) => n.tensor.dtype === 'int32').map((n) => n.tensor)),
  ]);
  const cursor = { float32: 0, int32: 0 };
  return groups.map((named) => {
    const specs: TensorPack['specs'] = named.map(({ name, tensor }) => ({ name, shape: tensor.shape.slice(), dtype: tensor.dtype as 'float32' | 'int32' }));
    // Both dtypes are 4 bytes wide, so every tensor starts on an aligned offset.
    const data = new ArrayBuffer(4 * named.reduce((n, { tensor }) => n + tensor.size, 0));
    let offset = 0;
    for (const { tensor } of named) {
      const dtype = tensor.dtype as 'float32' | 'int32';
      const source = dtype === 'float32' ? floats : ints;
      const values = source.subarray(cursor[dtype], cursor[dtype] + tensor.size);
      cursor[dtype] += tensor.size;
      new Uint8Array(data, offset, values.byteLength).set(new Uint8Array(values.buffer, values.byteOffset, values.byteLength));
      offset += values.byteLength;
    }
    return { specs, data };
  });
}

async function readFlat(tensors: tf.Tensor[]): Promise<Float32Array | Int32Array> {
  if (tensors.length === 0) return new Float32Array(0);
  const flat = tf.tidy(() => tf.concat(tensors.map((t) => tf.reshape(t, [-1]))));
  try {
    return (await flat.data()) as Float32Array | Int32Array;
  } finally {
    flat.dispose();
  }
}

/** New tensors from a pack; the caller disposes them. */
export function unpackTensors(pack: TensorPack): { name: string; tensor: tf.Tensor }[] {
  let offset = 0;
  return pack.specs.map(({ name, shape, dtype }) => {
    const size = shape.reduce((a, b) => a * b, 1);
    const values = dtype === 'int32' ? new Int32Array(pack.data, offset, size) : new Float32Array(pack.data, offset, size);
    offset += size * 4;
    return { name, tensor: tf.tensor(values.slice(), shape, dtype) };
  });
}

export function packBuffers(pack: TensorPack | null): ArrayBuffer[] {
  return pack ? [pack.data] : [];
}
