// The worker side of the data plane: a worker reads a stored version by id, column by column, from
// IndexedDB itself, and writes a new one through the one record builder (src/core/data/version-record.ts).
// The page passes ids and gets records back; tables never cross to it. Versions are immutable, so a
// decoded one stays valid: the last few are kept, for the sweep run, preview or evaluation that reads
// the same version again.

import type { DatasetVersion } from '../../src/core/shared/types';
import type { DatasetRef } from '../../src/core/contracts/dataset';
import { versionRecord, type MadeVersion, type VersionLabels } from '../../src/core/data/version-record';
import { openDatabase, type OpenOutcome } from '../../src/platform/open-db';
import { DatasetsRepo, type LoadedDataset } from '../../src/platform/repositories/datasets';
import { headTable } from '../../src/core/recipe/rows';
import { ensureRoom, savingAs } from '../../src/platform/repositories/storage-guard';
import { largestItems } from '../../src/platform/repositories/storage-items';
import { versionBytes } from '../../src/core/shared/storage-room';
import { Lru } from './lru';

/** Opens the named database; tests hand in one that opens fake-indexeddb. */
export type OpenDatabase = (name: string) => Promise<OpenOutcome>;

export const openByName: OpenDatabase = (name) => openDatabase({ name });

/** Two: a sweep alternates between at most a version and its parent; more would hold hundreds of MB for nothing. */
const CACHED_VERSIONS = 2;

export interface MadeTable extends MadeVersion {
  assignment: Uint8Array;
}

export class DatasetService {
  readonly #cache: Lru<string, Promise<LoadedDataset>>;

  constructor(
    private readonly open: OpenDatabase = openByName,
    capacity = CACHED_VERSIONS,
  ) {
    this.#cache = new Lru(capacity);
  }

  /**
   * The whole version, decoded. Shared with later reads of the same id: callers must not mutate its arrays or
   * transfer their buffers.
   */
  read(ref: DatasetRef): Promise<LoadedDataset> {
    const key = cacheKey(ref);
    const cached = this.#cache.get(key);
    if (cached) return cached;
    const loading = this.#withRepo(ref.databaseName, (repo) => repo.load(ref.versionId));
    // A failed read is not remembered: the next call tries again.
    loading.catch(() => this.#cache.delete(key));
    this.#cache.set(key, loading);
    return loading;
  }

  /** The version's first `rows` rows, from the cache when it holds the version, else by a bounded read. */
  async head(ref: DatasetRef, rows: number): Promise<LoadedDataset & { sampled: boolean }> {
    const cached = this.#cache.get(cacheKey(ref));
    const loaded = cached ? await cached : await this.#withRepo(ref.databaseName, (repo) => repo.head(ref.versionId, rows));
    if (loaded.table.rowCount <= rows && loaded.meta.rowCount <= rows) return { ...loaded, sampled: false };
    return { meta: loaded.meta, ...headTable(loaded.table, loaded.assignment, rows), sampled: true };
  }

  /**
   * Builds the record of a made version and stores it with its chunks; the decoded table is cached under its id. A
   * version that would not fit is refused before anything is written, and one whose write fails for lack of space
   * rejects with the clear message (the transaction leaves nothing of it behind).
   */
  async store(databaseName: string, made: MadeTable, labels: VersionLabels): Promise<{ version: DatasetVersion; stored: 'created' | 'exists' }> {
    const version = versionRecord(made, labels);
    const what = `the dataset version "${labels.name}"`;
    const stored = await this.#withDb(databaseName, async (db) => {
      const repo = new DatasetsRepo(db);
      const biggest = () => largestItems(db);
      if ((await repo.get(version.id)) === undefined) await ensureRoom(what, versionBytes(made.table.columns, made.table.rowCount), biggest);
      return savingAs(what, () => repo.save(version, made.table, made.assignment), biggest);
    });
    if (stored === 'created') this.#cache.set(cacheKey({ databaseName, versionId: version.id }), Promise.resolve({ meta: version, table: made.table, assignment: made.assignment }));
    return { version, stored };
  }

  /** The database is opened per call and closed after it, so no worker holds a connection that would block an upgrade. */
  #withRepo<T>(databaseName: string, work: (repo: DatasetsRepo) => Promise<T>): Promise<T> {
    return this.#withDb(databaseName, (db) => work(new DatasetsRepo(db)));
  }

  async #withDb<T>(databaseName: string, work: (db: Extract<OpenOutcome, { ok: true }>['db']) => Promise<T>): Promise<T> {
    const opened = await this.open(databaseName);
    if (!opened.ok) throw new Error(opened.message);
    try {
      return await work(opened.db);
    } finally {
      opened.db.close();
    }
  }
}

function cacheKey(ref: DatasetRef): string {
  return `${ref.databaseName}\n${ref.versionId}`;
}
