// Replaces three of tfjs-backend-cpu's kernels with faster ones that give the same bits: the filter and max-pool
// gradients (conv-filter-grad.ts, max-pool-grad.ts; together 78% of a CNN training step on cpu) and the matrix
// product (mat-mul.ts; 60% of an MLP's). Loopbench's workers install them (tuned-backend.ts); the bench's plain
// model.fit runs tfjs as shipped.

import * as tf from '@tensorflow/tfjs';
import { convFilterGrad } from './conv-filter-grad';
import { matMul } from './mat-mul';
import { maxPoolGrad } from './max-pool-grad';
import { replaceKernels, type Replacement } from './replace-kernels';

type KernelParams = Parameters<tf.KernelFunc>[0];

/**
 * The tfjs packages whose kernels the seeded fuzz test (test/integration/cpu-kernels.test.ts) found these to match
 * bit for bit. The bits depend on tfjs-backend-cpu's summation order and block size, which any release may change;
 * a test fails when the installed versions differ, until the fuzz test is re-run and this is updated.
 */
export const CHECKED_TFJS_VERSIONS = { '@tensorflow/tfjs-core': '4.22.0', '@tensorflow/tfjs-backend-cpu': '4.22.0' } as const;

const CPU = 'cpu';

function cpuBackend(backend: unknown): tf.KernelBackend {
  if (!(backend instanceof tf.KernelBackend)) throw new Error('a Loopbench cpu kernel ran without its backend');
  return backend;
}

function floats(backend: tf.KernelBackend, tensor: tf.TensorInfo): Float32Array | null {
  if (tensor.dtype !== 'float32') return null;
  const values = backend.readSync(tensor.dataId);
  return values instanceof Float32Array ? values : null;
}

interface FloatInputs {
  backend: tf.KernelBackend;
  first: tf.TensorInfo;
  firstValues: Float32Array;
  secondValues: Float32Array;
}

/** The backend and two inputs' values; null when either is missing or not float32, which tfjs's kernel then takes. */
function floatInputs(params: KernelParams, first: string, second: string): FloatInputs | null {
  const backend = cpuBackend(params.backend);
  const [a, b] = [params.inputs[first], params.inputs[second]];
  const firstValues = a ? floats(backend, a) : null;
  const secondValues = b ? floats(backend, b) : null;
  if (!a || !firstValues || !secondValues) return null;
  return { backend, first: a, firstValues, secondValues };
}

function output(backend: tf.KernelBackend, values: Float32Array, shape: number[]): tf.TensorInfo {
  return { dataId: backend.write(values, shape, 'float32'), shape, dtype: 'float32' };
}

function convFilterGradKernel(original: tf.KernelFunc): tf.KernelFunc {
  return (params: KernelParams) => {
    const attrs = params.attrs as unknown as tf.Conv2DBackpropFilterAttrs;
    const inputs = floatInputs(params, 'x', 'dy');
    // Channels-first layouts keep tfjs's kernel too.
    if (!inputs || attrs.dataFormat === 'NCHW') return original(params);
    const info = tf.backend_util.computeConv2DInfo(
      inputs.first.shape as [number, number, number, number],
      attrs.filterShape,
      attrs.strides,
      1,
      attrs.pad,
      attrs.dimRoundingMode,
      false,
      'channelsLast',
    );
    return output(inputs.backend, convFilterGrad(inputs.firstValues, inputs.secondValues, info), info.filterShape);
  };
}

function maxPoolGradKernel(original: tf.KernelFunc): tf.KernelFunc {
  return (params: KernelParams) => {
    const attrs = params.attrs as unknown as tf.MaxPoolGradAttrs;
    const inputs = floatInputs(params, 'input', 'dy');
    if (!inputs) return original(params);
    const { shape } = inputs.first;
    const info = tf.backend_util.computePool2DInfo(
      shape as [number, number, number, number],
      attrs.filterSize,
      attrs.strides,
      1,
      attrs.pad,
      attrs.dimRoundingMode,
    );
    return output(inputs.backend, maxPoolGrad(inputs.firstValues, inputs.secondValues, info), [...shape]);
  };
}

/** tfjs-backend-cpu's block along the shared dimension (MathBackendCPU.blockSize); the sums depend on it. */
function blockSizeOf(backend: tf.KernelBackend): number | null {
  const size: unknown = 'blockSize' in backend ? backend.blockSize : null;
  return typeof size === 'number' && size > 0 ? size : null;
}

function matMulKernel(original: tf.KernelFunc): tf.KernelFunc {
  return (params: KernelParams) => {
    const attrs = params.attrs as unknown as tf.BatchMatMulAttrs;
    const inputs = floatInputs(params, 'a', 'b');
    const b = params.inputs.b;
    const blockSize = inputs ? blockSizeOf(inputs.backend) : null;
    if (!inputs || !b || blockSize === null) return original(params);
    const a = inputs.first;
    const aRank = a.shape.length;
    const bRank = b.shape.length;
    const left = attrs.transposeA ? a.shape[aRank - 1] : a.shape[aRank - 2];
    const shared = attrs.transposeA ? a.shape[aRank - 2] : a.shape[aRank - 1];
    const right = attrs.transposeB ? b.shape[bRank - 2] : b.shape[bRank - 1];
    const sharedB = attrs.transposeB ? b.shape[bRank - 1] : b.shape[bRank - 2];
    const outerA = a.shape.slice(0, -2);
    const outerB = b.shape.slice(0, -2);
    // Mismatched or unbroadcastable shapes: tfjs's kernel reports them in its own words.
    if (shared !== sharedB) return original(params);
    let outer: number[];
    try {
      outer = tf.broadcast_util.assertAndGetBroadcastShape(outerA, outerB);
    } catch {
      return original(params);
    }
    const values = matMul(
      inputs.firstValues,
      inputs.secondValues,
      { batchA: tf.util.sizeFromShape(outerA), batchB: tf.util.sizeFromShape(outerB), left, shared, right, transposeA: attrs.transposeA, transposeB: attrs.transposeB },
      blockSize,
    );
    return output(inputs.backend, values, [...outer, left, right]);
  };
}

const REPLACEMENTS: Replacement[] = [
  [tf.Conv2DBackpropFilter, convFilterGradKernel],
  [tf.MaxPoolGrad, maxPoolGradKernel],
  [tf.BatchMatMul, matMulKernel],
];

let installed = false;

/** Installs the faster kernels on the cpu backend; calling it again does nothing. */
export function useFastCpuKernels(): void {
  if (installed) return;
  replaceKernels(CPU, REPLACEMENTS);
  installed = true;
}
