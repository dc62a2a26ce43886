// The data plane half of the bench page (BENCH_ONLY=dataplane): on a 1M x 20 version stored in this browser, the
// page's longest task and its peak JS heap growth while the app's own clients apply a recipe, start a training (until
// its first batch), evaluate, and import 2,000 generated images. The page passes ids; a table crossing to it would show
// as heap growth of its size (1M x 20 numbers is 160 MB) and as long tasks.

import { countSplit } from '../../src/core/data/split';
import { mulberry32 } from '../../src/core/shared/rng';
import { SPLIT_TEST, SPLIT_TRAIN, SPLIT_VALIDATION, type ColumnSchema, type Table } from '../../src/core/shared/types';
import type { DatasetRef } from '../../src/core/contracts/dataset';
import type { TrainedModel } from '../../src/core/contracts/model';
import type { Preprocessor } from '../../src/core/shared/types';
import { defaultHyper } from '../../src/core/train/spec/defaults';
import { AnalysisClient } from '../../src/platform/analysis-client';
import { ImageImportClient, PredictorClient, TrainerClient } from '../../src/platform/workers';
import { BENCH_DATABASE, storeBenchVersion } from './bench-store';
import { startProbes } from './page-probes';
import { message, withTimeout } from './side-common';

export type DataPlaneFlow = 'setup' | 'recipe' | 'train' | 'evaluate' | 'images';

export interface DataPlaneResult {
  flow: DataPlaneFlow;
  rows: number;
  totalMs: number | null;
  longestTaskMs: number;
  longTaskCount: number;
  /** Peak used JS heap during the flow minus the heap when it started. */
  peakHeapGrowthBytes: number | null;
  error: string | null;
}

declare global {
  interface Window {
    runDataPlaneBench(flow: DataPlaneFlow, rows: number, timeoutMs: number): Promise<DataPlaneResult>;
  }
}

const FEATURES = 19;
const CLASSES = ['a', 'b', 'c'];
const SMALL_ROWS = 5_000;

function versionId(rows: number): string {
  return `dataplane-${FEATURES + 1}x${rows}`;
}

/** rows x (19 numbers + a 3-class target); 80/10/10 split by row index, so the content is fixed by `rows`. */
function makeTable(rows: number): { schema: ColumnSchema[]; table: Table; assignment: Uint8Array } {
  const random = mulberry32(rows);
  const names = Array.from({ length: FEATURES }, (_, i) => `f${i}`);
  const codes = new Int32Array(rows);
  const columns = names.map(() => new Float64Array(rows));
  for (let r = 0; r < rows; r++) {
    let score = 0;
    for (let c = 0; c < FEATURES; c++) {
      const v = random() * 2 - 1;
      columns[c][r] = v;
      score += c % 2 === 0 ? v : -v;
    }
    codes[r] = score < -0.5 ? 0 : score < 0.5 ? 1 : 2;
  }
  const assignment = new Uint8Array(rows).map((_, r) => (r % 10 === 8 ? SPLIT_VALIDATION : r % 10 === 9 ? SPLIT_TEST : SPLIT_TRAIN));
  const schema: ColumnSchema[] = [...names.map((name) => ({ name, type: 'number' as const, role: 'feature' as const })), { name: 'label', type: 'category', role: 'target' }];
  const table: Table = {
    names: [...names, 'label'],
    columns: [...columns.map((values) => ({ kind: 'number' as const, values })), { kind: 'category', codes, dictionary: CLASSES }],
    rowCount: rows,
  };
  return { schema, table, assignment };
}

function ref(rows: number): DatasetRef {
  return { databaseName: BENCH_DATABASE, versionId: versionId(rows) };
}

/** A 24-bit BMP of a square filled with one colour plus a gradient: the importer's cheapest format to write here. */
function bmp(side: number, seed: number): Uint8Array {
  const rowBytes = Math.ceil((side * 3) / 4) * 4;
  const size = 54 + rowBytes * side;
  const bytes = new Uint8Array(size);
  const view = new DataView(bytes.buffer);
  bytes[0] = 0x42;
  bytes[1] = 0x4d;
  view.setUint32(2, size, true);
  view.setUint32(10, 54, true);
  view.setUint32(14, 40, true);
  view.setInt32(18, side, true);
  view.setInt32(22, side, true);
  view.setUint16(26, 1, true);
  view.setUint16(28, 24, true);
  view.setUint32(34, rowBytes * side, true);
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      const at = 54 + y * rowBytes + x * 3;
      bytes[at] = (seed * 37 + x * 4) & 255;
      bytes[at + 1] = (seed * 11 + y * 4) & 255;
      bytes[at + 2] = (seed * 5) & 255;
    }
  }
  return bytes;
}

