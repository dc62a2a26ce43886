// Pipeline definitions and their runs in storage. A definition is checked by the core's validator before it is
// written, so storage never holds one a run cannot start from; a run is stored as the state machine left it, and a
// run that no tab drives any more (the page closed mid-stage) is ended through the same machine.

import { currentStage, next } from '../../core/deliver/pipeline/run-machine';
import type { PipelineDefinition, PipelineRun, RunEvent } from '../../core/deliver/pipeline';
import type { LoopbenchDb, StoredPipelineRun } from '../db';
import { sameRecord } from './same-record';

export const INTERRUPTED_REASON = 'the page was closed or reloaded while this stage ran';
export const NOT_STARTED_REASON = 'the page was closed before it started';

const nameKey = (name: string) => name.trim().toLowerCase();

function runOf(stored: StoredPipelineRun): PipelineRun {
  const { projectId: _project, ...run } = stored;
  return run;
}

/** Newest first; ties (runs queued in the same millisecond) by id, so the order is stable. */
function newestFirst(a: StoredPipelineRun, b: StoredPipelineRun): number {
  return b.createdAt - a.createdAt || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);
}

export class PipelinesRepo {
  /** `now` is injectable so tests can give interrupted runs a known end time. */
  constructor(
    private readonly db: LoopbenchDb,
    private readonly now: () => number = Date.now,
  ) {}

  /** The project's pipelines by name. */
  async list(projectId: string): Promise<PipelineDefinition[]> {
    const pipelines = await this.db.pipelines.where('projectId').equals(projectId).toArray();
    return pipelines.sort((a, b) => a.name.localeCompare(b.name));
  }

  get(id: string): Promise<PipelineDefinition | undefined> {
    return this.db.pipelines.get(id);
  }

  /**
   * Creates or replaces the definition; refused (nothing written) when it is invalid or its name is taken. With
   * `expected` (compare-and-set: the definition the editor was opened on, null for a new one), also refused when the
   * stored definition is no longer that one: another tab saved or deleted it meanwhile, and saving would undo that.
   */
  async save(definition: PipelineDefinition, expected?: PipelineDefinition | null): Promise<PipelineDefinition> {
    // The checker reaches every spec, recipe and test validator: loaded when a pipeline is saved, not with the app.
    const { checkPipeline } = await import('../../core/deliver/pipeline/check-pipeline');
    const check = checkPipeline(definition);
    if (!check.ok) {
      const where = typeof definition?.name === 'string' && definition.name.trim() !== '' ? `Pipeline "${definition.name}"` : 'The pipeline';
      throw new Error(`${where} is not valid: ${check.problems.map((p) => (p.path === '' ? p.message : `${p.path}: ${p.message}`)).join('; ')}`);
    }
    const pipeline = check.pipeline;
    const { db } = this;
    return db.transaction('rw', db.pipelines, async () => {
      const stored = await db.pipelines.get(pipeline.id);
      // Ids are global: an id of another project's pipeline must not move it here.
      if (stored && stored.projectId !== pipeline.projectId) throw new Error(`Pipeline ${pipeline.id} belongs to another project.`);
      if (expected !== undefined && !(expected === null ? stored === undefined : stored !== undefined && sameRecord(stored, expected))) {
        const name = expected?.name ?? pipeline.name;
        const what = stored ? `was changed (in another tab) since this editor opened it` : expected ? 'was deleted (in another tab)' : 'exists already';
        throw new Error(`Pipeline "${name}" ${what}: not saved, so that change is not undone. Open the pipeline again to edit the stored definition.`);
      }
      const siblings = await db.pipelines.where('projectId').equals(pipeline.projectId).toArray();
      const clash = siblings.find((p) => p.id !== pipeline.id && nameKey(p.name) === nameKey(pipeline.name));
      if (clash) throw new Error(`This project already has a pipeline named "${clash.name}": pick another name.`);
      await db.pipelines.put(pipeline);
      return pipeline;
    });
  }

