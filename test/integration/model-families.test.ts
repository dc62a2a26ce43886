import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { defaultHyper, defaultSpec } from '../../src/core/train/spec/defaults';
import { prepareInput } from '../../src/core/train/spec/input';
import { layerView, parameterCount } from '../../src/core/train/spec/layers';
import type { Hyperparams, ModelSpec } from '../../src/core/train/spec/types';
import type { ColumnSchema, RunParams, Table } from '../../src/core/shared/types';
import { SPLIT_TEST, SPLIT_TRAIN, SPLIT_VALIDATION } from '../../src/core/shared/types';
import type { BuiltDataset } from '../../src/core/contracts/dataset';
import type { TrainEvent } from '../../src/core/contracts/train';
import type { LoadedTrainRequest } from '../../workers/train/train-loop';
import { buildModel } from '../../workers/train/models/build';
import { trainModel } from '../../workers/train/train-loop';
import { penguins, trainRequest } from '../fixtures/tabular';

let data: BuiltDataset;

beforeAll(async () => {
  await tf.setBackend('cpu');
  data = await penguins();
});

const MLP: ModelSpec = { family: 'mlp', layers: [{ units: 12, activation: 'relu' }, { units: 6, activation: 'tanh' }], dropout: 0.2 };

function params(spec: ModelSpec, hyper: Partial<Hyperparams> = {}): RunParams {
  return { spec, hyper: { ...defaultHyper(spec.family), ...hyper } };
}

/** Bright and dark 8x8 grey images (plus noise), 120 rows, split 70/15/15 by row position. */
function brightDark(): { schema: ColumnSchema[]; table: Table; assignment: Uint8Array } {
  const n = 120;
  const side = 8;
  const pixels = new Uint8Array(n * side * side);
  const codes = new Int32Array(n);
  let state = 12345;
  const noise = () => ((state = (state * 1103515245 + 12345) & 0x7fffffff) % 60) - 30;
  for (let r = 0; r < n; r++) {
    codes[r] = r % 2;
    const base = codes[r] === 0 ? 200 : 55;
    for (let j = 0; j < side * side; j++) pixels[r * side * side + j] = Math.max(0, Math.min(255, base + noise()));
  }
  const assignment = new Uint8Array(n).map((_, r) => (r < 84 ? SPLIT_TRAIN : r < 102 ? SPLIT_VALIDATION : SPLIT_TEST));
  return {
    schema: [
      { name: 'image', type: 'image', role: 'feature' },
      { name: 'label', type: 'category', role: 'target' },
    ],
    table: {
      names: ['image', 'label'],
      columns: [
        { kind: 'image', pixels, width: side, height: side, channels: 1 },
        { kind: 'category', codes, dictionary: ['bright', 'dark'] },
      ],
      rowCount: n,
    },
    assignment,
  };
}

