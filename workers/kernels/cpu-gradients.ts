// Replaces two of tfjs-backend-cpu's gradient kernels with faster ones that give the same bits
// (conv-filter-grad.ts, max-pool-grad.ts): together they were 78% of a CNN training step on the cpu backend.
// Only Loopbench's training worker installs them; the bench's plain model.fit runs tfjs as shipped.

import * as tf from '@tensorflow/tfjs';
import { convFilterGrad } from './conv-filter-grad';
import { maxPoolGrad } from './max-pool-grad';

type KernelParams = Parameters<tf.KernelFunc>[0];

const CPU = 'cpu';

function cpuBackend(backend: unknown): tf.KernelBackend {
  if (!(backend instanceof tf.KernelBackend)) throw new Error('a cpu gradient kernel ran without its backend');
  return backend;
}

function floats(backend: tf.KernelBackend, tensor: tf.TensorInfo): Float32Array | null {
  if (tensor.dtype !== 'float32') return null;
  const values = backend.readSync(tensor.dataId);
  return values instanceof Float32Array ? values : null;
}

function output(backend: tf.KernelBackend, values: Float32Array, shape: number[]): tf.TensorInfo {
  return { dataId: backend.write(values, shape, 'float32'), shape, dtype: 'float32' };
}

function convFilterGradKernel(original: tf.KernelFunc): tf.KernelFunc {
  return (params: KernelParams) => {
    const backend = cpuBackend(params.backend);
    const { x, dy } = params.inputs;
    const attrs = params.attrs as unknown as tf.Conv2DBackpropFilterAttrs;
    const xValues = x ? floats(backend, x) : null;
    const dyValues = dy ? floats(backend, dy) : null;
    // Channels-first layouts (and anything not float32) keep tfjs's kernel.
    if (!x || !xValues || !dyValues || attrs.dataFormat === 'NCHW') return original(params);
    const info = tf.backend_util.computeConv2DInfo(
      x.shape as [number, number, number, number],
      attrs.filterShape,
      attrs.strides,
      1,
      attrs.pad,
      attrs.dimRoundingMode,
      false,
      'channelsLast',
    );
    return output(backend, convFilterGrad(xValues, dyValues, info), info.filterShape);
  };
}

function maxPoolGradKernel(original: tf.KernelFunc): tf.KernelFunc {
  return (params: KernelParams) => {
    const backend = cpuBackend(params.backend);
    const { dy, input } = params.inputs;
    const attrs = params.attrs as unknown as tf.MaxPoolGradAttrs;
    const xValues = input ? floats(backend, input) : null;
    const dyValues = dy ? floats(backend, dy) : null;
    if (!input || !xValues || !dyValues) return original(params);
    const info = tf.backend_util.computePool2DInfo(
      input.shape as [number, number, number, number],
      attrs.filterSize,
      attrs.strides,
      1,
      attrs.pad,
      attrs.dimRoundingMode,
    );
    return output(backend, maxPoolGrad(xValues, dyValues, info), [...input.shape]);
  };
}

const REPLACEMENTS: [string, (original: tf.KernelFunc) => tf.KernelFunc][] = [
  [tf.Conv2DBackpropFilter, convFilterGradKernel],
  [tf.MaxPoolGrad, maxPoolGradKernel],
];

let installed = false;

/** Installs the faster kernels on the cpu backend; calling it again does nothing. */
export function useFastCpuGradients(): void {
  if (installed) return;
  for (const [name, replacement] of REPLACEMENTS) {
    const original = tf.getKernel(name, CPU);
    // A tfjs without this cpu kernel has nothing to replace.
    if (!original) continue;
    tf.unregisterKernel(name, CPU);
    tf.registerKernel({ ...original, kernelFunc: replacement(original.kernelFunc) });
  }
  installed = true;
}
