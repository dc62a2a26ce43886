// Optimizers from the hyperparameters, and changing their learning rate between epochs (the schedule).

import * as tf from '@tensorflow/tfjs';
import type { Hyperparams } from '../../src/core/model-spec/types';

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
