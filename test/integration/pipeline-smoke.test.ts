// The training stage's smoke test in the trainer worker, on tfjs cpu over fake-indexeddb: the run's model must
// overfit one small batch of training rows. A working model passes with both losses in its reason; a dead learning
// rate fails; rows, steps and ratio are honoured; nothing is stored and no tensor outlives the call.

import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { BuiltDataset } from '../../src/core/contracts/dataset';
import type { SmokeRequest, TrainerApi } from '../../src/core/contracts/train';
import type { RunParams, Task } from '../../src/core/shared/types';
import { SPLIT_TEST, SPLIT_TRAIN, SPLIT_VALIDATION } from '../../src/core/shared/types';
import type { ModelSpec } from '../../src/core/train/spec/types';
import { defaultHyper } from '../../src/core/train/spec/defaults';
import { TrainerClient } from '../../src/platform/workers';
import { createTrainer } from '../../workers/train/trainer';
import { cars, datasetFrom, penguins, PENGUIN_PARAMS, withHyper } from '../fixtures/tabular';
import { storedVersion, TEST_DATABASE, type Stored } from '../fixtures/stored-version';
import { workerOnChannel } from '../fixtures/support';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function request(stored: Stored, task: Task, params: RunParams, over: Partial<SmokeRequest> = {}): SmokeRequest {
  return { jobId: 'smoke-1', task, params, backend: 'cpu', dataset: stored.ref, ...over };
}

/** Records in every table of the project database, by table. */
async function recordCounts(stored: Stored): Promise<Record<string, number>> {
  const opened = await stored.open(TEST_DATABASE);
  if (!opened.ok) throw new Error('the test database did not open');
  const counts: Record<string, number> = {};
  for (const table of opened.db.tables) counts[table.name] = await table.count();
  opened.db.close();
  return counts;
}

/** Two classes split by x + y > 1: 80 rows, separable by a line. */
function separable(): Promise<BuiltDataset> {
  const records = Array.from({ length: 80 }, (_, i) => {
    const x = ((i * 37) % 80) / 80;
    const y = ((i * 53) % 80) / 80;
    return { x, y, side: x + y > 1 ? 'above' : 'below' };
  });
  return datasetFrom(records, { name: 'separable', task: 'classification', target: 'side', types: {}, roles: {} });
}

