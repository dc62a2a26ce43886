// Serving parity and the model card, on the page side, against real storage (fake-indexeddb) and the predict worker's
// code on a MessageChannel: the bundle built from storage, unzipped and served again answers as the app did, a
// corrupted weight in the bundle is caught, and an edited card is what the bundle ships.

import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareAnswers } from '../../src/core/deliver/export/parity';
import type { BundleExample } from '../../src/core/deliver/export/bundle';
import { datasetChunkCount } from '../../src/core/data/version-record';
import { flattenReport } from '../../src/core/evaluate/run-report';
import { DEFAULT_SPLIT } from '../../src/core/shared/defaults';
import type { DatasetVersion, ModelVersion, Project, Run } from '../../src/core/shared/types';
import type { LoopbenchDb } from '../../src/platform/db';
import { DatasetsRepo } from '../../src/platform/repositories/datasets';
import { EvaluationsRepo } from '../../src/platform/repositories/evaluations';
import { RegistryRepo } from '../../src/platform/repositories/registry';
import { RunsRepo } from '../../src/platform/repositories/runs';
import { unzipBundle } from '../../src/platform/bundle-zip';
import { PredictorClient } from '../../src/platform/workers';
import { buildBundle, modelCardOf } from '../../src/state/deliver/bundle';
import { checkParity, servedRun } from '../../src/state/deliver/parity';
import type { Services } from '../../src/state/shared/services';
import { createPredictor } from '../../workers/predict/predictor';
import { trainModel } from '../../workers/train/train-loop';
import { penguins, PENGUIN_PARAMS, trainRequest } from '../fixtures/tabular';
import { workerOnChannel } from '../fixtures/support';
import { openFresh, run as runRecord } from './storage-fixtures';

const project: Project = { id: 'p1', name: 'Penguin species', task: 'classification', target: 'Species', goal: { metric: 'accuracy', bar: 0.9 }, createdAt: 1 };

let db: LoopbenchDb;
let services: Services;
let version: ModelVersion;

beforeAll(async () => {
  await tf.setBackend('cpu');
  db = await openFresh();
  const data = await penguins();
  const dataset: DatasetVersion = {
    id: data.id,
    projectId: project.id,
    name: 'penguins',
    createdAt: 2,
    rowCount: data.table.rowCount,
    schema: data.schema,
    summaries: data.summaries,
    split: { ...DEFAULT_SPLIT, counts: data.counts },
    source: { kind: 'sample', fileName: 'penguins.json', byteLength: 1 },
    parents: [],
    chunkRows: 65536,
    chunkCount: datasetChunkCount(data.table.rowCount, 65536),
  };
  const parts = {
    datasets: new DatasetsRepo(db),
    runs: new RunsRepo(db),
    registry: new RegistryRepo(db),
    evaluations: new EvaluationsRepo(db),
    predictor: new PredictorClient(workerOnChannel(createPredictor(['cpu']))),
  } satisfies Partial<Services>;
  // The parity check and the card read only these; a call to any other service would fail the test loudly.
  services = parts as Partial<Services> as Services;
  await parts.datasets.save(dataset, data.table, data.assignment);

  const trained = await trainModel(trainRequest(data, 'classification', PENGUIN_PARAMS, 'run-parity'), () => {}, () => false);
  await parts.runs.create(runRecord('run-parity', { projectId: project.id, datasetId: dataset.id, params: PENGUIN_PARAMS }));
  await parts.runs.finish(
    'run-parity',
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
  version = await parts.registry.register(project.id, 'penguin-species', 'run-parity', 'Field guide helper');
});

afterAll(() => {
  services?.predictor.forgetAll();
  db?.close();
});

const text = (files: Record<string, Uint8Array>, name: string) => new TextDecoder().decode(files[name]);

describe('serving parity', () => {
  it('passes: the bundle read back from its zip answers every example as the app did', async () => {
    const check = await checkParity(services, project, version);
    expect(check.rows).toBeGreaterThan(40);
    expect(check).toMatchObject({ mismatches: 0, tolerance: 1e-6, passed: true, examples: [] });
    expect(check.maxDifference).toBeLessThanOrEqual(1e-6);
  });

  it('catches a corrupted weight in the bundle: the served model comes from the zip, not from storage', async () => {
    const { zip } = await buildBundle(services, project, version);
    const files = unzipBundle(zip);
    const examples = JSON.parse(text(files, 'examples.json')) as BundleExample[];
    const shard = files['model/group1-shard1of1.bin']!;
    // The first kernel weight of the first layer (float32, little-endian), moved far enough to change the answers.
    const weights = new DataView(shard.buffer, shard.byteOffset, shard.byteLength);
    weights.setFloat32(0, weights.getFloat32(0, true) + 50, true);
    const served = servedRun(files);
    const { predictions } = await services.predictor.predict('parity:corrupted', async () => served, examples.map((e) => e.input));
    const check = compareAnswers(examples, predictions, 1e-6);
    expect(check.passed).toBe(false);
    expect(check.mismatches).toBeGreaterThan(0);
    expect(check.examples[0]).toMatch(/^row \d+: /);
  });

  it('refuses an image model: serving parity replays table rows', async () => {
    const imageRun = { ...runRecord('img'), preprocessor: { image: { column: 'image', width: 8, height: 8, channels: 1 } } };
    const runs: Pick<RunsRepo, 'get'> = { get: async () => imageRun as unknown as Run };
    const image = { ...services, runs } as Partial<Services> as Services;
    await expect(checkParity(image, project, { ...version, runId: 'img' })).rejects.toThrow(/image model: serving parity replays table rows/);
  });

  it('refuses bytes that are not a zip, saying so', () => {
    expect(() => unzipBundle(new Uint8Array([1, 2, 3]))).toThrow(/the bundle \(3 bytes\) is not a readable zip/);
  });
});

describe('the model card of a registered version', () => {
  it('is generated until edited; an edit is stored, shipped in the bundle, and can be dropped again', async () => {
    const generated = await modelCardOf(services, project, version);
    expect(generated.edited).toBe(false);
    expect(generated.text).toContain('Registered as: Field guide helper');
    expect(generated.text).toContain('## Tests passed\n\nNo pipeline has tested this version');

    const evidence = { pipeline: 'nightly', run: 4, results: [{ stage: 'serving', name: 'parity', passed: true, detail: '52 rows' }] };
    expect((await modelCardOf(services, project, version, evidence)).text).toContain('Pipeline **nightly**, run 4: 1 of 1 test(s) passed.');
    const built = await buildBundle(services, project, version, evidence);
    expect(built.fileName).toBe('penguin-species-v1.zip');
    expect(text(unzipBundle(built.zip), 'MODEL_CARD.md')).toContain('| serving | parity | passed | 52 rows |');

    const edit = `${generated.text}\n## Reviewed\n\nChecked by the survey lead.\n`;
    await services.registry.setCard(project.id, version.name, version.version, edit);
    expect(await modelCardOf(services, project, version)).toEqual({ text: edit, edited: true });
    expect(text(unzipBundle((await buildBundle(services, project, version)).zip), 'MODEL_CARD.md')).toBe(edit);

    await services.registry.setCard(project.id, version.name, version.version, null);
    expect(await modelCardOf(services, project, version)).toEqual(generated);
    await expect(services.registry.setCard(project.id, version.name, 9, 'x')).rejects.toThrow('"penguin-species" has no version 9');
  });
});
