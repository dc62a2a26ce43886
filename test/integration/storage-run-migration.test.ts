import { Dexie } from 'dexie';
import { afterEach, describe, expect, it } from 'vitest';
import { FORMAT_VERSION } from '../../src/core/shared/storage-format';
import { migrateRunRecord } from '../../src/core/train/spec/migrate-run';
import { FORMAT_KEY, SCHEMA_V1_STORES, SCHEMA_VERSION, type LoopbenchDb } from '../../src/platform/db';
import { RunsRepo } from '../../src/platform/repositories/runs';
import { LEGACY_LINEAR_PARAMS, LEGACY_RUN } from '../fixtures/legacy-run';
import { freshDeps, openFresh, run } from './storage-fixtures';

const opened: LoopbenchDb[] = [];
afterEach(() => {
  for (const db of opened.splice(0)) db.close();
});

describe('schema version 4', () => {
  it('upgrades a version-3 database in place, rewriting stored runs as { spec, hyper } and keeping the rest', async () => {
    const deps = freshDeps();
    // What Loopbench with schema version 3 left behind: its stores and two runs with flat MLP params.
    const old = new Dexie('loopbench', deps);
    old.version(1).stores(SCHEMA_V1_STORES);
    old.version(2).stores({ ...SCHEMA_V1_STORES, suites: 'projectId' });
    old.version(3).stores({ ...SCHEMA_V1_STORES, suites: 'projectId', evaluations: 'id, runId, projectId, createdAt' });
    await old.open();
    await old.table('meta').put({ key: FORMAT_KEY, value: FORMAT_VERSION });
    await old.table('runs').put(structuredClone(LEGACY_RUN));
    await old.table('runs').put({ ...structuredClone(LEGACY_RUN), id: 'run-linear', params: { ...LEGACY_LINEAR_PARAMS } });
    // A record already in the new shape (the upgrade must be safe to meet one) stays exactly as it was.
    const current = run('run-current', { projectId: 'sample-penguins' });
    await old.table('runs').put(current);
    expect(old.verno).toBe(3);
    old.close();

    const db = await openFresh(deps);
    opened.push(db);
    expect(db.verno).toBe(SCHEMA_VERSION);
    const repo = new RunsRepo(db);
    const migrated = await repo.get('run-legacy');
    expect(migrated).toEqual(migrateRunRecord(structuredClone(LEGACY_RUN) as { params: unknown }));
    expect(migrated?.params.spec).toEqual({ family: 'mlp', layers: [{ units: 16, activation: 'tanh' }, { units: 16, activation: 'tanh' }], dropout: 0 });
    expect(migrated?.params.hyper).toMatchObject({ optimizer: 'sgd', momentum: 0, learningRate: 0.05, epochs: 30, batchSize: 32, seed: 7 });
    expect((await repo.get('run-linear'))?.params.spec).toEqual({ family: 'linear' });
    // Still found through the indexes, as before.
    expect((await repo.list('sample-penguins')).map((r) => r.id).sort()).toEqual(['run-current', 'run-legacy', 'run-linear']);
    expect(await repo.get('run-current')).toEqual(current);
  });
});
