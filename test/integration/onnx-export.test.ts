// The acceptance test of the ONNX export: every model family, trained through the app's own code, exported to ONNX
// and run in ONNX Runtime (onnxruntime-node, CPU), answers the test split as the app did, within 1e-5.

import * as tf from '@tensorflow/tfjs';
import * as ort from 'onnxruntime-node';
import { fromBinary } from '@bufbuild/protobuf';
import { beforeAll, describe, expect, it } from 'vitest';
import { ModelProtoSchema } from '../../src/core/deliver/export/onnx/gen/onnx_pb';
import { writeOnnx, CLASSIFICATION_OUTPUT, IMAGE_INPUT, REGRESSION_OUTPUT, TABULAR_INPUT } from '../../src/core/deliver/export/onnx';
import { encodeRows } from '../../src/core/train/preprocess';
import { defaultHyper, defaultSpec } from '../../src/core/train/spec/defaults';
import type { Hyperparams, ModelSpec } from '../../src/core/train/spec/types';
import type { ColumnSchema, RunParams, Table, Task } from '../../src/core/shared/types';
import { SPLIT_TEST, SPLIT_TRAIN, SPLIT_VALIDATION } from '../../src/core/shared/types';
import type { BuiltDataset } from '../../src/core/contracts/dataset';
import type { TrainResult } from '../../src/core/contracts/train';
import { imagePixels } from '../../workers/train/models/data';
import { trainModel, type LoadedTrainRequest } from '../../workers/train/train-loop';
import { cars, penguins, trainRequest } from '../fixtures/tabular';

const TOLERANCE = 1e-5;

let penguinData: BuiltDataset;
let carData: BuiltDataset;

beforeAll(async () => {
  await tf.setBackend('cpu');
  [penguinData, carData] = await Promise.all([penguins(), cars()]);
});

function params(spec: ModelSpec, hyper: Partial<Hyperparams>): RunParams {
  return { spec, hyper: { ...defaultHyper(spec.family), seed: 11, ...hyper } };
}

/**
 * Colour images of odd size (9 rows × 7 columns × RGB), labelled by which half is brighter: the label depends on where
 * pixels are, so a model whose Flatten order or kernels were transposed wrongly would answer differently.
 */
function halves(): { schema: ColumnSchema[]; table: Table; assignment: Uint8Array } {
  const n = 90;
  const [height, width, channels] = [9, 7, 3] as const;
  const size = height * width * channels;
  const pixels = new Uint8Array(n * size);
  const codes = new Int32Array(n);
  let state = 4242;
  const noise = () => ((state = (state * 1103515245 + 12345) & 0x7fffffff) % 80) - 40;
  for (let r = 0; r < n; r++) {
    codes[r] = r % 2;
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const bright = (y < height / 2) === (codes[r] === 0);
        for (let c = 0; c < channels; c++) {
          pixels[r * size + (y * width + x) * channels + c] = Math.max(0, Math.min(255, (bright ? 190 : 70) + c * 10 + noise()));
        }
      }
    }
  }
  const assignment = new Uint8Array(n).map((_, r) => (r < 60 ? SPLIT_TRAIN : r < 72 ? SPLIT_VALIDATION : SPLIT_TEST));
  return {
    schema: [
      { name: 'photo', type: 'image', role: 'feature' },
      { name: 'half', type: 'category', role: 'target' },
    ],
    table: {
      names: ['photo', 'half'],
      columns: [
        { kind: 'image', pixels, width, height, channels },
        { kind: 'category', codes, dictionary: ['top', 'bottom'] },
      ],
      rowCount: n,
    },
    assignment,
  };
}

/** Runs model.onnx on the test rows' inputs, fed exactly as the app feeds tfjs. */
async function runOnnx(bytes: Uint8Array, request: LoadedTrainRequest, result: TrainResult): Promise<{ values: Float32Array; dims: readonly number[]; session: ort.InferenceSession }> {
  const pre = result.preprocessor;
  const rows = Int32Array.from(result.testPredictions, (p) => p.row);
  const session = await ort.InferenceSession.create(bytes);
  let feed: ort.Tensor;
  if (pre.image) {
    const pixels = imagePixels(request.table, pre.image.column, rows);
    feed = new ort.Tensor('float32', pixels.data, pixels.shape);
  } else {
    feed = new ort.Tensor('float32', encodeRows(pre, request.schema, request.table, rows).x, [rows.length, pre.inputSize]);
  }
  const inputName = pre.image ? IMAGE_INPUT : TABULAR_INPUT;
  const outputName = pre.task === 'classification' ? CLASSIFICATION_OUTPUT : REGRESSION_OUTPUT;
  expect(session.inputNames).toEqual([inputName]);
  expect(session.outputNames).toEqual([outputName]);
  const out = (await session.run({ [inputName]: feed }))[outputName]!;
  return { values: out.data as Float32Array, dims: out.dims, session };
}

