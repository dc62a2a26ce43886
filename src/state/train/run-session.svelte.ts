import type { BackendName, DatasetVersion, MetricPoint, Project, Run } from '../../core/shared/types';
import type { TrainCheckpoint } from '../../core/contracts/model';
import type { TrainEvent, TrainResult } from '../../core/contracts/train';
import type { ModelFamily } from '../../core/train/spec/types';
import type { Failure } from '../../core/contracts/outcomes';
import { failureMessage, failureOf } from '../../core/shared/failure';
import { flattenReport } from '../../core/evaluate/run-report';
import type { TrainerClient } from '../../platform/workers';
import { ensureRoom, storageFigures } from '../../platform/storage';
import { forgetRunEnd, rememberRunEnd } from '../../platform/run-ends';
import { isStorageFull, pausedMessage, storageFailureText } from '../../core/shared/storage-room';
import type { Services } from '../shared/services';
import type { RunPatch } from '../../platform/repositories/runs';
import type { UnsavedModel } from './unsaved-model';
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
  /** A run trained to its end whose model could not be stored: the caller keeps it to retry or export. */
  onUnsaved?: (model: UnsavedModel) => void;
}

/** One go at training the run: its backend, where it starts from, and whether its record exists already. */
interface Attempt {
  run: Run;
  resume: TrainCheckpoint | null;
  recorded: boolean;
}

/**
 * How a session's run ended, for callers that go on to something else (a sweep's queue, a backend fallback). `storage`
 * says that training itself was fine but storing failed: 'paused' after a checkpoint could not be saved (resume from
 * the last one saved), 'unsaved' when the final model could not be (it is held by onUnsaved's receiver).
 */
