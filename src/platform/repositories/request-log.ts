// The columnar request log in storage (issue 16). A chunk is stored as a small head (project, model version, role,
// time and id range, counts) and its columns apart, so listing, counting, retention and finding the chunks a label
// belongs to read heads only. A head and its columns are written and deleted in one transaction. Workers use this
// repository too (the page passes ids, not logs).

import { Dexie } from 'dexie';
import { chunkProblems } from '../../core/monitor/log/check-chunk';
import { joinLabels, type LabelJoinCounts, type LateLabel } from '../../core/monitor/log/labels';
import { chunksToDrop, DEFAULT_RETENTION, type RetentionRule } from '../../core/monitor/log/retention';
import { headOf, type ChunkColumns, type ChunkHead, type RequestChunk, type ServedRole } from '../../core/monitor/log/types';
import type { ChunkDataRecord, LoopbenchDb, StoredChunkHead } from '../db';

export interface LogQuery {
  /** Chunks holding a request at or after this time. */
  from?: number;
  /** Chunks holding a request at or before this time. */
  to?: number;
  role?: ServedRole;
  modelName?: string;
  /** Only with modelName. */
  modelVersion?: number;
}

export interface RetentionOutcome {
  droppedChunks: number;
  droppedRequests: number;
}

export interface LabelJoinOutcome {
  counts: LabelJoinCounts;
  messages: string[];
}

/** A chunk as storage keeps it: the head (requestChunks) and the columns (requestChunkData, keyed by the head's id).
 *  The schema-9 upgrade writes migrated chunks through this too, so both writers split a chunk the same way. */
export function storedParts(chunk: RequestChunk): { head: ChunkHead; columns: ChunkColumns } {
  const { id: _id, projectId: _p, modelName: _n, modelVersion: _v, role: _r, classes: _c, rows: _rows, firstAt: _fa, lastAt: _la, firstId: _fi, lastId: _li, labelled: _l, ...columns } = chunk;
  return { head: headOf(chunk), columns };
}

function assemble(head: StoredChunkHead, data: ChunkDataRecord | undefined): RequestChunk {
  if (!data) throw new Error(`The columns of request-log chunk ${head.id} (project ${head.projectId}) are missing from storage.`);
  return { ...head, ...data.columns } as RequestChunk;
}

/** Time order: by the first request, then by storage order. */
function byTime(a: StoredChunkHead, b: StoredChunkHead): number {
  return a.firstAt - b.firstAt || a.id - b.id;
}

export class RequestLogRepo {
  constructor(private readonly db: LoopbenchDb) {}

  /** Stores a sealed chunk and returns its id. Refused, with nothing written, when the chunk is malformed or holds a
   *  request id its project and role already logged. */
  async append(chunk: RequestChunk): Promise<number> {
    const problems = chunkProblems(chunk);
    if (problems.length > 0) throw new Error(`The request-log chunk of project ${chunk.projectId} is not valid: ${problems.join(' ')}`);
    const { db } = this;
    return db.transaction('rw', db.requestChunks, db.requestChunkData, async () => {
      await this.refuseKnownIds(chunk);
      const { head, columns } = storedParts(chunk);
      const id = await db.requestChunks.add(head);
      await db.requestChunkData.add({ chunkId: id, columns });
      return id;
    });
  }

  /** The heads of the project's chunks matching the query, in time order. */
  async heads(projectId: string, query: LogQuery = {}): Promise<StoredChunkHead[]> {
    const { from = -Infinity, to = Infinity, role, modelName, modelVersion } = query;
    const found =
      modelName !== undefined && modelVersion !== undefined
        ? await this.db.requestChunks.where('[projectId+modelName+modelVersion]').equals([projectId, modelName, modelVersion]).toArray()
        : await this.db.requestChunks
            .where('[projectId+firstAt]')
            .between([projectId, Dexie.minKey], [projectId, Number.isFinite(to) ? to : Dexie.maxKey], true, true)
            .toArray();
    return found
      .filter(
        (h) =>
          h.firstAt <= to &&
          h.lastAt >= from &&
          (role === undefined || h.role === role) &&
          (modelName === undefined || h.modelName === modelName) &&
          (modelVersion === undefined || h.modelVersion === modelVersion),
      )
      .sort(byTime);
  }

  /** One chunk with its columns. */
  async chunk(id: number): Promise<RequestChunk | undefined> {
    const { db } = this;
    return db.transaction('r', db.requestChunks, db.requestChunkData, async () => {
      const head = await db.requestChunks.get(id);
      return head ? assemble(head, await db.requestChunkData.get(id)) : undefined;
    });
  }

