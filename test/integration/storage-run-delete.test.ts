import { afterEach, describe, expect, it } from 'vitest';
import type { StoredEvaluation } from '../../src/core/evaluate/types';
import type { LoopbenchDb } from '../../src/platform/db';
import { RegistryRepo } from '../../src/platform/repositories/registry';
import { RunsRepo, WEIGHT_CHUNK_BYTES } from '../../src/platform/repositories/runs';
import { bytes, MODEL_SPEC, openFresh, run } from './storage-fixtures';

let db: LoopbenchDb;
afterEach(() => db?.close());

async function trained(repo: RunsRepo, id: string): Promise<void> {
  await repo.create(run(id));
  await repo.finish(id, { status: 'finished', endedAt: 9000, model: MODEL_SPEC }, bytes(WEIGHT_CHUNK_BYTES + 100));
}

describe('RunsRepo tags and delete', () => {
  it('replaces tags (and the note tag) and keeps everything else', async () => {
    db = await openFresh();
    const repo = new RunsRepo(db);
    await trained(repo, 'r1');
    const before = await repo.get('r1');
    const saved = await repo.setTags('r1', { sweep: 'lr', 'mlflow.note.content': 'a note' });
    expect(saved).toEqual({ ...before, tags: { sweep: 'lr', 'mlflow.note.content': 'a note' } });
    expect(await repo.get('r1')).toEqual(saved);
    await expect(repo.setTags('nope', {})).rejects.toThrow(/not in storage/);
  });

  it('deletes a run with all its weight chunks and evaluations, and leaves other runs alone', async () => {
    db = await openFresh();
    const repo = new RunsRepo(db);
    await trained(repo, 'r1');
    await trained(repo, 'r2');
    expect(await db.artifacts.count()).toBe(4);
    // Only the fields the store indexes matter here.
    const evaluation = (runId: string) => ({ id: `${runId}|d1|test`, runId, projectId: 'p1', createdAt: 1 }) as unknown as StoredEvaluation;
    await db.evaluations.bulkPut([evaluation('r1'), evaluation('r2')]);
    await repo.delete('r1');
    expect((await db.evaluations.toArray()).map((e) => e.runId)).toEqual(['r2']);
    expect(await repo.get('r1')).toBeUndefined();
    expect(await db.artifacts.where('[runId+index]').between(['r1', 0], ['r1', Infinity]).count()).toBe(0);
    expect(await db.artifacts.count()).toBe(2);
    expect((await repo.loadWeights('r2')).byteLength).toBe(WEIGHT_CHUNK_BYTES + 100);
    await expect(repo.delete('r1')).rejects.toThrow(/not in storage/);
  });

  it('refuses to delete a run a model version uses, or one still training, and changes nothing', async () => {
    db = await openFresh();
    const repo = new RunsRepo(db);
    await trained(repo, 'r1');
    await new RegistryRepo(db).register('p1', 'penguins', 'r1');
    await expect(repo.delete('r1')).rejects.toThrow('"r1" cannot be deleted: the registered model penguins version 1 uses its weights, metrics and lineage.');
    expect(await repo.get('r1')).toBeDefined();
    expect(await db.artifacts.count()).toBe(2);

    await repo.create(run('r2'));
    await expect(repo.delete('r2')).rejects.toThrow(/still training/);
    expect(await repo.get('r2')).toBeDefined();
  });
});
