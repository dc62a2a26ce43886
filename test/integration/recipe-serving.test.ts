// Training through a data recipe and serving from raw rows must not skew: the predictor fed RAW rows plus the
// recipe chain answers exactly as the model did on the transformed test rows, and so does the exported bundle.

import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildBundleFiles } from '../../src/core/deliver/export/bundle';
import { rawExampleRows } from '../../src/core/deliver/export/raw-examples';
import { flattenReport } from '../../src/core/evaluate/run-report';
import type { FittedRecipe, Recipe } from '../../src/core/recipe/types';
import type { TableResult } from '../../src/core/recipe/work';
import { tableRow } from '../../src/core/recipe/rows';
import { rowsOf, setCell } from '../../src/core/train/preprocess';
import type { DatasetVersion, ModelVersion, Project, RawRow, Run } from '../../src/core/shared/types';
import { SPLIT_TEST, SPLIT_TRAIN, SPLIT_VALIDATION } from '../../src/core/shared/types';
import type { BuiltDataset } from '../../src/core/contracts/dataset';
import type { Prediction } from '../../src/core/contracts/predict';
import type { TrainResult } from '../../src/core/contracts/train';
import { zipBundle } from '../../src/platform/bundle-zip';
import { createPredictor } from '../../workers/predict/predictor';
import { PENGUIN_PARAMS } from '../fixtures/tabular';
import { trainPenguinsThroughRecipe } from '../fixtures/recipe-training';
import { answerOf, expectSamePredictions } from '../fixtures/support';

const run$ = promisify(execFile);
const repo = fileURLToPath(new URL('../../', import.meta.url));
const serving = join(repo, 'src/core/serving');

const RECIPE: Recipe = {
  version: 1,
  steps: [
    { kind: 'impute', column: 'Beak Length (mm)', strategy: 'median' },
    { kind: 'onehot', column: 'Island' },
    { kind: 'scale', column: 'Body Mass (g)', method: 'minmax' },
    // Evaluated on the raw flipper length (no step before it touches that column): drops the smallest penguins.
    { kind: 'filter', condition: { kind: 'compare', column: 'Flipper Length (mm)', op: 'ge', value: 185 } },
  ],
};

let raw: BuiltDataset;
let fitted: FittedRecipe;
let derived: TableResult;
let result: TrainResult;
/** The raw row (without the target) behind each of result.testPredictions. */
let rawTestRows: RawRow[];
let dir: string;
let examplesCount = 0;

function withoutTarget(row: RawRow): RawRow {
  const out: RawRow = {};
  for (const col of raw.schema) if (col.role !== 'target') setCell(out, col.name, row[col.name] ?? null);
  return out;
}

beforeAll(async () => {
  await tf.setBackend('cpu');
  ({ raw, fitted, derived, result } = await trainPenguinsThroughRecipe(RECIPE, 'run-recipe'));
  rawTestRows = result.testPredictions.map((p) => withoutTarget(tableRow(raw.table, derived.rows[p.row])));
}, 60_000);

afterAll(() => {
  if (dir && !process.env.KEEP_BUNDLE) rmSync(dir, { recursive: true, force: true });
});

