// Runs and their weights. Weights are stored as chunks of a few MiB next to the run, and the run
// record that points at them is written after them in the same transaction, so a run never points
// at missing or partial weights.

import { Dexie } from 'dexie';
import { sha256Hex } from '../../core/data/hash';
import { runDeletionBlocker } from '../../core/evaluate/runs/delete';
import type { MetricPoint, Run, WeightManifest } from '../../core/shared/types';
import type { TrainedModel } from '../../core/contracts/model';
import type { ArtifactRecord, LoopbenchDb } from '../db';
import { CheckpointsRepo } from './checkpoints';
import { joinChunks } from './chunk-bytes';
import { versionViews } from '../../core/deliver/registry';

export const WEIGHT_CHUNK_BYTES = 4 * 1024 * 1024;

export const INTERRUPTED_NOTE = 'Interrupted: the page was closed or reloaded during training.';

/** The model description without the storage fields, which `finish` fills in from the weights. */
export type ModelSpec = Omit<WeightManifest, 'byteLength' | 'sha256' | 'chunkCount'> &
  Partial<Pick<WeightManifest, 'byteLength' | 'sha256' | 'chunkCount'>>;

export type RunPatch = Omit<Partial<Run>, 'id' | 'model'> & { model?: ModelSpec | null };

export class RunsRepo {
  /** Each run's latest end-of-epoch checkpoint, kept until the run finishes or is killed or deleted. */
  readonly checkpoints: CheckpointsRepo;

  constructor(private readonly db: LoopbenchDb) {
    this.checkpoints = new CheckpointsRepo(db);
  }

  async create(run: Run): Promise<void> {
    await this.db.runs.add(run);
  }

  get(id: string): Promise<Run | undefined> {
    return this.db.runs.get(id);
  }

  /** Newest first. */
  async list(projectId: string): Promise<Run[]> {
    const runs = await this.db.runs.where('projectId').equals(projectId).toArray();
    return runs.sort((a, b) => b.startedAt - a.startedAt);
  }

  async appendHistory(id: string, points: MetricPoint[]): Promise<void> {
    const { db } = this;
    await db.transaction('rw', db.runs, async () => {
      const run = await this.require(id);
      await db.runs.put({ ...run, history: [...run.history, ...points] });
    });
  }

  /**
   * Applies the final state of a run. With weights, `patch.model` must describe them (topology and
   * weight specs); the byte length, SHA-256 and chunk count are computed here.
   */
  async finish(id: string, patch: RunPatch, weights: ArrayBuffer | null): Promise<Run> {
    const { db } = this;
    let model: WeightManifest | null | undefined;
    const chunks: ArtifactRecord[] = [];
    if (weights) {
      if (!patch.model) throw new Error(`Run ${id}: weights were given without a model description.`);
      // Hash before the transaction: awaiting crypto inside it would let IndexedDB auto-commit.
      const sha256 = await sha256Hex(weights);
      for (let offset = 0, index = 0; offset < weights.byteLength || index === 0; offset += WEIGHT_CHUNK_BYTES, index++) {
        chunks.push({ runId: id, index, data: weights.slice(offset, offset + WEIGHT_CHUNK_BYTES) });
      }
      model = { ...patch.model, byteLength: weights.byteLength, sha256, chunkCount: chunks.length };
    } else if (patch.model) {
      throw new Error(`Run ${id}: a model description was given without weights.`);
    } else {
      model = patch.model;
    }

    return db.transaction('rw', db.runs, db.artifacts, async () => {
      const run = await this.require(id);
      const next: Run = { ...run, ...patch, id, model: model === undefined ? run.model : model };
      if (weights || model === null) await this.artifactsOf(id).delete();
      if (chunks.length > 0) await db.artifacts.bulkPut(chunks);
      await db.runs.put(next);
      return next;
    });
  }

  /** The stored weights, verified against the SHA-256 recorded when they were written. */
  async loadWeights(id: string): Promise<ArrayBuffer> {
    return (await this.readWeights(id)).weights;
  }

  /** Everything a predictor needs to rebuild the trained model of a run. */
  async loadModel(id: string): Promise<TrainedModel> {
    const { model, weights } = await this.readWeights(id);
    return { topology: model.topology, weightSpecs: model.weightSpecs, weights };
  }

