// Importing a bundle into real storage (fake-indexeddb): an accepted bundle becomes a finished, imported run with its
// weights and the next version of its model with the bundle's card, and predicts exactly as the source model did
// through the app's predictor; a refused bundle, a repeated one and a write that fails half-way store nothing.

import { zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LoopbenchDb } from '../../src/platform/db';
import { ProjectsRepo } from '../../src/platform/repositories/projects';
import { RunsRepo } from '../../src/platform/repositories/runs';
import { RegistryRepo } from '../../src/platform/repositories/registry';
import { ImportsRepo } from '../../src/platform/repositories/imports';
import { DatasetsRepo } from '../../src/platform/repositories/datasets';
import { EvaluationsRepo } from '../../src/platform/repositories/evaluations';
import { PipelinesRepo } from '../../src/platform/repositories/pipelines';
import { PredictorClient } from '../../src/platform/workers';
import { importBundle } from '../../src/state/deliver/bundle-import';
import { buildBundle, modelCardOf } from '../../src/state/deliver/bundle';
import { judgeCandidate } from '../../src/state/deliver/promotion';
import { loadRunModel } from '../../src/state/shared/model-loader';
import type { Services } from '../../src/state/shared/services';
import type { Project } from '../../src/core/shared/types';
import { createPredictor } from '../../workers/predict/predictor';
import { sourceBundle, type SourceBundle } from '../fixtures/bundle';
import { expectSamePredictions, workerOnChannel } from '../fixtures/support';
import { openFresh } from './storage-fixtures';

const here: Project = { id: 'p-here', name: 'Penguins here', task: 'classification', target: 'Species', goal: { metric: 'accuracy', bar: 0.8 }, createdAt: 5 };
const other: Project = { id: 'p-cars', name: 'Cars', task: 'regression', target: 'Miles_per_Gallon', goal: { metric: 'mae', bar: 3 }, createdAt: 6 };

let source: SourceBundle;
let db: LoopbenchDb;
let services: Services;
const encoder = new TextEncoder();

function file(files: Record<string, Uint8Array>, name = 'penguin-species-v3.zip'): File {
  return new File([zipSync(files, { level: 6 })], name, { type: 'application/zip' });
}

/** Every record of every store, to prove a refused or failed import changed nothing. */
async function snapshot(): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const table of db.tables) out[table.name] = await table.toArray();
  return out;
}

beforeAll(async () => {
  source = await sourceBundle();
  db = await openFresh();
  const parts = {
    projects: new ProjectsRepo(db),
    runs: new RunsRepo(db),
    registry: new RegistryRepo(db),
    imports: new ImportsRepo(db),
    datasets: new DatasetsRepo(db),
    evaluations: new EvaluationsRepo(db),
    pipelines: new PipelinesRepo(db),
    predictor: new PredictorClient(workerOnChannel(createPredictor(['cpu']))),
  } satisfies Partial<Services>;
  // The import reads and writes only these; a call to any other service fails the test loudly.
  services = parts as Partial<Services> as Services;
  await parts.projects.put(here);
  await parts.projects.put(other);
}, 120_000);

afterAll(() => {
  services?.predictor.forgetAll();
  db?.close();
});

