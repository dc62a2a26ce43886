// Write paths of runs and models, through the repositories the page uses: a checkpoint replacing the previous one, a
// run's final model, its deletion, registering a version, and importing a bundle as the next version of a model.

import type { TrainCheckpoint } from '../../../src/core/contracts/model';
import type { ImportPlan } from '../../../src/core/deliver/import';
import type { StoredEvaluation } from '../../../src/core/evaluate/types';
import { CheckpointsRepo } from '../../../src/platform/repositories/checkpoints';
import { ImportsRepo } from '../../../src/platform/repositories/imports';
import { RegistryRepo } from '../../../src/platform/repositories/registry';
import { RunsRepo, WEIGHT_CHUNK_BYTES } from '../../../src/platform/repositories/runs';
import { bytes, MODEL_SPEC, project, run } from '../storage-fixtures';
import { DB, withDb } from './db';
import type { WritePath } from './sweep';

// --- checkpoint (the page's runs repository) ---

export function checkpoint(epoch: number, weightCount: number, withBest: boolean): TrainCheckpoint {
  const floats = (n: number, base: number) => Float32Array.from({ length: n }, (_, i) => base + i / 8).buffer;
  return {
    epoch,
    weights: { specs: [{ name: 'dense/kernel', shape: [weightCount], dtype: 'float32' }], data: floats(weightCount, epoch) },
    optimizer: { specs: [{ name: 'iter', shape: [], dtype: 'int32' }], data: Int32Array.of(epoch * 10).buffer },
    earlyStopping: { best: 0.5, bestEpoch: epoch, wait: 0, improved: true, stop: false },
    best: withBest ? { specs: [{ name: 'best_0', shape: [3], dtype: 'float32' }], data: floats(3, -epoch) } : null,
    history: [{ key: 'loss', value: 1 / epoch, step: epoch, timestamp: 5 }],
    createdAt: 10 + epoch,
  };
}

/** Over 4 MiB: two chunks. */
const BIG = 1_200_000;

export const checkpointPath: WritePath = {
  name: 'checkpoint',
  databaseName: DB,
  killable: false,
  seed: (open) =>
    withDb(open, async (db) => {
      const runs = new RunsRepo(db);
      await runs.create(run('r1'));
      await runs.create(run('r2'));
      await runs.checkpoints.save('r1', checkpoint(1, 10, false));
      await runs.checkpoints.save('r2', checkpoint(4, BIG, true));
    }),
  // The run's one-chunk checkpoint is replaced by a two-chunk one: a torn write would leave a chunk of either.
  write: (open) => withDb(open, (db) => new CheckpointsRepo(db).save('r1', checkpoint(2, BIG, true))),
};

// --- a run's final model (the page's runs repository) ---

export const finalModelPath: WritePath = {
  name: 'final model',
  databaseName: DB,
  killable: false,
  seed: (open) =>
    withDb(open, async (db) => {
      const runs = new RunsRepo(db);
      await runs.create(run('r1'));
      await runs.create(run('r2'));
      await runs.finish('r2', { status: 'finished', endedAt: 9, model: MODEL_SPEC }, bytes(96));
    }),
  // Weights over one chunk (WEIGHT_CHUNK_BYTES): a torn write would leave chunks without the run that names them.
  write: (open) => withDb(open, (db) => new RunsRepo(db).finish('r1', { status: 'finished', endedAt: 10, model: MODEL_SPEC }, bytes(WEIGHT_CHUNK_BYTES + 64))),
};

// --- delete a run (the page's runs repository): with its weights, checkpoint and evaluations, or not at all ---

export const deleteRunPath: WritePath = {
  name: 'delete run',
  databaseName: DB,
  killable: false,
  seed: (open) =>
    withDb(open, async (db) => {
      const runs = new RunsRepo(db);
      for (const id of ['r1', 'r2']) {
        await runs.create(run(id));
        await runs.checkpoints.save(id, checkpoint(3, 10, false));
        await runs.finish(id, { status: 'finished', endedAt: 9, model: MODEL_SPEC }, bytes(256));
        await db.evaluations.put({ id: `${id}|d1|test`, runId: id, projectId: 'p1', datasetId: 'd1', createdAt: 9 } as unknown as StoredEvaluation);
      }
    }),
  write: (open) => withDb(open, (db) => new RunsRepo(db).delete('r1')),
};

// --- register a model version (the page's registry repository) ---

function clock(): () => number {
  let t = 100;
  return () => ++t;
}

export const registerPath: WritePath = {
  name: 'register',
  databaseName: DB,
  killable: false,
  seed: (open) =>
    withDb(open, async (db) => {
      const runs = new RunsRepo(db);
      for (const id of ['r1', 'r2']) {
        await runs.create(run(id));
        await runs.finish(id, { status: 'finished', model: MODEL_SPEC }, bytes(64));
      }
      await new RegistryRepo(db, clock()).register('p1', 'penguins', 'r1', 'species from measurements');
    }),
  write: (open) => withDb(open, (db) => new RegistryRepo(db, clock()).register('p1', 'penguins', 'r2', '', { team: 'ml' })),
};

// --- import a bundle as a model version (the page's imports repository) ---

/** What a checked bundle becomes (core/deliver/import/plan.ts): a finished run from elsewhere, the next version of
 *  a model the project already has, weights over one chunk. */
function importPlan(): ImportPlan {
  const { model: _model, ...imported } = run('imported-1', { status: 'finished', endedAt: 8 });
  return {
    project: project('p1'),
    newProject: false,
    run: {
      ...imported,
      origin: {
        kind: 'imported',
        file: 'penguins-bundle.zip',
        importedAt: 50,
        bundleSha256: 'a'.repeat(64),
        lineage: {
          project: { id: 'p-source', name: 'Penguin species' },
          dataset: { id: 'd-source', name: 'penguins' },
          run: { id: 'run-source', name: 'mlp' },
          model: { name: 'penguins', version: 3 },
          exportedAt: 40,
        },
        card: '# penguins',
      },
    },
    model: { topology: MODEL_SPEC.topology, weightSpecs: MODEL_SPEC.weightSpecs },
    weights: bytes(WEIGHT_CHUNK_BYTES + 64),
    modelName: 'penguins',
    card: '# penguins',
  };
}

export const bundleImportPath: WritePath = {
  name: 'bundle import',
  databaseName: DB,
  killable: false,
  seed: (open) =>
    withDb(open, async (db) => {
      await db.projects.put(project('p1'));
      const runs = new RunsRepo(db);
      await runs.create(run('r1'));
      await runs.finish('r1', { status: 'finished', model: MODEL_SPEC }, bytes(64));
      await new RegistryRepo(db, clock()).register('p1', 'penguins', 'r1', 'species from measurements');
    }),
  write: (open) => withDb(open, (db) => new ImportsRepo(db, clock()).store(importPlan())),
};
