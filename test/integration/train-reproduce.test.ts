// Replaying a run's record gives the same run: the same params (a stored, deep copy) on the same backend train to the
// same history, test metrics and weight bytes, and the pure comparison behind the Reproduce verdict calls it identical.
// Checked on cpu and on wasm (the wasm backend loads in Node from node_modules); another seed must give another run.

import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { flattenReport } from '../../src/core/evaluate/run-report';
import { compareReproduction, type ComparedRun } from '../../src/core/evaluate/runs/reproduce';
import type { BackendName, RunParams } from '../../src/core/shared/types';
import type { BuiltDataset } from '../../src/core/contracts/dataset';
import type { TrainResult } from '../../src/core/contracts/train';
import { useBackend } from '../../workers/backend/backends';
import { trainModel } from '../../workers/train/train-loop';
import { penguins, trainRequest, withHyper } from '../fixtures/tabular';

let data: BuiltDataset;

beforeAll(async () => {
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  setWasmPaths(fileURLToPath(new URL('../../node_modules/@tensorflow/tfjs-backend-wasm/dist/', import.meta.url)));
  data = await penguins();
});

/** Adam, balanced class weights, early stopping that restores the best epoch, L2, a schedule and dropout. */
const RECORD: RunParams = withHyper(
  {
    optimizer: 'adam',
    learningRate: 0.02,
    schedule: { kind: 'cosine', minLearningRate: 0.001 },
    epochs: 8,
    l2: 0.001,
    classWeights: 'balanced',
    earlyStopping: { enabled: true, monitor: 'val_loss', patience: 2, minDelta: 0.05, restoreBest: true },
    seed: 21,
  },
  { family: 'mlp', layers: [{ units: 16, activation: 'relu' }, { units: 8, activation: 'tanh' }], dropout: 0.2 },
);

/** The record as stored and read back: what Reproduce hands to training is a structured-clone copy. */
function replayed(params: RunParams, seed = params.hyper.seed): RunParams {
  const copy = structuredClone(params);
  copy.hyper.seed = seed;
  return copy;
}

function train(params: RunParams): Promise<TrainResult> {
  return trainModel(trainRequest(data, 'classification', params), () => {}, () => false);
}

function asRun(result: TrainResult, params: RunParams): ComparedRun {
  return { metrics: flattenReport(result.evaluation), history: result.history, backend: result.backend, versions: result.versions, datasetId: 'penguins', params };
}

const values = (r: TrainResult) => r.history.map((p) => [p.key, p.step, p.value]);

describe.each<BackendName>(['cpu', 'wasm'])('replaying a record on %s', (backend) => {
  it('gives identical history, metrics and weights; another seed does not', async () => {
    await expect(useBackend(backend)).resolves.toBe(backend);
    const before = tf.memory().numTensors;
    const original = await train(RECORD);
    const again = await train(replayed(RECORD));
    expect(tf.memory().numTensors).toBe(before);

    expect(original.backend).toBe(backend);
    expect(again.versions).toEqual(original.versions);
    expect(original.versions).toMatchObject({ backend, tfjs: tf.version.tfjs, 'tfjs-layers': tf.version['tfjs-layers'], [`tfjs-backend-${backend}`]: '4.22.0' });
    // Early stopping was on: the replay stops (or not) at the same epoch and restores the same weights.
    expect(again.epochsCompleted).toBe(original.epochsCompleted);
    expect(again.earlyStopping).toEqual(original.earlyStopping);
    expect(values(again)).toEqual(values(original));
    expect(again.evaluation).toEqual(original.evaluation);
    expect(new Uint8Array(again.model.weights)).toEqual(new Uint8Array(original.model.weights));
    const same = compareReproduction(asRun(original, RECORD), asRun(again, replayed(RECORD)));
    expect(same).toMatchObject({ identical: true, rows: [], recordDifferences: [] });
    expect(same.metricCount).toBeGreaterThanOrEqual(4);

    const other = await train(replayed(RECORD, 22));
    expect(new Uint8Array(other.model.weights)).not.toEqual(new Uint8Array(original.model.weights));
    expect(values(other)).not.toEqual(values(original));
    const differs = compareReproduction(asRun(original, RECORD), asRun(other, replayed(RECORD, 22)));
    expect(differs.identical).toBe(false);
    expect(differs.rows.map((r) => r.key)).toContain('final training loss');
    expect(differs.recordDifferences).toEqual([{ field: 'parameter hyper.seed', original: '21', reproduction: '22' }]);
  });
});
