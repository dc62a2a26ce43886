// The predictor worker's access to the request log: the database is opened for each use and closed after it (as the
// dataset service does, so no worker holds a connection that would block an upgrade), and request ids are handed out
// here, in blocks, so a replay, a scored file and the one-row form never give two requests of a project the same id.

import { RequestLogRepo } from '../../src/platform/repositories/request-log';
import type { RequestChunk } from '../../src/core/monitor/log/types';
import { openByName, type OpenDatabase } from '../dataset/dataset-service';
import { ensureRoom, savingAs } from '../../src/platform/repositories/storage-guard';
import { approxBytes } from '../../src/core/shared/storage-room';

export class LogStore {
  /** Per database and project: the next id not yet handed out, once read from storage. */
  readonly #next = new Map<string, number>();
  /** Per database and project: the reservation in progress, so two never read the same stored maximum. */
  readonly #reserving = new Map<string, Promise<unknown>>();

  constructor(private readonly open: OpenDatabase = openByName) {}

  async use<T>(databaseName: string, work: (repo: RequestLogRepo) => Promise<T>): Promise<T> {
    const opened = await this.open(databaseName);
    if (!opened.ok) throw new Error(`The request log of database "${databaseName}" cannot be opened: ${opened.message}`);
    try {
      return await work(new RequestLogRepo(opened.db));
    } finally {
      opened.db.close();
    }
  }

  /**
   * Stores a sealed chunk. A replay appends thousands in a row, so each is checked against the estimate first, and one
   * that fails for lack of space rejects with the clear message (the chunk is written whole or not at all).
   */
  async append(databaseName: string, chunk: RequestChunk): Promise<number> {
    const what = `${chunk.rows} requests to the request log`;
    await ensureRoom(what, approxBytes(chunk));
    return savingAs(what, () => this.use(databaseName, (repo) => repo.append(chunk)));
  }

  /**
   * The first of `count` consecutive new request ids of the project. Storage is read once per project: afterwards
   * this worker is the log's only writer, and ids it handed out may sit in chunks not stored yet. Ids of a job that
   * stopped early are not reused (ids need not be consecutive across jobs, only unique).
   */
  reserve(databaseName: string, projectId: string, count: number): Promise<number> {
    const key = `${databaseName}\u0000${projectId}`;
    const previous = this.#reserving.get(key) ?? Promise.resolve();
    const reserved = previous
      .catch(() => undefined)
      .then(async () => {
        let next = this.#next.get(key);
        if (next === undefined) next = await this.use(databaseName, (repo) => repo.nextRequestId(projectId));
        this.#next.set(key, next + count);
        return next;
      });
    this.#reserving.set(key, reserved);
    return reserved;
  }
}
