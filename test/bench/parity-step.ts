// One training step's gradients for a tiny model of a family on the current tfjs backend. Weights and data come
// from a JS generator, not tf.random, so every backend starts from bit-identical inputs.

import * as tf from '@tensorflow/tfjs';
import type { ModelFamily, ModelInput, ModelSpec } from '../../src/core/train/spec/types';
import { buildModel } from '../../workers/train/models/build';
import type { ParityGradients } from './parity-protocol';

const CLASSES = 3;

const TINY: Record<ModelFamily, { spec: ModelSpec; input: ModelInput; rows: number }> = {
  linear: { spec: { family: 'linear' }, input: { kind: 'tabular', features: 6 }, rows: 16 },
  mlp: {
    spec: { family: 'mlp', layers: [{ units: 8, activation: 'relu' }, { units: 8, activation: 'tanh' }], dropout: 0 },
    input: { kind: 'tabular', features: 6 },
    rows: 16,
  },
  cnn: {
    spec: {
      family: 'cnn',
      conv: [{ filters: 4, kernel: 3, pool: 2, activation: 'relu' }],
      dense: [{ units: 8, activation: 'relu' }],
      dropout: 0,
    },
    input: { kind: 'image', width: 8, height: 8, channels: 1 },
    rows: 8,
  },
};

/** A small linear congruential generator: the same numbers in every JS engine, in [-1, 1). */
function filler(seed: number): (n: number) => Float32Array {
  let state = seed >>> 0;
  return (n) => {
    const out = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
      out[i] = state / 2 ** 31 - 1;
    }
    return out;
  };
}

export async function parityGradients(family: ModelFamily): Promise<ParityGradients> {
  const { spec, input, rows } = TINY[family];
  const next = filler(20_240_601);
  const model = buildModel(spec, input, CLASSES, 'classification', 3);
  const shape = input.kind === 'image' ? [input.height, input.width, input.channels] : [input.features];
  try {
    // Scaled down so the softmax is not saturated and every layer's gradient carries signal.
    model.setWeights(model.getWeights().map((w) => tf.tidy(() => tf.mul(tf.tensor(next(w.size), w.shape), 0.5))));
    const x = tf.tensor(next(rows * shape.reduce((a, b) => a * b, 1)).map((v) => (v + 1) / 2), [rows, ...shape]);
    const labels = Array.from({ length: rows }, (_, i) => i % CLASSES);
    const y = tf.oneHot(tf.tensor1d(labels, 'int32'), CLASSES).toFloat();
    const trainable = model.trainableWeights;
    const variables = trainable.map((w) => w.read() as tf.Variable);
    const { value, grads } = tf.variableGrads(() => {
      const p = tf.clipByValue(model.apply(x, { training: true }) as tf.Tensor, 1e-7, 1);
      return tf.neg(tf.mean(tf.sum(tf.mul(y, tf.log(p)), 1))) as tf.Scalar;
    }, variables);
    const loss = (await value.data())[0];
    const out: ParityGradients['grads'] = [];
    for (const [i, v] of variables.entries()) {
      out.push({ name: trainable[i].originalName ?? trainable[i].name, values: (await grads[v.name].data()) as Float32Array });
    }
    value.dispose();
    tf.dispose([x, y, ...Object.values(grads)]);
    return { backendUsed: tf.getBackend(), loss, grads: out };
  } finally {
    model.dispose();
  }
}