  /** Replaces a run's tags (the user's tags and its note); nothing else of the run changes. */
  async setTags(id: string, tags: Record<string, string>): Promise<Run> {
    const { db } = this;
    return db.transaction('rw', db.runs, async () => {
      const run = await this.require(id);
      const next: Run = { ...run, tags: { ...tags } };
      await db.runs.put(next);
      return next;
    });
  }

  /**
   * Deletes a run with its weight chunks and stored evaluations in one transaction, so storage
   * never keeps a run without its weights, or weights or evaluations without their run. Refused,
   * with the reason, while the run is training or while a registered model version uses it
   * (checked inside the transaction, so a version registered meanwhile cannot lose its model).
   */
  async delete(id: string): Promise<void> {
    const { db } = this;
    await db.transaction('rw', [db.runs, db.artifacts, db.models, db.evaluations, db.checkpoints, db.checkpointChunks], async () => {
      const run = await this.require(id);
      const versions = versionViews(await db.models.where('projectId').equals(run.projectId).toArray());
      const blocker = runDeletionBlocker(run, versions);
      if (blocker) throw new Error(blocker);
      await this.artifactsOf(id).delete();
      await db.evaluations.where('runId').equals(id).delete();
      await this.checkpoints.delete(id);
      await db.runs.delete(id);
    });
  }

  /**
   * Marks runs left 'running' by an earlier page load as failed: their worker died with that page.
   * `owned` are the runs this page is training right now. `ended` holds the notes of runs whose tab knew why they
   * stopped but could not write it (storage was full): those keep that note instead of being blamed on the reload.
   * Returns the ids marked.
   */
  async markInterrupted(owned: ReadonlySet<string> = new Set(), ended: ReadonlyMap<string, string> = new Map()): Promise<string[]> {
    const { db } = this;
    return db.transaction('rw', db.runs, db.checkpoints, async () => {
      const orphans = (await db.runs.where('status').equals('running').toArray()).filter((r) => !owned.has(r.id));
      for (const run of orphans) {
        // The last moment the run is known to have been alive.
        const endedAt = run.history.reduce((last, p) => Math.max(last, p.timestamp), run.startedAt);
        const checkpoint = await db.checkpoints.get(run.id);
        // A remembered note already says where the run resumes from.
        const remembered = ended.get(run.id);
        const note = remembered ?? (checkpoint ? `${INTERRUPTED_NOTE} It can resume after epoch ${checkpoint.epoch}.` : INTERRUPTED_NOTE);
        await db.runs.put({ ...run, status: 'failed', endedAt, note });
      }
      return orphans.map((r) => r.id);
    });
  }

  private async readWeights(id: string): Promise<{ model: WeightManifest; weights: ArrayBuffer }> {
    const { db } = this;
    const [run, chunks] = await db.transaction('r', db.runs, db.artifacts, () =>
      Promise.all([db.runs.get(id), this.artifactsOf(id).toArray()]),
    );
    if (!run) throw new Error(`Run ${id} is not in storage.`);
    if (!run.model) throw new Error(`Run ${id} has no stored model.`);
    const { byteLength, sha256, chunkCount } = run.model;
    if (chunks.length !== chunkCount) {
      throw new Error(`The weights of run ${id} are incomplete: ${chunks.length} of ${chunkCount} chunks are stored.`);
    }
    const bytes = joinChunks(chunks, byteLength, `The weights of run ${id} are`);
    const actual = await sha256Hex(bytes);
    if (actual !== sha256) {
      throw new Error(`The weights of run ${id} are corrupted: SHA-256 ${actual} does not match the recorded ${sha256}.`);
    }
    return { model: run.model, weights: bytes.buffer };
  }

  private async require(id: string): Promise<Run> {
    const run = await this.db.runs.get(id);
    if (!run) throw new Error(`Run ${id} is not in storage.`);
    return run;
  }

  private artifactsOf(runId: string) {
    return this.db.artifacts.where('[runId+index]').between([runId, Dexie.minKey], [runId, Dexie.maxKey], true, true);
  }
}
