// Dataset versions are immutable and content-addressed: the id is the hash of the content, so
// saving the same content twice is a no-op, and the record is written after its chunks in one
// transaction so a dataset is either complete or absent. Only the labels (name, tags) change after
// saving, and a version leaves only whole, with its chunks, when nothing depends on it.

import { Dexie } from 'dexie';
import type { ColumnData, DatasetVersion, Table } from '../../core/shared/types';
import { checkTags, checkVersionName, deletionBlocker } from '../../core/data/version-meta';
import { SPLIT_COLUMN, type ChunkKey, type ChunkRecord, type LoopbenchDb } from '../db';
import { headTable } from '../../core/recipe/rows';
import { decodeAssignment, decodeColumn, encodeColumn, headMeta, validateForSave } from './dataset-chunks';
import { chunksHolding, decodeCells, headerOf, type ColumnHeader } from './dataset-cells';

export interface LoadedDataset {
  meta: DatasetVersion;
  table: Table;
  assignment: Uint8Array;
}

export type DeleteOutcome =
  | { ok: true; chunksDeleted: number }
  | { ok: false; reason: 'missing' | 'in-use'; message: string };

/** Headers of this many columns are remembered (a dictionary can be long; a gallery needs one or two). */
const REMEMBERED_HEADERS = 16;

export class DatasetsRepo {
  /** Chunk-0 headers (dictionary, image shape) by version and column: versions are immutable, so they stay valid. */
  readonly #headers = new Map<string, ColumnHeader>();

  constructor(private readonly db: LoopbenchDb) {}

  /** The database's name: the parse worker opens it by name to store an import (workers/parse/store-version.ts). */
  get databaseName(): string {
    return this.db.name;
  }

  async save(meta: DatasetVersion, table: Table, assignment: Uint8Array): Promise<'created' | 'exists'> {
    validateForSave(meta, table, assignment);
    const { db } = this;
    return db.transaction('rw', db.datasets, db.chunks, async () => {
      if ((await db.datasets.get(meta.id)) !== undefined) return 'exists';
      // One column at a time keeps only one column's chunk copies alive on the way in.
      for (let i = 0; i < table.columns.length; i++) {
        await db.chunks.bulkPut(encodeColumn(meta.id, i, table.columns[i], meta.rowCount, meta.chunkRows));
      }
      await db.chunks.bulkPut(encodeColumn(meta.id, SPLIT_COLUMN, assignment, meta.rowCount, meta.chunkRows));
      await db.datasets.add(meta);
      return 'created';
    });
  }

  /** Newest first. */
  async list(projectId: string): Promise<DatasetVersion[]> {
    const versions = await this.db.datasets.where('projectId').equals(projectId).toArray();
    return versions.sort((a, b) => b.createdAt - a.createdAt);
  }

  get(id: string): Promise<DatasetVersion | undefined> {
    return this.db.datasets.get(id);
  }

  /**
   * The whole version, read and decoded one column at a time inside one read transaction: only one column's
   * stored chunks are alive beside the decoded table, never a second copy of all of it.
   */
  async load(id: string): Promise<LoadedDataset> {
    return this.read(id, Infinity);
  }

  /**
   * The version's first rows only (at least `rows`, or all it has): a bounded read that decodes just the chunks
   * holding them, for previews. The meta is the stored record; the table and assignment are shorter.
   */
  async head(id: string, rows: number): Promise<LoadedDataset> {
    const loaded = await this.read(id, Math.max(1, rows));
    return { meta: loaded.meta, ...headTable(loaded.table, loaded.assignment, rows) };
  }

  /** One column whole, from its own chunks only: a gallery counts an image version's labels without reading a pixel. */
  async column(id: string, index: number): Promise<ColumnData> {
    const { db } = this;
    return db.transaction('r', db.datasets, db.chunks, async () => {
      const meta = await this.#meta(id, index);
      const keys = Array.from({ length: meta.chunkCount }, (_, chunk): ChunkKey => [id, index, chunk]);
      const chunks = (await db.chunks.bulkGet(keys)).filter((r): r is ChunkRecord => r !== undefined);
      return decodeColumn(meta, index, chunks);
    });
  }

  /** The split assignment alone, from its own chunks: which rows are test rows, without decoding a cell. */
  async assignment(id: string): Promise<Uint8Array> {
    const { db } = this;
    return db.transaction('r', db.datasets, db.chunks, async () => {
      const meta = await db.datasets.get(id);
      if (!meta) throw new Error(`Dataset ${id} is not in storage.`);
      const chunks = await db.chunks
        .where('[datasetId+column+chunk]')
        .between([id, SPLIT_COLUMN, 0], [id, SPLIT_COLUMN, meta.chunkCount], true, false)
        .toArray();
      return decodeAssignment(meta, chunks);
    });
  }

