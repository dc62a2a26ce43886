import { afterEach, describe, expect, it } from 'vitest';
import type { LoopbenchDb } from '../../src/platform/db';
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
  it('numbers versions per model inside its project, links each to its run and records each registration', async () => {
    db = await openFresh();
    await trainedRuns(['r1', 'r2', 'r3']);
    const registry = new RegistryRepo(db, clock());

    expect(await registry.register('p1', 'penguins', 'r1', 'species from measurements')).toMatchObject({ id: 'penguins@1', version: 1, runId: 'r1' });
    expect(await registry.register('p1', 'penguins', 'r2', '', { team: 'ml' })).toMatchObject({ id: 'penguins@2', version: 2, runId: 'r2' });
    expect(await registry.register('p1', 'other', 'r3')).toMatchObject({ id: 'other@1', version: 1 });

    expect((await registry.models('p1')).map((m) => m.name)).toEqual(['other', 'penguins']);
    const penguins = await registry.model('p1', 'penguins');
    expect(penguins?.description).toBe('species from measurements');
    // Tags given with a later version are set on the model that already exists.
    expect(penguins?.tags).toEqual({ team: 'ml' });
    expect(penguins?.versions.map((v) => [v.version, v.runId, v.datasetVersionId, v.recipeHash])).toEqual([
      [1, 'r1', 'd1', null],
      [2, 'r2', 'd1', null],
    ]);
    expect(penguins?.audit).toEqual([
      { kind: 'register', at: 101, version: 1 },
      { kind: 'register', at: 102, version: 2 },
    ]);
    await expect(registry.register('p1', 'Penguins', 'r1')).rejects.toThrow(/already version 1/);
  });

  it('refuses runs without a model or from another project; names are unique only within a project', async () => {
    db = await openFresh();
    await trainedRuns(['r1']);
    await trainedRuns(['q1'], 'p2');
    await new RunsRepo(db).create(run('untrained'));
    const registry = new RegistryRepo(db);
    await expect(registry.register('p1', 'm', 'untrained')).rejects.toThrow(/no trained model/);
    await expect(registry.register('p1', 'm', 'q1')).rejects.toThrow(/another project/);
    await expect(registry.register('p1', 'bad name ', 'r1')).rejects.toThrow(/not a valid model name/);
    await registry.register('p2', 'shared', 'q1');
    expect(await registry.register('p1', 'shared', 'r1')).toMatchObject({ id: 'shared@1', runId: 'r1' });
    expect(await registry.model('p1', 'm')).toBeUndefined();
  });

  it('moves an alias with a reason so it points at exactly one version, and rolls it back from the audit log', async () => {
    db = await openFresh();
    await trainedRuns(['r1', 'r2']);
    const registry = new RegistryRepo(db, clock());
    await registry.register('p1', 'penguins', 'r1');
    await registry.register('p1', 'penguins', 'r2');

    await registry.moveAlias('p1', 'penguins', { alias: 'champion', to: 1, why: 'first model' });
    await registry.moveAlias('p1', 'penguins', { alias: 'challenger', to: 2, why: 'shadow test' });
    const moved = await registry.moveAlias('p1', 'penguins', { alias: 'champion', to: 2, why: 'better accuracy' });
    expect(moved.aliases).toEqual({ champion: 2, challenger: 2 });
    expect((await registry.byAlias('p1', 'champion'))?.id).toBe('penguins@2');
    await expect(registry.moveAlias('p1', 'penguins', { alias: 'champion', to: 9, why: 'x' })).rejects.toThrow(/no version 9/);
    await expect(registry.moveAlias('p1', 'penguins', { alias: 'champion', to: 1, why: ' ' })).rejects.toThrow(/say why/);
    await expect(registry.rollback('p1', 'penguins', 'staging', 'x')).rejects.toThrow(/never moved/);

    const back = await registry.rollback('p1', 'penguins', 'champion', 'latency regression');
    expect(back.aliases.champion).toBe(1);
    expect((await registry.model('p1', 'penguins'))?.audit.filter((e) => e.kind !== 'register')).toEqual([
      { kind: 'alias', at: 103, alias: 'champion', from: null, to: 1, why: 'first model', evidenceId: null },
      { kind: 'alias', at: 104, alias: 'challenger', from: null, to: 2, why: 'shadow test', evidenceId: null },
      { kind: 'alias', at: 105, alias: 'champion', from: 1, to: 2, why: 'better accuracy', evidenceId: null },
      { kind: 'rollback', at: 109, alias: 'champion', from: 2, to: 1, why: 'latency regression', evidenceId: null },
    ]);
  });

  it('keeps gate decisions in the audit log, and refuses one for a version that does not exist', async () => {
    db = await openFresh();
    await trainedRuns(['r1']);
    const registry = new RegistryRepo(db, clock());
    await registry.register('p1', 'penguins', 'r1');
    await registry.recordGate('p1', 'penguins', { version: 1, passed: false, why: 'accuracy 0.41 below the bar 0.9' });
    await expect(registry.recordGate('p1', 'penguins', { version: 4, passed: true, why: 'x' })).rejects.toThrow(/no version 4/);
    const model = await registry.model('p1', 'penguins');
    expect(model?.audit.at(-1)).toEqual({ kind: 'gate', at: 102, version: 1, passed: false, why: 'accuracy 0.41 below the bar 0.9', evidenceId: null });
    expect(model?.aliases).toEqual({});
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

    const promote = (projectId: string, name: string, to: number) => registry.moveAlias(projectId, name, { alias: 'champion', to, why: 'test' });
    await promote('p1', 'beta', 1);
    await promote('p1', 'alpha', 1);
    await promote('p2', 'gamma', 1);
    expect((await registry.byAlias('p1', 'champion'))?.id).toBe('alpha@1');
    await registry.register('p1', 'beta', 'r1');
    await promote('p1', 'beta', 2);
    expect((await registry.byAlias('p1', 'champion'))?.id).toBe('beta@2');
  });
});
