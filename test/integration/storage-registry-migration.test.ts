import { Dexie } from 'dexie';
import { afterEach, describe, expect, it } from 'vitest';
import { LEGACY_WHY } from '../../src/core/deliver/registry';
import { FORMAT_VERSION } from '../../src/core/shared/storage-format';
import { FORMAT_KEY, SCHEMA_V1_STORES, SCHEMA_VERSION, type LoopbenchDb } from '../../src/platform/db';
import { RegistryRepo } from '../../src/platform/repositories/registry';
import { RunsRepo } from '../../src/platform/repositories/runs';
import { LEGACY_MODEL_VERSIONS, LEGACY_REGISTRY } from '../fixtures/legacy-registry';
import { freshDeps, openFresh, run } from './storage-fixtures';

const opened: LoopbenchDb[] = [];
afterEach(() => {
  for (const db of opened.splice(0)) db.close();
});

describe('schema version 6', () => {
  it('upgrades a version-5 database, moving its registered models into their projects with versions and reasons', async () => {
    const deps = freshDeps();
    // What Loopbench with schema version 5 left behind: the old registry stores and the runs behind the versions.
    const old = new Dexie('loopbench', deps);
    old.version(5).stores({
      ...SCHEMA_V1_STORES,
      suites: 'projectId',
      evaluations: 'id, runId, projectId, createdAt',
      checkpoints: 'runId',
      checkpointChunks: '[runId+index]',
    });
    await old.open();
    await old.table('meta').put({ key: FORMAT_KEY, value: FORMAT_VERSION });
    await old.table('runs').bulkPut([
      run('run-a', { projectId: 'sample-penguins', datasetId: 'ds-1', status: 'finished' }),
      run('run-b', { projectId: 'sample-penguins', datasetId: 'ds-2', status: 'finished' }),
      run('run-c', { projectId: 'cars-project', datasetId: 'ds-3', status: 'finished' }),
    ]);
    await old.table('registry').bulkPut(structuredClone(LEGACY_REGISTRY) as unknown as object[]);
    await old.table('modelVersions').bulkPut(structuredClone(LEGACY_MODEL_VERSIONS) as unknown as object[]);
    old.close();

    const db = await openFresh(deps);
    opened.push(db);
    expect(db.verno).toBe(SCHEMA_VERSION);
    expect(db.tables.map((t) => t.name)).not.toContain('modelVersions');
    const registry = new RegistryRepo(db);

    const penguins = await registry.model('sample-penguins', 'penguin-species');
    expect(penguins?.versions.map((v) => [v.version, v.runId, v.datasetVersionId])).toEqual([[1, 'run-a', 'ds-1'], [2, 'run-b', 'ds-2']]);
    expect(penguins?.audit.at(-1)).toEqual({ kind: 'alias', at: 1_767_225_800_001, alias: 'champion', from: 1, to: 2, why: LEGACY_WHY, evidenceId: null });
    expect((await registry.byAlias('sample-penguins', 'champion'))?.id).toBe('penguin-species@2');
    expect((await registry.models('cars-project')).map((m) => m.name)).toEqual(['cars']);

    // The migrated records work with today's rules: roll back, register the next version, and still guard the runs.
    expect((await registry.rollback('sample-penguins', 'penguin-species', 'champion', 'v2 regressed')).aliases.champion).toBe(1);
    await expect(new RunsRepo(db).delete('run-a')).rejects.toThrow(/penguin-species version 1/);
  });
});
