// Serving traffic in the predictor worker, on tfjs cpu over fake-indexeddb and a real MessageChannel: the replayer
// logs every request of a penguin replay with its virtual time and its late label, a scenario bends the logged inputs
// from its start, a shadow model logs beside the served one under the same ids, a cancel keeps what was logged,
// the one-row form's rows become readable on flush, a scored file comes back as CSV, and retention drops old chunks.

import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { BuiltDataset } from '../../src/core/contracts/dataset';
import type { PredictorApi, ReplayEvent, ServedModel, TrafficReplay } from '../../src/core/contracts/predict';
import type { TrainResult } from '../../src/core/contracts/train';
import { inputColumn, inputValue, rowOf } from '../../src/core/monitor/log/chunk-read';
import type { LoggedRequest, RequestChunk } from '../../src/core/monitor/log/types';
import type { RawRow } from '../../src/core/shared/types';
import { RequestLogRepo, type LogQuery } from '../../src/platform/repositories/request-log';
import { PredictorClient, type LoadedRun } from '../../src/platform/workers';
import { DatasetService } from '../../workers/dataset/dataset-service';
import { createPredictor } from '../../workers/predict/predictor';
import { trainModel } from '../../workers/train/train-loop';
import { fakeDatabases, storedVersion, TEST_DATABASE } from '../fixtures/stored-version';
import { datasetFrom, PENGUIN_PARAMS, sampleRecords, trainRequest, withHyper } from '../fixtures/tabular';
import { workerOnChannel } from '../fixtures/support';

const CLASSES = ['Adelie', 'Chinstrap', 'Gentoo'];
const MODEL: ServedModel = { name: 'penguins', version: 1, task: 'classification', classes: CLASSES };
const BODY_MASS = 'Body Mass (g)';
const GENTOO: RawRow = { Island: 'Biscoe', 'Beak Length (mm)': 47.5, 'Beak Depth (mm)': 15, 'Flipper Length (mm)': 217, [BODY_MASS]: 5200, Sex: 'MALE' };

const open = fakeDatabases();
const datasets = new DatasetService(open);
const records = sampleRecords('penguins.json');

let penguins: BuiltDataset;
let champion: TrainResult;
/** Three epochs instead of thirty: a challenger whose answers differ from the champion's on some rows. */
let challenger: TrainResult;
let root: TrafficReplay['source']['root'];

beforeAll(async () => {
  await tf.setBackend('cpu');
  penguins = await datasetFrom(records, { name: 'penguins', task: 'classification', target: 'Species', types: {}, roles: {} });
  champion = await trainModel(trainRequest(penguins, 'classification', PENGUIN_PARAMS), () => {}, () => false);
  challenger = await trainModel(trainRequest(penguins, 'classification', withHyper({ epochs: 3, seed: 11 }), 'run-2'), () => {}, () => false);
  root = (await storedVersion(penguins, open)).ref;
}, 120_000);

/** Loading transfers the weights: each load gets its own copy. */
function loader(result: TrainResult): () => Promise<LoadedRun> {
  return async () => ({ model: { ...result.model, weights: result.model.weights.slice(0) }, preprocessor: result.preprocessor, recipes: [] });
}

function client(): PredictorClient {
  return new PredictorClient(workerOnChannel<PredictorApi>(createPredictor(['cpu'], datasets, open)));
}

let jobs = 0;
function replayOf(projectId: string, over: Partial<TrafficReplay> = {}, stream: Partial<TrafficReplay['stream']> = {}): TrafficReplay {
  return {
    jobId: `replay-${++jobs}`,
    projectId,
    databaseName: TEST_DATABASE,
    model: MODEL,
    source: { root, recipes: [] },
    target: 'Species',
    stream: { rate: 10, start: 1_000_000, count: 2000, seed: 3, order: 'shuffled', labelDelayMs: 5000, ...stream },
    ...over,
  };
}

async function withRepo<T>(work: (repo: RequestLogRepo) => Promise<T>): Promise<T> {
  const opened = await open(TEST_DATABASE);
  if (!opened.ok) throw new Error(opened.message);
  try {
    return await work(new RequestLogRepo(opened.db));
  } finally {
    opened.db.close();
  }
}

async function logged(projectId: string, query: LogQuery = {}): Promise<{ chunks: RequestChunk[]; rows: LoggedRequest[] }> {
  const chunks = await withRepo((repo) => repo.chunks(projectId, query));
  return { chunks, rows: chunks.flatMap((c) => Array.from({ length: c.rows }, (_, i) => rowOf(c, i))) };
}

