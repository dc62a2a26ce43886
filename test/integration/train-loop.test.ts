import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { SPLIT_TEST } from '../../src/core/shared/types';
import { rowsOf } from '../../src/core/train/preprocess';
import type { BuiltDataset } from '../../src/core/contracts/dataset';
import type { TrainEvent } from '../../src/core/contracts/train';
import { useBackend, BackendUnavailableError } from '../../workers/backend/backends';
import { buildModel } from '../../workers/train/models/build';
import { trainModel } from '../../workers/train/train-loop';
import { cars, penguins, PENGUIN_PARAMS, trainRequest, withHyper } from '../fixtures/tabular';

let data: BuiltDataset;

beforeAll(async () => {
  await tf.setBackend('cpu');
  data = await penguins();
});

describe('useBackend', () => {
  it('switches to cpu and refuses a backend that is not there instead of falling back', async () => {
    await expect(useBackend('cpu')).resolves.toBe('cpu');
    await expect(useBackend('webgpu')).rejects.toBeInstanceOf(BackendUnavailableError);
    expect(tf.getBackend()).toBe('cpu');
  });
});

describe('buildModel', () => {
  it('gives the same initial weights for the same seed and different ones for another seed', () => {
    const weights = (seed: number) => {
      const m = buildModel(PENGUIN_PARAMS.spec, { kind: 'tabular', features: 6 }, 3, 'classification', seed);
      const values = m.getWeights().map((w) => Array.from(w.dataSync()));
      m.dispose();
      return values;
    };
    expect(weights(3)).toEqual(weights(3));
    expect(weights(3)).not.toEqual(weights(4));
  });
});

