import { Dexie } from 'dexie';
import { afterEach, describe, expect, it } from 'vitest';
import { FORMAT_VERSION } from '../../src/core/shared/storage-format';
import { evaluationId, type StoredEvaluation } from '../../src/core/evaluate/types';
import { FORMAT_KEY, SCHEMA_V1_STORES, SCHEMA_VERSION, type LoopbenchDb } from '../../src/platform/db';
import { EvaluationsRepo } from '../../src/platform/repositories/evaluations';
import { ProjectsRepo } from '../../src/platform/repositories/projects';
import { SuitesRepo } from '../../src/platform/repositories/suites';
import { freshDeps, openFresh, project } from './storage-fixtures';

const opened: LoopbenchDb[] = [];
afterEach(() => {
  for (const db of opened.splice(0)) db.close();
});

function stored(runId: string, datasetId: string, split: StoredEvaluation['split'], createdAt: number): StoredEvaluation {
  return {
    id: evaluationId(runId, datasetId, split),
    projectId: 'p1',
    runId,
    datasetId,
    datasetName: `version ${datasetId}`,
    split,
    mode: 'own',
    recipesApplied: 0,
    createdAt,
    durationMs: 12,
    result: {
      task: 'regression',
      figures: { task: 'regression', count: 2, mae: 1, rmse: 1, r2: 0.5, mape: NaN, mapeSkipped: 2 },
      scatter: { actual: [0, 0], predicted: [1, -1] },
      slices: [{ column: 'x', by: 'quantile', metric: 'mae', slices: [{ value: '= 3', count: 2, metric: 1 }], omitted: 0 }],
      worst: [{ row: 4, input: { x: 3 }, truth: 0, prediction: 1, confidence: null, loss: 1 }],
      skipped: { missingTarget: 1, unknownClass: 0, filtered: 0 },
      rowsInSplit: 3,
    },
  };
}

describe('evaluations repository', () => {
  it('stores, lists newest first per run, replaces the same run/version/split, and deletes', async () => {
    const db = await openFresh();
    opened.push(db);
    const repo = new EvaluationsRepo(db);
    await repo.put(stored('r1', 'd1', 'test', 1));
    await repo.put(stored('r1', 'd2', 'all', 2));
    await repo.put(stored('r2', 'd1', 'test', 3));
    expect((await repo.listForRun('r1')).map((e) => e.id)).toEqual(['r1|d2|all', 'r1|d1|test']);
    // NaN survives IndexedDB (structured clone), so an undefined MAPE stays undefined.
    expect((await repo.get('r1|d2|all'))?.result).toEqual(stored('r1', 'd2', 'all', 2).result);

    await repo.put(stored('r1', 'd1', 'test', 9));
    expect((await repo.listForRun('r1')).map((e) => [e.id, e.createdAt])).toEqual([
      ['r1|d1|test', 9],
      ['r1|d2|all', 2],
    ]);
    await repo.delete('r1|d2|all');
    expect((await repo.listForRun('r1')).map((e) => e.id)).toEqual(['r1|d1|test']);
    expect(await repo.deleteForRun('r1')).toBe(1);
    expect(await repo.listForRun('r1')).toEqual([]);
    expect((await repo.listForRun('r2')).length).toBe(1);
  });
});

describe('schema version 3', () => {
  it('upgrades a version-2 database in place, keeping its records, and adds evaluations', async () => {
    const deps = freshDeps();
    // What Loopbench with schema version 2 left behind: its stores, a project and a suite.
    const old = new Dexie('loopbench', deps);
    old.version(1).stores(SCHEMA_V1_STORES);
    old.version(2).stores({ ...SCHEMA_V1_STORES, suites: 'projectId' });
    await old.open();
    await old.table('meta').put({ key: FORMAT_KEY, value: FORMAT_VERSION });
    await old.table('projects').put(project('p1'));
    const suite = { projectId: 'p1', expectations: [], suggestedFrom: null, updatedAt: 5 };
    await old.table('suites').put(suite);
    expect(old.verno).toBe(2);
    old.close();

    const db = await openFresh(deps);
    opened.push(db);
    expect(db.verno).toBe(SCHEMA_VERSION);
    expect(SCHEMA_VERSION).toBeGreaterThanOrEqual(3);
    expect(db.tables.map((t) => t.name)).toContain('evaluations');
    expect(await new ProjectsRepo(db).get('p1')).toEqual(project('p1'));
    expect(await db.suites.get('p1')).toEqual(suite);
    expect(await new SuitesRepo(db).get('p1')).toEqual(suite);
    const repo = new EvaluationsRepo(db);
    await repo.put(stored('r1', 'd1', 'test', 1));
    expect((await repo.listForRun('r1')).length).toBe(1);
  });
});
