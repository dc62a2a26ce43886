// The multilayer perceptron Loopbench trains on tabular data.

import * as tf from '@tensorflow/tfjs';
import type { MlpParams, Task } from '../src/core/types';

/**
 * Same inputs and seed give the same initial weights: every kernel initialiser is seeded (one seed per layer, so
 * layers differ from each other). Layer names are fixed so the saved topology and weight names are stable too.
 */
export function buildMlp(inputSize: number, outputSize: number, task: Task, params: MlpParams): tf.LayersModel {
  if (inputSize < 1) throw new Error('the model needs at least one input');
  if (outputSize < 1) throw new Error('the model needs at least one output');
  const model = tf.sequential({ name: 'loopbench_mlp' });
  for (let i = 0; i < params.hiddenLayers; i++) {
    model.add(
      tf.layers.dense({
        name: `hidden_${i + 1}`,
        units: params.units,
        activation: params.activation,
        kernelInitializer: tf.initializers.glorotUniform({ seed: params.seed + i }),
        biasInitializer: 'zeros',
        ...(i === 0 ? { inputShape: [inputSize] } : {}),
      }),
    );
  }
  model.add(
    tf.layers.dense({
      name: 'output',
      units: outputSize,
      activation: task === 'classification' ? 'softmax' : 'linear',
      kernelInitializer: tf.initializers.glorotUniform({ seed: params.seed + params.hiddenLayers }),
      biasInitializer: 'zeros',
      ...(params.hiddenLayers === 0 ? { inputShape: [inputSize] } : {}),
    }),
  );
  return model;
}

export function makeOptimizer(params: Pick<MlpParams, 'optimizer' | 'learningRate'>): tf.Optimizer {
  switch (params.optimizer) {
    case 'adam':
      return tf.train.adam(params.learningRate);
    case 'sgd':
      return tf.train.sgd(params.learningRate);
    case 'rmsprop':
      return tf.train.rmsprop(params.learningRate);
  }
}

export function parameterCount(model: tf.LayersModel): number {
  return model.countParams();
}
