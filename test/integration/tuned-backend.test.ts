// The backend switch of Loopbench's workers (trainer, probe, predictor) puts Loopbench's cpu kernels in place of
// tfjs's.

import * as tf from '@tensorflow/tfjs';
import { expect, it } from 'vitest';
import { useTunedBackend } from '../../workers/train/kernels/tuned-backend';

it('switches to cpu with Loopbench’s gradient kernels in place of tfjs’s', async () => {
  const shipped = [tf.Conv2DBackpropFilter, tf.MaxPoolGrad, tf.BatchMatMul].map((name) => tf.getKernel(name, 'cpu').kernelFunc);
  await expect(useTunedBackend('cpu')).resolves.toBe('cpu');
  expect(tf.getBackend()).toBe('cpu');
  const now = [tf.Conv2DBackpropFilter, tf.MaxPoolGrad, tf.BatchMatMul].map((name) => tf.getKernel(name, 'cpu').kernelFunc);
  expect(now[0]).not.toBe(shipped[0]);
  expect(now[1]).not.toBe(shipped[1]);
  expect(now[2]).not.toBe(shipped[2]);
});
