// Data writes when storage is full, over fake-indexeddb: a version refused up front by the estimate, or whose chunks
// fail part-way as a full disk fails them, leaves no record and no chunk and says so clearly; a request-log chunk the
// same; and a run whose tab could not record why it stopped keeps that reason after a reload.

import { Dexie } from 'dexie';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DATASET_CHUNK_ROWS } from '../../src/core/data/version-record';
import { RunsRepo } from '../../src/platform/repositories/runs';
import { DatasetService, type OpenDatabase } from '../../workers/dataset/dataset-service';
import { LogStore } from '../../workers/predict/log-store';
import { fakeDatabases, storedVersion, TEST_DATABASE } from '../fixtures/stored-version';
import { ChunkBuilder } from '../../src/core/monitor/log/chunk-builder';
import { classifier, served } from '../unit/monitor/log-fixtures';
import { run as runOf, sampleTable } from './storage-fixtures';

const MB = 1024 * 1024;
const quota = () => new Dexie.AbortError('Transaction aborted', new DOMException('', 'QuotaExceededError'));

function made(rows: number, id = `v-${rows}`) {
  const { table, assignment } = sampleTable(rows);
  const schema = [
    { name: 'mass', type: 'number' as const, role: 'feature' as const },
    { name: 'island', type: 'category' as const, role: 'target' as const },
  ];
  return { id, schema, summaries: [], table, assignment, counts: { train: 1, validation: 1, test: 1 } };
}

const labels = (name: string) => ({
  projectId: 'p1',
  name,
  createdAt: 2,
  source: { kind: 'file' as const, fileName: `${name}.csv`, byteLength: 1 },
  split: { method: 'random' as const, seed: 1, fractions: [0.8, 0.1, 0.1] as [number, number, number] },
});

/** Opens the databases as `open` does, with the chunk writes of every connection failing once `full()` says so. */
function fillingUp(open: OpenDatabase, full: () => boolean): OpenDatabase {
  return async (name) => {
    const opened = await open(name);
    if (!opened.ok) return opened;
    const bulkPut = opened.db.chunks.bulkPut.bind(opened.db.chunks);
    let calls = 0;
    // The first column's chunks go in, then the disk is full: the transaction must take them back out.
    vi.spyOn(opened.db.chunks, 'bulkPut').mockImplementation((...args: Parameters<typeof bulkPut>) =>
      full() && ++calls > 1 ? Dexie.Promise.reject(quota()) : bulkPut(...args),
    );
    return opened;
  };
}

async function stored(open: OpenDatabase): Promise<{ versions: number; chunks: number }> {
  const opened = await open(TEST_DATABASE);
  if (!opened.ok) throw new Error(opened.message);
  try {
    return { versions: await opened.db.datasets.count(), chunks: await opened.db.chunks.count() };
  } finally {
    opened.db.close();
  }
}

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
});

describe('a dataset version when storage is full', () => {
  it('fails part-way with the clear message and leaves no record and no chunk; stores whole once there is space', async () => {
    const open = fakeDatabases();
    await storedVersion(made(50, 'first'), open);
    const before = await stored(open);
    let full = true;
    const service = new DatasetService(fillingUp(open, () => full));
    const big = made(DATASET_CHUNK_ROWS * 2 + 5);

    const failed = service.store(TEST_DATABASE, big, labels('big'));
    await expect(failed).rejects.toThrow(/^Could not save the dataset version "big": storage is full\. .*Delete what you no longer need/);
    await expect(failed).rejects.toMatchObject({ name: 'StorageFullError' });
    expect(await stored(open)).toEqual(before);

    full = false;
    const saved = await service.store(TEST_DATABASE, big, labels('big'));
    expect(saved.stored).toBe('created');
    expect((await stored(open)).versions).toBe(before.versions + 1);
  });

  it('is refused before anything is written when the estimate leaves no room, naming what it needs and what is free', async () => {
    const open = fakeDatabases();
    await storedVersion(made(50, 'first'), open);
    const before = await stored(open);
    vi.stubGlobal('navigator', { storage: { estimate: async () => ({ usage: 99 * MB, quota: 100 * MB }) } });
    const service = new DatasetService(open);
    const rows = 200_000;
    const failed = service.store(TEST_DATABASE, made(rows), labels('huge'));
    await expect(failed).rejects.toThrow(/^Not enough storage to save the dataset version "huge": it needs about \d+(\.\d)? MB and 1\.0 MB is free \(99 MB used of 100 MB/);
    // The largest item is named from the records, cheaply.
    await expect(failed).rejects.toThrow(/The largest items: dataset version "test version"/);
    expect(await stored(open)).toEqual(before);
  });
});

describe('a request-log chunk when storage is full', () => {
  it('is refused with the clear message and nothing of it is stored', async () => {
    const open = fakeDatabases();
    await storedVersion(made(50, 'first'), open);
    const failing: OpenDatabase = async (name) => {
      const opened = await open(name);
      if (opened.ok) vi.spyOn(opened.db.requestChunkData, 'add').mockImplementation(() => Dexie.Promise.reject(quota()));
      return opened;
    };
    const builder = new ChunkBuilder(classifier());
    for (let id = 1; id <= 20; id++) builder.append(served(id));
    const chunk = builder.seal();
    await expect(new LogStore(failing).append(TEST_DATABASE, chunk)).rejects.toThrow(/^Could not save 20 requests to the request log: storage is full/);
    const opened = await open(TEST_DATABASE);
    if (!opened.ok) throw new Error(opened.message);
    expect(await opened.db.requestChunks.count()).toBe(0);
    expect(await opened.db.requestChunkData.count()).toBe(0);
    opened.db.close();
  });
});

describe('a run that stopped because storage was full, after a reload', () => {
  it('keeps the reason its tab could not write instead of blaming the reload', async () => {
    const opened = await fakeDatabases()(TEST_DATABASE);
    if (!opened.ok) throw new Error(opened.message);
    const runs = new RunsRepo(opened.db);
    await runs.create(runOf('paused-run'));
    await runs.create(runOf('closed-run'));
    const note = 'Paused: the checkpoint at epoch 40 could not be saved because storage is full.';
    expect((await runs.markInterrupted(new Set(), new Map([['paused-run', note]]))).sort()).toEqual(['closed-run', 'paused-run']);
    expect((await runs.get('paused-run'))?.note).toBe(note);
    expect((await runs.get('closed-run'))?.note).toMatch(/^Interrupted: the page was closed or reloaded/);
  });
});
