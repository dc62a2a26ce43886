import { afterEach, describe, expect, it } from 'vitest';
import { sha256Hex } from '../../src/core/data/hash';
import type { LoopbenchDb } from '../../src/platform/db';
import { INTERRUPTED_NOTE, RunsRepo, WEIGHT_CHUNK_BYTES } from '../../src/platform/repositories/runs';
import { bytes, MODEL_SPEC, openFresh, run } from './storage-fixtures';

let db: LoopbenchDb;
afterEach(() => db?.close());

describe('RunsRepo', () => {
  it('lists a project\'s runs newest first and appends metric history', async () => {
    db = await openFresh();
    const repo = new RunsRepo(db);
    await repo.create(run('r-old', { startedAt: 1 }));
    await repo.create(run('r-new', { startedAt: 2 }));
    await repo.create(run('r-other', { projectId: 'p2', startedAt: 3 }));
    expect((await repo.list('p1')).map((r) => r.id)).toEqual(['r-new', 'r-old']);

    await repo.appendHistory('r-new', [{ key: 'loss', value: 0.9, step: 1, timestamp: 10 }]);
    await repo.appendHistory('r-new', [{ key: 'loss', value: 0.5, step: 2, timestamp: 20 }]);
    expect((await repo.get('r-new'))?.history.map((p) => p.value)).toEqual([0.9, 0.5]);
    await expect(repo.appendHistory('nope', [])).rejects.toThrow(/not in storage/);
  });

  it('stores weights larger than one chunk and returns identical bytes', async () => {
    db = await openFresh();
    const repo = new RunsRepo(db);
    await repo.create(run('r1'));
    const weights = bytes(2 * WEIGHT_CHUNK_BYTES + 12345);

    const finished = await repo.finish('r1', { status: 'finished', endedAt: 9000, model: MODEL_SPEC, metrics: { accuracy: 0.95 } }, weights);
    expect(finished.model).toEqual({ ...MODEL_SPEC, byteLength: weights.byteLength, sha256: await sha256Hex(weights), chunkCount: 3 });
    expect(await db.artifacts.count()).toBe(3);
    const stored = await repo.get('r1');
    expect(stored).toEqual(finished);
    expect(stored?.status).toBe('finished');
    expect(stored?.metrics).toEqual({ accuracy: 0.95 });

    // Buffer.equals: a deep toEqual over 8 MiB of elements takes over a minute.
    const loaded = await repo.loadWeights('r1');
    expect(loaded.byteLength).toBe(weights.byteLength);
    expect(Buffer.from(loaded).equals(Buffer.from(weights))).toBe(true);
    const model = await repo.loadModel('r1');
    expect(model.topology).toEqual(MODEL_SPEC.topology);
    expect(model.weights.byteLength).toBe(weights.byteLength);
  });

  it('refuses weights whose stored bytes no longer match their checksum', async () => {
    db = await openFresh();
    const repo = new RunsRepo(db);
    await repo.create(run('r1'));
    await repo.finish('r1', { status: 'finished', model: MODEL_SPEC }, bytes(WEIGHT_CHUNK_BYTES + 10));

    const chunk = await db.artifacts.get(['r1', 1]);
    if (!chunk) throw new Error('second chunk missing');
    const flipped = new Uint8Array(chunk.data.slice(0));
    flipped[3] ^= 0xff;
    await db.artifacts.put({ ...chunk, data: flipped.buffer });
    await expect(repo.loadWeights('r1')).rejects.toThrow(/weights of run r1 are corrupted: SHA-256/);
  });

  it('writes no weight chunks when the run record cannot be updated', async () => {
    db = await openFresh();
    const repo = new RunsRepo(db);
    await repo.create(run('r1'));
    // A function cannot be stored: the run record fails after its chunks were put.
    const tags = { bad: (() => 'x') as unknown as string };
    await expect(repo.finish('r1', { status: 'finished', model: MODEL_SPEC, tags }, bytes(WEIGHT_CHUNK_BYTES + 1))).rejects.toThrow();
    expect(await db.artifacts.count()).toBe(0);
    expect(await repo.get('r1')).toEqual(run('r1'));
  });

  it('finishes without weights and keeps no artifacts', async () => {
    db = await openFresh();
    const repo = new RunsRepo(db);
    await repo.create(run('r1'));
    const failed = await repo.finish('r1', { status: 'failed', note: 'out of memory', endedAt: 7 }, null);
    expect(failed).toMatchObject({ status: 'failed', note: 'out of memory', endedAt: 7, model: null });
    expect(await db.artifacts.count()).toBe(0);
    await expect(repo.loadWeights('r1')).rejects.toThrow(/no stored model/);
    await expect(repo.finish('r1', { model: MODEL_SPEC }, null)).rejects.toThrow(/without weights/);
  });

  it('marks runs left running by an earlier page as interrupted, sparing the ones this page owns', async () => {
    db = await openFresh();
    const repo = new RunsRepo(db);
    await repo.create(run('orphan', { history: [{ key: 'loss', value: 1, step: 1, timestamp: 6000 }] }));
    await repo.create(run('mine'));
    await repo.create(run('done', { status: 'finished', endedAt: 5500 }));

    expect(await repo.markInterrupted(new Set(['mine']))).toEqual(['orphan']);
    expect(await repo.get('orphan')).toMatchObject({ status: 'failed', note: INTERRUPTED_NOTE, endedAt: 6000 });
    expect((await repo.get('mine'))?.status).toBe('running');
    expect(await repo.get('done')).toMatchObject({ status: 'finished', note: '', endedAt: 5500 });
  });
});
