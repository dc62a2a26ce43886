import { afterEach, describe, expect, it, vi } from 'vitest';
import type { LoopbenchDb } from '../../src/platform/db';
import { DatasetsRepo } from '../../src/platform/repositories/datasets';
import { RunsRepo } from '../../src/platform/repositories/runs';
import { datasetMeta, openFresh, run, sampleTable } from './storage-fixtures';

let db: LoopbenchDb;
afterEach(() => db?.close());

describe('DatasetsRepo', () => {
  it('round-trips a multi-chunk dataset with its missing values and split assignment', async () => {
    db = await openFresh();
    const repo = new DatasetsRepo(db);
    const { table, assignment } = sampleTable(2500);
    const meta = datasetMeta('d1', 2500, 1000);
    expect(meta.chunkCount).toBe(3);

    expect(await repo.save(meta, table, assignment)).toBe('created');
    // 2 columns + the split assignment, 3 chunks each.
    expect(await db.chunks.count()).toBe(9);

    const loaded = await repo.load('d1');
    expect(loaded.meta).toEqual(meta);
    expect(loaded.table.names).toEqual(['mass', 'island']);
    expect(loaded.table.rowCount).toBe(2500);
    const [mass, island] = loaded.table.columns;
    if (mass.kind !== 'number' || island.kind !== 'category') throw new Error('column kinds were not preserved');
    expect(mass.values).toBeInstanceOf(Float64Array);
    expect(Array.from(mass.values)).toEqual(Array.from((table.columns[0] as { values: Float64Array }).values));
    expect(Number.isNaN(mass.values[3])).toBe(true);
    expect(mass.values[2499]).toBe(2499 * 0.5);
    expect(island.codes).toEqual((table.columns[1] as { codes: Int32Array }).codes);
    expect(island.codes[1]).toBe(-1);
    expect(island.dictionary).toEqual(['Biscoe', 'Dream', 'Torgersen']);
    expect(loaded.assignment).toEqual(assignment);
    expect(loaded.assignment[0]).toBe(255);
  });

  it('returns "exists" for a version already stored and writes nothing', async () => {
    db = await openFresh();
    const repo = new DatasetsRepo(db);
    const first = sampleTable(1500);
    await repo.save(datasetMeta('d1', 1500, 1000), first.table, first.assignment);

    // Same id (same content hash) but different bytes: a second write would show in load().
    const other = sampleTable(1500, 7);
    expect(await repo.save({ ...datasetMeta('d1', 1500, 1000), name: 'renamed' }, other.table, other.assignment)).toBe('exists');
    const loaded = await repo.load('d1');
    expect(loaded.meta.name).toBe('data d1');
    expect(loaded.table.columns[0]).toEqual(first.table.columns[0]);
  });

  it('leaves nothing behind when a write fails part-way, and keeps earlier datasets intact', async () => {
    db = await openFresh();
    const repo = new DatasetsRepo(db);
    const good = sampleTable(2500);
    await repo.save(datasetMeta('good', 2500, 1000), good.table, good.assignment);

    const bad = sampleTable(2500);
    // The number column's chunks are written first; the category chunk 0 then fails to clone.
    const dictionary = ['a', (() => 'not cloneable') as unknown as string, 'c'];
    bad.table.columns[1] = { ...(bad.table.columns[1] as { codes: Int32Array }), kind: 'category', dictionary };
    await expect(repo.save(datasetMeta('bad', 2500, 1000), bad.table, bad.assignment)).rejects.toThrow();

    expect(await repo.get('bad')).toBeUndefined();
    const badChunks = await db.chunks.filter((c) => c.datasetId === 'bad').count();
    expect(badChunks).toBe(0);
    expect(await db.chunks.count()).toBe(9);
    const loaded = await repo.load('good');
    expect(loaded.table.columns).toEqual(good.table.columns);
  });

  it('refuses a table that does not match its metadata', async () => {
    db = await openFresh();
    const repo = new DatasetsRepo(db);
    const { table, assignment } = sampleTable(100);
    await expect(repo.save(datasetMeta('d1', 100, 30), table, assignment.subarray(0, 99))).rejects.toThrow(/row counts/);
    await expect(repo.save({ ...datasetMeta('d1', 100, 30), chunkCount: 3 }, table, assignment)).rejects.toThrow(/chunkCount/);
    expect(await db.chunks.count()).toBe(0);
  });

  it('reports a dataset with a missing chunk instead of returning holes', async () => {
    db = await openFresh();
    const repo = new DatasetsRepo(db);
    const { table, assignment } = sampleTable(2500);
    await repo.save(datasetMeta('d1', 2500, 1000), table, assignment);
    await db.chunks.delete(['d1', 0, 1]);
    await expect(repo.load('d1')).rejects.toThrow(/incomplete.*"mass"/);
  });

  it('lists a project\'s versions newest first', async () => {
    db = await openFresh();
    const repo = new DatasetsRepo(db);
    const { table, assignment } = sampleTable(10);
    await repo.save(datasetMeta('old', 10, 1000, 'p1', 1), table, assignment);
    await repo.save(datasetMeta('new', 10, 1000, 'p1', 2), table, assignment);
    await repo.save(datasetMeta('other', 10, 1000, 'p2', 3), table, assignment);
    expect((await repo.list('p1')).map((d) => d.id)).toEqual(['new', 'old']);
  });
});

