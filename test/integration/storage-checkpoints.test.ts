import { Dexie } from 'dexie';
import { afterEach, describe, expect, it } from 'vitest';
import { FORMAT_VERSION } from '../../src/core/shared/storage-format';
import type { TrainCheckpoint } from '../../src/core/contracts/model';
import { FORMAT_KEY, SCHEMA_V1_STORES, SCHEMA_VERSION, type LoopbenchDb } from '../../src/platform/db';
import { INTERRUPTED_NOTE, RunsRepo } from '../../src/platform/repositories/runs';
import { freshDeps, openFresh, run } from './storage-fixtures';

const opened: LoopbenchDb[] = [];
afterEach(() => {
  for (const db of opened.splice(0)) db.close();
});

function checkpoint(epoch: number, weightCount: number, withBest: boolean): TrainCheckpoint {
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

async function fresh(): Promise<{ db: LoopbenchDb; repo: RunsRepo }> {
  const db = await openFresh();
  opened.push(db);
  return { db, repo: new RunsRepo(db) };
}

describe('checkpoints', () => {
  it('round-trips a checkpoint and replaces the previous one, chunks included', async () => {
    const { db, repo } = await fresh();
    await repo.create(run('r1'));
    // Over 4 MiB of weights: more than one chunk.
    const big = checkpoint(1, 1_200_000, false);
    await repo.checkpoints.save('r1', structuredClone(big));
    expect(await db.checkpointChunks.count()).toBe(2);
    expect(await repo.checkpoints.load('r1')).toEqual(big);

    const small = checkpoint(2, 10, true);
    await repo.checkpoints.save('r1', structuredClone(small));
    expect(await db.checkpointChunks.count()).toBe(1);
    expect(await repo.checkpoints.load('r1')).toEqual(small);
    expect(await repo.checkpoints.epochs(['r1', 'other'])).toEqual(new Map([['r1', 2]]));
  });

  it('a failed write leaves the previous checkpoint whole', async () => {
    const { db, repo } = await fresh();
    const first = checkpoint(1, 10, false);
    await repo.checkpoints.save('r1', structuredClone(first));
    // A record IndexedDB cannot clone makes the transaction fail after the chunks were put.
    const broken = { ...checkpoint(2, 10, false), history: [{ key: 'loss', value: 1, step: 2, timestamp: 1, bad: () => 0 }] };
    await expect(repo.checkpoints.save('r1', broken as unknown as TrainCheckpoint)).rejects.toThrow();
    expect(await repo.checkpoints.load('r1')).toEqual(first);
    expect(await db.checkpointChunks.count()).toBe(1);
  });

  it('marks an orphaned run as interrupted and resumable, and deleting the run deletes its checkpoint', async () => {
    const { db, repo } = await fresh();
    await repo.create({ ...run('r1'), status: 'running' });
    await repo.create({ ...run('r2'), status: 'running' });
    await repo.checkpoints.save('r1', checkpoint(3, 10, false));
    expect((await repo.markInterrupted()).sort()).toEqual(['r1', 'r2']);
    const r1 = await repo.get('r1');
    expect(r1?.status).toBe('failed');
    expect(r1?.note).toBe(`${INTERRUPTED_NOTE} It can resume after epoch 3.`);
    expect((await repo.get('r2'))?.note).toBe(INTERRUPTED_NOTE);
    await repo.delete('r1');
    expect(await repo.checkpoints.load('r1')).toBeNull();
    expect(await db.checkpointChunks.count()).toBe(0);
  });
});

describe('schema version 5', () => {
  it('upgrades a version-4 database in place, adding the checkpoint stores and keeping the runs', async () => {
    const deps = freshDeps();
    const old = new Dexie('loopbench', deps);
    const v3 = { ...SCHEMA_V1_STORES, suites: 'projectId', evaluations: 'id, runId, projectId, createdAt' };
    old.version(1).stores(SCHEMA_V1_STORES);
    old.version(2).stores({ ...SCHEMA_V1_STORES, suites: 'projectId' });
    old.version(3).stores(v3);
    old.version(4).stores(v3);
    await old.open();
    await old.table('meta').put({ key: FORMAT_KEY, value: FORMAT_VERSION });
    const stored = run('r-old');
    await old.table('runs').put(stored);
    expect(old.verno).toBe(4);
    old.close();

    const db = await openFresh(deps);
    opened.push(db);
    expect(db.verno).toBe(SCHEMA_VERSION);
    const repo = new RunsRepo(db);
    expect(await repo.get('r-old')).toEqual(stored);
    expect(await repo.checkpoints.load('r-old')).toBeNull();
    await repo.checkpoints.save('r-old', checkpoint(1, 4, false));
    expect((await repo.checkpoints.load('r-old'))?.epoch).toBe(1);
  });
});