  /**
   * One column's cells at `rows` (in that order), decoding only the chunks that hold them: a gallery page's pixels
   * without the rest of the version. A category or image column keeps its dictionary or shape on chunk 0 alone, so
   * that chunk is read too the first time this repository meets the column, unless the rows already need it.
   */
  async cells(id: string, index: number, rows: readonly number[]): Promise<ColumnData> {
    const { db } = this;
    return db.transaction('r', db.datasets, db.chunks, async () => {
      const meta = await this.#meta(id, index);
      const wanted = chunksHolding(meta, rows);
      const headerKey = `${id}\n${index}`;
      const needsHeader = meta.schema[index].type === 'category' || meta.schema[index].type === 'image';
      const fetch = needsHeader && !this.#headers.has(headerKey) && wanted[0] !== 0 ? [0, ...wanted] : wanted;
      const records = await db.chunks.bulkGet(fetch.map((chunk): ChunkKey => [id, index, chunk]));
      const chunks = new Map<number, ChunkRecord>();
      records.forEach((record, i) => {
        if (record) chunks.set(fetch[i], record);
      });
      const first = chunks.get(0);
      if (needsHeader && first) this.#remember(headerKey, headerOf(first));
      return decodeCells(meta, index, chunks, rows, this.#headers.get(headerKey) ?? {});
    });
  }

  async #meta(id: string, index: number): Promise<DatasetVersion> {
    const meta = await this.db.datasets.get(id);
    if (!meta) throw new Error(`Dataset ${id} is not in storage.`);
    if (!Number.isInteger(index) || index < 0 || index >= meta.schema.length) throw new RangeError(`Dataset ${id} has no column ${index}.`);
    return meta;
  }

  #remember(key: string, header: ColumnHeader): void {
    this.#headers.delete(key);
    this.#headers.set(key, header);
    if (this.#headers.size > REMEMBERED_HEADERS) this.#headers.delete(this.#headers.keys().next().value!);
  }

  private async read(id: string, rows: number): Promise<LoadedDataset> {
    const { db } = this;
    return db.transaction('r', db.datasets, db.chunks, async () => {
      const meta = await db.datasets.get(id);
      if (!meta) throw new Error(`Dataset ${id} is not in storage.`);
      const part = Number.isFinite(rows) ? headMeta(meta, Math.ceil(rows / meta.chunkRows)) : meta;
      const columnChunks = (column: number) =>
        db.chunks.where('[datasetId+column+chunk]').between([id, column, 0], [id, column, part.chunkCount], true, false).toArray();
      const columns = [];
      for (let i = 0; i < meta.schema.length; i++) columns.push(decodeColumn(part, i, await columnChunks(i)));
      const assignment = decodeAssignment(part, await columnChunks(SPLIT_COLUMN));
      return { meta, table: { names: meta.schema.map((c) => c.name), columns, rowCount: part.rowCount }, assignment };
    });
  }

  /** The name is a label, not content: renaming changes neither the id nor any chunk. */
  async rename(id: string, name: string): Promise<DatasetVersion> {
    const checked = checkVersionName(name);
    if (!checked.ok) throw new Error(checked.message);
    return this.updateLabels(id, { name: checked.value });
  }

  /** Replaces the version's tags (trimmed, without duplicates); like the name, not part of the id. */
  async setTags(id: string, tags: readonly string[]): Promise<DatasetVersion> {
    const checked = checkTags(tags);
    if (!checked.ok) throw new Error(checked.message);
    return this.updateLabels(id, { tags: checked.value });
  }

  /**
   * Deletes a version's chunks and record in one transaction, unless a run was trained on it or
   * another version was derived from it. The check reads the runs inside the same transaction, so
   * a run saved in between cannot be left pointing at a deleted version.
   */
  async delete(id: string): Promise<DeleteOutcome> {
    const { db } = this;
    return db.transaction('rw', [db.datasets, db.chunks, db.runs], async (): Promise<DeleteOutcome> => {
      const meta = await db.datasets.get(id);
      if (!meta) return { ok: false, reason: 'missing', message: `Dataset version ${id} is not in storage.` };
      const [runs, children] = await Promise.all([
        db.runs.where('datasetId').equals(id).toArray(),
        db.datasets.filter((v) => v.parents.includes(id)).toArray(),
      ]);
      const blocker = deletionBlocker(meta, children, runs);
      if (blocker !== null) return { ok: false, reason: 'in-use', message: blocker };
      const chunksDeleted = await this.chunkRange(id).delete();
      await db.datasets.delete(id);
      return { ok: true, chunksDeleted };
    });
  }

  private async updateLabels(id: string, labels: Pick<Partial<DatasetVersion>, 'name' | 'tags'>): Promise<DatasetVersion> {
    const { db } = this;
    return db.transaction('rw', db.datasets, async () => {
      const meta = await db.datasets.get(id);
      if (!meta) throw new Error(`Dataset version ${id} is not in storage.`);
      const next = { ...meta, ...labels };
      await db.datasets.put(next);
      return next;
    });
  }

  private chunkRange(datasetId: string) {
    return this.db.chunks
      .where('[datasetId+column+chunk]')
      .between([datasetId, Dexie.minKey, Dexie.minKey], [datasetId, Dexie.maxKey, Dexie.maxKey], true, true);
  }
}
