// The predictor worker's batch evaluation, run in Node on tfjs cpu: on the model's own test split it must agree with
// the report the trainer stored; on the raw import, replaying the recipe (with its filter), it must reach the same
// rows and the same answers; a cancelled job stops; regression figures agree with the trainer's too.

import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { FittedRecipe, Recipe } from '../../src/core/recipe/types';
import type { TableResult } from '../../src/core/recipe/work';
import { rowsOf } from '../../src/core/train/preprocess';
import { SPLIT_TEST, SPLIT_TRAIN, SPLIT_VALIDATION, type Table } from '../../src/core/shared/types';
import { defaultHyper } from '../../src/core/train/spec/defaults';
import type { ModelSpec } from '../../src/core/train/spec/types';
import type { BuiltDataset } from '../../src/core/contracts/dataset';
import type { TableRequest } from '../../src/core/contracts/predict';
import type { TrainResult } from '../../src/core/contracts/train';
import { createPredictor } from '../../workers/predict/predictor';
import { trainModel } from '../../workers/train/train-loop';
import { cars, trainRequest, withHyper } from '../fixtures/tabular';
import { trainPenguinsThroughRecipe } from '../fixtures/recipe-training';
import { fakeDatabases, storedVersion } from '../fixtures/stored-version';
import { DatasetService } from '../../workers/dataset/dataset-service';

const RECIPE: Recipe = {
  version: 1,
  steps: [
    { kind: 'onehot', column: 'Island' },
    { kind: 'filter', condition: { kind: 'compare', column: 'Flipper Length (mm)', op: 'ge', value: 185 } },
  ],
};

let raw: BuiltDataset;
let fitted: FittedRecipe;
let derived: TableResult;
let result: TrainResult;

beforeAll(async () => {
  await tf.setBackend('cpu');
  ({ raw, fitted, derived, result } = await trainPenguinsThroughRecipe(RECIPE, 'eval'));
}, 60_000);

// The predictor reads the versions it evaluates by id: each table is stored in fake-indexeddb first.
const open = fakeDatabases();
let stored = 0;

async function request(
  { table, assignment, ...over }: Partial<TableRequest> & { table: Table; assignment: Uint8Array },
): Promise<TableRequest> {
  const schema = table.names.map((name, i) => ({ name, type: table.columns[i].kind, role: 'feature' as const }));
  const made = { id: `version-${++stored}`, schema, summaries: [], table, assignment, counts: { train: 0, validation: 0, test: 0 } };
  const { ref } = await storedVersion(made, open);
  return { jobId: 'job', split: 'test', recipes: [], dataset: ref, ...over };
}