/** Largest gap between ONNX Runtime's answers and the app's test-split answers. */
function largestGap(result: TrainResult, values: Float32Array, dims: readonly number[]): number {
  const pre = result.preprocessor;
  const width = pre.task === 'classification' ? pre.labels.length : 1;
  expect(dims).toEqual([result.testPredictions.length, width]);
  let gap = 0;
  result.testPredictions.forEach((p, i) => {
    const want = pre.task === 'classification' ? p.probabilities! : [p.output as number];
    expect(want).toHaveLength(width);
    want.forEach((w, j) => {
      gap = Math.max(gap, Math.abs(values[i * width + j]! - w));
    });
  });
  return gap;
}

async function trainAndCompare(name: string, request: LoadedTrainRequest): Promise<{ result: TrainResult; session: ort.InferenceSession; bytes: Uint8Array }> {
  const result = await trainModel(request, () => {}, () => false);
  expect(result.testPredictions.length, name).toBeGreaterThan(5);
  const bytes = writeOnnx({ ...result.model, preprocessor: result.preprocessor, name, metadata: { run_id: request.runId } });
  const { values, dims, session } = await runOnnx(bytes, request, result);
  expect(largestGap(result, values, dims), name).toBeLessThanOrEqual(TOLERANCE);
  return { result, session, bytes };
}

function tabular(data: BuiltDataset, task: Task, spec: ModelSpec, hyper: Partial<Hyperparams>, runId: string): LoadedTrainRequest {
  return trainRequest(data, task, params(spec, hyper), runId);
}

describe('ONNX export runs in ONNX Runtime with the app’s answers (within 1e-5 on the test split)', () => {
  it('logistic (softmax) regression on penguins, with its feature order in the metadata', async () => {
    const { bytes, result } = await trainAndCompare('penguins-linear', tabular(penguinData, 'classification', defaultSpec('linear'), { epochs: 20 }, 'run-linear'));
    const model = fromBinary(ModelProtoSchema, bytes);
    expect(model.irVersion).toBe(7n);
    expect(model.opsetImport.map((o) => [o.domain, o.version])).toEqual([['', 13n]]);
    expect(model.producerName).toBe('Loopbench');
    const meta = Object.fromEntries(model.metadataProps.map((p) => [p.key, p.value]));
    // The recipe's column order (the schema's), each category one-hot in its sorted category order: the 9 columns fed.
    expect(JSON.parse(meta.feature_names!)).toEqual([
      'Island=Biscoe',
      'Island=Dream',
      'Island=Torgersen',
      'Beak Length (mm)',
      'Beak Depth (mm)',
      'Flipper Length (mm)',
      'Body Mass (g)',
      'Sex=FEMALE',
      'Sex=MALE',
    ]);
    expect(result.preprocessor.inputSize).toBe(9);
    expect(JSON.parse(meta.labels!)).toEqual(['Adelie', 'Chinstrap', 'Gentoo']);
    expect(meta).toMatchObject({ task: 'classification', target: 'Species', run_id: 'run-linear' });
  });

  it('an MLP classifier with dropout and several activations', async () => {
    const spec: ModelSpec = { family: 'mlp', layers: [{ units: 12, activation: 'relu' }, { units: 8, activation: 'tanh' }, { units: 6, activation: 'elu' }, { units: 5, activation: 'sigmoid' }], dropout: 0.2 };
    await trainAndCompare('penguins-mlp', tabular(penguinData, 'classification', spec, { epochs: 15, learningRate: 0.01 }, 'run-mlp'));
  });

  it('linear regression and an MLP regressor, answering in the target’s units', async () => {
    await trainAndCompare('cars-linear', tabular(carData, 'regression', defaultSpec('linear'), { epochs: 10 }, 'run-cars-linear'));
    const spec: ModelSpec = { family: 'mlp', layers: [{ units: 16, activation: 'relu' }, { units: 8, activation: 'tanh' }], dropout: 0.1 };
    await trainAndCompare('cars-mlp', tabular(carData, 'regression', spec, { epochs: 10, learningRate: 0.01 }, 'run-cars-mlp'));
  });

  it('a CNN on odd-sized colour images: NHWC in, NCHW convolutions, Flatten in TensorFlow’s order', async () => {
    const spec: ModelSpec = {
      family: 'cnn',
      conv: [
        { filters: 4, kernel: 3, pool: 2, activation: 'relu' },
        { filters: 3, kernel: 5, pool: 2, activation: 'tanh' },
      ],
      dense: [{ units: 6, activation: 'elu' }],
      dropout: 0.1,
    };
    const request: LoadedTrainRequest = { runId: 'run-cnn', task: 'classification', params: params(spec, { epochs: 12, learningRate: 0.01, batchSize: 16 }), backend: 'cpu', ...halves() };
    const { result } = await trainAndCompare('halves-cnn', request);
    if (result.evaluation.task !== 'classification') throw new Error('expected classification');
    // A model that learned where the bright half is: a wrong Flatten order would still run but answer differently.
    expect(result.evaluation.accuracy).toBeGreaterThan(0.8);
  });
});