describe('DatasetsRepo names, tags and deletion', () => {
  async function twoVersions(): Promise<DatasetsRepo> {
    const repo = new DatasetsRepo(db);
    const { table, assignment } = sampleTable(2500);
    await repo.save(datasetMeta('raw', 2500, 1000, 'p1', 1), table, assignment);
    await repo.save({ ...datasetMeta('clean', 2500, 1000, 'p1', 2), parents: ['raw'] }, table, assignment);
    return repo;
  }

  async function chunkKeys(): Promise<string[]> {
    return (await db.chunks.toCollection().primaryKeys()).map((k) => JSON.stringify(k));
  }

  it('renames and tags a version without touching its id or chunks', async () => {
    db = await openFresh();
    const repo = await twoVersions();
    const before = await chunkKeys();
    const stored = await db.chunks.get(['raw', 0, 0]);

    expect((await repo.rename('raw', '  penguins, first import ')).name).toBe('penguins, first import');
    expect((await repo.setTags('raw', ['baseline', ' raw ', 'baseline'])).tags).toEqual(['baseline', 'raw']);
    const loaded = await repo.load('raw');
    expect(loaded.meta).toMatchObject({ id: 'raw', name: 'penguins, first import', tags: ['baseline', 'raw'], rowCount: 2500 });
    expect(await chunkKeys()).toEqual(before);
    expect((await db.chunks.get(['raw', 0, 0]))?.data).toEqual(stored?.data);

    await repo.setTags('raw', ['raw']);
    expect((await repo.get('raw'))?.tags).toEqual(['raw']);
  });

  it('refuses an empty name or tag and an unknown version, changing nothing', async () => {
    db = await openFresh();
    const repo = await twoVersions();
    await expect(repo.rename('raw', '   ')).rejects.toThrow(/cannot be empty/);
    await expect(repo.setTags('raw', ['ok', ''])).rejects.toThrow(/tag cannot be empty/);
    await expect(repo.rename('nope', 'x')).rejects.toThrow(/nope is not in storage/);
    expect(await repo.get('raw')).toEqual(datasetMeta('raw', 2500, 1000, 'p1', 1));
  });

  it('refuses to delete a version runs use, naming them, and one with a child version', async () => {
    db = await openFresh();
    const repo = await twoVersions();
    const runs = new RunsRepo(db);
    await runs.create(run('r1', { name: 'run one', datasetId: 'clean' }));
    await runs.create(run('r2', { name: 'run two', datasetId: 'clean' }));
    const before = await chunkKeys();

    expect(await repo.delete('clean')).toEqual({
      ok: false,
      reason: 'in-use',
      message: 'Version "data clean" is used by 2 runs: "run one", "run two"; delete them first or keep the version.',
    });
    const parent = await repo.delete('raw');
    expect(parent).toMatchObject({ ok: false, reason: 'in-use' });
    if (!parent.ok) expect(parent.message).toMatch(/^Version "data raw" is the parent of 1 version: "data clean"/);
    expect(await repo.delete('missing')).toMatchObject({ ok: false, reason: 'missing' });
    expect(await chunkKeys()).toEqual(before);
    expect((await repo.list('p1')).map((v) => v.id)).toEqual(['clean', 'raw']);
  });

  it('deletes an unused version with all its chunks, leaving the others whole', async () => {
    db = await openFresh();
    const repo = await twoVersions();
    const { table, assignment } = sampleTable(2500);
    await repo.save(datasetMeta('spare', 2500, 1000, 'p1', 3), table, assignment);

    expect(await repo.delete('spare')).toEqual({ ok: true, chunksDeleted: 9 });
    expect(await repo.get('spare')).toBeUndefined();
    expect(await db.chunks.where('[datasetId+column+chunk]').between(['spare', -Infinity, -Infinity], ['spare', Infinity, Infinity]).count()).toBe(0);
    expect(await db.chunks.count()).toBe(18);
    expect((await repo.load('raw')).table.columns).toEqual(table.columns);

    // With its child gone, the parent is free to go too.
    expect((await repo.delete('clean')).ok).toBe(true);
    expect((await repo.delete('raw')).ok).toBe(true);
    expect(await db.chunks.count()).toBe(0);
  });

  it('deletes all or nothing: a failure after the chunks are gone leaves the version whole', async () => {
    db = await openFresh();
    const repo = await twoVersions();
    const before = await chunkKeys();
    // The record is deleted after the chunks; failing there must bring the chunks back.
    const spy = vi.spyOn(db.datasets, 'delete').mockRejectedValueOnce(new Error('disk gone'));
    await expect(repo.delete('clean')).rejects.toThrow(/disk gone/);
    spy.mockRestore();
    expect(await chunkKeys()).toEqual(before);
    const loaded = await repo.load('clean');
    expect(loaded.table.rowCount).toBe(2500);
  });
});
