// Loopbench's cpu kernels (workers/kernels) against tfjs-backend-cpu's own, the oracle: seeded random shapes,
// strides, paddings, transposes and values (ties, zeros, NaN and -Infinity included), and the results must be the
// same bits, so installing them changes no run's numbers, only its speed.

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { mulberry32 } from '../../src/core/shared/rng';
import { CHECKED_TFJS_VERSIONS, useFastCpuKernels } from '../../workers/train/kernels/cpu-kernels';

const CASES = 300;
type Pad = 'same' | 'valid' | number;

let tfjsConvFilterGrad: tf.KernelFunc;
let tfjsMaxPoolGrad: tf.KernelFunc;
let tfjsMatMul: tf.KernelFunc;

beforeAll(async () => {
  await tf.setBackend('cpu');
  // The oracle: tfjs's kernels as shipped, taken before Loopbench's replace them.
  tfjsConvFilterGrad = tf.getKernel(tf.Conv2DBackpropFilter, 'cpu').kernelFunc;
  tfjsMaxPoolGrad = tf.getKernel(tf.MaxPoolGrad, 'cpu').kernelFunc;
  tfjsMatMul = tf.getKernel(tf.BatchMatMul, 'cpu').kernelFunc;
  useFastCpuKernels();
});

/** The version of `name` that @tensorflow/tfjs itself loads (a nested copy, if npm installed one, wins). */
function installedVersion(name: string): string {
  const fromTfjs = createRequire(createRequire(import.meta.url).resolve('@tensorflow/tfjs/package.json'));
  return (JSON.parse(readFileSync(fromTfjs.resolve(`${name}/package.json`), 'utf8')) as { version: string }).version;
}

it('runs on the tfjs the kernels were checked against', () => {
  for (const [name, checked] of Object.entries(CHECKED_TFJS_VERSIONS)) {
    const installed = installedVersion(name);
    expect(
      installed,
      `${name} ${installed} is installed, but Loopbench's cpu kernels were checked bit for bit against ${checked}. ` +
        'Re-run the seeded fuzz tests in this file on the new version and, when they pass, update ' +
        'CHECKED_TFJS_VERSIONS in workers/train/kernels/cpu-kernels.ts; if they fail, fix the kernels or stop installing them.',
    ).toBe(checked);
  }
});

it('replaces the three tfjs-backend-cpu kernels, once however often it is called', () => {
  useFastCpuKernels();
  const convKernel = tf.getKernel(tf.Conv2DBackpropFilter, 'cpu').kernelFunc;
  expect(convKernel).not.toBe(tfjsConvFilterGrad);
  expect(tf.getKernel(tf.MaxPoolGrad, 'cpu').kernelFunc).not.toBe(tfjsMaxPoolGrad);
  expect(tf.getKernel(tf.BatchMatMul, 'cpu').kernelFunc).not.toBe(tfjsMatMul);
  useFastCpuKernels();
  expect(tf.getKernel(tf.Conv2DBackpropFilter, 'cpu').kernelFunc).toBe(convKernel);
});

function pick<T>(rand: () => number, options: readonly T[]): T {
  return options[Math.floor(rand() * options.length)];
}

const int = (rand: () => number, low: number, high: number) => low + Math.floor(rand() * (high - low + 1));

/** Values with ties (a few levels), zeros as after a relu, and now and then a NaN or -Infinity. */
function values(rand: () => number, shape: number[]): tf.Tensor {
  const size = shape.reduce((a, b) => a * b, 1);
  const special = rand() < 0.2;
  const data = Float32Array.from({ length: size }, () => {
    const r = rand();
    if (special && r < 0.03) return Number.NaN;
    if (special && r < 0.06) return Number.NEGATIVE_INFINITY;
    if (r < 0.3) return 0;
    if (r < 0.5) return pick(rand, [-1, 0.5, 2]);
    return (rand() - 0.5) * 4;
  });
  return tf.tensor(data, shape);
}

/** Runs a kernel function directly on the cpu backend and returns its values. */
function direct(kernel: tf.KernelFunc, inputs: tf.NamedTensorInfoMap, attrs: tf.NamedAttrMap): Float32Array {
  const backend = tf.backend();
  const out = kernel({ inputs, backend, attrs });
  const info = Array.isArray(out) ? out[0] : out;
  const result = Float32Array.from(backend.readSync(info.dataId) as Float32Array);
  backend.disposeData(info.dataId);
  return result;
}

function installed(name: string, inputs: tf.NamedTensorMap, attrs: tf.NamedAttrMap): Float32Array {
  const out = tf.engine().runKernel(name, inputs, attrs) as tf.Tensor;
  const result = out.dataSync() as Float32Array;
  out.dispose();
  return result;
}

/** Same bits: NaN equals NaN, and +0 and -0 are told apart. */
function bits(a: Float32Array): number[] {
  return Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length));
}

