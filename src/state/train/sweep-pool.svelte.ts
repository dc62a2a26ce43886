// The runs of a parallel sweep beyond the one the Train form shows: each trains as a RunSession on a training worker
// of its own, prepared and recorded exactly as TrainState prepares the form's runs.

import type { DatasetVersion, Project, Run } from '../../core/shared/types';
import { holdRunLock } from '../../platform/run-locks';
import type { TrainerClient } from '../../platform/workers';
import { RunSession, startingLive } from './run-session.svelte';
import type { Services } from '../shared/services';
import { messageOf } from '../shared/services';
import type { RunOptions, TrainState } from './train.svelte';

/** One queued run of a sweep: its 1-based number in the queue and what TrainState needs to start it. */
export interface QueuedRun {
  number: number;
  options: RunOptions & { runId: string };
}

/** A run that ended, or why it could not start (refused before it was recorded). */
export type QueuedOutcome = { started: true } | { started: false; reason: string };

export class SweepPool {
  /** The sessions training on the sweep's own workers now, in the order they started. */
  sessions = $state.raw<RunSession[]>([]);

  constructor(
    private readonly services: Services,
    private readonly train: TrainState,
  ) {}

  /** A new training worker for one slot of the sweep; the slot kills it when the queue is over. */
  newTrainer(): TrainerClient {
    return this.services.newTrainer();
  }

  /**
   * Trains one queued run on `trainer` under its own Web Lock. `stopNow` is asked once the session exists, so a
   * cancel that came while this run was being taken from the queue still stops it.
   */
  async run(trainer: TrainerClient, project: Project, dataset: DatasetVersion, queued: QueuedRun, stopNow: () => boolean): Promise<QueuedOutcome> {
    const checked = this.train.check(queued.options);
    if (typeof checked === 'string') return { started: false, reason: checked };
    const { runId } = queued.options;
    const session = new RunSession(this.services, this.train.sessionOptions(trainer), startingLive(runId, null, checked.params.hyper.epochs, 'Preparing…'));
    this.sessions = [...this.sessions, session];
    try {
      if (stopNow()) session.stop();
      let run: Run;
      try {
        run = await this.train.prepare(project, dataset, checked, queued.options, (message) => session.say(message));
      } catch (e) {
        return { started: false, reason: messageOf(e) };
      }
      await holdRunLock(runId, () => session.execute(project, dataset, run));
      return { started: true };
    } finally {
      this.sessions = this.sessions.filter((s) => s !== session);
    }
  }

  /** Stops every run on the sweep's own workers after its current batch; each is kept as a stopped run. */
  stopAll(): void {
    for (const session of this.sessions) session.stop();
  }
}
