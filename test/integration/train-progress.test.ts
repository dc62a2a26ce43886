// Live progress: long epochs report running means between the per-epoch points, at most about once a second.

import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { BuiltDataset, TrainEvent } from '../../src/core/worker-api';
import { trainModel } from '../../workers/train/train-loop';
import { cars, penguins, trainRequest, withHyper } from '../fixtures/tabular';

type Progress = Extract<TrainEvent, { type: 'progress' }>;
type Epoch = Extract<TrainEvent, { type: 'epoch' }>;

let penguinData: BuiltDataset;
let carData: BuiltDataset;

beforeAll(async () => {
  await tf.setBackend('cpu');
  [penguinData, carData] = await Promise.all([penguins(), cars()]);
});

const EPOCHS = 3;
const BATCH = 32;

async function eventsOf(data: BuiltDataset, task: 'classification' | 'regression', progressEveryMs?: number): Promise<TrainEvent[]> {
  const events: TrainEvent[] = [];
  const control = { paused: () => false, killed: () => false, ...(progressEveryMs === undefined ? {} : { progressEveryMs }) };
  await trainModel(trainRequest(data, task, withHyper({ epochs: EPOCHS, batchSize: BATCH })), (e) => events.push(e), () => false, control);
  return events;
}

describe('progress events (cpu)', () => {
  it.each([
    ['classification', 'accuracy'],
    ['regression', 'mae'],
  ] as const)('%s with the interval at 0: one per batch, in order, ending on the epoch figures, without leaking', async (task, metric) => {
    const data = task === 'classification' ? penguinData : carData;
    const before = tf.memory().numTensors;
    const events = await eventsOf(data, task, 0);
    expect(tf.memory().numTensors).toBe(before);
    const batches = Math.ceil(data.counts.train / BATCH);
    expect(batches).toBeGreaterThan(3);
    for (let epoch = 1; epoch <= EPOCHS; epoch++) {
      const end = events.findIndex((e) => e.type === 'epoch' && e.epoch === epoch);
      const start = epoch === 1 ? 0 : events.findIndex((e) => e.type === 'epoch' && e.epoch === epoch - 1);
      const progress = events.slice(start, end).filter((e): e is Progress => e.type === 'progress');
      expect(progress.map((p) => p.batch)).toEqual(Array.from({ length: batches }, (_, i) => i + 1));
      for (const p of progress) {
        expect(p).toMatchObject({ epoch, batches });
        expect(Number.isFinite(p.loss) && p.loss > 0).toBe(true);
        expect(Number.isFinite(p.metric) && p.metric >= 0).toBe(true);
      }
      // The last running mean is the epoch's mean: the same sums divided by the same row count.
      const points = (events[end] as Epoch).points;
      const last = progress[progress.length - 1];
      expect(Math.abs(last.loss - (points.find((q) => q.key === 'loss')?.value ?? NaN))).toBeLessThan(1e-6);
      expect(Math.abs(last.metric - (points.find((q) => q.key === metric)?.value ?? NaN))).toBeLessThan(1e-6);
      // Running means move as batches come in, so they are not the epoch figure repeated.
      expect(new Set(progress.map((p) => p.loss)).size).toBeGreaterThan(1);
    }
  });

  it('sends none on a fast run with the default interval, so it is not per batch', async () => {
    const started = performance.now();
    const events = await eventsOf(penguinData, 'classification');
    // Each epoch here takes far less than the one-second interval.
    expect(performance.now() - started).toBeLessThan(EPOCHS * 1000);
    expect(events.filter((e) => e.type === 'epoch')).toHaveLength(EPOCHS);
    expect(events.filter((e) => e.type === 'progress')).toEqual([]);
  });

  it('sends progress from a stopped epoch before returning, without leaking', async () => {
    const before = tf.memory().numTensors;
    const events: TrainEvent[] = [];
    let polls = 0;
    const result = await trainModel(
      trainRequest(penguinData, 'classification', withHyper({ epochs: EPOCHS, batchSize: BATCH })),
      (e) => events.push(e),
      () => ++polls > 4,
      { paused: () => false, killed: () => false, progressEveryMs: 0 },
    );
    expect(result.epochsCompleted).toBe(0);
    // Stop is polled before the epoch and after each batch: the fifth poll comes after batch 4.
    expect(events.filter((e): e is Progress => e.type === 'progress').map((p) => p.batch)).toEqual([1, 2, 3, 4]);
    expect(tf.memory().numTensors).toBe(before);
  });
});
