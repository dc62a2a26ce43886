// Optimizers from the hyperparameters, and changing their learning rate between epochs (the schedule).

import * as tf from '@tensorflow/tfjs';
import type { Hyperparams } from '../../../src/core/train/spec/types';
import type { TensorPack } from '../../../src/core/contracts/model';
import { unpackTensors, type NamedTensor } from './checkpoint';

export function makeOptimizer(h: Pick<Hyperparams, 'optimizer' | 'learningRate' | 'momentum'>): tf.Optimizer {
  switch (h.optimizer) {
    case 'adam':
      return tf.train.adam(h.learningRate);
    case 'sgd':
      return h.momentum > 0 ? tf.train.momentum(h.learningRate, h.momentum) : tf.train.sgd(h.learningRate);
    case 'rmsprop':
      return tf.train.rmsprop(h.learningRate);
  }
}

/**
 * SGD and momentum keep the rate as a device scalar, renewed by setLearningRate; Adam and RMSprop read their
 * `learningRate` field on every step (tfjs 4.22), so setting it takes effect on the next batch.
 */
export function setLearningRate(optimizer: tf.Optimizer, learningRate: number): void {
  // Checked by the method, not instanceof: the bundled class identities differ between tfjs entry points.
  const sgd = optimizer as unknown as { setLearningRate?: (lr: number) => void; learningRate: number };
  if (typeof sgd.setLearningRate === 'function') sgd.setLearningRate(learningRate);
  else sgd.learningRate = learningRate;
}

/**
 * Adam's bias corrections accBeta1/accBeta2 are not part of its getWeights(); setWeights recomputes them with pow(),
 * which rounds differently from the running product of training. Saving them keeps a resumed run bit-identical.
 */
const HIDDEN_SLOTS = ['accBeta1', 'accBeta2'] as const;
const HIDDEN_PREFIX = 'loopbench:';

/** The tensors a checkpoint saves of an optimizer, packed with the other groups in one readback; release() once read. */
export async function optimizerTensors(optimizer: tf.Optimizer): Promise<{ named: NamedTensor[]; release: () => void }> {
  const weights = await optimizer.getWeights();
  const named = weights.map((w) => ({ name: w.name, tensor: w.tensor }));
  const fields = optimizer as unknown as Partial<Record<(typeof HIDDEN_SLOTS)[number], tf.Variable>>;
  for (const slot of HIDDEN_SLOTS) {
    const v = fields[slot];
    if (v) named.push({ name: HIDDEN_PREFIX + slot, tensor: v });
  }
  // The iteration count is a fresh scalar; the other entries are the optimizer's own variables.
  return { named, release: () => weights[0]?.tensor.dispose() };
}

/** Restores what a checkpoint saved of optimizerTensors(). */
export async function restoreOptimizer(optimizer: tf.Optimizer, pack: TensorPack): Promise<void> {
  const named = unpackTensors(pack);
  try {
    const hidden = named.filter((w) => w.name.startsWith(HIDDEN_PREFIX));
    // setWeights copies the slots into new variables.
    await optimizer.setWeights(named.filter((w) => !w.name.startsWith(HIDDEN_PREFIX)));
    const fields = optimizer as unknown as Partial<Record<string, tf.Variable>>;
    for (const { name, tensor } of hidden) fields[name.slice(HIDDEN_PREFIX.length)]?.assign(tensor);
  } finally {
    for (const { tensor } of named) tensor.dispose();
  }
}

/** optimizer.dispose(), plus the learning-rate scalar that tfjs 4.22's momentum optimizer leaves behind. */
export function disposeOptimizer(optimizer: tf.Optimizer): void {
  optimizer.dispose();
  const fields = optimizer as unknown as { m?: unknown; c?: tf.Tensor };
  // MomentumOptimizer.dispose() frees its momentum scalar `m` but never calls SGD's dispose() for `c`.
  if (fields.m !== undefined && fields.c && !fields.c.isDisposed) fields.c.dispose();
}
