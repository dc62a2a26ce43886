// The prediction log of served models, read back for monitoring.

import { Dexie } from 'dexie';
import type { PredictionRecord } from '../../core/shared/types';
import type { LoopbenchDb } from '../db';

export class PredictionsRepo {
  constructor(private readonly db: LoopbenchDb) {}

  /** Stores the record and returns its id. */
  add(record: PredictionRecord): Promise<number> {
    const { id: _ignored, ...rest } = record;
    return this.db.predictions.add(rest);
  }

  /** The latest `limit` predictions of a project, newest first. */
  recent(projectId: string, limit: number): Promise<PredictionRecord[]> {
    return this.ofProject(projectId).reverse().limit(limit).toArray();
  }

  count(projectId: string): Promise<number> {
    return this.db.predictions.where('projectId').equals(projectId).count();
  }

  /** Deletes the project's log; returns how many records went. */
  clear(projectId: string): Promise<number> {
    return this.db.predictions.where('projectId').equals(projectId).delete();
  }

  private ofProject(projectId: string) {
    return this.db.predictions
      .where('[projectId+at]')
      .between([projectId, Dexie.minKey], [projectId, Dexie.maxKey], true, true);
  }
}