/** The species of each penguin, by its features (every penguin's features differ). */
const speciesByFeatures = new Map(records.map(({ Species, ...features }) => [featureKey(features), Species]));
function featureKey(row: RawRow): string {
  return JSON.stringify(
    Object.keys(row)
      .filter((k) => k !== 'Species')
      .sort()
      .map((k) => [k, row[k] ?? null]),
  );
}

describe('the traffic replayer', () => {
  it('logs every request of a replay in order, on the virtual clock, with its label arriving after the delay', async () => {
    const predictor = client();
    const events: ReplayEvent[] = [];
    const result = await predictor.replay('champion', loader(champion), replayOf('p-replay'), (e) => events.push(e));

    expect(result).toMatchObject({ requests: 2000, chunks: 1, firstId: 0, lastId: 1999, firstAt: 1_000_000, lastAt: 1_000_000 + 1999 * 100, labelsDropped: 0 });
    expect(result.retention).toEqual({ droppedChunks: 0, droppedRequests: 0 });
    expect(result.requestsPerSecond).toBeGreaterThan(0);

    const { chunks, rows } = await logged('p-replay');
    expect(chunks.map((c) => [c.role, c.modelName, c.modelVersion])).toEqual([['serving', 'penguins', 1]]);
    expect(rows).toHaveLength(2000);
    rows.forEach((row, i) => {
      expect(row.id).toBe(i);
      // 10 requests a virtual second: one every 100 ms.
      expect(row.at).toBe(1_000_000 + 100 * i);
      expect(row.labelAt).toBe(row.at + 5000);
      expect(row.inputs).not.toHaveProperty('Species');
      // The label is the true species of the penguin sent.
      expect(row.label).toBe(speciesByFeatures.get(featureKey(row.inputs)));
      expect(CLASSES).toContain(row.output);
      expect(row.probabilities).toHaveLength(3);
      expect(row.latencyMs).toBeGreaterThan(0);
    });
    // 2,000 requests of 344 penguins: drawn with replacement, so every penguin comes back.
    expect(new Set(rows.map((r) => featureKey(r.inputs))).size).toBeGreaterThan(300);
    // The served answers are the model's: most penguins are recognised.
    expect(rows.filter((r) => r.output === r.label).length / rows.length).toBeGreaterThan(0.9);

    expect(events.at(-1)).toEqual({ type: 'progress', done: 2000, total: 2000, virtualAt: result.lastAt });
    expect(events.map((e) => e.done)).toEqual([...events.map((e) => e.done)].sort((a, b) => a - b));
    // At most about ten a second, plus the first and the last.
    expect(events.length).toBeLessThanOrEqual(2 + Math.ceil(result.durationMs / 100));
    predictor.forgetAll();
  });

  it('bends the logged inputs with a scenario from its start, and only then', async () => {
    const predictor = client();
    await predictor.replay('champion', loader(champion), replayOf('p-control', {}, { scenario: 'control' }), () => {});
    await predictor.replay('champion', loader(champion), replayOf('p-shift', {}, { scenario: 'covariate-shift' }), () => {});
    const control = (await logged('p-control')).chunks[0];
    const shifted = (await logged('p-shift')).chunks[0];
    const mass = (chunk: RequestChunk, row: number) => inputValue(inputColumn(chunk, BODY_MASS)!, row);
    const masses = records.map((r) => r[BODY_MASS]).filter((v): v is number => typeof v === 'number');
    const mean = masses.reduce((a, b) => a + b, 0) / masses.length;
    const std = Math.sqrt(masses.reduce((a, v) => a + (v - mean) ** 2, 0) / masses.length);

    let moved = 0;
    for (let row = 0; row < 2000; row++) {
      const before = mass(control, row);
      const after = mass(shifted, row);
      // The same seed sends the same penguins; the other columns never change.
      expect(rowOf(shifted, row).inputs.Island).toBe(rowOf(control, row).inputs.Island);
      if (row < 1000 || before === null) expect(after).toBe(before);
      else if (row >= 1400) {
        // From 70 % of the replay, one standard deviation heavier, in whole grams.
        expect(Math.abs((after as number) - (before as number) - std)).toBeLessThanOrEqual(0.5);
        moved++;
      }
    }
    expect(moved).toBeGreaterThan(550);
    predictor.forgetAll();
  });

  it('logs a shadow model beside the served one: same ids and times, role shadow, its own answers', async () => {
    const predictor = client();
    const request = replayOf('p-shadow', { shadow: { key: 'challenger', name: 'penguins', version: 2 } });
    const result = await predictor.replay('champion', loader(champion), request, () => {}, undefined, loader(challenger));
    expect(result).toMatchObject({ requests: 2000, chunks: 2, firstId: 0, lastId: 1999 });

    const serving = await logged('p-shadow', { role: 'serving' });
    const shadow = await logged('p-shadow', { role: 'shadow' });
    expect(shadow.chunks.map((c) => [c.modelName, c.modelVersion])).toEqual([['penguins', 2]]);
    expect(shadow.rows.map((r) => [r.id, r.at, r.label, r.labelAt])).toEqual(serving.rows.map((r) => [r.id, r.at, r.label, r.labelAt]));
    expect(shadow.rows.map((r) => r.inputs)).toEqual(serving.rows.map((r) => r.inputs));

    // Each role holds its own model's answers to the same inputs.
    const direct = createPredictor(['cpu'], datasets, open);
    await direct.load('champion', champion.model, champion.preprocessor);
    await direct.load('challenger', challenger.model, challenger.preprocessor);
    const inputs = serving.rows.map((r) => r.inputs);
    const outputs = async (key: string) => (await direct.predict(key, inputs)).map((p) => (p.ok ? p.output : null));
    expect(serving.rows.map((r) => r.output)).toEqual(await outputs('champion'));
    expect(shadow.rows.map((r) => r.output)).toEqual(await outputs('challenger'));
    expect(shadow.rows.filter((r, i) => r.output !== serving.rows[i].output).length).toBeGreaterThan(0);
    predictor.forgetAll();
  });

  it('stops between batches on cancel, keeps what it logged, and never hands out those ids again', async () => {
    const predictor = client();
    const controller = new AbortController();
    const request = replayOf('p-cancel', { batchSize: 256 }, { count: 50_000 });
    const replaying = predictor.replay('champion', loader(champion), request, () => controller.abort(), controller.signal);
    await expect(replaying).rejects.toEqual({ kind: 'cancelled' });

    const { rows } = await logged('p-cancel');
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.length).toBeLessThan(50_000);
    expect(rows.length % 256).toBe(0);
    expect(rows.map((r) => r.id)).toEqual(Array.from({ length: rows.length }, (_, i) => i));

    // The job's cancel is forgotten: the next replay runs to its end, with ids after the cancelled one's.
    const next = await predictor.replay('champion', loader(champion), { ...replayOf('p-cancel', {}, { count: 300 }), jobId: request.jobId }, () => {});
    expect(next.requests).toBe(300);
    expect(next.firstId).toBeGreaterThanOrEqual(rows.length);
    predictor.forgetAll();
  });

  it('logs no label when labels never arrive', async () => {
    const predictor = client();
    const result = await predictor.replay('champion', loader(champion), replayOf('p-unlabelled', {}, { count: 300, labelDelayMs: null }), () => {});
    expect(result.requests).toBe(300);
    const { chunks, rows } = await logged('p-unlabelled');
    expect(chunks[0].labelled).toBe(0);
    expect(rows.every((r) => r.label === null && r.labelAt === null)).toBe(true);
    predictor.forgetAll();
  });

  it('applies the retention rule at the end: whole chunks of the oldest requests go', async () => {
    const predictor = client();
    await predictor.replay('champion', loader(champion), replayOf('p-retain', {}, { start: 0 }), () => {});
    const second = await predictor.replay('champion', loader(champion), replayOf('p-retain', { retention: { maxRequests: 2000 } }, { start: 10_000_000 }), () => {});
    expect(second.retention).toEqual({ droppedChunks: 1, droppedRequests: 2000 });
    const { rows } = await logged('p-retain');
    expect(rows).toHaveLength(2000);
    expect(rows[0]).toMatchObject({ id: 2000, at: 10_000_000 });
    predictor.forgetAll();
  });

  it('refuses a model named with classes the loaded model does not answer, before logging anything', async () => {
    const predictor = client();
    const wrong = replayOf('p-wrong', { model: { ...MODEL, classes: ['Adelie', 'Gentoo', 'Chinstrap'] } });
    await expect(predictor.replay('champion', loader(champion), wrong, () => {})).rejects.toThrow(/named with classes \[Adelie, Gentoo, Chinstrap\].*\[Adelie, Chinstrap, Gentoo\]/);
    await expect(predictor.replay('champion', loader(champion), replayOf('p-wrong', {}, { rate: 0 }), () => {})).rejects.toThrow(/rate must be a positive number/);
    expect(await withRepo((repo) => repo.count('p-wrong'))).toBe(0);
    predictor.forgetAll();
  });
});