  /** The project's chunks matching the query, with their columns, in time order. For a whole large log, prefer
   *  `heads` and then `chunk` one at a time. */
  async chunks(projectId: string, query: LogQuery = {}): Promise<RequestChunk[]> {
    const { db } = this;
    return db.transaction('r', db.requestChunks, db.requestChunkData, async () => {
      const heads = await this.heads(projectId, query);
      const data = await db.requestChunkData.bulkGet(heads.map((h) => h.id));
      return heads.map((h, i) => assemble(h, data[i]));
    });
  }

  /** Logged rows of the project matching the query (serving and shadow rows unless a role is given). */
  async count(projectId: string, query: LogQuery = {}): Promise<number> {
    return (await this.heads(projectId, query)).reduce((n, h) => n + h.rows, 0);
  }

  /** One more than the largest request id the project logged, so ids stay unique across reloads. */
  async nextRequestId(projectId: string): Promise<number> {
    return (await this.heads(projectId)).reduce((next, h) => Math.max(next, h.lastId + 1), 0);
  }

  /** Drops whole chunks, oldest first, beyond the rule, in one transaction. Ages count back from `now`, by default the
   *  newest logged time (a replay's virtual clock keeps its own year). */
  async applyRetention(projectId: string, rule: RetentionRule = DEFAULT_RETENTION, now?: number): Promise<RetentionOutcome> {
    const { db } = this;
    return db.transaction('rw', db.requestChunks, db.requestChunkData, async () => {
      const heads = await this.heads(projectId);
      const newest = heads.reduce((t, h) => Math.max(t, h.lastAt), -Infinity);
      const drop = new Set(chunksToDrop(heads.map((h) => ({ rows: h.rows, firstAt: h.firstAt, lastAt: h.lastAt, key: h.id })), rule, now ?? newest));
      const ids = [...drop];
      await db.requestChunks.bulkDelete(ids);
      await db.requestChunkData.bulkDelete(ids);
      return { droppedChunks: ids.length, droppedRequests: heads.filter((h) => drop.has(h.id)).reduce((n, h) => n + h.rows, 0) };
    });
  }

  /** Joins late labels by request id in one transaction, reading only the chunks whose id range holds one of them. */
  async joinLabels(projectId: string, labels: readonly LateLabel[]): Promise<LabelJoinOutcome> {
    const { db } = this;
    const ids = Float64Array.from(labels.map((l) => l.requestId)).sort();
    return db.transaction('rw', db.requestChunks, db.requestChunkData, async () => {
      const candidates = (await this.heads(projectId)).filter((h) => anyWithin(ids, h.firstId, h.lastId));
      const data = await db.requestChunkData.bulkGet(candidates.map((h) => h.id));
      const joined = joinLabels(
        candidates.map((h, i) => assemble(h, data[i])),
        labels,
      );
      for (const chunk of joined.chunks) {
        const id = chunk.id!;
        await db.requestChunks.update(id, { labelled: chunk.labelled });
        await db.requestChunkData.put({ chunkId: id, columns: storedParts(chunk).columns });
      }
      return { counts: joined.counts, messages: joined.messages };
    });
  }

  /** Deletes the project's whole log; returns how many rows went. */
  async clear(projectId: string): Promise<number> {
    const { db } = this;
    return db.transaction('rw', db.requestChunks, db.requestChunkData, async () => {
      const heads = await this.heads(projectId);
      const ids = heads.map((h) => h.id);
      await db.requestChunks.bulkDelete(ids);
      await db.requestChunkData.bulkDelete(ids);
      return heads.reduce((n, h) => n + h.rows, 0);
    });
  }

  /** Request ids are unique per project and role; only chunks whose id range overlaps are read to check. */
  private async refuseKnownIds(chunk: RequestChunk): Promise<void> {
    const overlapping = (await this.heads(chunk.projectId, { role: chunk.role })).filter((h) => h.firstId <= chunk.lastId && h.lastId >= chunk.firstId);
    if (overlapping.length === 0) return;
    const mine = new Set(chunk.ids);
    for (const head of overlapping) {
      const data = await this.db.requestChunkData.get(head.id);
      const known = data ? Array.from(data.columns.ids).filter((id) => mine.has(id)) : [];
      if (known.length > 0) {
        const shown = known.slice(0, 5).join(', ') + (known.length > 5 ? `, ... (${known.length} in all)` : '');
        throw new Error(`Request ids ${shown} are already in the ${chunk.role} log of project ${chunk.projectId} (chunk ${head.id}).`);
      }
    }
  }
}

/** Whether sorted `ids` holds a value in [lo, hi]. */
function anyWithin(ids: Float64Array, lo: number, hi: number): boolean {
  let a = 0;
  let b = ids.length;
  while (a < b) {
    const mid = (a + b) >>> 1;
    if (ids[mid] < lo) a = mid + 1;
    else b = mid;
  }
  return a < ids.length && ids[a] <= hi;
}
