// The export bundle of an image model (CNN), built from storage through the app's own path (fake-indexeddb, the
// predict worker's code on a MessageChannel): its example PNGs hold the stored test images, model.onnx in ONNX
// Runtime answers them as the app did (within 1e-5), and the shipped predict.mjs --verify passes on the unzipped
// bundle and fails when an answer is changed.

import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { deflateSync, inflateSync } from 'node:zlib';
import * as tf from '@tensorflow/tfjs';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BundleExample, BundleSchema } from '../../src/core/deliver/export/bundle';
import { encodePng } from '../../src/core/deliver/export/png';
import { crc32 } from '../../src/core/shared/zip/crc32';
import { buildImageDataset } from '../../src/core/data/images/dataset';
import { drawShapes } from '../../src/core/data/images/shapes';
import { datasetChunkCount } from '../../src/core/data/version-record';
import { flattenReport } from '../../src/core/evaluate/run-report';
import { DEFAULT_SPLIT } from '../../src/core/shared/defaults';
import { SPLIT_TEST } from '../../src/core/shared/types';
import type { DatasetVersion, ImageShape, ModelVersion, Project, RunParams } from '../../src/core/shared/types';
import type { BuiltDataset } from '../../src/core/contracts/dataset';
import { defaultHyper } from '../../src/core/train/spec/defaults';
import type { LoopbenchDb } from '../../src/platform/db';
import { DatasetsRepo } from '../../src/platform/repositories/datasets';
import { EvaluationsRepo } from '../../src/platform/repositories/evaluations';
import { RegistryRepo } from '../../src/platform/repositories/registry';
import { RunsRepo } from '../../src/platform/repositories/runs';
import { PredictorClient } from '../../src/platform/workers';
import { cappedInflate } from '../../src/platform/bundle-inflate';
import { importedRecords, readBundle } from '../../src/core/deliver/import';
import { buildBundle } from '../../src/state/deliver/bundle';
import type { Services } from '../../src/state/shared/services';
import { createPredictor } from '../../workers/predict/predictor';
import { DatasetService } from '../../workers/dataset/dataset-service';
import { trainModel } from '../../workers/train/train-loop';
import { workerOnChannel } from '../fixtures/support';
import { ONNX_NODE_IMAGE_SCRIPT } from '../fixtures/onnx-node-image';
import { fakeDatabases, TEST_DATABASE } from '../fixtures/stored-version';
import { run as runRecord } from './storage-fixtures';

const run$ = promisify(execFile);
const repo = fileURLToPath(new URL('../../', import.meta.url));
const TOLERANCE = 1e-5;

const CNN: RunParams = {
  spec: {
    family: 'cnn',
    conv: [
      { filters: 4, kernel: 3, pool: 2, activation: 'relu' },
      { filters: 3, kernel: 3, pool: 1, activation: 'tanh' },
    ],
    dense: [{ units: 8, activation: 'relu' }],
    dropout: 0,
  },
  hyper: { ...defaultHyper('cnn'), learningRate: 0.01, epochs: 3, batchSize: 16, seed: 5 },
};

interface Exported {
  data: BuiltDataset;
  files: Record<string, Uint8Array>;
  zip: Uint8Array;
  dir: string;
  version: ModelVersion;
}

let db: LoopbenchDb;
let services: Services;
const dirs: string[] = [];

/** Draws the shapes sample at `shape`, stores it, trains a small CNN on it, registers it and exports its bundle. */
async function exportShapes(shape: ImageShape, perClass: number, name: string): Promise<Exported> {
  const drawn = drawShapes(perClass, 99, shape);
  const built = await buildImageDataset(drawn.pixels, drawn.labels, shape, DEFAULT_SPLIT);
  if (!built.ok) throw new Error(built.message);
  const data = built.dataset;
  const project: Project = { id: `p-${name}`, name: `Shapes ${name}`, task: 'classification', target: 'label', goal: { metric: 'accuracy', bar: 0.5 }, createdAt: 1, image: shape };
  const dataset: DatasetVersion = {
    id: data.id,
    projectId: project.id,
    name: `shapes-${name}`,
    createdAt: 2,
    rowCount: data.table.rowCount,
    schema: data.schema,
    summaries: data.summaries,
    split: { ...DEFAULT_SPLIT, counts: data.counts },
    source: { kind: 'sample', fileName: 'shapes', byteLength: 1 },
    parents: [],
    chunkRows: 65536,
    chunkCount: datasetChunkCount(data.table.rowCount, 65536),
  };
  await services.datasets.save(dataset, data.table, data.assignment);
  const runId = `run-${name}`;
  const trained = await trainModel(
    { runId, task: 'classification', params: CNN, backend: 'cpu', schema: data.schema, table: data.table, assignment: data.assignment },
    () => {},
    () => false,
  );
  const runs = services.runs as RunsRepo;
  await runs.create(runRecord(runId, { projectId: project.id, datasetId: dataset.id, params: CNN }));
  await runs.finish(
    runId,
    {
      status: 'finished',
      endedAt: 3,
      history: trained.history,
      metrics: flattenReport(trained.evaluation),
      evaluation: trained.evaluation,
      preprocessor: trained.preprocessor,
      versions: trained.versions,
      model: { topology: trained.model.topology, weightSpecs: trained.model.weightSpecs },
    },
    trained.model.weights,
  );
  const version = await (services.registry as RegistryRepo).register(project.id, `shapes-${name}`, runId, 'Names the shape drawn');
  const { files, zip } = await buildBundle(services, project, version);
  const dir = mkdtempSync(join(repo, '.tmp', `image-bundle-${name}-`));
  dirs.push(dir);
  for (const [file, bytes] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    writeFileSync(join(dir, file), bytes);
  }
  return { data, files, zip, dir, version };
}

