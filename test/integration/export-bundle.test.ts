import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildBundleFiles } from '../../src/core/export/bundle';
import type { BundleInput, BundleMetadata } from '../../src/core/export/bundle';
import { sha256Hex } from '../../src/core/hash';
import { flattenReport } from '../../src/core/metrics';
import { rawRow } from '../../src/core/preprocess';
import type { DatasetVersion, ModelVersion, Project, RawRow, Run } from '../../src/core/types';
import type { BuiltDataset, Prediction, TrainResult } from '../../src/core/worker-api';
import { runtimeSources, zipBundle } from '../../src/platform/bundle-zip';
import { createPredictor } from '../../workers/predictor';
import { trainModel } from '../../workers/train-loop';
import { penguins, PENGUIN_PARAMS, trainRequest } from '../fixtures/tabular';
import { expectSamePredictions } from '../fixtures/support';

const run$ = promisify(execFile);
const repo = fileURLToPath(new URL('../../', import.meta.url));
const serving = join(repo, 'src/core/serving');

let data: BuiltDataset;
let result: TrainResult;
let input: BundleInput;
let files: Record<string, Uint8Array>;
let dir: string;
let testInputs: RawRow[];

function node(args: string[]): Promise<{ stdout: string; stderr: string }> {
  return run$(process.execPath, ['predict.mjs', ...args], { cwd: dir, maxBuffer: 16 * 1024 * 1024 });
}

function text(name: string): string {
  return new TextDecoder().decode(files[name]);
}

beforeAll(async () => {
  await tf.setBackend('cpu');
  data = await penguins();
  result = await trainModel(trainRequest(data, 'classification', PENGUIN_PARAMS, 'run-export'), () => {}, () => false);
  const project: Project = {
    id: 'p-penguins',
    name: 'Penguin species',
    task: 'classification',
    target: 'Species',
    goal: { metric: 'accuracy', bar: 0.9 },
    createdAt: 1_700_000_000_000,
  };
  const dataset: DatasetVersion = {
    id: data.id,
    projectId: project.id,
    name: 'penguins',
    createdAt: 1_700_000_000_500,
    rowCount: data.table.rowCount,
    schema: data.schema,
    summaries: data.summaries,
    split: { method: 'stratified', seed: 42, fractions: [0.7, 0.15, 0.15], counts: data.counts },
    source: { kind: 'sample', fileName: 'penguins.json', byteLength: 1 },
    parents: [],
    chunkRows: 65536,
    chunkCount: 1,
  };
  const runRecord: Run = {
    id: 'run-export',
    projectId: project.id,
    datasetId: dataset.id,
    name: 'mlp 1x16',
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
  };
  const model: ModelVersion = { id: 'penguin-species@3', name: 'penguin-species', version: 3, runId: runRecord.id, createdAt: 1_700_000_003_000 };
  testInputs = result.testPredictions.map((p) => rawRow(data.schema, data.table, p.row));
  input = {
    project,
    dataset,
    run: runRecord,
    model,
    topology: result.model.topology,
    weightSpecs: result.model.weightSpecs,
    weights: result.model.weights,
    runtime: {
      transformJs: readFileSync(join(serving, 'transform.js'), 'utf8'),
      recipeJs: readFileSync(join(serving, 'recipe.js'), 'utf8'),
      predictJs: readFileSync(join(repo, 'workers/serving/predict.mjs'), 'utf8'),
    },
    examples: result.testPredictions.map((p, i) => ({ input: testInputs[i], output: p.output, probabilities: p.probabilities })),
    exportedAt: 1_700_000_004_000,
  };
  files = await buildBundleFiles(input);

  // Inside the repo so that the bundle's `import '@tensorflow/tfjs'` resolves from the repo's node_modules.
  mkdirSync(join(repo, '.tmp'), { recursive: true });
  dir = mkdtempSync(join(repo, '.tmp', 'bundle-'));
  for (const [name, bytes] of Object.entries(unzipSync(zipBundle(files)))) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), bytes);
  }
});

afterAll(() => {
  if (dir && !process.env.KEEP_BUNDLE) rmSync(dir, { recursive: true, force: true });
});

