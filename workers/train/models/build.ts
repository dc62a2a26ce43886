// Builds the tfjs model of a spec: exactly the layer plan core computes (src/core/train/spec/layers.ts), so the
// parameter count shown before training is the count of the model that trains.

import * as tf from '@tensorflow/tfjs';
import { layerView } from '../../../src/core/train/spec/layers';
import type { ModelInput, ModelSpec } from '../../../src/core/train/spec/types';
import type { Task } from '../../../src/core/shared/types';

/**
 * Same spec, input and seed give the same initial weights: every kernel initialiser is seeded (seed + layer index, so
 * layers differ). Layer names come from the plan, so saved topologies and weight names are stable. Dropout gets no
 * seed here: tfjs would draw the same mask for every batch from a fixed one; the training loop sets a new seed per
 * step instead (dropout-seed.ts).
 */
/** The spec must have been checked (trainModel does, once, where a request arrives). */
export function buildModel(spec: ModelSpec, input: ModelInput, outputs: number, task: Task, seed: number): tf.LayersModel {
  if (outputs < 1) throw new Error('the model needs at least one output');
  if (input.kind === 'tabular' && input.features < 1) throw new Error('the model needs at least one input');
  const inputShape = input.kind === 'image' ? [input.height, input.width, input.channels] : [input.features];
  const model = tf.sequential({ name: `loopbench_${spec.family}` });
  layerView(spec, input, outputs, task).forEach((row, i) => {
    const first = i === 0 ? { inputShape } : {};
    const { layer, name } = row;
    const kernelInitializer = tf.initializers.glorotUniform({ seed: seed + i });
    switch (layer.op) {
      case 'dense':
        model.add(tf.layers.dense({ name, units: layer.units, activation: layer.activation, kernelInitializer, biasInitializer: 'zeros', ...first }));
        break;
      case 'conv':
        model.add(
          tf.layers.conv2d({
            name,
            filters: layer.filters,
            kernelSize: layer.kernel,
            padding: 'same',
            activation: layer.activation,
            kernelInitializer,
            biasInitializer: 'zeros',
            ...first,
          }),
        );
        break;
      case 'pool':
        model.add(tf.layers.maxPooling2d({ name, poolSize: layer.size, strides: layer.size, padding: 'valid', ...first }));
        break;
      case 'dropout':
        model.add(tf.layers.dropout({ name, rate: layer.rate, ...first }));
        break;
      case 'flatten':
        model.add(tf.layers.flatten({ name, ...first }));
        break;
    }
  });
  return model;
}

/** The kernels (not biases) of a model: what the L2 penalty applies to. */
export function kernelsOf(model: tf.LayersModel): tf.Variable[] {
  return model.trainableWeights.filter((w) => w.originalName.endsWith('/kernel')).map((w) => w.read() as tf.Variable);
}
