// An epoch's batches: sliced from one shuffled copy or gathered by index, the same rows in every mode; and the
// running sums of their losses and metrics.

import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { batchModeFor, EpochBatches, type BatchMode } from '../../workers/train/models/batches';
import type { Split } from '../../workers/train/models/data';
import { mulberry32, shuffleInPlace } from '../../src/core/shared/rng';
import { FOLD_EVERY, RunningSums } from '../../workers/train/models/running-sums';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function split(rows: number, shape: number[]): Split {
  const size = shape.reduce((a, b) => a * b, 1);
  const x = tf.tensor(Float32Array.from({ length: rows * size }, (_, i) => i), [rows, ...shape]);
  const y = tf.tensor2d(Float32Array.from({ length: rows * 2 }, (_, i) => -i), [rows, 2]);
  return { rows: Int32Array.from({ length: rows }, (_, i) => i), x, y, classes: null, targets: new Float32Array(rows) };
}

describe('EpochBatches (cpu)', () => {
  it.each([
    ['tabular', [3]],
    ['images', [4, 4, 3]],
  ])('%s: both shuffled copies and both per-batch gathers give the same batches, in the shuffled order, without leaking', (_, shape) => {
    const rows = 23;
    const data = split(rows, shape);
    const order = Int32Array.from({ length: rows }, (_, i) => i);
    shuffleInPlace(order, mulberry32(5));
    const before = tf.memory().numTensors;
    const read = (mode: BatchMode) => {
      const batches = new EpochBatches(data, order, mode);
      const out: { x: number[]; y: number[]; shape: number[] }[] = [];
      for (let start = 0; start < rows; start += 5) {
        const size = Math.min(5, rows - start);
        tf.tidy(() => {
          const [x, y] = batches.batch(start, size);
          out.push({ x: Array.from(x.dataSync()), y: Array.from(y.dataSync()), shape: x.shape });
        });
      }
      batches.dispose();
      return out;
    };
    const copied = read('slice-copy');
    expect(tf.memory().numTensors).toBe(before);
    expect(read('host-copy')).toEqual(copied);
    expect(read('slice-index')).toEqual(copied);
    expect(read('upload-index')).toEqual(copied);
    expect(tf.memory().numTensors).toBe(before);
    expect(copied.map((b) => b.shape[0])).toEqual([5, 5, 5, 5, 3]);
    expect(copied[0].shape.slice(1)).toEqual(shape);
    // Each batch holds the rows of its slice of the order: y's first column is minus twice the row index.
    const rowsSeen = copied.flatMap((b) => b.y.filter((_, i) => i % 2 === 0).map((v) => -v / 2));
    expect(rowsSeen).toEqual(Array.from(order));
    data.x.dispose();
    data.y.dispose();
  });

  it('copies the split only where slicing is cheap and the copy is small', () => {
    const data = split(10, [3]);
    expect(batchModeFor('cpu', data)).toBe('host-copy');
    expect(batchModeFor('cpu', data, 100)).toBe('slice-index');
    expect(batchModeFor('webgl', data)).toBe('slice-copy');
    expect(batchModeFor('webgl', data, 100)).toBe('slice-index');
    expect(batchModeFor('wasm', data)).toBe('upload-index');
    data.x.dispose();
    data.y.dispose();
  });
});

describe('RunningSums (cpu)', () => {
  it('sums batch losses weighted by their rows and batch metrics, across folds, without leaking', () => {
    const before = tf.memory().numTensors;
    const sums = new RunningSums();
    let loss = 0;
    let metric = 0;
    // 70 batches: two full folds and a partial one, the last batch short as an epoch's last batch is.
    for (let i = 0; i < 70; i++) {
      const size = i === 69 ? 5 : 16;
      const cost = (i % 7) / 8;
      sums.add(tf.scalar(cost), tf.scalar(i % 3), size);
      loss += cost * size;
      metric += i % 3;
      if (i === 40) {
        const [l, m] = sums.sums();
        expect(l.dataSync()[0]).toBeCloseTo(loss, 3);
        expect(m.dataSync()[0]).toBe(metric);
      }
    }
    const [l, m] = sums.sums();
    expect(l.dataSync()[0]).toBeCloseTo(loss, 3);
    expect(m.dataSync()[0]).toBe(metric);
    sums.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  // Progress reads come whenever a second has passed, after any number of batches.
  const readAfter = new Set([0, 2, 3, 9, 33, 34, 60]);
  const feed = (sums: RunningSums, read: boolean) => {
    for (let i = 0; i < 70; i++) {
      sums.add(tf.scalar(Math.fround(Math.sin(i) / 3)), tf.scalar(i % 5), i === 69 ? 7 : 32);
      if (read && readAfter.has(i)) sums.sums();
    }
    return sums.sums().map((t) => t.dataSync()[0]);
  };

  it('gives the same totals, to the bit, however often they were read along the way', () => {
    const quiet = new RunningSums();
    const watched = new RunningSums();
    expect(feed(watched, true)).toEqual(feed(quiet, false));
    quiet.dispose();
    watched.dispose();
  });

  it('always folds FOLD_EVERY inputs, so GPU backends compile one program however many batches are pending', async () => {
    const sums = new RunningSums();
    const profile = await tf.profile(() => {
      feed(sums, true);
    });
    const addN = profile.kernels.filter((k) => k.name === 'AddN');
    // Two full groups, the short last batch closing a third, reads over partial groups: all of one width.
    expect(addN.length).toBeGreaterThan(6);
    expect(new Set(addN.map((k) => k.inputShapes.length))).toEqual(new Set([FOLD_EVERY]));
    sums.dispose();
  });
});
