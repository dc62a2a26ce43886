// Cases for Loopbench's WebGL filter and max-pool gradients (workers/kernels/webgl-*.ts), taken through tf.grad as
// training takes them. The max-pool gradient promises tfjs's very values, special ones included; the filter gradient
// sums in another order, so it is compared within a tolerance.

import * as tf from '@tensorflow/tfjs';
import type { KernelCase } from './kernel-check';

type FourD = [number, number, number, number];

interface FilterCase {
  label: string;
  x: FourD;
  filter: FourD;
  strides: [number, number] | number;
  pad: 'same' | 'valid' | number;
}

interface PoolCase {
  label: string;
  x: FourD;
  size: number;
  stride: number;
  pad: 'valid' | 'same';
  /** Values from a small palette of ties and special values rather than the generator's spread. */
  special?: boolean;
}

const FILTERS: FilterCase[] = [
  { label: 'filter gradient: default CNN, first layer', x: [32, 32, 32, 3], filter: [3, 3, 3, 8], strides: 1, pad: 'same' },
  { label: 'filter gradient: default CNN, second layer', x: [32, 16, 16, 8], filter: [3, 3, 8, 16], strides: 1, pad: 'same' },
  { label: 'filter gradient: strided, valid, odd sizes', x: [3, 9, 7, 5], filter: [2, 3, 5, 3], strides: [2, 1], pad: 'valid' },
  { label: 'filter gradient: numeric padding', x: [2, 6, 5, 2], filter: [3, 3, 2, 4], strides: 2, pad: 1 },
  { label: 'filter gradient: one value', x: [1, 5, 5, 1], filter: [1, 1, 1, 1], strides: 1, pad: 'valid' },
];

const POOLS: PoolCase[] = [
  { label: 'max-pool gradient: default CNN, first pool', x: [32, 32, 32, 8], size: 2, stride: 2, pad: 'valid' },
  { label: 'max-pool gradient: default CNN, second pool', x: [32, 16, 16, 16], size: 2, stride: 2, pad: 'valid' },
  { label: 'max-pool gradient: odd sides and channels', x: [2, 7, 5, 3], size: 2, stride: 2, pad: 'valid' },
  { label: 'max-pool gradient: windows of 3 across column pairs', x: [2, 9, 8, 5], size: 3, stride: 3, pad: 'valid' },
  { label: 'max-pool gradient: windows of 4', x: [1, 9, 11, 2], size: 4, stride: 4, pad: 'valid' },
  { label: 'max-pool gradient: ties, NaN, infinities, -0', x: [2, 6, 8, 3], size: 2, stride: 2, pad: 'valid', special: true },
  { label: 'max-pool gradient: padded below and right (tfjs’s kernel)', x: [2, 5, 7, 2], size: 2, stride: 2, pad: 'same' },
  { label: 'max-pool gradient: overlapping windows (tfjs’s kernel)', x: [2, 7, 7, 2], size: 3, stride: 2, pad: 'valid' },
];

const SPECIAL = [1, 1, Number.NaN, Number.POSITIVE_INFINITY, -0, 0, Number.NEGATIVE_INFINITY, 2, -3, 2, Number.NaN];

/** Special values spread so windows get all-NaN, all-tied, +Infinity after a finite value, and so on. */
function specialValues(n: number, stride: number): Float32Array {
  return Float32Array.from({ length: n }, (_, i) => SPECIAL[(i * stride) % SPECIAL.length]);
}

async function valuesOf(t: tf.Tensor): Promise<Float32Array> {
  const values = (await t.data()) as Float32Array;
  t.dispose();
  return values;
}

const filterCases: KernelCase[] = FILTERS.map((c) => ({
  label: c.label,
  exact: false,
  async run(next) {
    const x = tf.tensor4d(next(tf.util.sizeFromShape(c.x)), c.x);
    const filter = tf.tensor4d(next(tf.util.sizeFromShape(c.filter)), c.filter);
    const { outShape } = tf.backend_util.computeConv2DInfo(c.x, c.filter, c.strides, 1, c.pad);
    const dy = tf.tensor(next(tf.util.sizeFromShape(outShape)), outShape);
    const grad = tf.tidy(() => tf.grad((f) => tf.conv2d(x, f as tf.Tensor4D, c.strides, c.pad).mul(dy).sum())(filter));
    tf.dispose([x, filter, dy]);
    return valuesOf(grad);
  },
}));

const poolCases: KernelCase[] = POOLS.map((c) => ({
  label: c.label,
  exact: true,
  async run(next) {
    const x = tf.tensor4d(c.special ? specialValues(tf.util.sizeFromShape(c.x), 7) : next(tf.util.sizeFromShape(c.x)), c.x);
    const { outShape } = tf.backend_util.computePool2DInfo(c.x, c.size, c.stride, 1, c.pad);
    const dy = tf.tensor(c.special ? specialValues(tf.util.sizeFromShape(outShape), 5) : next(tf.util.sizeFromShape(outShape)), outShape);
    const grad = tf.tidy(() => tf.grad((input) => tf.maxPool(input as tf.Tensor4D, c.size, c.stride, c.pad).mul(dy).sum())(x));
    tf.dispose([x, dy]);
    return valuesOf(grad);
  },
}));

export const WEBGL_GRADIENT_CASES: KernelCase[] = [...filterCases, ...poolCases];
