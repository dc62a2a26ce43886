// Weights in and tensors out: reads the tfjs weight buffer by its specs, and encodes ONNX TensorProtos (raw_data,
// little-endian as the ONNX spec requires whatever the machine's byte order).

import { create } from '@bufbuild/protobuf';
import { TensorProtoSchema, TensorProto_DataType, type TensorProto } from './gen/onnx_pb';
import type { WeightManifest } from '../../../shared/types';

export interface Weight {
  shape: number[];
  values: Float32Array;
}

export function sizeOf(shape: readonly number[]): number {
  return shape.reduce((n, d) => n * d, 1);
}

/** Every float32 weight of the buffer by name; a size mismatch or another dtype is refused with the weight's name. */
export function readWeights(specs: WeightManifest['weightSpecs'], buffer: ArrayBuffer): Map<string, Weight> {
  const out = new Map<string, Weight>();
  const view = new DataView(buffer);
  let offset = 0;
  for (const spec of specs) {
    if (spec.dtype !== 'float32') throw new Error(`weight "${spec.name}" is ${spec.dtype}; the ONNX export writes float32 weights only`);
    const count = sizeOf(spec.shape);
    const end = offset + count * 4;
    if (end > buffer.byteLength) {
      throw new Error(`weight "${spec.name}" (shape [${spec.shape.join(', ')}]) needs bytes ${offset}–${end} but the weight buffer has ${buffer.byteLength}`);
    }
    const values = new Float32Array(count);
    // tfjs weight files are little-endian.
    for (let i = 0; i < count; i++) values[i] = view.getFloat32(offset + i * 4, true);
    out.set(spec.name, { shape: spec.shape.slice(), values });
    offset = end;
  }
  if (offset !== buffer.byteLength) throw new Error(`the weight specs cover ${offset} bytes but the weight buffer has ${buffer.byteLength}`);
  return out;
}

export function floatTensor(name: string, dims: readonly number[], values: Float32Array): TensorProto {
  if (sizeOf(dims) !== values.length) throw new Error(`tensor "${name}": shape [${dims.join(', ')}] holds ${sizeOf(dims)} values, not ${values.length}`);
  const raw = new Uint8Array(values.length * 4);
  const view = new DataView(raw.buffer);
  for (let i = 0; i < values.length; i++) view.setFloat32(i * 4, values[i]!, true);
  return create(TensorProtoSchema, { name, dims: dims.map(BigInt), dataType: TensorProto_DataType.FLOAT, rawData: raw });
}

export function int64Tensor(name: string, values: readonly number[]): TensorProto {
  const raw = new Uint8Array(values.length * 8);
  const view = new DataView(raw.buffer);
  values.forEach((v, i) => view.setBigInt64(i * 8, BigInt(v), true));
  return create(TensorProtoSchema, { name, dims: [BigInt(values.length)], dataType: TensorProto_DataType.INT64, rawData: raw });
}