/** A model trained (as setup, unmeasured) on a small version of the same columns, for the evaluation flow. */
async function trainedModel(): Promise<Model> {
  const small = makeTable(SMALL_ROWS);
  const dataset = await storeBenchVersion(versionId(SMALL_ROWS), small.schema, small.table, small.assignment);
  const trainer = new TrainerClient();
  try {
    const result = await trainer.train(
      {
        runId: 'dataplane-eval-model',
        task: 'classification',
        params: { spec: { family: 'linear' }, hyper: { ...defaultHyper('linear'), epochs: 1 } },
        backend: 'cpu',
        dataset,
      },
      () => undefined,
      new AbortController().signal,
    );
    return { model: result.model, preprocessor: result.preprocessor };
  } finally {
    trainer.kill();
  }
}

type Model = { model: TrainedModel; preprocessor: Preprocessor };
type ImageFiles = { file: Blob; path: string; label: string }[];

/** What a flow needs that is the bench's own work, made before the clock starts. */
interface Setup {
  model: Model | null;
  images: ImageFiles | null;
}

function generatedImages(): ImageFiles {
  return Array.from({ length: 2000 }, (_, i) => {
    const label = CLASSES[i % 3];
    return { file: new Blob([bmp(32, i) as Uint8Array<ArrayBuffer>], { type: 'image/bmp' }), path: `${label}/${i}.bmp`, label };
  });
}

async function flowOf(flow: DataPlaneFlow, rows: number, { model, images }: Setup): Promise<void> {
  switch (flow) {
    case 'recipe': {
      const outcome = await new AnalysisClient().applyRecipe(
        ref(rows),
        { version: 1, steps: [{ kind: 'scale', column: 'f0', method: 'standard' }] },
        { databaseName: BENCH_DATABASE, projectId: 'bench', name: 'scaled', createdAt: Date.now() },
      );
      if (!outcome.ok) throw new Error(outcome.problems.map((p) => p.message).join(' '));
      return;
    }
    case 'train': {
      const trainer = new TrainerClient();
      const abort = new AbortController();
      let firstBatch: () => void = () => undefined;
      const started = new Promise<void>((resolve) => (firstBatch = resolve));
      const run = trainer
        .train(
          { runId: 'dataplane-train', task: 'classification', params: { spec: { family: 'linear' }, hyper: { ...defaultHyper('linear'), epochs: 1 } }, backend: 'cpu', dataset: ref(rows) },
          (e) => {
            if (e.type === 'progress') firstBatch();
          },
          abort.signal,
        )
        .catch(() => undefined);
      await Promise.race([started, run]);
      trainer.kill();
      return;
    }
    case 'evaluate': {
      if (!model) throw new Error('the evaluation needs a trained model');
      await new PredictorClient().evaluate(
        'dataplane',
        async () => ({ ...model, recipes: [] }),
        { jobId: 'dataplane-eval', dataset: ref(rows), split: 'test', recipes: [] },
        () => undefined,
        new AbortController().signal,
      );
      return;
    }
    case 'images': {
      if (!images) throw new Error('the image import needs its files');
      const files = images;
      const outcome = await new ImageImportClient().importImages(
        {
          inputs: [{ kind: 'files', files }],
          shape: { width: 32, height: 32, channels: 3 },
          split: { method: 'stratified', seed: 1, fractions: [0.8, 0.1, 0.1] },
          store: { databaseName: BENCH_DATABASE, projectId: 'bench', name: 'images', createdAt: Date.now(), source: { kind: 'file', fileName: 'generated', byteLength: 0 } },
        },
        () => undefined,
        new AbortController().signal,
      );
      if (!outcome.ok) throw new Error(outcome.message);
      return;
    }
    case 'setup': {
      const made = makeTable(rows);
      await storeBenchVersion(versionId(rows), made.schema, made.table, made.assignment);
      if (countSplit(made.assignment).test === 0) throw new Error('no test rows');
    }
  }
}

function usedHeap(): number | null {
  return (performance as Performance & { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? null;
}

window.runDataPlaneBench = async (flow, rows, timeoutMs) => {
  let error: string | null = null;
  let totalMs: number | null = null;
  try {
    // The evaluation's model is trained, and the images drawn, before the clock starts: they are not the flow.
    const setup: Setup = { model: flow === 'evaluate' ? await trainedModel() : null, images: flow === 'images' ? generatedImages() : null };
    await new Promise((resolve) => setTimeout(resolve, 0));
    const baseline = usedHeap();
    const probes = startProbes();
    const start = performance.now();
    try {
      await withTimeout(flowOf(flow, rows, setup), timeoutMs, `the ${flow} flow`);
      totalMs = performance.now() - start;
    } catch (caught) {
      error = message(caught);
    }
    const probed = await probes.stop();
    return {
      flow,
      rows,
      totalMs,
      longestTaskMs: probed.longestTaskMs,
      longTaskCount: probed.longTaskCount,
      peakHeapGrowthBytes: probed.peakHeapBytes === null || baseline === null ? null : probed.peakHeapBytes - baseline,
      error,
    };
  } catch (caught) {
    return { flow, rows, totalMs, longestTaskMs: 0, longTaskCount: 0, peakHeapGrowthBytes: null, error: message(caught) };
  }
};
