// Cases for Loopbench's direct WebGPU convolution (workers/kernels/webgpu-direct-conv.ts): the default CNN's layers,
// the fused form layers use outside training, and the shapes where indexing goes wrong first.

import * as tf from '@tensorflow/tfjs';
import type { KernelCase } from './kernel-check';

interface ConvCase {
  label: string;
  x: [number, number, number, number];
  filter: [number, number, number, number];
  strides: [number, number];
  pad: 'same' | 'valid' | number;
  dilations: [number, number];
  /** Through tf.fused.conv2d with a bias and a relu, as layers run a convolution outside training. */
  fused: boolean;
}

const CONVOLUTIONS: ConvCase[] = [
  { label: 'default CNN, first layer', x: [32, 32, 32, 3], filter: [3, 3, 3, 8], strides: [1, 1], pad: 'same', dilations: [1, 1], fused: false },
  { label: 'default CNN, second layer, fused', x: [32, 16, 16, 8], filter: [3, 3, 8, 16], strides: [1, 1], pad: 'same', dilations: [1, 1], fused: true },
  { label: 'strided, valid, odd sizes', x: [3, 9, 7, 5], filter: [2, 3, 5, 3], strides: [2, 1], pad: 'valid', dilations: [1, 1], fused: false },
  { label: 'numeric padding, fused', x: [2, 6, 5, 2], filter: [3, 3, 2, 4], strides: [2, 2], pad: 1, dilations: [1, 1], fused: true },
  { label: 'dilated', x: [2, 10, 10, 3], filter: [3, 3, 3, 2], strides: [1, 1], pad: 'same', dilations: [2, 2], fused: false },
  { label: 'more than 65,535 workgroups', x: [32, 256, 256, 1], filter: [1, 1, 1, 2], strides: [1, 1], pad: 'same', dilations: [1, 1], fused: false },
];

export const WEBGPU_CONV_CASES: KernelCase[] = CONVOLUTIONS.map((c) => ({
  label: c.label,
  exact: false,
  async run(next) {
    const x = tf.tensor4d(next(tf.util.sizeFromShape(c.x)), c.x);
    const filter = tf.tensor4d(next(tf.util.sizeFromShape(c.filter)), c.filter);
    const bias = tf.tensor1d(next(c.filter[3]));
    const y = c.fused
      ? tf.fused.conv2d({ x, filter, strides: c.strides, pad: c.pad, dilations: c.dilations, bias, activation: 'relu' })
      : tf.conv2d(x, filter, c.strides, c.pad, 'NHWC', c.dilations);
    const values = (await y.data()) as Float32Array;
    tf.dispose([x, filter, bias, y]);
    return values;
  },
}));
