import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildBundleFiles } from '../../src/core/deliver/export/bundle';
import type { BundleInput, BundleMetadata } from '../../src/core/deliver/export/bundle';
import { sha256Hex } from '../../src/core/data/hash';
import { flattenReport } from '../../src/core/evaluate/run-report';
import { rawRow } from '../../src/core/train/preprocess';
import type { DatasetVersion, ModelVersion, Project, RawRow, Run } from '../../src/core/shared/types';
import type { BuiltDataset } from '../../src/core/contracts/dataset';
import type { Prediction } from '../../src/core/contracts/predict';
import type { TrainResult } from '../../src/core/contracts/train';
import { runtimeSources, zipBundle } from '../../src/platform/bundle-zip';
import { createPredictor } from '../../workers/predict/predictor';
import { trainModel } from '../../workers/train/train-loop';
import { penguins, PENGUIN_PARAMS, trainRequest } from '../fixtures/tabular';
import { expectSamePredictions } from '../fixtures/support';
import { ONNX_NODE_SCRIPT, sameAsExamples } from '../fixtures/onnx-node';

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

/** A copy of the unzipped bundle with its schema.json changed; the caller removes it. */
function copyBundle(change: (schema: Record<string, unknown>) => Record<string, unknown>): string {
  const copy = mkdtempSync(join(repo, '.tmp', 'bundle-copy-'));
  for (const name of Object.keys(files)) {
    mkdirSync(dirname(join(copy, name)), { recursive: true });
    writeFileSync(join(copy, name), name === 'schema.json' ? JSON.stringify(change(JSON.parse(text(name)))) : files[name]!);
  }
  return copy;
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
      datesJs: readFileSync(join(serving, 'dates.js'), 'utf8'),
      checkJs: readFileSync(join(serving, 'check.js'), 'utf8'),
      csvJs: readFileSync(join(serving, 'csv.js'), 'utf8'),
      predictJs: readFileSync(join(repo, 'workers/predict/predict.mjs'), 'utf8'),
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
        'model/model.onnx',
        'package.json',
        'predict.mjs',
        'preprocessing.json',
        'recipe.js',
        'recipes.json',
        'schema.json',
        'transform.js',
        'dates.js',
        'check.js',
        'csv.js',
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
    // A run without a recorded format was imported with '.' decimals; the script reads rows that way.
    expect(schema.format).toEqual({ number: { decimal: '.', thousands: '' }, dayFirst: false });
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

  it('answers its examples through model/model.onnx in ONNX Runtime, fed by transform.js as docs/deploying.md shows', async () => {
    writeFileSync(join(dir, 'onnx-predict.mjs'), ONNX_NODE_SCRIPT);
    const { stdout } = await run$(process.execPath, ['onnx-predict.mjs'], { cwd: dir });
    expect(sameAsExamples(stdout, input.examples, 1e-5)).toBe(true);
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

  it('reads a semicolon, quoted, Windows-1252 CSV with decimal commas in the bundle format, and warns per row', async () => {
    const comma = copyBundle((schema) => ({ ...schema, format: { number: { decimal: ',', thousands: '.' }, dayFirst: true } }));
    try {
      const names = Object.keys(testInputs[0]!).filter((n) => n !== 'Species');
      const written = (row: RawRow) => names.map((n) => (row[n] === null ? '' : `"${String(row[n]).replace('.', ',')}"`)).join(';');
      const odd = { ...testInputs[0]!, Island: 'Atlantïs', 'Body Mass (g)': 'heavy' };
      const lines = [names.map((n) => `"${n}"`).join(';'), written(testInputs[0]!), written(testInputs[1]!), written(odd)];
      writeFileSync(join(comma, 'rows.csv'), Uint8Array.from(lines.join('\r\n'), (ch) => ch.charCodeAt(0)));
      const { stdout, stderr } = await run$(process.execPath, ['predict.mjs', 'rows.csv'], { cwd: comma });
      const answers = JSON.parse(stdout) as (Prediction & { line: number })[];
      expect(answers.map((a) => a.line)).toEqual([2, 3, 4]);
      // Read as the app reads the same values: same answers as the in-app predictions of those rows.
      expectSamePredictions(answers.slice(0, 2), result.testPredictions.slice(0, 2), 1e-5);
      expect(answers[2]!.warnings.map((w) => `${w.kind}:${w.column}:${w.value}`)).toEqual(['unseen-category:Island:Atlantïs', 'unparseable-number:Body Mass (g):heavy']);
      expect(stderr).toMatch(/line 4: warning: "heavy" is not a number \(Body Mass \(g\)\); it was read as missing \(numbers are read with decimal mark ','/);
      expect(stderr).toMatch(/line 4: warning: "Atlantïs" never appeared in Island in training/);
      expect(stderr).not.toMatch(/line [23]:/);
    } finally {
      rmSync(comma, { recursive: true, force: true });
    }
  });

  it('refuses input it cannot read with a clear message and exit code 2', async () => {
    const cases: [string, string | Uint8Array, RegExp][] = [
      ['ragged.csv', 'Island;Sex\nDream;MALE\nBiscoe\n', /Line 3 has 1 field but the header has 2\. A value that contains the separator must be in double quotes/],
      ['quote.csv', 'Island,Sex\n"Dream,MALE\n', /Line 2: a quoted value is never closed/],
      ['header.csv', '1,2\n3,4\n', /The first line looks like data, not column names/],
      ['rows.xlsx', 'PK\u0003\u0004', /rows\.xlsx: unknown file type/],
      ['binary.csv', Uint8Array.of(0x49, 0, 0x01, 0x02), /looks like a binary file/],
      ['rows.json', '{"Island": "Dream"}', /should hold a JSON array of objects/],
      ['numbers.json', '[1, 2]', /numbers\.json item 1 is not an object/],
      ['missing.csv', null as unknown as string, /ENOENT|no such file/],
    ];
    for (const [name, content, message] of cases) {
      if (content !== null) writeFileSync(join(dir, name), content);
      const failed = await node([name]).then(
        () => null,
        (e: { code: number; stderr: string; stdout: string }) => e,
      );
      expect(failed, name).not.toBeNull();
      expect(failed!.code, name).toBe(2);
      expect(failed!.stderr, name).toMatch(message);
      expect(failed!.stdout, name).toBe('');
    }
  });

  it('answers a row whose output is NaN with an error and exit code 1, never a class', async () => {
    const huge = Object.fromEntries(Object.entries(testInputs[0]!).map(([k, v]) => [k, typeof v === 'number' ? 1e300 : v]));
    writeFileSync(join(dir, 'huge.json'), JSON.stringify([testInputs[0], huge]));
    const failed = await node(['huge.json']).then(
      () => null,
      (e: { code: number; stderr: string; stdout: string }) => e,
    );
    expect(failed?.code).toBe(1);
    const answers = JSON.parse(failed!.stdout) as Prediction[];
    expect(answers[0]!.ok).toBe(true);
    expect(answers[1]).toMatchObject({ ok: false });
    expect(answers[1]).not.toHaveProperty('output');
    expect(answers[1]!.warnings.map((w) => w.kind)).toContain('beyond-float32');
    expect(failed!.stderr).toMatch(/row 2: error: The model's output is (NaN|-?Infinity)/);
  });

  it('warns in the in-app predictor too, and answers NaN output with an error', async () => {
    const predictor = createPredictor();
    await predictor.load('w', result.model, result.preprocessor, [], { number: { decimal: ',', thousands: '' }, dayFirst: false });
    const mass = String(testInputs[0]!['Body Mass (g)']).replace('.', ',');
    const huge = Object.fromEntries(Object.entries(testInputs[0]!).map(([k, v]) => [k, typeof v === 'number' ? '1e300' : v]));
    const { Island: island, ...withoutIsland } = testInputs[0]!;
    const [plain, odd, nan] = await predictor.predict('w', [
      { ...testInputs[0]!, 'Body Mass (g)': mass },
      { ...withoutIsland, Islnd: island, Sex: 'ALIEN' },
      huge,
    ]);
    expectSamePredictions([plain!], result.testPredictions.slice(0, 1), 1e-5);
    expect(plain!.warnings).toEqual([]);
    expect(odd!.warnings.map((w) => `${w.kind}:${w.column}`)).toEqual(['unknown-column:Islnd', 'missing-column:Island', 'unseen-category:Sex']);
    expect(odd!.warnings[0]!.message).toMatch(/did you mean "Island"/);
    expect(nan).toMatchObject({ ok: false });
    expect(nan!.ok ? '' : nan!.error).toMatch(/output is (NaN|-?Infinity)/);
    predictor.unload('w');
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
