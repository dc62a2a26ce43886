// Loopbench's direct WebGPU convolution (workers/kernels/webgpu-direct-conv.ts) against tfjs's own, in one worker:
// each case runs with tfjs's kernel, then the backend is tuned as the trainer tunes it and the case runs again.
// Values come from a JS generator, so both runs see the same inputs.

import * as tf from '@tensorflow/tfjs';
import { useBackend } from '../../workers/backends';
import { softwareWebGpu } from '../../workers/kernels/webgpu-direct-conv';
import { useTunedBackend } from '../../workers/kernels/tuned-backend';
import { relativeDifference, type ConvCheck } from './parity-protocol';
import { filler } from './parity-step';

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

const CASES: ConvCase[] = [
  { label: 'default CNN, first layer', x: [32, 32, 32, 3], filter: [3, 3, 3, 8], strides: [1, 1], pad: 'same', dilations: [1, 1], fused: false },
  { label: 'default CNN, second layer, fused', x: [32, 16, 16, 8], filter: [3, 3, 8, 16], strides: [1, 1], pad: 'same', dilations: [1, 1], fused: true },
  { label: 'strided, valid, odd sizes', x: [3, 9, 7, 5], filter: [2, 3, 5, 3], strides: [2, 1], pad: 'valid', dilations: [1, 1], fused: false },
  { label: 'numeric padding, fused', x: [2, 6, 5, 2], filter: [3, 3, 2, 4], strides: [2, 2], pad: 1, dilations: [1, 1], fused: true },
  { label: 'dilated', x: [2, 10, 10, 3], filter: [3, 3, 3, 2], strides: [1, 1], pad: 'same', dilations: [2, 2], fused: false },
  { label: 'more than 65,535 workgroups', x: [32, 256, 256, 1], filter: [1, 1, 1, 2], strides: [1, 1], pad: 'same', dilations: [1, 1], fused: false },
];

async function runCases(): Promise<Float32Array[]> {
  const next = filler(99);
  const results: Float32Array[] = [];
  for (const c of CASES) {
    const size = (shape: number[]) => shape.reduce((a, b) => a * b, 1);
    const x = tf.tensor4d(next(size(c.x)), c.x);
    const filter = tf.tensor4d(next(size(c.filter)), c.filter);
    const bias = tf.tensor1d(next(c.filter[3]));
    const y = c.fused
      ? tf.fused.conv2d({ x, filter, strides: c.strides, pad: c.pad, dilations: c.dilations, bias, activation: 'relu' })
      : tf.conv2d(x, filter, c.strides, c.pad, 'NHWC', c.dilations);
    results.push((await y.data()) as Float32Array);
    tf.dispose([x, filter, bias, y]);
  }
  return results;
}

export async function checkDirectConv(): Promise<ConvCheck> {
  await useBackend('webgpu');
  const shipped = tf.getKernel(tf.Conv2D, 'webgpu').kernelFunc;
  const before = await runCases();
  await useTunedBackend('webgpu');
  const after = await runCases();
  return {
    software: softwareWebGpu(tf.backend()),
    replaced: tf.getKernel(tf.Conv2D, 'webgpu').kernelFunc !== shipped,
    cases: CASES.map((c, i) => ({ label: c.label, relativeDifference: relativeDifference(after[i], before[i]) })),
  };
}