describe('evaluating a table in the predictor', () => {
  it('agrees with the trainer on the model version test split', async () => {
    const predictor = createPredictor(['cpu'], new DatasetService(open));
    await predictor.load('m', result.model, result.preprocessor, [fitted]);
    const progress: number[] = [];
    const { result: ev, environment } = await predictor.evaluate('m', await request({ table: derived.table, assignment: derived.assignment }), (e) => progress.push(e.done));
    // Where the figures were computed comes with them, to be stored with the evaluation.
    expect(environment).toEqual({ browser: 'unknown', backend: 'cpu', device: null, tfjs: '4.22.0', cores: null });
    if (ev.task !== 'classification' || result.evaluation.task !== 'classification') throw new Error('expected classification');
    const testRows = rowsOf(derived.assignment, SPLIT_TEST).length;
    expect(ev.rowsInSplit).toBe(testRows);
    expect(ev.figures.count).toBe(testRows);
    expect(ev.figures.confusion).toEqual(result.evaluation.confusion);
    expect(ev.figures.accuracy).toBeCloseTo(result.evaluation.accuracy, 12);
    expect(ev.figures.macro.f1).toBeCloseTo(result.evaluation.f1, 12);
    expect(ev.rocAuc).toBeGreaterThan(0.9);
    expect(ev.curves.map((c) => c.label)).toEqual(result.preprocessor.labels);
    expect(ev.logLoss).toBeGreaterThan(0);
    expect(ev.worst.length).toBeGreaterThan(0);
    expect(ev.slices.map((s) => s.column)).toContain('Island=Dream');
    expect(progress.at(-1)).toBe(testRows);
    predictor.unload('m');
  });

  it('replays the recipe and its filter on the raw import to reach the same rows and answers', async () => {
    const predictor = createPredictor(['cpu'], new DatasetService(open));
    await predictor.load('m', result.model, result.preprocessor, [fitted]);
    const own = await predictor.predictTable('m', await request({ table: derived.table, assignment: derived.assignment }), () => {});
    const fromRaw = await predictor.predictTable('m', await request({ table: raw.table, assignment: raw.assignment, recipes: [fitted] }), () => {});
    const rawTest = rowsOf(raw.assignment, SPLIT_TEST).length;
    expect(fromRaw.rowsInSplit).toBe(rawTest);
    expect(fromRaw.skipped.filtered).toBe(rawTest - own.rows.length);
    expect(fromRaw.rows.length).toBe(own.rows.length);
    expect(Array.from(fromRaw.truth)).toEqual(Array.from(own.truth));
    expect(Array.from(fromRaw.predicted)).toEqual(Array.from(own.predicted));
    const gap = Math.max(...Array.from(fromRaw.probabilities!, (p, i) => Math.abs(p - own.probabilities![i])));
    expect(gap).toBeLessThan(1e-5);
    predictor.unload('m');
  });

  it('stops a cancelled job', async () => {
    const predictor = createPredictor(['cpu'], new DatasetService(open));
    await predictor.load('m', result.model, result.preprocessor);
    predictor.cancel('stop-me');
    await expect(
      predictor.evaluate('m', await request({ jobId: 'stop-me', table: derived.table, assignment: derived.assignment, split: 'all' }), () => {}),
    ).rejects.toThrow(/cancelled/);
    // The next job with another id runs.
    const ok = await predictor.predictTable('m', await request({ table: derived.table, assignment: derived.assignment }), () => {});
    expect(ok.rows.length).toBeGreaterThan(0);
    predictor.unload('m');
  });

  it('agrees with the trainer on a regression test split', async () => {
    const ds = await cars();
    const trained = await trainModel(trainRequest(ds, 'regression', withHyper({ epochs: 10 })), () => {}, () => false);
    const predictor = createPredictor(['cpu'], new DatasetService(open));
    await predictor.load('r', trained.model, trained.preprocessor);
    const { result: ev } = await predictor.evaluate('r', await request({ table: ds.table, assignment: ds.assignment }), () => {});
    if (ev.task !== 'regression' || trained.evaluation.task !== 'regression') throw new Error('expected regression');
    expect(ev.figures.count).toBe(trained.evaluation.count);
    expect(ev.figures.mae).toBeCloseTo(trained.evaluation.mae, 4);
    expect(ev.figures.rmse).toBeCloseTo(trained.evaluation.rmse, 4);
    expect(ev.figures.r2).toBeCloseTo(trained.evaluation.r2, 4);
    expect(ev.scatter.actual.length).toBe(ev.figures.count);
    expect(ev.worst[0].confidence).toBeNull();
    predictor.unload('r');
  }, 60_000);

  it('evaluates an image model on its images, with slices that leave the image column out', async () => {
    // Bright and dark 8x8 grey images with noise: 120 rows, the last 18 test.
    const n = 120;
    const side = 8;
    const pixels = new Uint8Array(n * side * side);
    const codes = new Int32Array(n);
    let state = 99;
    const noise = () => ((state = (state * 1103515245 + 12345) & 0x7fffffff) % 60) - 30;
    for (let r = 0; r < n; r++) {
      codes[r] = r % 2;
      for (let j = 0; j < side * side; j++) pixels[r * side * side + j] = Math.max(0, Math.min(255, (codes[r] === 0 ? 200 : 55) + noise()));
    }
    const assignment = new Uint8Array(n).map((_, r) => (r < 84 ? SPLIT_TRAIN : r < 102 ? SPLIT_VALIDATION : SPLIT_TEST));
    const table: Table = {
      names: ['image', 'label'],
      rowCount: n,
      columns: [
        { kind: 'image', pixels, width: side, height: side, channels: 1 },
        { kind: 'category', codes, dictionary: ['bright', 'dark'] },
      ],
    };
    const schema = [
      { name: 'image', type: 'image' as const, role: 'feature' as const },
      { name: 'label', type: 'category' as const, role: 'target' as const },
    ];
    const spec: ModelSpec = { family: 'cnn', conv: [{ filters: 4, kernel: 3, pool: 2, activation: 'relu' }], dense: [{ units: 8, activation: 'relu' }], dropout: 0 };
    const trained = await trainModel(
      { runId: 'cnn', task: 'classification', params: { spec, hyper: { ...defaultHyper('cnn'), epochs: 15, learningRate: 0.01, batchSize: 16 } }, backend: 'cpu', schema, table, assignment },
      () => {},
      () => false,
    );
    const predictor = createPredictor(['cpu'], new DatasetService(open));
    await predictor.load('img', trained.model, trained.preprocessor);
    const { result: ev } = await predictor.evaluate('img', await request({ table, assignment }), () => {});
    if (ev.task !== 'classification' || trained.evaluation.task !== 'classification') throw new Error('expected classification');
    expect(ev.figures.count).toBe(18);
    expect(ev.figures.confusion).toEqual(trained.evaluation.confusion);
    expect(ev.slices.map((t) => t.column)).toEqual(['label']);
    expect(Object.keys(ev.worst[0].input)).toEqual(['label']);
    predictor.unload('img');
  }, 60_000);
});