describe('export bundle', () => {
  it('holds every documented file, with the runtime copied verbatim', () => {
    expect(Object.keys(files).sort()).toEqual(
      [
        'MODEL_CARD.md',
        'README.md',
        'examples.json',
        'labels.json',
        'lineage.json',
        'metrics.json',
        'model/group1-shard1of1.bin',
        'model/model.json',
        'package.json',
        'predict.mjs',
        'preprocessing.json',
        'recipe.js',
        'recipes.json',
        'schema.json',
        'transform.js',
      ].sort(),
    );
    expect(runtimeSources).toEqual(input.runtime);
    expect(text('transform.js')).toBe(input.runtime.transformJs);
    expect(text('recipe.js')).toBe(input.runtime.recipeJs);
    // Trained on the imported data as it was: no recipes, and callers give the model's own columns.
    expect(JSON.parse(text('recipes.json'))).toEqual([]);
    expect(JSON.parse(text('package.json'))).toMatchObject({ type: 'module', dependencies: { '@tensorflow/tfjs': '4.22.0' } });
    expect(JSON.parse(text('labels.json'))).toEqual(['Adelie', 'Chinstrap', 'Gentoo']);
    expect(JSON.parse(text('preprocessing.json'))).toEqual(result.preprocessor);
    const schema = JSON.parse(text('schema.json'));
    expect(schema.inputs.find((c: { name: string }) => c.name === 'Island')).toEqual({ name: 'Island', type: 'category', values: ['Biscoe', 'Dream', 'Torgersen'] });
    expect(schema).not.toHaveProperty('rawInputs');
    const lineage = JSON.parse(text('lineage.json'));
    expect(lineage).toMatchObject({ dataset: { id: data.id }, recipeChain: [data.id], run: { id: 'run-export', params: PENGUIN_PARAMS, backend: 'cpu' }, model: { name: 'penguin-species', version: 3 } });
    expect(text('MODEL_CARD.md')).toContain('penguin-species v3');
    expect(text('README.md')).toContain('node predict.mjs rows.json');
  });

  it('labels model.json with the run, dataset version and recipe hash', async () => {
    const modelJson = JSON.parse(text('model/model.json'));
    expect(modelJson.format).toBe('layers-model');
    expect(modelJson.weightsManifest).toEqual([{ paths: ['group1-shard1of1.bin'], weights: result.model.weightSpecs }]);
    const expected: BundleMetadata = {
      runId: 'run-export',
      datasetVersion: data.id,
      recipeHash: await sha256Hex(files['preprocessing.json']),
      modelName: 'penguin-species',
      modelVersion: 3,
    };
    expect(modelJson.userDefinedMetadata).toEqual(expected);
    expect(files['model/group1-shard1of1.bin']).toEqual(new Uint8Array(result.model.weights));
  });

  it('verifies itself with `node predict.mjs --verify`', async () => {
    const { stdout } = await node(['--verify']);
    expect(stdout).toContain(`${input.examples.length} of ${input.examples.length} examples match`);
  });

  it('fails verification when an expected answer is wrong', async () => {
    const examples = JSON.parse(readFileSync(join(dir, 'examples.json'), 'utf8'));
    const labels = result.preprocessor.labels;
    examples[0].output = labels[(labels.indexOf(examples[0].output) + 1) % labels.length];
    const tampered = mkdtempSync(join(repo, '.tmp', 'bundle-bad-'));
    try {
      for (const name of Object.keys(files)) {
        mkdirSync(dirname(join(tampered, name)), { recursive: true });
        writeFileSync(join(tampered, name), name === 'examples.json' ? JSON.stringify(examples) : files[name]);
      }
      await expect(run$(process.execPath, ['predict.mjs', '--verify'], { cwd: tampered })).rejects.toMatchObject({ code: 1 });
    } finally {
      rmSync(tampered, { recursive: true, force: true });
    }
  });

  it('answers raw rows exactly as the app did, from JSON and from CSV', async () => {
    writeFileSync(join(dir, 'rows.json'), JSON.stringify(testInputs));
    const fromJson = JSON.parse((await node(['rows.json'])).stdout) as Prediction[];
    expectSamePredictions(fromJson, result.testPredictions, 1e-5);

    const names = Object.keys(testInputs[0]);
    const csv = [names.join(','), ...testInputs.map((r) => names.map((n) => (r[n] === null ? '' : String(r[n]))).join(','))].join('\n');
    writeFileSync(join(dir, 'rows.csv'), csv);
    const fromCsv = JSON.parse((await node(['rows.csv'])).stdout) as Prediction[];
    expectSamePredictions(fromCsv, result.testPredictions, 1e-5);
  });

  it('gives the same answers through the in-app predictor', async () => {
    const before = tf.memory().numTensors;
    const predictor = createPredictor();
    await expect(predictor.load('m', result.model, result.preprocessor)).resolves.toBe('cpu');
    expectSamePredictions(await predictor.predict('m', testInputs), result.testPredictions, 1e-5);
    predictor.unload('m');
    await expect(predictor.predict('m', testInputs)).rejects.toThrow(/no model/);
    expect(tf.memory().numTensors).toBe(before);
  });
});