export type SessionEnd =
  | { status: 'finished' }
  | { status: 'killed' }
  | { status: 'failed'; failure: Failure; storage?: 'paused' | 'unsaved' };

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
  /** Set when a checkpoint could not be saved: why the run was stopped (the worker was asked to end it). */
  #pausedBecause: string | null = null;

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
      const patch: RunPatch = {
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
      };
      try {
        await ensureRoom('the trained model', result.model.weights.byteLength);
        await this.services.runs.finish(runId, patch, result.model.weights);
      } catch (e) {
        return await this.#keepUnsaved(run, patch, result.model.weights, e, note);
      }
      forgetRunEnd(runId);
      await this.services.runs.checkpoints.delete(runId).catch(() => undefined);
      return { status: 'finished' };
    } catch (e) {
      await this.#writes;
      const failure = failureOf(e);
      if (failure.kind === 'killed' && this.#pausedBecause !== null) {
        // Stopped by the session itself, after a checkpoint could not be saved: the last one saved stays for Resume.
        const message = this.#pausedBecause;
        await this.#recordEnd(runId, { status: 'failed', endedAt: Date.now(), note: note(message) });
        return { status: 'failed', failure: { kind: 'failed', message }, storage: 'paused' };
      }
      if (failure.kind === 'killed') {
        // Killed: the epochs trained stay in the history, but no model is kept and it cannot be resumed.
        await this.services.runs
          .finish(runId, { status: 'killed', endedAt: Date.now(), note: note(`Killed by the user after ${this.live.epoch} of ${params.hyper.epochs} epochs.`) }, null)
          .catch(() => undefined);
        await this.services.runs.checkpoints.delete(runId).catch(() => undefined);
        return { status: 'killed' };
      }
      // The checkpoint is kept: a run that failed mid-way (a lost device, a crashed worker) can be resumed.
      await this.#recordEnd(runId, { status: 'failed', endedAt: Date.now(), note: note(failureMessage(failure)) });
      return { status: 'failed', failure };
    }
  }

  /**
   * Records how the run ended without weights. When even that small write fails (storage full), the note is kept in
   * localStorage so the next page load records it instead of blaming the reload.
   */
  async #recordEnd(runId: string, patch: RunPatch): Promise<void> {
    try {
      await this.services.runs.finish(runId, patch, null);
      forgetRunEnd(runId);
    } catch {
      if (patch.note) rememberRunEnd(runId, patch.note);
    }
  }

  /**
   * The run trained but its model could not be stored: the model is handed to `onUnsaved` (retry, export), the run is
   * recorded as failed with why (its training history kept), and its last checkpoint stays so it can be resumed too.
   */
  async #keepUnsaved(run: Run, patch: RunPatch, weights: ArrayBuffer, e: unknown, note: (text: string) => string): Promise<SessionEnd> {
    const figures = await storageFigures();
    const why = storageFailureText(e, 'the trained model', figures) ?? `Could not save the trained model: ${messageOf(e)}`;
    const message =
      `Training finished, but the model was not saved. ${why} ` +
      'The model is kept in this tab: use "Retry saving" once there is space, or "Export weights" to download it.';
    const { model: _model, ...small } = patch;
    await this.#recordEnd(run.id, {
      ...small,
      status: 'failed',
      metrics: {},
      evaluation: null,
      note: note(`Trained, but the model could not be saved: ${why}`),
    });
    this.options.onUnsaved?.({ runId: run.id, runName: run.name, patch, weights, message });
    return { status: 'failed', failure: { kind: 'failed', message }, storage: 'unsaved' };
  }

  /**
   * A checkpoint (or, storage being full, the history) could not be saved: the run is ended after its current batch
   * (training on without checkpoints is how 1,600 epochs were trained for nothing) and keeps the last checkpoint saved,
   * from which Resume continues.
   */
  async #pause(what: string, e: unknown): Promise<void> {
    if (this.#pausedBecause !== null || this.live.killing) return;
    const runId = this.live.runId;
    this.#pausedBecause = 'Paused…';
    const saved = await this.services.runs.checkpoints
      .epochs([runId])
      .then((epochs) => epochs.get(runId) ?? null)
      .catch(() => null);
    const message = isStorageFull(e)
      ? pausedMessage(what, saved, await storageFigures())
      : `Paused: ${what} could not be saved (${messageOf(e)}). ${saved === null ? 'It has no saved checkpoint.' : `Resume continues after epoch ${saved}.`}`;
    this.#pausedBecause = message;
    this.live = { ...this.live, killing: true, paused: false, message, notices: [...this.live.notices, message] };
    this.trainer.killRun(runId);
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

  /**
   * Queues a write behind the earlier ones. A failed history write is shown but does not stop training, unless storage
   * is full (the next checkpoint would fail too); a failed checkpoint pauses the run.
   */
  #write(work: () => Promise<void>, checkpointEpoch: (() => number) | null = null): Promise<void> {
    this.#writes = this.#writes.then(work).catch(async (e: unknown) => {
      if (checkpointEpoch !== null) await this.#pause(`the checkpoint at epoch ${checkpointEpoch()}`, e);
      else if (isStorageFull(e)) await this.#pause(`the training history at epoch ${this.live.epoch}`, e);
      else this.options.onError(`Could not save training progress: ${messageOf(e)}`);
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
        let epoch = e.checkpoint.epoch;
        await this.#write(async () => {
          const checkpoint = this.#unsaved;
          this.#unsaved = null;
          // Once paused, no later checkpoint may replace the last good one the run resumes from.
          if (!checkpoint || this.#pausedBecause !== null) return;
          epoch = checkpoint.epoch;
          const what = `the checkpoint at epoch ${epoch}`;
          await ensureRoom(what, checkpointBytes(checkpoint));
          await this.services.runs.checkpoints.save(runId, checkpoint);
        }, () => epoch);
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

/** Bytes a checkpoint takes in storage: its weights, the optimizer's state and the best epoch's weights. */
function checkpointBytes(checkpoint: TrainCheckpoint): number {
  return checkpoint.weights.data.byteLength + checkpoint.optimizer.data.byteLength + (checkpoint.best?.data.byteLength ?? 0);
}

/** The live view of a run about to start (or resume after `epoch`). */
export function startingLive(runId: string, backend: BackendName | null, epochs: number, message: string, epoch = 0, history: MetricPoint[] = []): LiveRun {
  return { runId, backend, epoch, epochs, stopping: false, paused: false, killing: false, history, message, notices: [], batch: 0, batches: 0, partial: [] };
}