describe('serving a model trained through a recipe', () => {
  it('trains on the transformed table: the filter dropped rows and the model reads one-hot and scaled columns', () => {
    expect(derived.table.rowCount).toBeLessThan(raw.table.rowCount);
    expect(derived.table.rowCount).toBeGreaterThan(200);
    expect(result.preprocessor.features.map((f) => f.name)).toEqual(expect.arrayContaining(['Island=Biscoe', 'Island=Dream', 'Island=Torgersen', 'Body Mass (g)']));
    expect(result.preprocessor.features.map((f) => f.name)).not.toContain('Island');
    if (result.evaluation.task !== 'classification') throw new Error('unreachable');
    expect(result.evaluation.accuracy).toBeGreaterThan(0.85);
  });

  it('answers raw rows through the chain exactly as the model answered the transformed test rows', async () => {
    const before = tf.memory().numTensors;
    const predictor = createPredictor();
    await predictor.load('with', result.model, result.preprocessor, [fitted]);
    expectSamePredictions(await predictor.predict('with', rawTestRows), result.testPredictions, 1e-5);
    // Without the chain the same raw rows are read wrongly (no one-hot columns, unscaled mass): the skew this prevents.
    await predictor.load('without', result.model, result.preprocessor);
    const skewed = (await predictor.predict('without', rawTestRows)).map(answerOf);
    const gap = Math.max(...skewed.flatMap((s, i) => (s.probabilities ?? []).map((v, k) => Math.abs(v - (result.testPredictions[i].probabilities ?? [])[k]))));
    expect(gap).toBeGreaterThan(0.01);
    predictor.unload('with');
    predictor.unload('without');
    expect(tf.memory().numTensors).toBe(before);
  });

  it('picks as raw examples exactly the root test rows the filter keeps', () => {
    const testCount = rowsOf(derived.assignment, SPLIT_TEST).length;
    const examples = rawExampleRows(raw.schema, raw.table, raw.assignment, [fitted], 10_000);
    expect(examples).toHaveLength(testCount);
    expect(examples).toEqual(rawTestRows);
    expect(rawExampleRows(raw.schema, raw.table, raw.assignment, [fitted], 5)).toEqual(rawTestRows.slice(0, 5));
    expect(rowsOf(raw.assignment, SPLIT_TEST).length).toBeGreaterThan(testCount);
  });

  it('exports a bundle that verifies itself on raw examples and answers raw rows like the app', async () => {
    const project: Project = { id: 'p', name: 'Penguins', task: 'classification', target: 'Species', goal: { metric: 'accuracy', bar: 0.9 }, createdAt: 1_700_000_000_000 };
    const counts = {
      train: rowsOf(derived.assignment, SPLIT_TRAIN).length,
      validation: rowsOf(derived.assignment, SPLIT_VALIDATION).length,
      test: rowsOf(derived.assignment, SPLIT_TEST).length,
    };
    const dataset: DatasetVersion = {
      id: 'derived-version',
      projectId: project.id,
      name: 'penguins + recipe',
      createdAt: 1_700_000_000_500,
      rowCount: derived.table.rowCount,
      schema: derived.schema,
      summaries: [],
      split: { method: 'stratified', seed: 42, fractions: [0.7, 0.15, 0.15], counts },
      source: { kind: 'sample', fileName: 'penguins.json', byteLength: 1 },
      parents: [raw.id],
      recipe: fitted,
      chunkRows: 65536,
      chunkCount: 1,
    };
    const run: Run = {
      id: 'run-recipe',
      projectId: project.id,
      datasetId: dataset.id,
      name: 'mlp through a recipe',
      status: 'finished',
      params: PENGUIN_PARAMS,
      backend: result.backend,
      versions: result.versions,
      startedAt: 1_700_000_001_000,
      endedAt: 1_700_000_002_000,
      history: result.history,
      metrics: flattenReport(result.evaluation),
      evaluation: result.evaluation,
      preprocessor: result.preprocessor,
      model: null,
      note: '',
      tags: {},
      recipes: [fitted],
    };
    const model: ModelVersion = { id: 'penguins@1', name: 'penguins', version: 1, runId: run.id, createdAt: 1_700_000_003_000 };
    // As the registry does: raw examples, with the answers of the in-app predictor given the chain.
    const inputs = rawExampleRows(raw.schema, raw.table, raw.assignment, [fitted], 200);
    const predictor = createPredictor();
    await predictor.load('m', result.model, result.preprocessor, [fitted]);
    const outputs = await predictor.predict('m', inputs);
    predictor.unload('m');
    examplesCount = inputs.length;
    const files = await buildBundleFiles({
      project,
      dataset,
      run,
      model,
      topology: result.model.topology,
      weightSpecs: result.model.weightSpecs,
      weights: result.model.weights,
      runtime: {
        transformJs: readFileSync(join(serving, 'transform.js'), 'utf8'),
        recipeJs: readFileSync(join(serving, 'recipe.js'), 'utf8'),
        datesJs: readFileSync(join(serving, 'dates.js'), 'utf8'),
        checkJs: readFileSync(join(serving, 'check.js'), 'utf8'),
        csvJs: readFileSync(join(serving, 'csv.js'), 'utf8'),
        predictJs: readFileSync(join(repo, 'workers/predict/predict.mjs'), 'utf8'),
      },
      examples: inputs.map((input, i) => ({ input, output: answerOf(outputs[i]).output, probabilities: answerOf(outputs[i]).probabilities })),
      exportedAt: 1_700_000_004_000,
      chain: [raw.id, dataset.id],
    });
    const text = (name: string) => new TextDecoder().decode(files[name]);
    expect(JSON.parse(text('recipes.json'))).toEqual([fitted]);
    expect(JSON.parse(text('lineage.json')).recipeChain).toEqual([raw.id, 'derived-version']);
    const schema = JSON.parse(text('schema.json'));
    expect(schema.rawInputs.map((c: { name: string }) => c.name)).toEqual(['Island', 'Beak Length (mm)', 'Beak Depth (mm)', 'Flipper Length (mm)', 'Body Mass (g)', 'Sex']);
    expect(text('MODEL_CARD.md')).toContain('onehot `Island`');
    expect(text('README.md')).toContain('loadRecipes');
    // A run with recipes but no chain of versions to name in lineage.json is refused.
    const bare = { project, dataset, run, model, topology: null, weightSpecs: [], weights: new ArrayBuffer(0), examples: [], exportedAt: 0 };
    await expect(buildBundleFiles({ ...bare, runtime: { transformJs: '', recipeJs: '', predictJs: '', datesJs: '', checkJs: '', csvJs: '' } })).rejects.toThrow(/lineage chain/);

    mkdirSync(join(repo, '.tmp'), { recursive: true });
    dir = mkdtempSync(join(repo, '.tmp', 'bundle-recipe-'));
    for (const [name, bytes] of Object.entries(unzipSync(zipBundle(files)))) {
      mkdirSync(dirname(join(dir, name)), { recursive: true });
      writeFileSync(join(dir, name), bytes);
    }
    const { stdout } = await run$(process.execPath, ['predict.mjs', '--verify'], { cwd: dir });
    expect(stdout).toContain(`${examplesCount} of ${examplesCount} examples match`);

    writeFileSync(join(dir, 'rows.json'), JSON.stringify(rawTestRows));
    const served = JSON.parse((await run$(process.execPath, ['predict.mjs', 'rows.json'], { cwd: dir, maxBuffer: 16 * 1024 * 1024 })).stdout) as Prediction[];
    expectSamePredictions(served, result.testPredictions, 1e-5);
  }, 60_000);

  it('fails verification once recipes.json is gone: the bundle cannot pass without replaying the chain', async () => {
    expect(dir).toBeTruthy();
    rmSync(join(dir, 'recipes.json'));
    await expect(run$(process.execPath, ['predict.mjs', '--verify'], { cwd: dir })).rejects.toMatchObject({ code: 1 });
  }, 60_000);
});
