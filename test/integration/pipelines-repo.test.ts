import { Dexie } from 'dexie';
import { afterEach, describe, expect, it } from 'vitest';
import { newRun, next } from '../../src/core/deliver/pipeline/run-machine';
import type { PipelineRun, RunEvent } from '../../src/core/deliver/pipeline/run-types';
import { FORMAT_VERSION } from '../../src/core/shared/storage-format';
import { FORMAT_KEY, SCHEMA_V1_STORES, SCHEMA_VERSION, type LoopbenchDb } from '../../src/platform/db';
import { PipelinesRepo } from '../../src/platform/repositories/pipelines';
import { RegistryRepo } from '../../src/platform/repositories/registry';
import { pipeline } from '../unit/deliver/pipeline-fixtures';
import { freshDeps, openFresh } from './storage-fixtures';

let db: LoopbenchDb;
afterEach(() => db?.close());

function step(run: PipelineRun, ...events: RunEvent[]): PipelineRun {
  return events.reduce((r, e) => {
    const s = next(r, e);
    if (!s.ok) throw new Error(s.reason);
    return s.run;
  }, run);
}

const queued = (id: string, pipelineId: string, at: number) => newRun({ id, pipelineId, at, trigger: { kind: 'manual' } });

describe('PipelinesRepo', () => {
  it('saves, lists by name and gets definitions per project', async () => {
    db = await openFresh();
    const repo = new PipelinesRepo(db);
    await repo.save(pipeline({ id: 'a', name: 'zeta' }));
    await repo.save(pipeline({ id: 'b', name: 'alpha' }));
    await repo.save(pipeline({ id: 'c', projectId: 'p2', name: 'alpha' }));
    expect((await repo.list('p1')).map((p) => p.id)).toEqual(['b', 'a']);
    expect((await repo.list('p2')).map((p) => p.id)).toEqual(['c']);
    expect(await repo.get('a')).toEqual(pipeline({ id: 'a', name: 'zeta' }));

    // Saving the same id again replaces it (renaming to its own name in another case is no clash).
    await repo.save(pipeline({ id: 'a', name: 'ZETA', triggers: { newVersion: 'paused', alert: 'off' } }));
    expect(await repo.get('a')).toMatchObject({ name: 'ZETA', triggers: { newVersion: 'paused' } });
    expect(await repo.list('p1')).toHaveLength(2);
  });

  it('refuses an invalid definition with its located problems, and stores nothing', async () => {
    db = await openFresh();
    const repo = new PipelinesRepo(db);
    const broken = pipeline({ tests: [{ kind: 'smoke', ratio: 3 }], promotion: { mode: 'auto', model: 'churn', alias: 'latest' } });
    await expect(repo.save(broken)).rejects.toThrow(/Pipeline "retrain churn" is not valid: tests\[0\]\.ratio: .*; promotion\.alias: .*reserved/);
    expect(await db.pipelines.count()).toBe(0);
  });

  it('refuses a second pipeline of one name in a project, ignoring case, and an id of another project', async () => {
    db = await openFresh();
    const repo = new PipelinesRepo(db);
    await repo.save(pipeline({ id: 'a', name: 'Retrain churn' }));
    await expect(repo.save(pipeline({ id: 'b', name: ' retrain CHURN' }))).rejects.toThrow(/already has a pipeline named "Retrain churn"/);
    await expect(repo.save(pipeline({ id: 'a', projectId: 'p2', name: 'other' }))).rejects.toThrow(/belongs to another project/);
    expect((await db.pipelines.toArray()).map((p) => [p.id, p.projectId, p.name])).toEqual([['a', 'p1', 'Retrain churn']]);
  });

  it('stores runs with their project, lists them newest first, and refuses a run of a missing pipeline', async () => {
    db = await openFresh();
    const repo = new PipelinesRepo(db);
    await repo.save(pipeline({ id: 'a', name: 'a' }));
    await repo.save(pipeline({ id: 'b', name: 'b' }));
    await repo.saveRun('p1', queued('r1', 'a', 100));
    await repo.saveRun('p1', queued('r2', 'b', 300));
    await repo.saveRun('p1', queued('r3', 'a', 200));
    const started = step(queued('r1', 'a', 100), { type: 'start', at: 150 });
    await repo.saveRun('p1', started);

    expect((await repo.runs('p1')).map((r) => r.id)).toEqual(['r2', 'r3', 'r1']);
    expect((await repo.runsOf('a')).map((r) => r.id)).toEqual(['r3', 'r1']);
    expect(await repo.getRun('r1')).toEqual(started);
    expect(await repo.runs('p2')).toEqual([]);
    expect(await db.pipelineRuns.get('r1')).toMatchObject({ projectId: 'p1', status: 'running' });

    await expect(repo.saveRun('p1', queued('r9', 'gone', 1))).rejects.toThrow(/Pipeline gone of run r9 is no longer stored/);
    await expect(repo.saveRun('p2', queued('r9', 'a', 1))).rejects.toThrow(/belongs to another project/);
    expect(await repo.getRun('r9')).toBeUndefined();
  });

  it('removes a pipeline with all its runs, and a whole project’s pipelines', async () => {
    db = await openFresh();
    const repo = new PipelinesRepo(db);
    await repo.save(pipeline({ id: 'a', name: 'a' }));
    await repo.save(pipeline({ id: 'b', name: 'b' }));
    await repo.save(pipeline({ id: 'c', projectId: 'p2', name: 'c' }));
    await repo.saveRun('p1', queued('r1', 'a', 1));
    await repo.saveRun('p1', queued('r2', 'a', 2));
    await repo.saveRun('p1', queued('r3', 'b', 3));
    await repo.saveRun('p2', queued('r4', 'c', 4));

    await repo.remove('a');
    expect(await repo.get('a')).toBeUndefined();
    expect((await db.pipelineRuns.toArray()).map((r) => r.id).sort()).toEqual(['r3', 'r4']);

    await repo.removeProject('p1');
    expect((await db.pipelines.toArray()).map((p) => p.id)).toEqual(['c']);
    expect((await db.pipelineRuns.toArray()).map((r) => r.id)).toEqual(['r4']);
  });

  it('ends runs no tab drives after a reload: running fails at its stage, queued is cancelled, waiting stays', async () => {
    db = await openFresh();
    const repo = new PipelinesRepo(db, () => 9_000);
    await repo.save(pipeline({ id: 'a', name: 'a' }));
    const running = step(queued('running', 'a', 1), { type: 'start', at: 10 }, { type: 'pass', stage: 'data', at: 20 });
    const alive = step(queued('alive', 'a', 2), { type: 'start', at: 10 });
    const stages = ['data', 'train', 'evaluate', 'behaviour', 'parity', 'gates'] as const;
    const waiting = step(
      queued('waiting', 'a', 3),
      { type: 'start', at: 10 },
      ...stages.map((stage): RunEvent => ({ type: 'pass', stage, at: 20 })),
      { type: 'await-approval', at: 30 },
    );
    const passed = step(queued('passed', 'a', 4), { type: 'start', at: 10 }, ...[...stages, 'promote' as const].map((stage): RunEvent => ({ type: 'pass', stage, at: 20 })));
    for (const run of [running, alive, waiting, passed, queued('queued', 'a', 5)]) await repo.saveRun('p1', run);

    const ended = await repo.recoverInterrupted('p1', (id) => id === 'alive');
    expect(ended.map((r) => r.id)).toEqual(['queued', 'running']);

    const failed = await repo.getRun('running');
    expect(failed).toMatchObject({ status: 'failed', endedAt: 9_000, failure: { stage: 'train', reason: 'the page was closed or reloaded while this stage ran' } });
    expect(failed?.stages.find((s) => s.name === 'train')).toMatchObject({ status: 'failed', endedAt: 9_000 });
    expect(failed?.stages.find((s) => s.name === 'data')?.status).toBe('passed');
    expect(failed?.stages.find((s) => s.name === 'promote')?.status).toBe('skipped');

    const cancelled = await repo.getRun('queued');
    expect(cancelled).toMatchObject({ status: 'cancelled', endedAt: 9_000 });
    expect(cancelled?.stages.every((s) => s.status === 'cancelled' && s.reason === 'the page was closed before it started')).toBe(true);

    expect(await repo.getRun('alive')).toEqual(alive);
    expect(await repo.getRun('waiting')).toEqual(waiting);
    expect(await repo.getRun('passed')).toEqual(passed);
    // The waiting run can still be approved after the reload.
    expect(next(waiting, { type: 'approve', at: 9_500, reason: 'looks right' }).ok).toBe(true);
    // Nothing is left to recover the second time while the live run is still driven.
    expect(await repo.recoverInterrupted('p1', (id) => id === 'alive')).toEqual([]);
  });
});

