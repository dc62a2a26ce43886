// Checkpoint and resume: k epochs, a checkpoint, then a resumed run to N epochs must equal N epochs straight,
// bit for bit on cpu (same weights, optimizer slots, shuffle order and early-stopping state).

import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunParams } from '../../src/core/train/spec/types';
import type { BuiltDataset } from '../../src/core/contracts/dataset';
import type { TrainCheckpoint } from '../../src/core/contracts/model';
import type { TrainEvent, TrainResult } from '../../src/core/contracts/train';
import { trainModel } from '../../workers/train/train-loop';
import { penguins, trainRequest, withHyper } from '../fixtures/tabular';

let data: BuiltDataset;

beforeAll(async () => {
  await tf.setBackend('cpu');
  data = await penguins();
});

const EPOCHS = 8;
const SPLIT_AT = 3;

/** Trains until the checkpoint of epoch `at`, then stops (stop is read at the start of the next epoch). */
async function checkpointAt(params: RunParams, at: number): Promise<TrainCheckpoint> {
  let kept: TrainCheckpoint | null = null;
  const onEvent = (e: TrainEvent) => {
    if (e.type === 'checkpoint' && e.checkpoint.epoch === at) kept = e.checkpoint;
  };
  await trainModel(trainRequest(data, 'classification', params), onEvent, () => kept !== null);
  if (!kept) throw new Error(`no checkpoint at epoch ${at}`);
  return kept;
}

function weightsOf(result: TrainResult): Float32Array {
  return new Float32Array(result.model.weights);
}

const CASES: [string, RunParams][] = [
  ['adam with a cosine schedule', withHyper({ epochs: EPOCHS, schedule: { kind: 'cosine', minLearningRate: 0.001 } })],
  ['sgd with momentum and L2', withHyper({ epochs: EPOCHS, optimizer: 'sgd', momentum: 0.9, learningRate: 0.05, l2: 0.001 })],
  ['rmsprop', withHyper({ epochs: EPOCHS, optimizer: 'rmsprop', learningRate: 0.005 })],
  // The dropout masks come from the seed and the global step, so the resumed run draws the same ones.
  ['adam with dropout 0.3', withHyper({ epochs: EPOCHS }, { family: 'mlp', layers: [{ units: 16, activation: 'relu' }, { units: 16, activation: 'relu' }], dropout: 0.3 })],
];

describe('checkpoint and resume (cpu)', () => {
  it.each(CASES)('%s: resumed after epoch 3 equals training straight, bit for bit, without leaking tensors', async (_, params) => {
    const before = tf.memory().numTensors;
    const straight = await trainModel(trainRequest(data, 'classification', params), () => {}, () => false);
    const checkpoint = await checkpointAt(params, SPLIT_AT);
    expect(checkpoint.epoch).toBe(SPLIT_AT);
    expect(checkpoint.history.filter((p) => p.key === 'loss')).toHaveLength(SPLIT_AT);
    const events: TrainEvent[] = [];
    const resumed = await trainModel({ ...trainRequest(data, 'classification', params), resume: checkpoint }, (e) => events.push(e), () => false);
    expect(tf.memory().numTensors).toBe(before);

    expect(events.filter((e) => e.type === 'epoch').map((e) => (e.type === 'epoch' ? e.epoch : 0))).toEqual([4, 5, 6, 7, 8]);
    expect(resumed.epochsCompleted).toBe(EPOCHS);
    const values = (r: TrainResult) => r.history.map((p) => [p.key, p.step, p.value]);
    expect(values(resumed)).toEqual(values(straight));
    expect(weightsOf(resumed)).toEqual(weightsOf(straight));
    expect(resumed.evaluation).toEqual(straight.evaluation);
  });

  it('keeps early stopping and the best weights across a resume', async () => {
    const params = withHyper({
      epochs: 40,
      learningRate: 0.05,
      earlyStopping: { enabled: true, monitor: 'val_loss', patience: 2, minDelta: 0.05, restoreBest: true },
    });
    const straight = await trainModel(trainRequest(data, 'classification', params), () => {}, () => false);
    const stoppedAt = straight.earlyStopping?.stoppedAt;
    expect(stoppedAt).toBeGreaterThan(2);
    // Resume from the epoch before the stop: the patience counter and the best copy must carry over.
    const checkpoint = await checkpointAt(params, (stoppedAt ?? 0) - 1);
    expect(checkpoint.earlyStopping.wait).toBeGreaterThan(0);
    expect(checkpoint.best).not.toBeNull();
    const resumed = await trainModel({ ...trainRequest(data, 'classification', params), resume: checkpoint }, () => {}, () => false);
    expect(resumed.earlyStopping).toEqual(straight.earlyStopping);
    expect(weightsOf(resumed)).toEqual(weightsOf(straight));
  });

  it('pauses between batches without changing the result, and kill ends the run without a model', async () => {
    const params = withHyper({ epochs: 3 });
    const straight = await trainModel(trainRequest(data, 'classification', params), () => {}, () => false);
    const before = tf.memory().numTensors;
    const events: TrainEvent[] = [];
    // Paused from the start; released once the loop has looked five times while paused, so it must have waited.
    let looksWhilePaused = 0;
    const paused = () => {
      if (events.some((e) => e.type === 'paused')) looksWhilePaused++;
      return looksWhilePaused < 5;
    };
    const held = await trainModel(trainRequest(data, 'classification', params), (e) => events.push(e), () => false, {
      paused,
      killed: () => false,
    });
    expect(events.filter((e) => e.type === 'paused')).toEqual([
      { type: 'paused', paused: true },
      { type: 'paused', paused: false },
    ]);
    // Nothing happened while paused, and the pause came before the first epoch ended.
    const pausedAt = events.findIndex((e) => e.type === 'paused');
    expect(events[pausedAt + 1]).toEqual({ type: 'paused', paused: false });
    expect(pausedAt).toBeLessThan(events.findIndex((e) => e.type === 'epoch'));
    expect(weightsOf(held)).toEqual(weightsOf(straight));

    let epochs = 0;
    const killed = trainModel(trainRequest(data, 'classification', withHyper({ epochs: 30 })), (e) => void (e.type === 'epoch' && epochs++), () => false, {
      paused: () => false,
      killed: () => epochs >= 2,
    });
    await expect(killed).rejects.toEqual({ kind: 'killed' });
    expect(epochs).toBe(2);
    expect(tf.memory().numTensors).toBe(before);
  });
});
