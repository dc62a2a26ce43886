import { Dexie } from 'dexie';
import { afterEach, describe, expect, it } from 'vitest';
import { FORMAT_VERSION } from '../../src/core/shared/storage-format';
import type { ExpectationSuite } from '../../src/core/data/expectations';
import { FORMAT_KEY, SCHEMA_V1_STORES, SCHEMA_VERSION, SPLIT_COLUMN, type LoopbenchDb } from '../../src/platform/db';
import { encodeColumn } from '../../src/platform/repositories/dataset-chunks';
import { DatasetsRepo } from '../../src/platform/repositories/datasets';
import { ProjectsRepo } from '../../src/platform/repositories/projects';
import { SuitesRepo } from '../../src/platform/repositories/suites';
import { datasetMeta, freshDeps, openFresh, project, sampleTable } from './storage-fixtures';

const opened: LoopbenchDb[] = [];
afterEach(() => {
  for (const db of opened.splice(0)) db.close();
});

function suite(projectId: string, max = 10): ExpectationSuite {
  return {
    projectId,
    expectations: [
      { id: 'row-count', kind: 'row-count', min: 1, max, enabled: true },
      { id: 'categories:island', kind: 'categories', column: 'island', allowed: ['Biscoe', 'Dream'], enabled: false },
    ],
    suggestedFrom: 'd1',
    updatedAt: 1234,
  };
}

describe('SuitesRepo', () => {
  it('keeps one suite per project, replaced whole on save', async () => {
    const db = await openFresh();
    opened.push(db);
    const repo = new SuitesRepo(db);
    expect(await repo.get('p1')).toBeUndefined();
    await repo.put(suite('p1'));
    await repo.put(suite('p2', 99));
    expect(await repo.get('p1')).toEqual(suite('p1'));
    await repo.put({ ...suite('p1', 20), expectations: suite('p1', 20).expectations.slice(0, 1) });
    expect((await repo.get('p1'))?.expectations).toEqual([{ id: 'row-count', kind: 'row-count', min: 1, max: 20, enabled: true }]);
    expect(await repo.get('p2')).toEqual(suite('p2', 99));
    expect(await db.suites.count()).toBe(2);
  });

  it('refuses a suite that could not be run, and keeps the stored one', async () => {
    const db = await openFresh();
    opened.push(db);
    const repo = new SuitesRepo(db);
    await repo.put(suite('p1'));
    const broken = suite('p1');
    broken.expectations[0] = { id: 'row-count', kind: 'row-count', min: 50, max: 10, enabled: true };
    await expect(repo.put(broken)).rejects.toThrow(/minimum \(50\) is above the maximum \(10\)/);
    expect(await repo.get('p1')).toEqual(suite('p1'));
  });
});

describe('schema version 2', () => {
  it('upgrades a version-1 database in place, keeping its records', async () => {
    const deps = freshDeps();
    // What Loopbench with schema version 1 left behind: its stores, a project and a stored dataset.
    const old = new Dexie('loopbench', deps);
    old.version(1).stores(SCHEMA_V1_STORES);
    await old.open();
    await old.table('meta').put({ key: FORMAT_KEY, value: FORMAT_VERSION });
    await old.table('projects').put(project('p1'));
    const { table, assignment } = sampleTable(30);
    const meta = datasetMeta('d1', 30, 10);
    await old.table('datasets').put(meta);
    await old.table('chunks').bulkPut([
      ...table.columns.flatMap((c, i) => encodeColumn('d1', i, c, 30, 10)),
      ...encodeColumn('d1', SPLIT_COLUMN, assignment, 30, 10),
    ]);
    expect(old.verno).toBe(1);
    old.close();

    const db = await openFresh(deps);
    opened.push(db);
    expect(db.verno).toBe(SCHEMA_VERSION);
    expect(db.tables.map((t) => t.name)).toContain('suites');
    // Schema 6 replaced the two registry stores by `models` (see storage-registry-migration.test.ts); schema 9 moved
    // `predictions` into the request log (storage-prediction-log-migration.test.ts).
    const replaced = ['registry', 'modelVersions', 'predictions'];
    const kept = Object.keys(SCHEMA_V1_STORES).filter((name) => !replaced.includes(name));
    expect(db.tables.map((t) => t.name)).toEqual(expect.arrayContaining([...kept, 'models']));
    expect(await new ProjectsRepo(db).get('p1')).toEqual(project('p1'));
    const loaded = await new DatasetsRepo(db).load('d1');
    expect(loaded.meta).toEqual(meta);
    expect(loaded.table).toEqual(table);
    expect(loaded.assignment).toEqual(assignment);
    await new SuitesRepo(db).put(suite('p1'));
    expect(await new SuitesRepo(db).get('p1')).toEqual(suite('p1'));
  });
});