describe('built models match the core layer plan', () => {
  it('has the parameter count and per-layer counts core computes, for every family', () => {
    const before = tf.memory().numTensors;
    const tabular = prepareInput('classification', data.schema, data.table, data.assignment);
    const images = brightDark();
    const image = prepareInput('classification', images.schema, images.table, images.assignment);
    expect(image.input).toEqual({ kind: 'image', width: 8, height: 8, channels: 1 });
    expect(image.preprocessor.labels).toEqual(['bright', 'dark']);
    const cases: [ModelSpec, typeof tabular][] = [
      [defaultSpec('linear'), tabular],
      [MLP, tabular],
      [defaultSpec('cnn'), image],
    ];
    for (const [spec, prepared] of cases) {
      const model = buildModel(spec, prepared.input, prepared.outputs, 'classification', 1);
      const plan = layerView(spec, prepared.input, prepared.outputs, 'classification');
      expect(model.countParams()).toBe(parameterCount(spec, prepared.input, prepared.outputs));
      expect(model.layers.map((l) => [l.name, l.countParams(), l.outputShape])).toEqual(plan.map((r) => [r.name, r.params, [null, ...r.outputShape]]));
      model.dispose();
    }
    // Penguins: 4 numbers, island (3) and sex (2) one-hot = 9 inputs, 3 species.
    expect(tabular.input).toEqual({ kind: 'tabular', features: 9 });
    expect(parameterCount(defaultSpec('linear'), tabular.input, tabular.outputs)).toBe(30);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('refuses a CNN on tabular data before building anything', async () => {
    await expect(trainModel(trainRequest(data, 'classification', params(defaultSpec('cnn'))), () => {}, () => false)).rejects.toThrow(/CNN reads images/);
  });
});

describe('families train on cpu', () => {
  it('logistic (softmax) regression learns the penguin species', async () => {
    const before = tf.memory().numTensors;
    const result = await trainModel(trainRequest(data, 'classification', params(defaultSpec('linear'), { epochs: 30 })), () => {}, () => false);
    expect(tf.memory().numTensors).toBe(before);
    if (result.evaluation.task !== 'classification') throw new Error('expected classification');
    expect(result.evaluation.accuracy).toBeGreaterThan(0.9);
    expect(result.model.weightSpecs.map((s) => s.shape)).toEqual([[9, 3], [3]]);
  });

  it('an MLP with dropout, SGD with momentum and a cosine schedule learns them too', async () => {
    const events: TrainEvent[] = [];
    const result = await trainModel(
      trainRequest(data, 'classification', params(MLP, { optimizer: 'sgd', momentum: 0.9, learningRate: 0.05, epochs: 30, schedule: { kind: 'cosine', minLearningRate: 0.001 } })),
      (e) => events.push(e),
      () => false,
    );
    if (result.evaluation.task !== 'classification') throw new Error('expected classification');
    expect(result.evaluation.accuracy).toBeGreaterThan(0.85);
    const rates = events.flatMap((e) => (e.type === 'epoch' ? [e.learningRate] : []));
    expect(rates[0]).toBeCloseTo(0.05, 10);
    expect(rates.at(-1)).toBeCloseTo(0.001, 10);
  });

  it('a tiny CNN learns bright from dark images, without leaking tensors', async () => {
    const images = brightDark();
    const before = tf.memory().numTensors;
    const spec: ModelSpec = { family: 'cnn', conv: [{ filters: 4, kernel: 3, pool: 2, activation: 'relu' }], dense: [{ units: 8, activation: 'relu' }], dropout: 0 };
    const request: LoadedTrainRequest = { runId: 'cnn', task: 'classification', params: params(spec, { epochs: 15, learningRate: 0.01, batchSize: 16 }), backend: 'cpu', ...images };
    const events: TrainEvent[] = [];
    const result = await trainModel(request, (e) => events.push(e), () => false);
    expect(tf.memory().numTensors).toBe(before);
    expect(events.find((e) => e.type === 'prepared')).toMatchObject({ trainRows: 84, parameterCount: parameterCount(spec, { kind: 'image', width: 8, height: 8, channels: 1 }, 2) });
    if (result.evaluation.task !== 'classification') throw new Error('expected classification');
    expect(result.evaluation.accuracy).toBeGreaterThan(0.9);
    expect(result.preprocessor.image).toEqual({ column: 'image', width: 8, height: 8, channels: 1 });
    expect(result.testPredictions).toHaveLength(18);
  });
});

describe('regularisation, schedules and early stopping', () => {
  it('L2 adds its penalty to the training loss and shrinks the weights', async () => {
    const run = (l2: number) => trainModel(trainRequest(data, 'classification', params(MLP, { epochs: 5, l2, seed: 3 })), () => {}, () => false);
    const [plain, penalised] = [await run(0), await run(0.05)];
    const firstLoss = (r: typeof plain) => r.history.find((p) => p.key === 'loss')?.value ?? NaN;
    expect(firstLoss(penalised)).toBeGreaterThan(firstLoss(plain) + 0.05);
    const norm = (r: typeof plain) => {
      const kernel = new Float32Array(r.model.weights, 0, 9 * 12);
      return kernel.reduce((s, w) => s + w * w, 0);
    };
    expect(norm(penalised)).toBeLessThan(norm(plain));
  });

  it('a schedule that drops the rate to almost nothing freezes the weights after the first epoch, for every optimizer', async () => {
    for (const optimizer of ['adam', 'sgd', 'rmsprop'] as const) {
      const hyper = { seed: 5, optimizer, momentum: 0.9, schedule: { kind: 'step' as const, every: 1, factor: 1e-9 } };
      const run = (epochs: number, schedule = hyper.schedule) =>
        trainModel(trainRequest(data, 'classification', params(defaultSpec('linear'), { ...hyper, epochs, schedule })), () => {}, () => false);
      const one = new Float32Array((await run(1)).model.weights);
      const two = new Float32Array((await run(2)).model.weights);
      const unscheduled = new Float32Array((await run(2, { kind: 'step', every: 1, factor: 1 })).model.weights);
      const moved = (a: Float32Array, b: Float32Array) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);
      expect(moved(one, two), optimizer).toBeLessThan(1e-5);
      expect(moved(one, unscheduled), optimizer).toBeGreaterThan(1e-3);
    }
  });

  it('stops after `patience` epochs without improvement and restores the best weights', async () => {
    const before = tf.memory().numTensors;
    // minDelta so large that only the first epoch counts as an improvement.
    const stopping = { enabled: true, monitor: 'val_loss' as const, patience: 2, minDelta: 100, restoreBest: true };
    const events: TrainEvent[] = [];
    const stopped = await trainModel(
      trainRequest(data, 'classification', params(MLP, { epochs: 20, seed: 9, earlyStopping: stopping })),
      (e) => events.push(e),
      () => false,
    );
    expect(tf.memory().numTensors).toBe(before);
    expect(stopped.epochsCompleted).toBe(3);
    expect(stopped.earlyStopping).toEqual({ stoppedAt: 3, bestEpoch: 1, restored: true });
    expect(events.some((e) => e.type === 'early-stop' && e.bestEpoch === 1)).toBe(true);
    const noDropout: ModelSpec = { ...MLP, dropout: 0 };
    const stoppedNoDropout = await trainModel(
      trainRequest(data, 'classification', params(noDropout, { epochs: 20, seed: 9, earlyStopping: stopping })),
      () => {},
      () => false,
    );
    const oneEpoch = await trainModel(trainRequest(data, 'classification', params(noDropout, { epochs: 1, seed: 9 })), () => {}, () => false);
    const threeEpochs = await trainModel(trainRequest(data, 'classification', params(noDropout, { epochs: 3, seed: 9 })), () => {}, () => false);
    expect(new Uint8Array(stoppedNoDropout.model.weights)).toEqual(new Uint8Array(oneEpoch.model.weights));
    expect(new Uint8Array(stoppedNoDropout.model.weights)).not.toEqual(new Uint8Array(threeEpochs.model.weights));

    const kept = await trainModel(
      trainRequest(data, 'classification', params(noDropout, { epochs: 20, seed: 9, earlyStopping: { ...stopping, restoreBest: false } })),
      () => {},
      () => false,
    );
    expect(kept.earlyStopping).toEqual({ stoppedAt: 3, bestEpoch: 1, restored: false });
    expect(new Uint8Array(kept.model.weights)).toEqual(new Uint8Array(threeEpochs.model.weights));
    expect(tf.memory().numTensors).toBe(before);
  });

  it('can watch the goal metric on the validation split', async () => {
    const result = await trainModel(
      {
        ...trainRequest(data, 'classification', params({ ...MLP, dropout: 0 }, { epochs: 40, earlyStopping: { enabled: true, monitor: 'goal', patience: 3, minDelta: 0, restoreBest: true }, classWeights: 'balanced' })),
        goal: 'f1',
      },
      () => {},
      () => false,
    );
    const f1 = result.history.filter((p) => p.key === 'val_f1').map((p) => p.value);
    expect(f1).toHaveLength(result.epochsCompleted);
    expect(f1.every((v) => v >= 0 && v <= 1)).toBe(true);
    expect(result.earlyStopping?.stoppedAt).not.toBeNull();
    expect(Math.max(...f1)).toBe(f1[(result.earlyStopping?.bestEpoch ?? 0) - 1]);
  });
});
