import type { BackendName, DatasetVersion, MetricPoint, Project, Run } from '../../core/shared/types';
import type { TrainCheckpoint } from '../../core/contracts/model';
import type { TrainEvent, TrainResult } from '../../core/contracts/train';
import type { ModelFamily } from '../../core/train/spec/types';
import type { Failure } from '../../core/contracts/outcomes';
import { failureMessage, failureOf } from '../../core/shared/failure';
import { flattenReport } from '../../core/evaluate/run-report';
import type { TrainerClient } from '../../platform/workers';
import type { Services } from '../shared/services';
import { datasetRef } from '../shared/dataset-ref';
import { messageOf } from '../shared/services';

export interface LiveRun {
  runId: string;
  backend: BackendName | null;
  epoch: number;
  epochs: number;
  stopping: boolean;
  /** Held between two batches (asked for; the worker confirms with a 'paused' event). */
  paused: boolean;
  killing: boolean;
  history: MetricPoint[];
  message: string;
  /** Batches done of the epoch in progress (0 of 0 until the first progress report). */
  batch: number;
  batches: number;
  /**
   * Running means of the epoch in progress at fractional epochs (epoch 2.5 = half of the third epoch), so the live
   * curves move at least once a second on long epochs; replaced by the epoch's own points when it ends.
   */
  partial: MetricPoint[];
  /** What happened to the run that the user should still see while it goes on (a switch after a lost device). */
  notices: string[];
}

export interface SessionOptions {
  /** The worker this session trains on; a session never shares it with another running session. */
  trainer: TrainerClient;
  onError: (message: string) => void;
  /** Called once the run is recorded and again when it has ended, so lists can refresh. */
  onRunChanged: () => Promise<void>;
  /** Where a run goes after its GPU device was lost, given the backends it already used; null ends it as failed. */
  backendAfterLoss: (family: ModelFamily, tried: readonly BackendName[]) => BackendName | null;
}

/** One go at training the run: its backend, where it starts from, and whether its record exists already. */
interface Attempt {
  run: Run;
  resume: TrainCheckpoint | null;
  recorded: boolean;
}

/** How a session's run ended, for callers that go on to something else (a sweep's queue, a backend fallback). */
export type SessionEnd = { status: 'finished' } | { status: 'killed' } | { status: 'failed'; failure: Failure };

/** Why a run ended before its planned epochs, for the run's note. */
function endNote(result: TrainResult, epochs: number): string {
  if (result.stoppedEarly) return `Stopped by the user after ${result.epochsCompleted} of ${epochs} epochs.`;
  const early = result.earlyStopping;
  if (early?.stoppedAt != null) {
    return `Early stopping after epoch ${early.stoppedAt} of ${epochs}: no improvement since epoch ${early.bestEpoch}${early.restored ? ', whose weights were restored' : ''}.`;
  }
  if (early?.restored) return `The weights of the best epoch (${early.bestEpoch}) were restored.`;
  return '';
}

/**
 * One run being trained by one trainer worker: its live progress, the ordered writes of its history and checkpoints,
 * and its controls. Several sessions can run at once on different workers; TrainState shows the one started from the form.
 */
export class RunSession {
  live = $state.raw<LiveRun>() as LiveRun;
  readonly #abort = new AbortController();
  /** History and checkpoint writes, in the order the worker sent them. */
  #writes: Promise<void> = Promise.resolve();
  /** The newest checkpoint not yet written; one still waiting when a newer one arrives is dropped. */
  #unsaved: TrainCheckpoint | null = null;
  /** The training metric's key in the history, as the worker names it. */
  #metricKey = 'accuracy';

  private readonly trainer: TrainerClient;

  constructor(
    private readonly services: Services,
    private readonly options: SessionOptions,
    live: LiveRun,
  ) {
    this.trainer = options.trainer;
    this.live = live;
  }

  get runId(): string {
    return this.live.runId;
  }

