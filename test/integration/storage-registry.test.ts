import { afterEach, describe, expect, it } from 'vitest';
import type { PredictionRecord } from '../../src/core/shared/types';
import type { LoopbenchDb } from '../../src/platform/db';
import { PredictionsRepo } from '../../src/platform/repositories/predictions';
import { RegistryRepo } from '../../src/platform/repositories/registry';
import { RunsRepo } from '../../src/platform/repositories/runs';
import { bytes, MODEL_SPEC, openFresh, run } from './storage-fixtures';

let db: LoopbenchDb;
afterEach(() => db?.close());

async function trainedRuns(ids: string[], projectId = 'p1'): Promise<void> {
  const runs = new RunsRepo(db);
  for (const id of ids) {
    await runs.create(run(id, { projectId }));
    await runs.finish(id, { status: 'finished', model: MODEL_SPEC }, bytes(64));
  }
}

function clock(start = 100): () => number {
  let t = start;
  return () => ++t;
}

describe('RegistryRepo', () => {
  it('numbers versions per model name and records each registration', async () => {
    db = await openFresh();
    await trainedRuns(['r1', 'r2', 'r3']);
    const registry = new RegistryRepo(db, clock());

    expect(await registry.register('p1', 'penguins', 'r1')).toMatchObject({ id: 'penguins@1', version: 1, runId: 'r1' });
    expect(await registry.register('p1', 'penguins', 'r2')).toMatchObject({ id: 'penguins@2', version: 2, runId: 'r2' });
    expect(await registry.register('p1', 'other', 'r3')).toMatchObject({ id: 'other@1', version: 1 });

    expect((await registry.versions('penguins')).map((v) => v.version)).toEqual([1, 2]);
    expect((await registry.models('p1')).map((m) => m.name)).toEqual(['other', 'penguins']);
    expect((await registry.model('penguins'))?.audit).toEqual([
      { at: 101, action: 'register', version: 1 },
      { at: 102, action: 'register', version: 2 },
    ]);
  });

  it('refuses runs without a model, from another project, or a name another project uses', async () => {
    db = await openFresh();
    await trainedRuns(['r1']);
    await trainedRuns(['q1'], 'p2');
    await new RunsRepo(db).create(run('untrained'));
    const registry = new RegistryRepo(db);
    await expect(registry.register('p1', 'm', 'untrained')).rejects.toThrow(/no trained model/);
    await expect(registry.register('p1', 'm', 'q1')).rejects.toThrow(/another project/);
    await registry.register('p2', 'shared', 'q1');
    await expect(registry.register('p1', 'shared', 'r1')).rejects.toThrow(/already used by another project/);
    expect(await registry.versions('m')).toEqual([]);
  });

  it('moves an alias so it points at exactly one version, auditing the previous one', async () => {
    db = await openFresh();
    await trainedRuns(['r1', 'r2']);
    const registry = new RegistryRepo(db, clock());
    await registry.register('p1', 'penguins', 'r1');
    await registry.register('p1', 'penguins', 'r2');

    await registry.setAlias('penguins', 'champion', 1);
    await registry.setAlias('penguins', 'challenger', 2);
    expect((await registry.resolve('penguins', 'champion'))?.runId).toBe('r1');
    const moved = await registry.setAlias('penguins', 'champion', 2);

    expect(moved.aliases).toEqual({ champion: 2, challenger: 2 });
    expect((await registry.resolve('penguins', 'champion'))?.id).toBe('penguins@2');
    expect(await registry.resolve('penguins', 'staging')).toBeUndefined();
    expect(moved.audit.filter((e) => e.action === 'alias')).toEqual([
      { at: 103, action: 'alias', version: 1, alias: 'champion', previous: null },
      { at: 104, action: 'alias', version: 2, alias: 'challenger', previous: null },
      { at: 105, action: 'alias', version: 2, alias: 'champion', previous: 1 },
    ]);
    await expect(registry.setAlias('penguins', 'champion', 9)).rejects.toThrow(/no version 9/);
  });

  it('finds the project\'s champion across models, preferring the most recently moved alias', async () => {
    db = await openFresh();
    await trainedRuns(['r1', 'r2']);
    await trainedRuns(['q1'], 'p2');
    const registry = new RegistryRepo(db, clock());
    await registry.register('p1', 'alpha', 'r1');
    await registry.register('p1', 'beta', 'r2');
    await registry.register('p2', 'gamma', 'q1');
    expect(await registry.byAlias('p1', 'champion')).toBeUndefined();

    await registry.setAlias('beta', 'champion', 1);
    await registry.setAlias('alpha', 'champion', 1);
    await registry.setAlias('gamma', 'champion', 1);
    expect((await registry.byAlias('p1', 'champion'))?.id).toBe('alpha@1');
    await registry.register('p1', 'beta', 'r1');
    await registry.setAlias('beta', 'champion', 2);
    expect((await registry.byAlias('p1', 'champion'))?.id).toBe('beta@2');
  });
});

function prediction(projectId: string, at: number): PredictionRecord {
  return { projectId, modelName: 'm', modelVersion: 1, at, inputs: { x: at }, output: 'a', probabilities: [1], latencyMs: 2 };
}

describe('PredictionsRepo', () => {
  it('returns a project\'s latest predictions newest first, counts and clears them', async () => {
    db = await openFresh();
    const repo = new PredictionsRepo(db);
    for (const at of [30, 10, 50, 20, 40]) await repo.add(prediction('p1', at));
    await repo.add(prediction('p2', 60));

    const recent = await repo.recent('p1', 3);
    expect(recent.map((p) => p.at)).toEqual([50, 40, 30]);
    expect(typeof recent[0].id).toBe('number');
    expect(recent[0].inputs).toEqual({ x: 50 });
    expect(await repo.count('p1')).toBe(5);

    expect(await repo.clear('p1')).toBe(5);
    expect(await repo.count('p1')).toBe(0);
    expect(await repo.count('p2')).toBe(1);
  });
});
