// Stored evaluations: a run's model on a dataset version's split, with its figures, curves and slices. Evaluating
// the same run, version and split again replaces the record (its id is made of the three).

import type { StoredEvaluation } from '../../core/evaluate/types';
import type { LoopbenchDb } from '../db';

export class EvaluationsRepo {
  constructor(private readonly db: LoopbenchDb) {}

  async put(evaluation: StoredEvaluation): Promise<void> {
    await this.db.evaluations.put(evaluation);
  }

  get(id: string): Promise<StoredEvaluation | undefined> {
    return this.db.evaluations.get(id);
  }

  /** Newest first. */
  async listForRun(runId: string): Promise<StoredEvaluation[]> {
    const list = await this.db.evaluations.where('runId').equals(runId).toArray();
    return list.sort((a, b) => b.createdAt - a.createdAt);
  }

  async delete(id: string): Promise<void> {
    await this.db.evaluations.delete(id);
  }

  /** For whoever deletes a run: its evaluations have nothing left to describe. Returns how many went. */
  deleteForRun(runId: string): Promise<number> {
    return this.db.evaluations.where('runId').equals(runId).delete();
  }
}