  /**
   * Records the run (or, resuming, rewinds its history to the checkpoint), trains it and stores the outcome. Never
   * throws: a failure is stored on the run (its checkpoint kept, so it can be resumed) and returned. When the GPU device
   * is lost mid-run, the run goes on from its last checkpoint on the backend `backendAfterLoss` names.
   */
  async execute(project: Project, dataset: DatasetVersion, run: Run, resume: TrainCheckpoint | null = null): Promise<SessionEnd> {
    this.#metricKey = project.task === 'classification' ? 'accuracy' : 'mae';
    const tried: BackendName[] = [];
    const notes: string[] = [];
    let attempt: Attempt = { run, resume, recorded: resume !== null };
    try {
      for (;;) {
        tried.push(attempt.run.backend);
        const end = await this.#attempt(project, dataset, attempt, notes);
        if (end.status !== 'failed' || end.failure.kind !== 'device-lost' || this.live.stopping || this.live.killing) return end;
        const next = this.options.backendAfterLoss(run.params.spec.family, tried);
        if (!next) return end;
        // The worker's tfjs still points at the dead device; a fresh worker starts clean on the next backend.
        this.trainer.kill();
        const checkpoint = await this.services.runs.checkpoints.load(run.id);
        const lost = attempt.run.backend;
        const from = checkpoint ? `its checkpoint after epoch ${checkpoint.epoch}` : 'the start';
        notes.push(`The ${lost} device was lost during epoch ${(checkpoint?.epoch ?? 0) + 1}; the run went on from ${from} on ${next}.`);
        const history = checkpoint?.history ?? [];
        this.live = {
          ...this.live,
          backend: next,
          epoch: checkpoint?.epoch ?? 0,
          history,
          partial: [],
          batch: 0,
          paused: false,
          message: `Continuing on ${next}…`,
          notices: [...this.live.notices, `The ${lost} device was lost: the run continues from ${from} on ${next}.`],
        };
        attempt = { run: { ...attempt.run, backend: next, history }, resume: checkpoint, recorded: true };
      }
    } finally {
      await this.options.onRunChanged();
    }
  }