describe('importing a bundle', () => {
  it('refuses a hostile bundle and leaves every store as it was', async () => {
    const before = await snapshot();
    const model = JSON.parse(new TextDecoder().decode(source.files['model/model.json']));
    model.modelTopology.config.layers[0].class_name = 'Lambda';
    const outcome = await importBundle(services, here, file({ ...source.files, 'model/model.json': encoder.encode(JSON.stringify(model)) }, 'evil.zip'));
    expect(outcome).toEqual({ ok: false, refused: true, message: expect.stringMatching(/^evil\.zip: layer class Lambda is not allowed/) });
    expect(await snapshot()).toEqual(before);
  });

  it('stores nothing when a write fails half-way through the transaction', async () => {
    const before = await snapshot();
    const put = db.models.put.bind(db.models);
    db.models.put = (() => Promise.reject(new Error('disk full (injected)'))) as unknown as typeof db.models.put;
    try {
      // Into a new project (the open one predicts another target), so the project, run, weights and model all roll back.
      const outcome = await importBundle(services, other, file(source.files));
      expect(outcome).toEqual({ ok: false, refused: false, message: expect.stringContaining('disk full (injected)') });
    } finally {
      db.models.put = put;
    }
    expect(await snapshot()).toEqual(before);
  });

  it('stores an imported run and the next version with the bundle card, and predicts as the source did', async () => {
    const runsBefore = await db.runs.count();
    const outcome = await importBundle(services, here, file(source.files));
    if (!outcome.ok) throw new Error(outcome.message);
    const { project, version, run } = outcome.stored;
    expect(project.id).toBe(here.id);
    expect(version).toMatchObject({ name: 'penguin-species', version: 1, runId: run.id });
    expect(await db.runs.count()).toBe(runsBefore + 1);

    const stored = (await services.runs.get(run.id))!;
    expect(stored).toMatchObject({
      projectId: here.id,
      status: 'finished',
      datasetId: source.data.id,
      preprocessor: source.result.preprocessor,
      evaluation: source.result.evaluation,
      recipes: [],
      origin: {
        kind: 'imported',
        file: 'penguin-species-v3.zip',
        lineage: { project: { id: 'p-source', name: 'Penguin species' }, run: { id: 'run-source' }, model: { name: 'penguin-species', version: 3 } },
      },
    });
    const registered = (await services.registry.model(here.id, 'penguin-species'))!;
    expect(registered.versions[0]!.card?.text).toBe(new TextDecoder().decode(source.files['MODEL_CARD.md']));
    expect(registered.audit.map((a) => a.kind)).toEqual(['register']);

    const card = await modelCardOf(services, here, version);
    expect(card).toEqual({ text: expect.stringContaining('penguin-species v3'), edited: false, imported: true });

    const { predictions } = await services.predictor.predict(version.id, () => loadRunModel(services, stored), source.testInputs);
    expectSamePredictions(predictions, source.result.testPredictions, 1e-6);
  });

  it('refuses the same bundle twice in a project, storing nothing', async () => {
    const before = await snapshot();
    const outcome = await importBundle(services, here, file(source.files, 'again.zip'));
    expect(outcome).toEqual({ ok: false, refused: false, message: 'this bundle is already imported as penguin-species version 1 in project "Penguins here"' });
    expect(await snapshot()).toEqual(before);
  });

  it('refuses to export an imported version again, saying why', async () => {
    const version = (await services.registry.models(here.id)).flatMap((m) => m.versions.map((v) => ({ id: `${m.name}@${v.version}`, name: m.name, version: v.version, runId: v.runId, createdAt: v.createdAt })))[0]!;
    await expect(buildBundle(services, here, version)).rejects.toThrow(
      /penguin-species version 1 was imported from penguin-species-v3\.zip; its training data is not stored here, so it cannot be exported again/,
    );
  });

  it('leaves the gate to a person: an imported candidate has no rows here to be scored on', async () => {
    const version = (await services.registry.byAlias(here.id, 'champion')) ?? { id: 'penguin-species@1', name: 'penguin-species', version: 1, runId: (await db.runs.toArray())[0]!.id, createdAt: 0 };
    const decision = await judgeCandidate(services, here, version, null);
    expect(decision).toMatchObject({ blessed: false, evidence: [], refused: expect.stringMatching(/was imported from .*Promote it anyway with a reason/) });
  });

  it('goes into a project made from the lineage when the open one predicts something else', async () => {
    const outcome = await importBundle(services, other, file(source.files, 'elsewhere.zip'));
    if (!outcome.ok) throw new Error(outcome.message);
    expect(outcome.stored.project).toMatchObject({ id: 'p-source', name: 'Penguin species', task: 'classification', target: 'Species', goal: { metric: 'accuracy', bar: 0.9 } });
    expect(await services.projects.get('p-source')).toBeDefined();
    expect(outcome.stored.version).toMatchObject({ name: 'penguin-species', version: 1 });
    expect((await services.runs.get(outcome.stored.run.id))?.projectId).toBe('p-source');
  });
});
