// TensorFlow keeps images channels-last (NHWC) and conv kernels as HWIO; ONNX's Conv and MaxPool read NCHW and OIHW.
// These permutations and TF's "same" padding rule are what keep the exported model's numbers identical.

/** Axis orders for ONNX Transpose `perm` and for `transpose` below. */
export const NHWC_TO_NCHW = [0, 3, 1, 2] as const;
export const NCHW_TO_NHWC = [0, 2, 3, 1] as const;
export const HWIO_TO_OIHW = [3, 2, 0, 1] as const;

/** Row-major transpose: output axis k is input axis perm[k]. */
export function transpose(values: Float32Array, shape: readonly number[], perm: readonly number[]): { values: Float32Array; shape: number[] } {
  if (perm.length !== shape.length || [...perm].sort((a, b) => a - b).some((p, i) => p !== i)) {
    throw new Error(`perm [${perm.join(', ')}] is not a permutation of the ${shape.length} axes of shape [${shape.join(', ')}]`);
  }
  const size = shape.reduce((n, d) => n * d, 1);
  if (size !== values.length) throw new Error(`shape [${shape.join(', ')}] holds ${size} values, not ${values.length}`);
  const rank = shape.length;
  const outShape = perm.map((p) => shape[p]!);
  const inStrides = new Array<number>(rank);
  for (let k = rank - 1, s = 1; k >= 0; k--) {
    inStrides[k] = s;
    s *= shape[k]!;
  }
  // For each output axis, how far to step in the input.
  const step = perm.map((p) => inStrides[p]!);
  const out = new Float32Array(size);
  const index = new Array<number>(rank).fill(0);
  let from = 0;
  for (let i = 0; i < size; i++) {
    out[i] = values[from]!;
    for (let k = rank - 1; k >= 0; k--) {
      index[k]!++;
      from += step[k]!;
      if (index[k]! < outShape[k]!) break;
      from -= step[k]! * outShape[k]!;
      index[k] = 0;
    }
  }
  return { values: out, shape: outShape };
}

/**
 * Output size and [begin, end] padding of one spatial axis, as TensorFlow computes them: "same" gives ceil(in / stride)
 * and puts the odd pixel of padding at the end (ONNX's SAME_UPPER), "valid" pads nothing.
 */
export function spatial(input: number, kernel: number, stride: number, dilation: number, padding: 'same' | 'valid'): { size: number; pads: [number, number] } {
  const effective = (kernel - 1) * dilation + 1;
  if (padding === 'valid') {
    const size = Math.floor((input - effective) / stride) + 1;
    if (size < 1) throw new Error(`a ${kernel}-wide window does not fit in ${input} pixels without padding`);
    return { size, pads: [0, 0] };
  }
  const size = Math.ceil(input / stride);
  const total = Math.max((size - 1) * stride + effective - input, 0);
  const begin = Math.floor(total / 2);
  return { size, pads: [begin, total - begin] };
}
