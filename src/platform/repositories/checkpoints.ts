// The latest checkpoint of each run. One transaction replaces the previous checkpoint: its chunks are written first,
// then the record that points at them, so a reader sees either the old checkpoint or the new one, never a mix.

import { Dexie } from 'dexie';
import type { TensorPack, TrainCheckpoint } from '../../core/contracts/model';
import type { ArtifactRecord, CheckpointRecord, LoopbenchDb } from '../db';
import { joinChunks } from './chunk-bytes';

/** As the weight chunks of finished runs: a few MiB per IndexedDB value. */
const CHUNK_BYTES = 4 * 1024 * 1024;

export class CheckpointsRepo {
  constructor(private readonly db: LoopbenchDb) {}

  async save(runId: string, checkpoint: TrainCheckpoint): Promise<void> {
    const { weights, optimizer, best, ...rest } = checkpoint;
    const buffers = [weights.data, optimizer.data, ...(best ? [best.data] : [])];
    const bytes = new Uint8Array(buffers.reduce((sum, b) => sum + b.byteLength, 0));
    let offset = 0;
    for (const b of buffers) {
      bytes.set(new Uint8Array(b), offset);
      offset += b.byteLength;
    }
    const chunks: ArtifactRecord[] = [];
    for (let at = 0, index = 0; at < bytes.byteLength || index === 0; at += CHUNK_BYTES, index++) {
      chunks.push({ runId, index, data: bytes.slice(at, at + CHUNK_BYTES).buffer });
    }
    const record: CheckpointRecord = {
      runId,
      epoch: checkpoint.epoch,
      meta: { ...rest, weightSpecs: weights.specs, optimizerSpecs: optimizer.specs, bestSpecs: best?.specs ?? null },
      parts: buffers.map((b) => b.byteLength),
      chunkCount: chunks.length,
    };
    const { db } = this;
    await db.transaction('rw', db.checkpoints, db.checkpointChunks, async () => {
      await this.chunksOf(runId).delete();
      await db.checkpointChunks.bulkPut(chunks);
      await db.checkpoints.put(record);
    });
  }

  /** The epoch of the stored checkpoint per run, for the runs that have one. */
  async epochs(runIds: readonly string[]): Promise<Map<string, number>> {
    const records = await this.db.checkpoints.bulkGet([...runIds]);
    return new Map(records.filter((r) => r !== undefined).map((r) => [r.runId, r.epoch]));
  }

  async load(runId: string): Promise<TrainCheckpoint | null> {
    const { db } = this;
    const [record, chunks] = await db.transaction('r', db.checkpoints, db.checkpointChunks, () =>
      Promise.all([db.checkpoints.get(runId), this.chunksOf(runId).toArray()]),
    );
    if (!record) return null;
    if (chunks.length !== record.chunkCount) throw new Error(`The checkpoint of run ${runId} is incomplete.`);
    const total = record.parts.reduce((a, b) => a + b, 0);
    const bytes = joinChunks(chunks, total, `The checkpoint of run ${runId} is`);
    const parts: ArrayBuffer[] = [];
    let offset = 0;
    for (const length of record.parts) {
      parts.push(bytes.slice(offset, offset + length).buffer);
      offset += length;
    }
    const { weightSpecs, optimizerSpecs, bestSpecs, ...rest } = record.meta;
    const pack = (specs: TensorPack['specs'], data: ArrayBuffer | undefined): TensorPack => {
      if (!data) throw new Error(`The checkpoint of run ${runId} misses a part.`);
      return { specs, data };
    };
    return {
      ...rest,
      weights: pack(weightSpecs, parts[0]),
      optimizer: pack(optimizerSpecs, parts[1]),
      best: bestSpecs ? pack(bestSpecs, parts[2]) : null,
    };
  }

  async delete(runId: string): Promise<void> {
    const { db } = this;
    await db.transaction('rw', db.checkpoints, db.checkpointChunks, async () => {
      await this.chunksOf(runId).delete();
      await db.checkpoints.delete(runId);
    });
  }

  private chunksOf(runId: string) {
    return this.db.checkpointChunks.where('[runId+index]').between([runId, Dexie.minKey], [runId, Dexie.maxKey], true, true);
  }
}