const json = <T>(files: Record<string, Uint8Array>, name: string): T => JSON.parse(new TextDecoder().decode(files[name])) as T;

/** An independent reading of the PNGs the bundle writes (filter 0 on every row): the pixels, rows top to bottom. */
function pngPixels(bytes: Uint8Array): { width: number; height: number; colourType: number; pixels: Uint8Array } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  expect(Array.from(bytes.subarray(0, 8))).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const width = view.getUint32(16);
  const height = view.getUint32(20);
  const colourType = bytes[25]!;
  const idatLength = view.getUint32(33);
  expect(new TextDecoder().decode(bytes.subarray(37, 41))).toBe('IDAT');
  const raw = inflateSync(bytes.subarray(41, 41 + idatLength));
  const stride = raw.length / height;
  const pixels = new Uint8Array(height * (stride - 1));
  for (let y = 0; y < height; y++) {
    expect(raw[y * stride]).toBe(0);
    pixels.set(raw.subarray(y * stride + 1, (y + 1) * stride), y * (stride - 1));
  }
  return { width, height, colourType, pixels };
}

/** A grey PNG whose row y uses filter y % 5, so a reader must undo all five to get the pixels back. */
function filteredPng(pixels: Uint8Array, width: number, height: number): Uint8Array {
  const at = (x: number, y: number) => (x >= 0 && y >= 0 ? pixels[y * width + x]! : 0);
  const paeth = (a: number, b: number, c: number) => {
    const p = a + b - c;
    const [pa, pb, pc] = [Math.abs(p - a), Math.abs(p - b), Math.abs(p - c)];
    return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
  };
  const raw = new Uint8Array(height * (width + 1));
  for (let y = 0; y < height; y++) {
    const filter = y % 5;
    raw[y * (width + 1)] = filter;
    for (let x = 0; x < width; x++) {
      const [left, up, corner] = [at(x - 1, y), at(x, y - 1), at(x - 1, y - 1)];
      const predicted = [0, left, up, (left + up) >> 1, paeth(left, up, corner)][filter]!;
      raw[y * (width + 1) + 1 + x] = (at(x, y) - predicted) & 0xff;
    }
  }
  // Same header and chunk layout as the bundle's own PNGs, with the filtered rows (zlib-compressed) as image data.
  const plain = encodePng(pixels, width, height, 1);
  const idat = deflateSync(raw);
  const chunk = new Uint8Array(12 + idat.length);
  const view = new DataView(chunk.buffer);
  view.setUint32(0, idat.length);
  chunk.set(new TextEncoder().encode('IDAT'), 4);
  chunk.set(idat, 8);
  view.setUint32(8 + idat.length, crc32(chunk.subarray(4, 8 + idat.length)));
  const idatStart = 33;
  const idatEnd = idatStart + 12 + new DataView(plain.buffer).getUint32(idatStart);
  return Uint8Array.from([...plain.subarray(0, idatStart), ...chunk, ...plain.subarray(idatEnd)]);
}

function node(dir: string, args: string[]): Promise<{ stdout: string; stderr: string }> {
  return run$(process.execPath, args, { cwd: dir, maxBuffer: 16 * 1024 * 1024 });
}

let rgb: Exported;
let grey: Exported;

