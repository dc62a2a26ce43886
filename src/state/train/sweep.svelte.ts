import type { DatasetVersion, Project, Run } from '../../core/shared/types';
import type { Hyperparams, ModelSpec } from '../../core/train/spec/types';
import { bestRun, expandSweep, sweepConcurrency, SWEEP_LIMITS, SWEEP_TAG, type SweepExpansion, type SweepMethod, type SweepSpec, type SweepValue } from '../../core/train/sweep';
import { flattenParams } from '../../core/evaluate/runs/flatten';
import { newId } from '../../core/shared/ids';
import type { RunsState } from '../evaluate/runs.svelte';
import type { Services } from '../shared/services';
import { messageOf } from '../shared/services';
import { axisChoices, axisOf, defaultDraft, type AxisChoice, type AxisDraft } from './sweep-axes';
import type { LiveRun, TrainState } from './train.svelte';
import type { RunSession } from './run-session.svelte';
import { SweepPool, type QueuedOutcome, type QueuedRun } from './sweep-pool.svelte';

export type { AxisChoice, AxisDraft } from './sweep-axes';
export const SWEEP_MAX_RUNS = SWEEP_LIMITS.maxRuns;

/** The sweep being run or last run in this tab. */
export interface SweepRunInfo {
  id: string;
  total: number;
  /** Runs that ended (finished, stopped or failed). */
  done: number;
  /** How many runs train at once (sweepConcurrency), 0 while the backend is still being chosen. */
  workers: number;
  cancelling: boolean;
  /** Set once the queue is over: 'cancelled' when the user cancelled, 'failed' when a run could not start. */
  outcome: 'running' | 'completed' | 'cancelled' | 'failed';
}


/** A sweep run training now, for the panel's live rows. */
export interface SweepLive {
  /** 1-based number in the queue. */
  number: number;
  live: LiveRun;
}

/** Logical cores of this device; one when the browser does not say. */
function deviceCores(): number {
  return typeof navigator !== 'undefined' && navigator.hardwareConcurrency > 0 ? navigator.hardwareConcurrency : 1;
}

/**
 * Grid and random search: the form's choice of parameters, the preview of the runs it expands to, and the queue.
 * The first slot trains through TrainState's own start path (so the Train screen shows that run live); on CPU
 * backends further slots train at the same time on workers of their own (see core/train/sweep/concurrency.ts), each run
 * prepared, locked and recorded the same way.
 */
export class SweepState {
  method = $state<SweepMethod>('grid');
  maxRuns = $state(8);
  seed = $state(1);
  /** Drafts by parameter path, kept when the family changes so a user's values come back with it. */
  drafts = $state<Record<string, AxisDraft>>({});
  info = $state.raw<SweepRunInfo | null>(null);
  error = $state<string | null>(null);
  #cancelled = false;
  readonly #pool: SweepPool;
  /** Queue number of each run id of the sweep being run. */
  #numbers = new Map<string, number>();

  constructor(
    private readonly services: Services,
    private readonly train: TrainState,
    private readonly runs: RunsState,
  ) {
    this.#pool = new SweepPool(services, train);
  }

  get choices(): AxisChoice[] {
    return axisChoices(this.train.editor.spec);
  }

  /** The draft for a parameter, created with its starting values the first time the form shows it. */
  draft(path: string): AxisDraft {
    return this.drafts[path] ?? defaultDraft(path);
  }

  setDraft(path: string, patch: Partial<AxisDraft>): void {
    this.drafts[path] = { ...this.draft(path), ...patch };
  }

  /** The sweep the form describes, from the Train form's current spec and hyperparameters as the base. */
  get spec(): SweepSpec {
    const base = { spec: $state.snapshot(this.train.editor.spec) as ModelSpec, hyper: $state.snapshot(this.train.editor.hyper) as Hyperparams };
    const axes = this.choices.filter((c) => this.draft(c.path).enabled).map((c) => axisOf(c, $state.snapshot(this.draft(c.path)), this.method));
    return { base, method: this.method, axes, maxRuns: this.maxRuns, seed: this.seed };
  }

  // $derived.by: evaluated lazily, after the constructor has set `train`.
  readonly expansion: SweepExpansion = $derived.by(() => expandSweep(this.spec, this.train.editor.info?.input ?? null));

  /** Located problems as the form shows them: the parameter's label first. */
  get problems(): string[] {
    const axes = this.choices.filter((c) => this.draft(c.path).enabled);
    return this.expansion.problems.map((p) => {
      const i = /^axes\[(\d+)\]/.exec(p.path);
      const label = i ? axes[Number(i[1])]?.label : undefined;
      return label ? `${label}: ${p.message}` : p.message;
    });
  }

  get running(): boolean {
    return this.info?.outcome === 'running';
  }

  /** The sweep to show results for: the one running or last run here, else the newest sweep among the runs. */
  get shownId(): string | null {
    return this.info?.id ?? this.runs.list.find((r) => r.tags[SWEEP_TAG])?.tags[SWEEP_TAG] ?? null;
  }

  /** The shown sweep's runs, in the order they were queued. */
  get results(): Run[] {
    const id = this.shownId;
    return id ? this.runs.list.filter((r) => r.tags[SWEEP_TAG] === id).sort((a, b) => a.startedAt - b.startedAt) : [];
  }