describe('the one-row form and batch files', () => {
  it('gathers served rows in the worker and makes them readable on flush, with consecutive ids', async () => {
    const predictor = client();
    const meta = { projectId: 'p-form', databaseName: TEST_DATABASE, model: MODEL, at: 42_000 };
    const first = await predictor.serveOne('champion', loader(champion), GENTOO, meta);
    const second = await predictor.serveOne('champion', loader(champion), { ...GENTOO, Island: 'Atlantis' }, { ...meta, at: 43_000 });
    expect(first.prediction).toMatchObject({ ok: true, output: 'Gentoo' });
    expect([first.requestId, second.requestId]).toEqual([0, 1]);
    // Gathered, not stored yet.
    expect(await withRepo((repo) => repo.count('p-form'))).toBe(0);

    expect(await predictor.flushLog(TEST_DATABASE, 'p-form')).toBe(2);
    const { chunks, rows } = await logged('p-form');
    expect(chunks).toHaveLength(1);
    expect(rows[0]).toMatchObject({ id: 0, at: 42_000, inputs: GENTOO, output: 'Gentoo', warnings: [] });
    expect(rows[0].latencyMs).toBeCloseTo(first.latencyMs, 3);
    expect(rows[1]).toMatchObject({ id: 1, at: 43_000 });
    expect(rows[1].warnings.map((w) => w.kind)).toEqual(['unseen-category']);
    expect(await predictor.flushLog(TEST_DATABASE, 'p-form')).toBe(0);
    predictor.forgetAll();
  });

  it('stores gathered rows by itself after a second without requests', async () => {
    const predictor = client();
    await predictor.serveOne('champion', loader(champion), GENTOO, { projectId: 'p-idle', databaseName: TEST_DATABASE, model: MODEL });
    expect(await withRepo((repo) => repo.count('p-idle'))).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(await withRepo((repo) => repo.count('p-idle'))).toBe(1);
    predictor.forgetAll();
  });

  it('scores a file in the worker, logs its rows and returns the answers as CSV', async () => {
    const predictor = client();
    // Every measurement beyond float32: the model's output is not a number, so that row is an error.
    const huge: RawRow = { ...GENTOO, 'Beak Length (mm)': 1e39, 'Beak Depth (mm)': 1e39, 'Flipper Length (mm)': 1e39, [BODY_MASS]: 1e39 };
    const rows: RawRow[] = [GENTOO, { ...GENTOO, Island: 'Atlantis' }, huge];
    const result = await predictor.scoreFile('champion', loader(champion), { jobId: 'file-1', projectId: 'p-file', databaseName: TEST_DATABASE, model: MODEL, rows });
    expect(result).toMatchObject({ requests: 3, firstId: 0, lastId: 2, warned: 2, errors: 1 });

    const lines = result.csv.trimEnd().split('\r\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toBe(
      'request_id,Island,Beak Length (mm),Beak Depth (mm),Flipper Length (mm),Body Mass (g),Sex,prediction,probability Adelie,probability Chinstrap,probability Gentoo,error,warnings',
    );
    expect(lines[1]).toMatch(/^0,Biscoe,47.5,15,217,5200,MALE,Gentoo,[\d.e-]+,[\d.e-]+,[\d.e-]+,,$/);
    // Quoted as CSV: the warning's own quotes doubled.
    expect(lines[2]).toContain('""Atlantis"" never appeared in Island in training');
    expect(lines[3]).toMatch(/^2,Biscoe,1e\+39,1e\+39,1e\+39,1e\+39,MALE,,,,,"The model's output is NaN, not a number it can answer with.*",".*beyond the largest 32-bit float.*"$/);

    const logged3 = (await logged('p-file')).rows;
    expect(logged3.map((r) => r.id)).toEqual([0, 1, 2]);
    expect(logged3[0]).toMatchObject({ inputs: GENTOO, output: 'Gentoo' });
    expect(logged3[2]).toMatchObject({ output: null, probabilities: null, error: expect.stringMatching(/^The model's output is NaN/) });
    expect(logged3[2].warnings.map((w) => w.kind)).toContain('beyond-float32');
    predictor.forgetAll();
  });
});
