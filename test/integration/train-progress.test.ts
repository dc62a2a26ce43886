// Live progress: long epochs report running means between the per-epoch points, at most about once a second.
// The interval is checked on a fake clock, so no figure here depends on how fast this machine trains.

import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { BuiltDataset } from '../../src/core/contracts/dataset';
import type { TrainEvent } from '../../src/core/contracts/train';
import { trainModel } from '../../workers/train/train-loop';
import { ProgressReporter } from '../../workers/train/models/progress';
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

  it('sends none with the default interval while the clock stands still, so it is not per batch', async () => {
    // A frozen clock: every batch takes no time, so no interval, however short, ever passes.
    vi.useFakeTimers({ toFake: ['performance'] });
    try {
      const events = await eventsOf(penguinData, 'classification');
      expect(events.filter((e) => e.type === 'epoch')).toHaveLength(EPOCHS);
      expect(events.filter((e) => e.type === 'progress')).toEqual([]);
    } finally {
      vi.useRealTimers();
    }
  });

  it('reports once the interval has passed since the epoch began or since the last report, never in between', async () => {
    vi.useFakeTimers({ toFake: ['performance'] });
    const loss = tf.scalar(9);
    const metric = tf.scalar(3);
    try {
      const events: Progress[] = [];
      const reporter = new ProgressReporter(1000, (e) => events.push(e));
      const batchAfter = (ms: number, epoch: number, batch: number) => {
        vi.advanceTimersByTime(ms);
        reporter.batchDone(epoch, batch, 9, () => [loss, metric], batch * 3);
      };
      reporter.startEpoch();
      batchAfter(400, 1, 1);
      batchAfter(599, 1, 2);
      batchAfter(1, 1, 3);
      batchAfter(999, 1, 4);
      batchAfter(1, 1, 5);
      await reporter.flush();
      expect(events.map((e) => e.batch)).toEqual([3, 5]);
      // Running means over the rows seen so far, as the epoch figure divides them.
      expect(events[0]).toEqual({ type: 'progress', epoch: 1, batch: 3, batches: 9, loss: 1, metric: expect.closeTo(1 / 3, 6) });
      // The next epoch starts its own interval, whenever the last report was.
      vi.advanceTimersByTime(500);
      reporter.startEpoch();
      batchAfter(999, 2, 1);
      batchAfter(1, 2, 2);
      await reporter.flush();
      expect(events.map((e) => [e.epoch, e.batch])).toEqual([[1, 3], [1, 5], [2, 2]]);
    } finally {
      loss.dispose();
      metric.dispose();
      vi.useRealTimers();
    }
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