describe('the smoke test', () => {
  it('passes on penguins: the model overfits 32 training rows in 60 steps, and the reason has both losses', async () => {
    const stored = await storedVersion(await penguins());
    const trainer = createTrainer(stored.datasets);
    const before = tf.memory().numTensors;
    const result = await trainer.smoke(request(stored, 'classification', PENGUIN_PARAMS));
    expect(tf.memory().numTensors).toBe(before);
    expect(result).toMatchObject({ rows: 32, steps: 60, passed: true });
    // Three balanced-ish classes start near ln 3; the batch is learnt far below half of that.
    expect(result.lossBefore).toBeGreaterThan(0.5);
    expect(result.lossAfter).toBeLessThan(0.5 * result.lossBefore);
    expect(result.reason).toBe(`loss fell from ${Number(result.lossBefore.toPrecision(6))} to ${Number(result.lossAfter.toPrecision(6))} in 60 steps on 32 training rows`);
    expect(result.durationMs).toBeGreaterThan(0);
  });

  it('fails with a learning rate of 0, saying the loss did not fall', async () => {
    const stored = await storedVersion(await penguins());
    const result = await createTrainer(stored.datasets).smoke(request(stored, 'classification', withHyper({ learningRate: 0 })));
    expect(result.passed).toBe(false);
    expect(result.lossAfter).toBe(result.lossBefore);
    expect(result.reason).toMatch(/^the loss did not fall \(from [\d.]+ to [\d.]+\) in 60 steps on 32 training rows$/);
  });

  it('honours rows, steps and ratio, and uses the first training rows it asks for', async () => {
    const stored = await storedVersion(await separable());
    const trainer = createTrainer(stored.datasets);
    const params = withHyper({ learningRate: 0.05 });
    const small = await trainer.smoke(request(stored, 'classification', params, { rows: 12, steps: 25 }));
    expect(small).toMatchObject({ rows: 12, steps: 25, passed: true });
    expect(small.reason).toMatch(/in 25 steps on 12 training rows$/);
    // More rows than the training split has: the whole split is the batch.
    const trainRows = stored.version.split.counts.train;
    const all = await trainer.smoke(request(stored, 'classification', params, { rows: 10_000, steps: 1 }));
    expect(all.rows).toBe(trainRows);
    expect(all.reason).toMatch(new RegExp(`in 1 step on ${trainRows} training rows`));
    // One step cannot reach a ratio of 0.01: the loss fell, but not far enough.
    const strict = await trainer.smoke(request(stored, 'classification', params, { rows: 12, steps: 1, ratio: 0.01 }));
    expect(strict.passed).toBe(false);
    expect(strict.lossAfter).toBeLessThan(strict.lossBefore);
    expect(strict.reason).toMatch(/^the loss fell only from .* in 1 step on 12 training rows, not to 1% of where it started$/);
  });

  it('builds the model from the run seed: the same request repeats its numbers, another seed starts elsewhere', async () => {
    const stored = await storedVersion(await penguins());
    const trainer = createTrainer(stored.datasets);
    const a = await trainer.smoke(request(stored, 'classification', PENGUIN_PARAMS, { steps: 5 }));
    const b = await trainer.smoke(request(stored, 'classification', PENGUIN_PARAMS, { steps: 5 }));
    const other = await trainer.smoke(request(stored, 'classification', withHyper({ seed: 8 }), { steps: 5 }));
    expect([b.lossBefore, b.lossAfter]).toEqual([a.lossBefore, a.lossAfter]);
    expect(other.lossBefore).not.toBe(a.lossBefore);
  });

  it('passes a regression model on cars', async () => {
    const stored = await storedVersion(await cars());
    const result = await createTrainer(stored.datasets).smoke(request(stored, 'regression', withHyper({ learningRate: 0.01 })));
    expect(result.passed).toBe(true);
    expect(result.lossAfter).toBeLessThan(0.5 * result.lossBefore);
  });

  it('runs a CNN with dropout on images, seeded per step, without leaking tensors', async () => {
    const n = 40;
    const side = 8;
    const pixels = new Uint8Array(n * side * side);
    const codes = new Int32Array(n);
    for (let r = 0; r < n; r++) {
      codes[r] = r % 2;
      for (let j = 0; j < side * side; j++) pixels[r * side * side + j] = (codes[r] === 0 ? 180 : 60) + ((r * 31 + j * 7) % 40);
    }
    const made = {
      id: 'images',
      schema: [
        { name: 'image', type: 'image' as const, role: 'feature' as const },
        { name: 'label', type: 'category' as const, role: 'target' as const },
      ],
      summaries: [],
      table: {
        names: ['image', 'label'],
        columns: [
          { kind: 'image' as const, pixels, width: side, height: side, channels: 1 as const },
          { kind: 'category' as const, codes, dictionary: ['bright', 'dark'] },
        ],
        rowCount: n,
      },
      assignment: new Uint8Array(n).map((_, r) => (r < 28 ? SPLIT_TRAIN : r < 34 ? SPLIT_VALIDATION : SPLIT_TEST)),
      counts: { train: 28, validation: 6, test: 6 },
    };
    const stored = await storedVersion(made);
    const spec: ModelSpec = { family: 'cnn', conv: [{ filters: 4, kernel: 3, pool: 2, activation: 'relu' }], dense: [{ units: 8, activation: 'relu' }], dropout: 0.25 };
    const params: RunParams = { spec, hyper: { ...defaultHyper('cnn'), learningRate: 0.01, seed: 3 } };
    const trainer = createTrainer(stored.datasets);
    const before = tf.memory().numTensors;
    const first = await trainer.smoke(request(stored, 'classification', params, { rows: 16, steps: 30 }));
    const again = await trainer.smoke(request(stored, 'classification', params, { rows: 16, steps: 30 }));
    expect(tf.memory().numTensors).toBe(before);
    expect(first).toMatchObject({ rows: 16, steps: 30, passed: true });
    expect(again.lossAfter).toBe(first.lossAfter);
  });

  it('stores nothing: no run, no checkpoint, no version', async () => {
    const stored = await storedVersion(await penguins());
    const counts = await recordCounts(stored);
    await createTrainer(stored.datasets).smoke(request(stored, 'classification', PENGUIN_PARAMS));
    expect(await recordCounts(stored)).toEqual(counts);
    expect(counts.runs).toBe(0);
    expect(counts.checkpoints).toBe(0);
  });

  it('refuses what training refuses, as a Failure saying why', async () => {
    const stored = await storedVersion(await penguins());
    const trainer = createTrainer(stored.datasets);
    await expect(trainer.smoke(request(stored, 'classification', withHyper({ batchSize: 0 })))).rejects.toMatchObject({
      kind: 'failed',
      message: expect.stringMatching(/hyperparameters are not valid: .*batchSize/),
    });
    await expect(trainer.smoke(request(stored, 'classification', PENGUIN_PARAMS, { steps: 0 }))).rejects.toMatchObject({
      kind: 'failed',
      message: expect.stringMatching(/steps must be a whole number of at least 1, not 0/),
    });
    await expect(trainer.smoke({ ...request(stored, 'classification', PENGUIN_PARAMS), backend: 'wasm' })).rejects.toMatchObject({
      kind: 'failed',
      message: expect.stringMatching(/wasm backend is not available/),
    });
  });

  it('reaches the worker through TrainerClient.smoke', async () => {
    const stored = await storedVersion(await penguins());
    const client = new TrainerClient(workerOnChannel<TrainerApi>(createTrainer(stored.datasets)));
    const result = await client.smoke(request(stored, 'classification', PENGUIN_PARAMS, { rows: 20, steps: 40 }));
    expect(result).toMatchObject({ rows: 20, steps: 40, passed: true });
    client.kill();
  });
});
