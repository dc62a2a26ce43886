import type { DatasetVersion, Project, Run } from '../core/types';
import type { Hyperparams, ModelSpec } from '../core/model-spec/types';
import { bestRun, expandSweep, SWEEP_LIMITS, type SweepExpansion, type SweepMethod, type SweepSpec, type SweepValue } from '../core/sweep';
import { flattenParams } from '../core/runs/flatten';
import { newId } from '../core/ids';
import type { RunsState } from './runs.svelte';
import type { Services } from './services';
import { messageOf } from './services';
import { axisChoices, axisOf, defaultDraft, type AxisChoice, type AxisDraft } from './sweep-axes';
import type { TrainState } from './train.svelte';

export type { AxisChoice, AxisDraft } from './sweep-axes';
export const SWEEP_MAX_RUNS = SWEEP_LIMITS.maxRuns;

/** The sweep being run or last run in this tab. */
export interface SweepRunInfo {
  id: string;
  total: number;
  /** Runs that ended (finished, stopped or failed). */
  done: number;
  /** 1-based number of the run training now, 0 before the first. */
  current: number;
  cancelling: boolean;
  /** Set once the queue is over: 'cancelled' when the user cancelled, 'failed' when a run could not start. */
  outcome: 'running' | 'completed' | 'cancelled' | 'failed';
}

/** The tag that marks a sweep's runs, so the runs table can filter by `sweep=<id>`. */
export const SWEEP_TAG = 'sweep';

/**
 * Grid and random search: the form's choice of parameters, the preview of the runs it expands to, and the queue,
 * trained one run at a time through TrainState's own start path (the same validation, lock, worker and records).
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

  constructor(
    private readonly services: Services,
    private readonly train: TrainState,
    private readonly runs: RunsState,
  ) {}

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

  /** Queues every run of the sweep and trains them one after another; resolves when the queue is over. */
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
    this.info = { id, total, done: 0, current: 0, cancelling: false, outcome: 'running' };
    let outcome: SweepRunInfo['outcome'] = 'completed';
    try {
      for (const [i, point] of points.entries()) {
        if (this.#cancelled) break;
        this.info = { ...this.info, current: i + 1 };
        const runId = newId('run');
        const label = Object.entries(point.values).map(([k, v]) => `${k.split('.').at(-1)}=${v}`).join(' ');
        // One at a time: TrainState owns a single live run and one worker; two at once measured only 0.73x to 0.98x the
        // sequential time on the loaded 2-core test machine (see the README).
        await this.train.train(project, dataset, { params: structuredClone(point.params), runId, name: `sweep ${i + 1}/${total} ${label}`, tags: { [SWEEP_TAG]: id } });
        const stored = (await this.services.runs.list(project.id)).find((r) => r.id === runId);
        if (!stored) {
          // Refused before it was recorded (a backend that cannot train the family, a probe that failed…).
          this.error = `Run ${i + 1} of the sweep could not start: ${this.train.error ?? 'unknown reason'}`;
          outcome = 'failed';
          break;
        }
        this.info = { ...this.info, done: i + 1 };
      }
      if (this.#cancelled && outcome === 'completed') outcome = 'cancelled';
    } catch (e) {
      this.error = `The sweep stopped: ${messageOf(e)}`;
      outcome = 'failed';
    } finally {
      this.info = { ...this.info, cancelling: false, outcome };
    }
  }

  /** Stops the run training now (it is kept, as a stopped run) and leaves the rest of the queue unstarted. */
  cancel(): void {
    if (!this.info || !this.running) return;
    this.#cancelled = true;
    this.info = { ...this.info, cancelling: true };
    this.train.stop();
  }
}
