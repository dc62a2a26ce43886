// The behaviour stage in the predictor worker, on tfjs cpu over fake-indexeddb: CheckList tests of a trained penguin
// model on raw test rows of its root version. A column the model ignores moves nothing; a feature it uses, pushed far
// out, moves answers; a wrong minimum-functionality label fails; the run's recipe chain decides which rows are tested.

import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { BuiltDataset } from '../../src/core/contracts/dataset';
import type { BehaviourRequest, PredictorApi } from '../../src/core/contracts/predict';
import type { TrainResult } from '../../src/core/contracts/train';
import type { BehaviourTest } from '../../src/core/deliver/gates';
import type { FittedRecipe, Recipe } from '../../src/core/recipe/types';
import { SPLIT_TEST, type RawRow } from '../../src/core/shared/types';
import { PredictorClient } from '../../src/platform/workers';
import { DatasetService } from '../../workers/dataset/dataset-service';
import { createPredictor } from '../../workers/predict/predictor';
import { trainModel } from '../../workers/train/train-loop';
import { trainPenguinsThroughRecipe } from '../fixtures/recipe-training';
import { fakeDatabases, storedVersion } from '../fixtures/stored-version';
import { datasetFrom, PENGUIN_PARAMS, sampleRecords, trainRequest } from '../fixtures/tabular';
import { workerOnChannel } from '../fixtures/support';

const FLIPPER = 'Flipper Length (mm)';
const RECIPE: Recipe = {
  version: 1,
  steps: [
    { kind: 'onehot', column: 'Island' },
    { kind: 'filter', condition: { kind: 'compare', column: FLIPPER, op: 'ge', value: 185 } },
  ],
};

/** Typical birds of two species, as a user would type them. */
const GENTOO: RawRow = { Island: 'Biscoe', 'Beak Length (mm)': 47.5, 'Beak Depth (mm)': 15, [FLIPPER]: 217, 'Body Mass (g)': 5200, Sex: 'MALE' };
const ADELIE: RawRow = { Island: 'Torgersen', 'Beak Length (mm)': 38.8, 'Beak Depth (mm)': 18.3, [FLIPPER]: 190, 'Body Mass (g)': 3700, Sex: 'FEMALE' };

const LABELS = ['Adelie', 'Chinstrap', 'Gentoo'];
const open = fakeDatabases();
const datasets = new DatasetService(open);

/** Penguins with Sex ignored: a column the model never reads. */
let plain: BuiltDataset;
let plainModel: TrainResult;
let plainRef: BehaviourRequest['root'];
/** Penguins trained through one-hot Island and a filter on flipper length, and its raw root. */
let raw: BuiltDataset;
let fitted: FittedRecipe;
let recipeModel: TrainResult;
let rawRef: BehaviourRequest['root'];

beforeAll(async () => {
  await tf.setBackend('cpu');
  plain = await datasetFrom(sampleRecords('penguins.json'), { name: 'penguins', task: 'classification', target: 'Species', types: {}, roles: { Sex: 'ignore' } });
  plainModel = await trainModel(trainRequest(plain, 'classification', PENGUIN_PARAMS), () => {}, () => false);
  plainRef = (await storedVersion(plain, open)).ref;
  ({ raw, fitted, result: recipeModel } = await trainPenguinsThroughRecipe(RECIPE, 'behaviour'));
  rawRef = (await storedVersion(raw, open)).ref;
}, 120_000);

function request(root: BehaviourRequest['root'], tests: BehaviourTest[], over: Partial<BehaviourRequest> = {}): BehaviourRequest {
  return { root, recipes: [], tests, labels: LABELS, ...over };
}

async function loadedPlain() {
  const predictor = createPredictor(['cpu'], datasets);
  await predictor.load('plain', plainModel.model, plainModel.preprocessor);
  return predictor;
}

/** Test rows of `ds` in table order. */
function testRows(ds: BuiltDataset): number[] {
  return Array.from(ds.assignment.keys()).filter((r) => ds.assignment[r] === SPLIT_TEST);
}

