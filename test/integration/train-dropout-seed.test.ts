// Seeded dropout: a run with dropout repeats bit for bit from its seed, with a new mask on every step.

import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { MlpSpec } from '../../src/core/train/spec/types';
import type { BuiltDataset } from '../../src/core/contracts/dataset';
import type { TrainResult } from '../../src/core/contracts/train';
import { buildModel } from '../../workers/train/models/build';
import { dropoutLayers, seedDropout, unseedDropout } from '../../workers/train/models/dropout-seed';
import { trainModel } from '../../workers/train/train-loop';
import { penguins, trainRequest, withHyper } from '../fixtures/tabular';

let data: BuiltDataset;

beforeAll(async () => {
  await tf.setBackend('cpu');
  data = await penguins();
});

const DROPOUT: MlpSpec = { family: 'mlp', layers: [{ units: 16, activation: 'relu' }, { units: 16, activation: 'relu' }], dropout: 0.3 };

function train(seed: number, spec: MlpSpec = DROPOUT): Promise<TrainResult> {
  return trainModel(trainRequest(data, 'classification', withHyper({ epochs: 6, seed }, spec)), () => {}, () => false);
}

const values = (r: TrainResult) => r.history.map((p) => [p.key, p.step, p.value]);

describe('seeded dropout (cpu)', () => {
  it('two runs with the same seed give byte-identical weights and identical metrics; another seed does not', async () => {
    const before = tf.memory().numTensors;
    const first = await train(11);
    const second = await train(11);
    expect(tf.memory().numTensors).toBe(before);
    expect(new Uint8Array(second.model.weights)).toEqual(new Uint8Array(first.model.weights));
    expect(values(second)).toEqual(values(first));
    expect(second.evaluation).toEqual(first.evaluation);

    const other = await train(12);
    expect(new Uint8Array(other.model.weights)).not.toEqual(new Uint8Array(first.model.weights));
  });

  it('really drops units while training: the same seed without dropout trains differently', async () => {
    const withDropout = await train(11);
    const without = await train(11, { ...DROPOUT, dropout: 0 });
    // Same layers and initial weights (dropout layers have none), so only the masks can make the difference.
    expect(without.model.weightSpecs).toEqual(withDropout.model.weightSpecs);
    expect(new Uint8Array(without.model.weights)).not.toEqual(new Uint8Array(withDropout.model.weights));
  });

  it('draws one mask per step: the same step repeats it, the next step and the next layer differ', () => {
    const model = buildModel(DROPOUT, { kind: 'tabular', features: 6 }, 3, 'classification', 1);
    const layers = dropoutLayers(model);
    expect(layers).toHaveLength(2);
    const mask = (step: number, layer: number) => {
      seedDropout(layers, 5, step);
      const dropout = model.layers.filter((l) => l.getClassName() === 'Dropout')[layer];
      return tf.tidy(() => Array.from((dropout.apply(tf.ones([8, 16]), { training: true }) as tf.Tensor).dataSync()));
    };
    const first = mask(0, 0);
    expect(first.some((v) => v === 0)).toBe(true);
    expect(mask(0, 0)).toEqual(first);
    expect(mask(1, 0)).not.toEqual(first);
    expect(mask(0, 1)).not.toEqual(first);
    unseedDropout(layers);
    expect(layers.every((l) => l.seed === undefined)).toBe(true);
    model.dispose();
  });

  it('exports a model without a step seed that loads with plain tfjs', async () => {
    const result = await train(11);
    const { config } = result.model.topology as { config: { layers: { class_name: string; config: { seed?: unknown } }[] } };
    const dropouts = config.layers.filter((l) => l.class_name === 'Dropout');
    expect(dropouts).toHaveLength(2);
    // As a freshly built model saves it: no seed, so nothing of the last training step is stored.
    for (const layer of dropouts) expect(layer.config.seed ?? null).toBeNull();
    const model = await tf.loadLayersModel(
      tf.io.fromMemory({ modelTopology: result.model.topology as object, weightSpecs: result.model.weightSpecs, weightData: result.model.weights }),
    );
    // Dropout is off when predicting: the same input gives the same output twice.
    const predict = () => tf.tidy(() => Array.from((model.predict(tf.ones([2, result.preprocessor.inputSize])) as tf.Tensor).dataSync()));
    expect(predict()).toEqual(predict());
    model.dispose();
  });
});
