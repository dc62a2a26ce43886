// A replay played in segments (stream.range), as the feedback loop plays it between retrainings: the segments log
// exactly the requests of the whole replay (rows, virtual times, labels, answers) with ids continuing from one segment
// to the next; progress counts the segment; a range outside the stream is refused before anything is logged.

import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { PredictorApi, ReplayEvent, ServedModel, TrafficReplay } from '../../src/core/contracts/predict';
import type { TrainResult } from '../../src/core/contracts/train';
import { rowOf } from '../../src/core/monitor/log/chunk-read';
import type { LoggedRequest } from '../../src/core/monitor/log/types';
import { RequestLogRepo } from '../../src/platform/repositories/request-log';
import { PredictorClient, type LoadedRun } from '../../src/platform/workers';
import { DatasetService } from '../../workers/dataset/dataset-service';
import { createPredictor } from '../../workers/predict/predictor';
import { trainModel } from '../../workers/train/train-loop';
import { fakeDatabases, storedVersion, TEST_DATABASE } from '../fixtures/stored-version';
import { workerOnChannel } from '../fixtures/support';
import { penguins, trainRequest, withHyper } from '../fixtures/tabular';

const MODEL: ServedModel = { name: 'penguins', version: 1, task: 'classification', classes: ['Adelie', 'Chinstrap', 'Gentoo'] };
const open = fakeDatabases();
const datasets = new DatasetService(open);
let model: TrainResult;
let root: TrafficReplay['source']['root'];

beforeAll(async () => {
  await tf.setBackend('cpu');
  const data = await penguins();
  model = await trainModel(trainRequest(data, 'classification', withHyper({ epochs: 3 })), () => {}, () => false);
  root = (await storedVersion(data, open)).ref;
}, 120_000);

const load = async (): Promise<LoadedRun> => ({ model: { ...model.model, weights: model.model.weights.slice(0) }, preprocessor: model.preprocessor, recipes: [] });
const client = () => new PredictorClient(workerOnChannel<PredictorApi>(createPredictor(['cpu'], datasets, open)));

let jobs = 0;
function replay(projectId: string, range?: { from: number; to: number }): TrafficReplay {
  return {
    jobId: `range-${++jobs}`,
    projectId,
    databaseName: TEST_DATABASE,
    model: MODEL,
    source: { root, recipes: [] },
    target: 'Species',
    stream: { rate: 10, start: 5_000_000, count: 300, seed: 4, order: 'shuffled', labelDelayMs: 2000, scenario: 'covariate-shift', ...(range ? { range } : {}) },
    batchSize: 64,
  };
}

async function logged(projectId: string): Promise<LoggedRequest[]> {
  const opened = await open(TEST_DATABASE);
  if (!opened.ok) throw new Error(opened.message);
  try {
    const chunks = await new RequestLogRepo(opened.db).chunks(projectId, { role: 'serving' });
    return chunks.flatMap((c) => Array.from({ length: c.rows }, (_, i) => rowOf(c, i)));
  } finally {
    opened.db.close();
  }
}

describe('a replay in segments', () => {
  it('logs the requests of the whole replay, ids continuing, and counts progress per segment', async () => {
    const predictor = client();
    const whole = await predictor.replay('m', load, replay('whole'), () => {});
    expect(whole).toMatchObject({ requests: 300, firstId: 0, lastId: 299 });

    const events: ReplayEvent[] = [];
    const first = await predictor.replay('m', load, replay('parts', { from: 0, to: 120 }), (e) => events.push(e));
    const empty = await predictor.replay('m', load, replay('parts', { from: 120, to: 120 }), () => {});
    const second = await predictor.replay('m', load, replay('parts', { from: 120, to: 300 }), (e) => events.push(e));
    expect(first).toMatchObject({ requests: 120, firstId: 0, lastId: 119, firstAt: 5_000_000, lastAt: 5_000_000 + 119 * 100 });
    expect(empty).toMatchObject({ requests: 0, chunks: 0, firstId: null, lastId: null, firstAt: null, lastAt: null });
    expect(second).toMatchObject({ requests: 180, firstId: 120, lastId: 299, firstAt: 5_000_000 + 120 * 100, lastAt: 5_000_000 + 299 * 100 });
    // Progress is the segment's: its own total, ending at it.
    expect(events.filter((e) => e.total === 120).at(-1)).toMatchObject({ done: 120, total: 120 });
    expect(events.filter((e) => e.total === 180).at(-1)).toMatchObject({ done: 180, total: 180, virtualAt: 5_000_000 + 299 * 100 });
    expect(events.every((e) => e.total === 120 || e.total === 180)).toBe(true);

    // The same rows, times, labels and answers: the scenario bent the second half exactly as in the whole replay.
    const strip = (r: LoggedRequest) => ({ ...r, latencyMs: 0 });
    expect((await logged('parts')).map(strip)).toEqual((await logged('whole')).map(strip));
  });

  it('refuses a range outside the stream, naming it, before logging anything', async () => {
    const predictor = client();
    for (const range of [
      { from: -1, to: 10 },
      { from: 20, to: 10 },
      { from: 0, to: 301 },
      { from: 0.5, to: 10 },
    ]) {
      await expect(predictor.replay('m', load, replay('refused', range), () => {})).rejects.toThrow(
        `Replay: the range [${range.from}, ${range.to}) is not within the stream's 300 requests (whole numbers, 0 ≤ from ≤ to ≤ count).`,
      );
    }
    expect(await logged('refused')).toEqual([]);
  });
});