  async #attempt(project: Project, dataset: DatasetVersion, { run, resume, recorded }: Attempt, notes: readonly string[]): Promise<SessionEnd> {
    const { id: runId, params, backend } = run;
    const note = (text: string) => [...notes, text].filter(Boolean).join(' ');
    try {
      // A resumed run's history goes back to its checkpoint: epochs after it are trained again.
      if (recorded) await this.services.runs.finish(runId, { status: 'running', endedAt: null, note: note(''), history: run.history, backend }, null);
      else await this.services.runs.create(run);
      await this.options.onRunChanged();
      this.live = { ...this.live, message: 'Starting the worker…' };
      const result = await this.trainer.train(
        {
          runId,
          task: project.task,
          params,
          goal: project.goal.metric,
          backend,
          // The worker reads the version and fits its input itself: no table passes through the page.
          dataset: datasetRef(this.services, dataset.id),
          ...(resume ? { resume } : {}),
        },
        (e) => void this.#onEvent(e),
        this.#abort.signal,
      );
      await this.#writes;
      await this.services.runs.finish(
        runId,
        {
          status: 'finished',
          endedAt: Date.now(),
          backend: result.backend,
          versions: result.versions,
          history: result.history,
          metrics: flattenReport(result.evaluation),
          evaluation: result.evaluation,
          preprocessor: result.preprocessor,
          note: note(endNote(result, params.hyper.epochs)),
          model: { topology: result.model.topology, weightSpecs: result.model.weightSpecs },
        },
        result.model.weights,
      );
      await this.services.runs.checkpoints.delete(runId);
      return { status: 'finished' };
    } catch (e) {
      await this.#writes;
      const failure = failureOf(e);
      if (failure.kind === 'killed') {
        // Killed: the epochs trained stay in the history, but no model is kept and it cannot be resumed.
        await this.services.runs
          .finish(runId, { status: 'killed', endedAt: Date.now(), note: note(`Killed by the user after ${this.live.epoch} of ${params.hyper.epochs} epochs.`) }, null)
          .catch(() => undefined);
        await this.services.runs.checkpoints.delete(runId).catch(() => undefined);
        return { status: 'killed' };
      }
      // The checkpoint is kept: a run that failed mid-way (a lost device, a crashed worker) can be resumed.
      await this.services.runs.finish(runId, { status: 'failed', endedAt: Date.now(), note: note(failureMessage(failure)) }, null).catch(() => undefined);
      return { status: 'failed', failure };
    }
  }

  /** Shown while the session prepares (choosing a backend, measuring one). */
  say(message: string): void {
    this.live = { ...this.live, message };
  }

  /** Holds the run between two batches, or lets it go on. */
  setPaused(paused: boolean): void {
    const live = this.live;
    if (live.stopping || live.killing) return;
    this.live = { ...live, paused, message: paused ? 'Pausing after this batch…' : `Training on ${live.backend ?? 'the worker'}` };
    this.trainer.pause(live.runId, paused);
  }

  /** Ends the run after the current batch and discards it: no model is kept and it cannot be resumed. */
  kill(): void {
    if (this.live.killing) return;
    this.live = { ...this.live, killing: true, paused: false, message: 'Killing after this batch…' };
    this.trainer.killRun(this.live.runId);
  }

  /** Ends the run after the current batch; the model trained so far is evaluated and kept. */
  stop(): void {
    if (this.live.paused) this.trainer.pause(this.live.runId, false);
    this.live = { ...this.live, stopping: true, paused: false, message: 'Stopping after this batch…' };
    this.#abort.abort();
  }

  /** Queues a write behind the earlier ones; a failed write is shown but does not stop training. */
  #write(work: () => Promise<void>): Promise<void> {
    this.#writes = this.#writes.then(work).catch((e: unknown) => {
      this.options.onError(`Could not save training progress: ${messageOf(e)}`);
    });
    return this.#writes;
  }

  async #onEvent(e: TrainEvent): Promise<void> {
    const live = this.live;
    const runId = live.runId;
    switch (e.type) {
      case 'backend':
        this.live = { ...live, backend: e.backend, message: `Training on ${e.backend}` };
        // Stored at once, so a run that later fails or is killed still says where it ran.
        await this.#write(async () => void (await this.services.runs.finish(runId, { environment: e.environment }, null)));
        break;
      case 'prepared':
        this.live = {
          ...live,
          message: `${e.trainRows} training rows, ${e.validationRows} validation, ${e.testRows} test; ${e.parameterCount} parameters`,
        };
        break;
      case 'progress': {
        const step = e.epoch - 1 + e.batch / Math.max(e.batches, 1);
        const timestamp = Date.now();
        const points = [
          { key: 'loss', value: e.loss, step, timestamp },
          { key: this.#metricKey, value: e.metric, step, timestamp },
        ];
        // A progress report of an epoch already over (it crossed the epoch's own event) is dropped.
        if (e.epoch === live.epoch + 1) this.live = { ...live, batch: e.batch, batches: e.batches, partial: [...live.partial, ...points] };
        break;
      }
      case 'epoch':
        this.live = { ...live, epoch: e.epoch, epochs: e.epochs, history: [...live.history, ...e.points], partial: [], batch: 0 };
        await this.#write(() => this.services.runs.appendHistory(runId, e.points));
        break;
      case 'checkpoint': {
        // Only the newest checkpoint matters: when storage is slower than the epochs, waiting ones are replaced
        // rather than queued, so memory stays bounded and the stored one is never more than a write behind.
        const writePending = this.#unsaved !== null;
        this.#unsaved = e.checkpoint;
        if (writePending) break;
        await this.#write(async () => {
          const checkpoint = this.#unsaved;
          this.#unsaved = null;
          if (checkpoint) await this.services.runs.checkpoints.save(runId, checkpoint);
        });
        break;
      }
      case 'paused':
        if (live.paused || !e.paused) this.live = { ...live, message: e.paused ? `Paused after epoch ${live.epoch}` : `Training on ${live.backend ?? 'the worker'}` };
        break;
      case 'early-stop':
        this.live = { ...live, message: `Early stopping after epoch ${e.epoch} (best: epoch ${e.bestEpoch})` };
        break;
      case 'evaluating':
        this.live = { ...live, message: 'Evaluating on the test split…' };
        break;
    }
  }
}

/** The live view of a run about to start (or resume after `epoch`). */
export function startingLive(runId: string, backend: BackendName | null, epochs: number, message: string, epoch = 0, history: MetricPoint[] = []): LiveRun {
  return { runId, backend, epoch, epochs, stopping: false, paused: false, killing: false, history, message, notices: [], batch: 0, batches: 0, partial: [] };
}