  /** The parameters that differ between the shown sweep's runs, for the results table's columns. */
  get variedKeys(): string[] {
    const flat = this.results.map((r) => flattenParams(r.params));
    const keys = new Set(flat.flatMap((f) => Object.keys(f)));
    return [...keys].filter((k) => new Set(flat.map((f) => f[k])).size > 1);
  }

  valueOf(run: Run, key: string): SweepValue | boolean | undefined {
    return flattenParams(run.params)[key];
  }

  best(project: Project): Run | null {
    return bestRun(this.results, project.goal.metric);
  }

  /** Every run of the sweep training now (the Train form's slot and the sweep's own workers), by queue number. */
  get liveRuns(): SweepLive[] {
    const live = this.train.live;
    const form = live && this.#numbers.has(live.runId) ? [live] : [];
    return [...form, ...this.#pool.sessions.map((s) => s.live)]
      .map((l) => ({ number: this.#numbers.get(l.runId) ?? 0, live: l }))
      .sort((a, b) => a.number - b.number);
  }

  /** The session training a sweep run on one of the sweep's own workers, for per-run controls; null otherwise. */
  sessionOf(runId: string): RunSession | null {
    return this.#pool.sessions.find((s) => s.runId === runId) ?? null;
  }

  /** Queues every run of the sweep and trains them, several at once where that is faster; resolves when it is over. */
  async start(project: Project, dataset: DatasetVersion): Promise<void> {
    if (this.running || this.train.running) return;
    this.error = null;
    const { points, problems } = this.expansion;
    if (problems.length > 0 || points.length === 0) {
      this.error = `Fix the sweep first: ${this.problems.join('; ') || 'it has no runs'}`;
      return;
    }
    const id = newId('sweep');
    const total = points.length;
    this.#cancelled = false;
    this.#numbers = new Map();
    this.info = { id, total, done: 0, workers: 0, cancelling: false, outcome: 'running' };
    const queue: QueuedRun[] = points.map((point, i) => {
      const runId = newId('run');
      this.#numbers.set(runId, i + 1);
      const label = Object.entries(point.values).map(([k, v]) => `${k.split('.').at(-1)}=${v}`).join(' ');
      return { number: i + 1, options: { params: structuredClone(point.params), runId, name: `sweep ${i + 1}/${total} ${label}`, tags: { [SWEEP_TAG]: id } } };
    });
    // In an object: the slots' closures set it, which flow narrowing of a plain `let` would not see.
    const end: { failure: string | null } = { failure: null };
    try {
      // Every run trains on the same backend, chosen once, so they compare fairly and the concurrency fits them all.
      const backend = await this.train.backendFor(points[0].params.spec.family);
      const workers = sweepConcurrency({ backend, cores: deviceCores(), runsLeft: total });
      for (const q of queue) q.options.backend = backend;
      this.info = { ...this.info, workers };
      let next = 0;
      const take = (): QueuedRun | null => {
        if (this.#cancelled || end.failure !== null || next >= total) return null;
        return queue[next++];
      };
      const ended = (q: QueuedRun, outcome: QueuedOutcome): void => {
        if (outcome.started) this.info = this.info && { ...this.info, done: this.info.done + 1 };
        else end.failure ??= `Run ${q.number} of the sweep could not start: ${outcome.reason}`;
      };
      const formSlot = async (): Promise<void> => {
        for (let q = take(); q; q = take()) ended(q, await this.#trainInForm(project, dataset, q));
      };
      const ownSlot = async (): Promise<void> => {
        const trainer = this.#pool.newTrainer();
        try {
          for (let q = take(); q; q = take()) ended(q, await this.#pool.run(trainer, project, dataset, q, () => this.#cancelled));
        } finally {
          // Its runs have all settled: the worker goes now rather than idling with the model's backend loaded.
          trainer.kill();
        }
      };
      await Promise.all([formSlot(), ...Array.from({ length: workers - 1 }, ownSlot)]);
      this.error = end.failure;
    } catch (e) {
      end.failure = `The sweep stopped: ${messageOf(e)}`;
      this.error = end.failure;
    } finally {
      const outcome: SweepRunInfo['outcome'] = end.failure !== null ? 'failed' : this.#cancelled ? 'cancelled' : 'completed';
      this.info = { ...this.info, cancelling: false, outcome };
    }
  }

  /** Trains one queued run through TrainState, so the Train screen shows it live and its controls work there. */
  async #trainInForm(project: Project, dataset: DatasetVersion, q: QueuedRun): Promise<QueuedOutcome> {
    // Null: refused before it was recorded (settings, backend or recipe problems, or another run in this tab).
    const end = await this.train.train(project, dataset, q.options);
    return end ? { started: true } : { started: false, reason: this.train.error ?? 'another run is training in this tab' };
  }

  /** Stops every run training now (each is kept, as a stopped run) and leaves the rest of the queue unstarted. */
  cancel(): void {
    if (!this.info || !this.running) return;
    this.#cancelled = true;
    this.info = { ...this.info, cancelling: true };
    if (this.train.live && this.#numbers.has(this.train.live.runId)) this.train.stop();
    this.#pool.stopAll();
  }
}