beforeAll(async () => {
  await tf.setBackend('cpu');
  mkdirSync(join(repo, '.tmp'), { recursive: true });
  // One fake IndexedDB for the page's repositories and the predictor, which reads the test split by the version's id.
  const open = fakeDatabases();
  const opened = await open(TEST_DATABASE);
  if (!opened.ok) throw new Error(opened.message);
  db = opened.db;
  const parts = {
    datasets: new DatasetsRepo(db),
    runs: new RunsRepo(db),
    registry: new RegistryRepo(db),
    evaluations: new EvaluationsRepo(db),
    predictor: new PredictorClient(workerOnChannel(createPredictor(['cpu'], new DatasetService(open), open))),
  } satisfies Partial<Services>;
  // The export reads only these; a call to any other service would fail the test loudly.
  services = parts as Partial<Services> as Services;
  // 40 per class: a test split of more than 20 images, so the examples stop at 20. Grey at an odd, non-square size:
  // a bundle that swapped height and width would not read its own PNGs.
  rgb = await exportShapes({ width: 16, height: 16, channels: 3 }, 40, 'rgb');
  grey = await exportShapes({ width: 11, height: 9, channels: 1 }, 20, 'grey');
}, 240_000);

afterAll(() => {
  services?.predictor.forgetAll();
  db?.close();
  if (!process.env.KEEP_BUNDLE) for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('export bundle of an image model', () => {
  it('carries the model, its ONNX twin, the documents and up to 20 example PNGs, and no standalone page', () => {
    const names = Object.keys(rgb.files);
    for (const f of ['model/model.json', 'model/group1-shard1of1.bin', 'model/model.onnx', 'preprocessing.json', 'labels.json', 'metrics.json', 'lineage.json', 'MODEL_CARD.md', 'README.md', 'schema.json', 'examples.json', 'predict.mjs']) {
      expect(names, f).toContain(f);
    }
    expect(names.filter((n) => n.startsWith('standalone/'))).toEqual([]);
    const examples = json<BundleExample[]>(rgb.files, 'examples.json');
    expect(examples).toHaveLength(20);
    expect(names.filter((n) => n.startsWith('examples/')).sort()).toEqual(examples.map((_, i) => `examples/${i}.png`).sort());
    examples.forEach((e, i) => {
      expect(e.input).toEqual({ image: `examples/${i}.png` });
      expect(['circle', 'cross', 'square', 'triangle']).toContain(e.output);
      expect(e.probabilities).toHaveLength(4);
    });
    expect(json<string[]>(rgb.files, 'labels.json')).toEqual(['circle', 'cross', 'square', 'triangle']);
    const readme = new TextDecoder().decode(rgb.files['README.md']);
    expect(readme).toMatch(/16 x 16 RGB image/);
    expect(readme).toMatch(/no standalone page/);
    expect(readme).toContain('node predict.mjs --verify');
    expect(new TextDecoder().decode(rgb.files['MODEL_CARD.md'])).toMatch(/from 16 x 16 images/);
  });

  it('says in schema.json that the input is one image, its size, pixels / 255, NHWC', () => {
    const schema = json<BundleSchema>(rgb.files, 'schema.json');
    expect(schema.image).toEqual({ column: 'image', height: 16, width: 16, channels: 3, layout: 'NHWC', divideBy: 255 });
    expect(schema.inputs).toEqual([]);
    expect(schema.output).toEqual({ name: 'label', type: 'category', labels: ['circle', 'cross', 'square', 'triangle'] });
    expect(json<BundleSchema>(grey.files, 'schema.json').image).toEqual({ column: 'image', height: 9, width: 11, channels: 1, layout: 'NHWC', divideBy: 255 });
  });

  it('ships the stored test images, in test-split order, as PNG', () => {
    for (const { data, files } of [rgb, grey]) {
      const column = data.table.columns[0]!;
      if (column.kind !== 'image') throw new Error('expected the image column first');
      const size = column.width * column.height * column.channels;
      const testRows = Array.from(data.assignment.keys()).filter((r) => data.assignment[r] === SPLIT_TEST);
      const examples = json<BundleExample[]>(files, 'examples.json');
      expect(examples.length).toBe(Math.min(20, testRows.length));
      examples.forEach((_, i) => {
        const png = pngPixels(files[`examples/${i}.png`]!);
        expect([png.width, png.height, png.colourType]).toEqual([column.width, column.height, column.channels === 3 ? 2 : 0]);
        const row = testRows[i]!;
        expect(png.pixels).toEqual(column.pixels.slice(row * size, (row + 1) * size));
      });
    }
  });

  it("model.onnx in ONNX Runtime answers the example PNGs with the app's probabilities (within 1e-5), as docs/deploying.md shows", async () => {
    for (const { dir, files } of [rgb, grey]) {
      writeFileSync(join(dir, 'onnx-predict.mjs'), ONNX_NODE_IMAGE_SCRIPT);
      const { stdout } = await node(dir, ['onnx-predict.mjs']);
      const answers = JSON.parse(stdout) as { output: string; probabilities: number[] }[];
      const examples = json<BundleExample[]>(files, 'examples.json');
      expect(answers).toHaveLength(examples.length);
      answers.forEach((a, i) => {
        expect(a.output, `example ${i}`).toBe(examples[i]!.output);
        a.probabilities.forEach((p, j) => expect(Math.abs(p - examples[i]!.probabilities![j]!), `example ${i} class ${j}`).toBeLessThanOrEqual(TOLERANCE));
      });
    }
    // The same in-process, fed from an independent PNG reading rather than the bundle's own decoder.
    const session = await ort.InferenceSession.create(rgb.files['model/model.onnx']!);
    const examples = json<BundleExample[]>(rgb.files, 'examples.json');
    const x = Float32Array.from(examples.flatMap((_, i) => Array.from(pngPixels(rgb.files[`examples/${i}.png`]!).pixels, (v) => v / 255)));
    const out = (await session.run({ image: new ort.Tensor('float32', x, [examples.length, 16, 16, 3]) })).probabilities!;
    const values = out.data as Float32Array;
    examples.forEach((e, i) => e.probabilities!.forEach((p, j) => expect(Math.abs(values[i * 4 + j]! - p)).toBeLessThanOrEqual(TOLERANCE)));
  }, 60_000);

  it('node predict.mjs --verify passes on the unzipped bundle, and fails when an answer differs', async () => {
    for (const { dir, files } of [rgb, grey]) {
      const n = json<BundleExample[]>(files, 'examples.json').length;
      const { stdout } = await node(dir, ['predict.mjs', '--verify']);
      expect(stdout.trim()).toBe(`${n} of ${n} examples match`);
    }
    const examples = json<BundleExample[]>(rgb.files, 'examples.json');
    const changed = examples.map((e, i) => (i === 3 ? { ...e, probabilities: e.probabilities!.map((p, j) => (j === 0 ? p + 0.01 : p)) } : e));
    writeFileSync(join(rgb.dir, 'examples.json'), JSON.stringify(changed));
    try {
      await expect(node(rgb.dir, ['predict.mjs', '--verify'])).rejects.toMatchObject({ code: 1, stderr: expect.stringMatching(/example 3: probability 0 is/) });
    } finally {
      writeFileSync(join(rgb.dir, 'examples.json'), rgb.files['examples.json']!);
    }
  }, 60_000);

  it('node predict.mjs answers PNG files, and refuses one of the wrong size saying so', async () => {
    const examples = json<BundleExample[]>(grey.files, 'examples.json');
    const { stdout } = await node(grey.dir, ['predict.mjs', 'examples/0.png', 'examples/1.png']);
    const answers = JSON.parse(stdout) as { file: string; ok: boolean; output: string; probabilities: number[] }[];
    expect(answers.map((a) => [a.file, a.ok, a.output])).toEqual([
      ['examples/0.png', true, examples[0]!.output],
      ['examples/1.png', true, examples[1]!.output],
    ]);
    answers[1]!.probabilities.forEach((p, j) => expect(Math.abs(p - examples[1]!.probabilities![j]!)).toBeLessThanOrEqual(1e-4));
    // A colour image is read as grey with the import's weights (grey r = g = b stays itself); one of another size is
    // refused, not resized.
    const grey0 = pngPixels(grey.files['examples/0.png']!).pixels;
    writeFileSync(join(grey.dir, 'colour.png'), encodePng(Uint8Array.from({ length: grey0.length * 3 }, (_, i) => grey0[Math.floor(i / 3)]!), 11, 9, 3));
    // Rows written with every PNG filter (None, Sub, Up, Average, Paeth), as other tools write them.
    writeFileSync(join(grey.dir, 'filtered.png'), filteredPng(pngPixels(grey.files['examples/1.png']!).pixels, 11, 9));
    const more = JSON.parse((await node(grey.dir, ['predict.mjs', 'colour.png', 'filtered.png'])).stdout) as { output: string; probabilities: number[] }[];
    expect(more.map((a) => a.probabilities)).toEqual([answers[0]!.probabilities, answers[1]!.probabilities]);
    writeFileSync(join(grey.dir, 'big.png'), encodePng(new Uint8Array(12 * 9 * 3), 12, 9, 3));
    await expect(node(grey.dir, ['predict.mjs', 'big.png'])).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining('big.png is 12 x 9 pixels; the model reads 11 x 9: resize it first'),
    });
  }, 60_000);

  it('is a bundle the app can import again: the image model travels', async () => {
    const imported = await readBundle(rgb.zip, cappedInflate);
    expect(imported.preprocessor.image).toEqual({ column: 'image', width: 16, height: 16, channels: 3 });
    expect(imported.lineage.model.name).toBe(rgb.version.name);
    // In a browser with no such project, the import makes an image project of the model's size, so images imported
    // into it later are resized to what the model reads.
    const plan = importedRecords(imported, { current: null, projects: [], file: 'shapes.zip', now: 1, newId: (p) => `${p}-1` });
    expect(plan.project.task).toBe(imported.preprocessor.task);
    expect(plan.project.image).toEqual({ width: 16, height: 16, channels: 3 });
  });
});
