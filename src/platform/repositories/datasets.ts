// Dataset versions are immutable and content-addressed: the id is the hash of the content, so
// saving the same content twice is a no-op, and the record is written after its chunks in one
// transaction so a dataset is either complete or absent.

import { Dexie } from 'dexie';
import type { DatasetVersion, Table } from '../../core/types';
import { SPLIT_COLUMN, type ChunkRecord, type LoopbenchDb } from '../db';
import { decodeChunks, encodeColumn, validateForSave } from './dataset-chunks';

export interface LoadedDataset {
  meta: DatasetVersion;
  table: Table;
  assignment: Uint8Array;
}

export class DatasetsRepo {
  constructor(private readonly db: LoopbenchDb) {}

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

  async load(id: string): Promise<LoadedDataset> {
    const { db } = this;
    const [meta, chunks] = await db.transaction('r', db.datasets, db.chunks, () =>
      Promise.all([db.datasets.get(id), this.chunksOf(id)]),
    );
    if (!meta) throw new Error(`Dataset ${id} is not in storage.`);
    return { meta, ...decodeChunks(meta, chunks) };
  }

  /** Chunks of a dataset in primary-key order: split assignment, then column 0, 1, ... */
  private chunksOf(datasetId: string): Promise<ChunkRecord[]> {
    return this.db.chunks
      .where('[datasetId+column+chunk]')
      .between([datasetId, Dexie.minKey, Dexie.minKey], [datasetId, Dexie.maxKey, Dexie.maxKey], true, true)
      .toArray();
  }
}