describe('schema version 7', () => {
  it('upgrades a version-6 database, keeping its data and adding empty pipeline stores', async () => {
    const deps = freshDeps();
    const old = new Dexie('loopbench', deps);
    old.version(6).stores({
      ...SCHEMA_V1_STORES,
      suites: 'projectId',
      evaluations: 'id, runId, projectId, createdAt',
      checkpoints: 'runId',
      checkpointChunks: '[runId+index]',
      registry: null,
      modelVersions: null,
      models: 'id, projectId',
    });
    await old.open();
    await old.table('meta').put({ key: FORMAT_KEY, value: FORMAT_VERSION });
    await old.table('projects').put({ id: 'p1', name: 'Churn', task: 'classification', target: 'y', goal: { metric: 'accuracy', bar: 0.9 }, createdAt: 1 });
    const stored = { id: 'p1/churn', projectId: 'p1', name: 'churn', description: '', tags: {}, createdAt: 1, versions: [], aliases: {}, audit: [] };
    await old.table('models').put(stored);
    old.close();

    db = await openFresh(deps);
    expect(db.verno).toBe(SCHEMA_VERSION);
    expect(SCHEMA_VERSION).toBeGreaterThanOrEqual(7);
    expect(db.tables.map((t) => t.name)).toEqual(expect.arrayContaining(['pipelines', 'pipelineRuns', 'models', 'projects']));
    expect(db.tables.map((t) => t.name)).not.toContain('registry');
    expect(await db.projects.get('p1')).toMatchObject({ name: 'Churn' });
    expect((await new RegistryRepo(db).models('p1')).map((m) => m.name)).toEqual(['churn']);

    const repo = new PipelinesRepo(db);
    expect(await repo.list('p1')).toEqual([]);
    await repo.save(pipeline({ id: 'a' }));
    await repo.saveRun('p1', queued('r1', 'a', 1));
    expect((await repo.runs('p1')).map((r) => r.id)).toEqual(['r1']);
  });
});