  /** Deletes the pipeline and every run of it, in one transaction. */
  async remove(id: string): Promise<void> {
    const { db } = this;
    await db.transaction('rw', db.pipelines, db.pipelineRuns, async () => {
      await db.pipelineRuns.where('pipelineId').equals(id).delete();
      await db.pipelines.delete(id);
    });
  }

  /** Deletes every pipeline of the project and their runs (for deleting a whole project). */
  async removeProject(projectId: string): Promise<void> {
    const { db } = this;
    await db.transaction('rw', db.pipelines, db.pipelineRuns, async () => {
      await db.pipelineRuns.where('projectId').equals(projectId).delete();
      await db.pipelines.where('projectId').equals(projectId).delete();
    });
  }

  /** Every run of the project's pipelines, newest first. */
  async runs(projectId: string): Promise<PipelineRun[]> {
    const stored = await this.db.pipelineRuns.where('projectId').equals(projectId).toArray();
    return stored.sort(newestFirst).map(runOf);
  }

  /** The pipeline's runs, newest first. */
  async runsOf(pipelineId: string): Promise<PipelineRun[]> {
    const stored = await this.db.pipelineRuns.where('pipelineId').equals(pipelineId).toArray();
    return stored.sort(newestFirst).map(runOf);
  }

  async getRun(id: string): Promise<PipelineRun | undefined> {
    const stored = await this.db.pipelineRuns.get(id);
    return stored && runOf(stored);
  }

  /** Stores the run as it stands; refused when its pipeline is gone or belongs to another project. */
  async saveRun(projectId: string, run: PipelineRun): Promise<void> {
    const { db } = this;
    await db.transaction('rw', db.pipelines, db.pipelineRuns, async () => {
      const pipeline = await db.pipelines.get(run.pipelineId);
      // A run saved after its pipeline was removed would be an orphan no page lists or deletes.
      if (!pipeline) throw new Error(`Pipeline ${run.pipelineId} of run ${run.id} is no longer stored.`);
      if (pipeline.projectId !== projectId) throw new Error(`Pipeline ${run.pipelineId} of run ${run.id} belongs to another project.`);
      await db.pipelineRuns.put({ ...run, projectId });
    });
  }

  /**
   * Ends the project's runs that are stored as queued or running but that no tab drives (`isAlive` false), as a
   * reload leaves them: a running one fails at its stage, a queued one is cancelled. A run waiting for approval is
   * left waiting, since a person can still decide. Returns the runs it ended.
   */
  async recoverInterrupted(projectId: string, isAlive: (runId: string) => boolean): Promise<PipelineRun[]> {
    const { db } = this;
    return db.transaction('rw', db.pipelineRuns, async () => {
      const stored = await db.pipelineRuns.where('projectId').equals(projectId).toArray();
      const ended: StoredPipelineRun[] = [];
      for (const run of stored) {
        if ((run.status !== 'queued' && run.status !== 'running') || isAlive(run.id)) continue;
        const event = this.interruption(run);
        if (!event) continue;
        const step = next(runOf(run), event);
        // A refusal means the stored run is inconsistent; leave it as it is rather than invent a status.
        if (!step.ok) continue;
        ended.push({ ...step.run, projectId: run.projectId });
      }
      await db.pipelineRuns.bulkPut(ended);
      return ended.sort(newestFirst).map(runOf);
    });
  }

  private interruption(run: PipelineRun): RunEvent | null {
    const at = this.now();
    if (run.status === 'queued') return { type: 'cancel', at, reason: NOT_STARTED_REASON };
    const stage = currentStage(run);
    if (stage?.status === 'waiting') return null;
    if (!stage) return { type: 'cancel', at, reason: INTERRUPTED_REASON };
    return { type: 'fail', stage: stage.name, at, reason: INTERRUPTED_REASON };
  }
}