describe('the cpu gradient of a convolution with respect to its filter', () => {
  it(`matches tfjs's kernel bit for bit on ${CASES} seeded random cases`, () => {
    const rand = mulberry32(2026);
    let compared = 0;
    for (let n = 0; n < CASES; n++) {
      const batch = int(rand, 1, 3);
      const height = int(rand, 1, 9);
      const width = int(rand, 1, 9);
      const inChannels = int(rand, 1, 4);
      const outChannels = int(rand, 1, 5);
      const filterShape: [number, number, number, number] = [int(rand, 1, 4), int(rand, 1, 4), inChannels, outChannels];
      const strides: [number, number] = [int(rand, 1, 3), int(rand, 1, 3)];
      const pad: Pad = pick(rand, ['same', 'valid', 0, 1, 2] as const);
      const info = tf.backend_util.computeConv2DInfo([batch, height, width, inChannels], filterShape, strides, 1, pad);
      if (info.outHeight <= 0 || info.outWidth <= 0) continue;
      tf.tidy(() => {
        const x = values(rand, [batch, height, width, inChannels]);
        const dy = values(rand, info.outShape);
        const attrs = { strides, pad, dataFormat: 'NHWC', filterShape } as unknown as tf.NamedAttrMap;
        const expected = direct(tfjsConvFilterGrad, { x, dy }, attrs);
        const actual = installed(tf.Conv2DBackpropFilter, { x, dy }, attrs);
        expect(bits(actual), JSON.stringify({ n, shape: x.shape, filterShape, strides, pad })).toEqual(bits(expected));
      });
      compared++;
    }
    // Most cases must really compare something, not skip on an empty output.
    expect(compared).toBeGreaterThan(CASES * 0.8);
  });

  it('gives tf.grad of a convolution the same values as before it was installed', () => {
    const rand = mulberry32(7);
    tf.tidy(() => {
      const x = values(rand, [2, 8, 8, 3]) as tf.Tensor4D;
      const filter = values(rand, [3, 3, 3, 4]) as tf.Tensor4D;
      const attrs = { strides: [2, 1], pad: 'same', dataFormat: 'NHWC', filterShape: [3, 3, 3, 4] } as unknown as tf.NamedAttrMap;
      const grad = tf.grad((f) => tf.conv2d(x, f as tf.Tensor4D, [2, 1], 'same').square().sum())(filter);
      const dy = tf.conv2d(x, filter, [2, 1], 'same').mul(2);
      expect(bits(grad.dataSync() as Float32Array)).toEqual(bits(direct(tfjsConvFilterGrad, { x, dy }, attrs)));
    });
  });
});

describe('the cpu gradient of max pooling', () => {
  it(`matches tfjs's kernel bit for bit on ${CASES} seeded random cases, overlapping windows and ties included`, () => {
    const rand = mulberry32(2027);
    let compared = 0;
    for (let n = 0; n < CASES; n++) {
      const shape: [number, number, number, number] = [int(rand, 1, 3), int(rand, 1, 9), int(rand, 1, 9), int(rand, 1, 4)];
      const filterSize: [number, number] = [int(rand, 1, 3), int(rand, 1, 3)];
      const strides: [number, number] = [int(rand, 1, 3), int(rand, 1, 3)];
      const pad: Pad = pick(rand, ['same', 'valid', 0, 1] as const);
      // tfjs refuses a numeric pad larger than half the window; skip those rather than test tfjs's checks.
      if (typeof pad === 'number' && pad * 2 > Math.min(...filterSize)) continue;
      const info = tf.backend_util.computePool2DInfo(shape, filterSize, strides, 1, pad);
      if (info.outHeight <= 0 || info.outWidth <= 0) continue;
      tf.tidy(() => {
        const input = values(rand, shape);
        const output = tf.maxPool(input as tf.Tensor4D, filterSize, strides, pad);
        const dy = values(rand, info.outShape);
        const attrs = { filterSize, strides, pad } as unknown as tf.NamedAttrMap;
        const expected = direct(tfjsMaxPoolGrad, { dy, input, output }, attrs);
        const actual = installed(tf.MaxPoolGrad, { dy, input, output }, attrs);
        expect(bits(actual), JSON.stringify({ n, shape, filterSize, strides, pad })).toEqual(bits(expected));
      });
      compared++;
    }
    expect(compared).toBeGreaterThan(CASES * 0.6);
  });
});

describe('the cpu matrix product', () => {
  it(`matches tfjs's kernel bit for bit on ${CASES} seeded random cases: transposes, batches, broadcasting, several blocks`, () => {
    const rand = mulberry32(2028);
    for (let n = 0; n < CASES; n++) {
      const [left, shared, right] = [int(rand, 1, 9), pick(rand, [1, 5, 47, 48, 49, 130]), int(rand, 1, 11)];
      const transposeA = rand() < 0.5;
      const transposeB = rand() < 0.5;
      // No batch, a batch on both sides, or one side's single matrix broadcast over the other's batch.
      const [outerA, outerB] = pick(rand, [[[], []], [[3], [3]], [[1], [3]], [[2], [1]], [[2, 2], [2, 2]]] as const);
      tf.tidy(() => {
        const a = values(rand, [...outerA, ...(transposeA ? [shared, left] : [left, shared])]);
        const b = values(rand, [...outerB, ...(transposeB ? [right, shared] : [shared, right])]);
        const attrs = { transposeA, transposeB } as unknown as tf.NamedAttrMap;
        const expected = direct(tfjsMatMul, { a, b }, attrs);
        const actual = installed(tf.BatchMatMul, { a, b }, attrs);
        expect(bits(actual), JSON.stringify({ n, a: a.shape, b: b.shape, transposeA, transposeB })).toEqual(bits(expected));
      });
    }
  });

  it('leaves shapes that do not fit to tfjs’s kernel and its message', () => {
    tf.tidy(() => {
      expect(() => tf.matMul(tf.ones([2, 3]), tf.ones([4, 2]))).toThrow(/inner shapes \(3\) and \(4\)/);
      // int32 operands keep tfjs's kernel too.
      expect(Array.from(tf.matMul(tf.tensor2d([[1, 2]], [1, 2], 'int32'), tf.tensor2d([[3], [4]], [2, 1], 'int32')).dataSync())).toEqual([11]);
    });
  });
});