describe('behaviour tests in the predictor worker', () => {
  it('passes invariance on a column the model ignores, over every test row', async () => {
    const predictor = await loadedPlain();
    const [result] = await predictor.behaviour('plain', request(plainRef, [{ kind: 'invariance', name: 'sex does not matter', column: 'Sex', replacements: ['MALE', 'FEMALE'], tolerance: 0 }]));
    const rows = testRows(plain).length;
    expect(rows).toBeGreaterThan(20);
    // The rows are the root's features as typed (Sex is not one), so each row is tried with both values.
    expect(result).toMatchObject({ name: 'sex does not matter', kind: 'invariance', passed: true, tested: 2 * rows, failed: 0, examples: [] });
    predictor.unload('plain');
  });

  it('fails invariance on a feature the model uses, pushed far out, with offending rows', async () => {
    const predictor = await loadedPlain();
    const [result] = await predictor.behaviour('plain', request(plainRef, [{ kind: 'invariance', name: 'flipper does not matter', column: FLIPPER, replacements: [1000], tolerance: 0.05 }]));
    expect(result.passed).toBe(false);
    expect(result.failed).toBeGreaterThan(0);
    expect(result.examples.length).toBeGreaterThan(0);
    const example = result.examples[0];
    expect(example.changed?.[FLIPPER]).toBe(1000);
    expect(example.input[FLIPPER]).not.toBe(1000);
    expect(example.message).toMatch(/the prediction (changed from \w+ to \w+|moved by [\d.]+, more than the 0.05 allowed)/);
    predictor.unload('plain');
  });

  it('fails a minimum-functionality case with the wrong label and passes the right ones', async () => {
    const predictor = await loadedPlain();
    const [right, wrong] = await predictor.behaviour(
      'plain',
      request(plainRef, [
        { kind: 'minimum', name: 'typical birds', cases: [{ row: GENTOO, label: 'Gentoo' }, { row: ADELIE, label: 'Adelie' }] },
        { kind: 'minimum', name: 'a gentoo called adelie', cases: [{ row: GENTOO, label: 'Adelie' }] },
      ]),
    );
    expect(right).toMatchObject({ passed: true, tested: 2, failed: 0 });
    expect(wrong).toMatchObject({ passed: false, tested: 1, failed: 1 });
    expect(wrong.examples[0]).toMatchObject({ input: GENTOO, after: 'Gentoo', message: 'expected Adelie, got Gentoo' });
    predictor.unload('plain');
  });

  it('reads at most maxRows test rows', async () => {
    const predictor = await loadedPlain();
    const [result] = await predictor.behaviour('plain', request(plainRef, [{ kind: 'invariance', name: 'sex', column: 'Sex', replacements: ['MALE'], tolerance: 0 }], { maxRows: 7 }));
    expect(result.tested).toBe(7);
    predictor.unload('plain');
  });

  it('tests only the root rows the recipe chain keeps, and answers them through the chain', async () => {
    const predictor = createPredictor(['cpu'], datasets);
    await predictor.load('recipe', recipeModel.model, recipeModel.preprocessor, [fitted]);
    // Island is never missing, so every row read is tried once: `tested` counts the rows.
    const probe: BehaviourTest = { kind: 'invariance', name: 'island probe', column: 'Island', replacements: [null], tolerance: 1 };
    const flipperAt = raw.table.names.indexOf(FLIPPER);
    const flippers = raw.table.columns[flipperAt];
    if (flippers.kind !== 'number') throw new Error('flipper length should be a number column');
    const rootTest = testRows(raw);
    const kept = rootTest.filter((r) => flippers.values[r] >= 185);
    expect(kept.length).toBeLessThan(rootTest.length);

    const [filtered] = await predictor.behaviour('recipe', request(rawRef, [probe], { recipes: [fitted] }));
    expect(filtered.tested).toBe(kept.length);
    const [unfiltered] = await predictor.behaviour('recipe', request(rawRef, [probe]));
    expect(unfiltered.tested).toBe(rootTest.length);

    // Raw rows reach the model through its chain (one-hot Island included): the typical birds are recognised.
    const [typical] = await predictor.behaviour(
      'recipe',
      request(rawRef, [{ kind: 'minimum', name: 'typical', cases: [{ row: GENTOO, label: 'Gentoo' }, { row: ADELIE, label: 'Adelie' }] }], { recipes: [fitted] }),
    );
    expect(typical).toMatchObject({ passed: true, tested: 2 });
    predictor.unload('recipe');
  });

  it('refuses a model that is not loaded, and a suite naming a class the model lacks', async () => {
    const predictor = await loadedPlain();
    await expect(predictor.behaviour('nobody', request(plainRef, [{ kind: 'minimum', name: 'm', cases: [{ row: GENTOO, label: 'Gentoo' }] }]))).rejects.toThrow(
      /no model is loaded under "nobody"/,
    );
    await expect(predictor.behaviour('plain', request(plainRef, [{ kind: 'minimum', name: 'm', cases: [{ row: GENTOO, label: 'Emperor' }] }]))).rejects.toThrow(
      /tests\[0\]\.cases\[0\]\.label: the model predicts no class Emperor/,
    );
    predictor.unload('plain');
  });

  it('reaches the worker through PredictorClient.behaviour, loading the model first', async () => {
    const client = new PredictorClient(workerOnChannel<PredictorApi>(createPredictor(['cpu'], datasets)));
    let loads = 0;
    const load = async () => {
      loads++;
      // Loading transfers the weights: each load gets its own copy.
      return { model: { ...plainModel.model, weights: plainModel.model.weights.slice(0) }, preprocessor: plainModel.preprocessor, recipes: [] };
    };
    const tests: BehaviourTest[] = [{ kind: 'minimum', name: 'gentoo', cases: [{ row: GENTOO, label: 'Gentoo' }] }];
    const [first] = await client.behaviour('plain', load, request(plainRef, tests));
    const [again] = await client.behaviour('plain', load, request(plainRef, tests));
    expect(first).toMatchObject({ passed: true, tested: 1 });
    expect(again).toMatchObject({ passed: true, tested: 1 });
    expect(loads).toBe(1);
    client.forgetAll();
  });
});