describe('trainModel on penguins (cpu)', () => {
  it('learns the species, reproducibly, without leaking tensors', async () => {
    const before = tf.memory().numTensors;
    const events: TrainEvent[] = [];
    const first = await trainModel(trainRequest(data, 'classification', PENGUIN_PARAMS), (e) => events.push(e), () => false);
    expect(tf.memory().numTensors).toBe(before);

    expect(first.backend).toBe('cpu');
    expect(first.versions).toEqual({
      tfjs: tf.version.tfjs,
      backend: 'cpu',
      'tfjs-core': tf.version['tfjs-core'],
      'tfjs-layers': tf.version['tfjs-layers'],
      'tfjs-backend-cpu': tf.version['tfjs-backend-cpu'],
      loopbench: expect.stringMatching(/^\d+\.\d+\.\d+/),
    });
    expect(first.stoppedEarly).toBe(false);
    expect(first.epochsCompleted).toBe(30);
    const epochs = events.filter((e) => e.type === 'epoch');
    expect(epochs).toHaveLength(30);
    expect(events[0]).toMatchObject({ type: 'prepared', trainRows: data.counts.train, testRows: data.counts.test });
    expect(events.at(-1)).toEqual({ type: 'evaluating' });
    expect(new Set(first.history.map((p) => p.key))).toEqual(new Set(['loss', 'val_loss', 'accuracy', 'val_accuracy']));
    const losses = first.history.filter((p) => p.key === 'loss').map((p) => p.value);
    expect(losses.at(-1)).toBeLessThan(losses[0] / 3);
    // Training accuracy is measured on the batches as they train: it starts low and ends high.
    const accuracies = first.history.filter((p) => p.key === 'accuracy').map((p) => p.value);
    expect(accuracies[0]).toBeLessThan(0.9);
    expect(accuracies.at(-1)).toBeGreaterThan(0.9);
    expect(accuracies.every((a) => a >= 0 && a <= 1)).toBe(true);

    expect(first.evaluation.task).toBe('classification');
    if (first.evaluation.task !== 'classification') throw new Error('unreachable');
    expect(first.evaluation.count).toBe(data.counts.test);
    expect(first.evaluation.accuracy).toBeGreaterThan(0.85);
    const testRows = Array.from(rowsOf(data.assignment, SPLIT_TEST));
    expect(first.testPredictions.map((p) => p.row)).toEqual(testRows);
    for (const p of first.testPredictions) {
      expect(first.preprocessor.labels).toContain(p.output);
      expect(p.probabilities?.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    }
    expect(first.model.weights.byteLength).toBe(first.model.weightSpecs.reduce((n, s) => n + 4 * s.shape.reduce((a, b) => a * b, 1), 0));

    const second = await trainModel(trainRequest(data, 'classification', PENGUIN_PARAMS), () => {}, () => false);
    expect(second.history.map((p) => [p.key, p.step, p.value])).toEqual(first.history.map((p) => [p.key, p.step, p.value]));
    expect(second.evaluation).toEqual(first.evaluation);
    expect(new Uint8Array(second.model.weights)).toEqual(new Uint8Array(first.model.weights));
    expect(tf.memory().numTensors).toBe(before);
  });

  it('stops when asked, after the current batch, and still returns an evaluated, usable model', async () => {
    const before = tf.memory().numTensors;
    let epochs = 0;
    const result = await trainModel(
      trainRequest(data, 'classification', PENGUIN_PARAMS),
      (e) => {
        if (e.type === 'epoch') epochs++;
      },
      () => epochs >= 2,
    );
    expect(tf.memory().numTensors).toBe(before);
    expect(result.stoppedEarly).toBe(true);
    expect(result.epochsCompleted).toBe(2);
    expect(Math.max(...result.history.map((p) => p.step))).toBe(2);
    expect(result.evaluation.count).toBe(data.counts.test);
    expect(result.testPredictions).toHaveLength(data.counts.test);
    const model = await tf.loadLayersModel(
      tf.io.fromMemory({ modelTopology: result.model.topology as object, weightSpecs: result.model.weightSpecs, weightData: result.model.weights }),
    );
    const out = tf.tidy(() => (model.predict(tf.zeros([1, result.preprocessor.inputSize])) as tf.Tensor).dataSync());
    expect(out).toHaveLength(result.preprocessor.labels.length);
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('can stop mid-epoch', async () => {
    let batches = 0;
    const result = await trainModel(trainRequest(data, 'classification', PENGUIN_PARAMS), () => {}, () => ++batches >= 3);
    expect(result.stoppedEarly).toBe(true);
    expect(result.epochsCompleted).toBe(0);
    expect(result.history).toEqual([]);
    expect(result.testPredictions).toHaveLength(data.counts.test);
  });
});

describe('trainModel on cars (cpu, regression)', () => {
  it('predicts miles per gallon with r2 above 0.6', async () => {
    const ds = await cars();
    const before = tf.memory().numTensors;
    const result = await trainModel(
      trainRequest(ds, 'regression', withHyper({ epochs: 40, learningRate: 0.01 })),
      () => {},
      () => false,
    );
    expect(tf.memory().numTensors).toBe(before);
    expect(new Set(result.history.map((p) => p.key))).toEqual(new Set(['loss', 'val_loss', 'mae', 'val_mae']));
    expect(result.evaluation.task).toBe('regression');
    if (result.evaluation.task !== 'regression') throw new Error('unreachable');
    expect(result.evaluation.r2).toBeGreaterThan(0.6);
    // MAE is reported in miles per gallon, not in standardised units.
    const valMae = result.history.filter((p) => p.key === 'val_mae').at(-1)?.value ?? NaN;
    expect(valMae).toBeGreaterThan(0.5);
    expect(valMae).toBeLessThan(6);
    const trainMae = result.history.filter((p) => p.key === 'mae').map((p) => p.value);
    expect(trainMae.at(-1)).toBeLessThan(trainMae[0]);
    expect(trainMae.at(-1)).toBeLessThan(6);
    expect(result.testPredictions.every((p) => typeof p.output === 'number' && p.probabilities === null)).toBe(true);
  });
});
