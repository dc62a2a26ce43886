import type { Goal, MetricPoint, Project, Run, Task } from '../../core/shared/types';
import { alignKeys, trainingCurves, type AlignedSeries } from '../../core/evaluate/task-metrics';
import { meetsGoal } from '../../core/evaluate/run-report';
import { bestRun } from '../../core/train/sweep';
import type { Services } from '../shared/services';
import { LatestRead } from '../shared/latest-read';
import { RunTableState } from './run-table.svelte';

/** One chart of a run's history, ready to draw. */
export interface RunCurve {
  title: string;
  keys: readonly string[];
  series: AlignedSeries;
}

/** Every run of the open project, newest first, and the one being inspected. */
export class RunsState {
  list = $state.raw<Run[]>([]);
  selectedId = $state<string | null>(null);
  /** Interrupted or failed runs that can continue from a checkpoint: run id -> epochs already trained. */
  resumable = $state.raw<ReadonlyMap<string, number>>(new Map());
  selected = $derived(this.list.find((r) => r.id === this.selectedId) ?? this.list.find((r) => r.status === 'finished') ?? null);

  /** Runs deleted but still in their undo window: hidden from every view, even after a reload of the list. */
  readonly #hiding = new Set<string>();
  readonly table: RunTableState;
  readonly #reads = new LatestRead<Run>();
  #projectId: string | null = null;

  constructor(private readonly services: Services) {
    this.table = new RunTableState(this, services);
  }

  async load(project: Project): Promise<void> {
    // Another project: finish its waiting deletion and start its table afresh.
    if (this.table.pending && this.table.pending.projectId !== project.id) await this.table.commitDelete();
    if (this.#projectId !== project.id) this.table.reset();
    this.#projectId = project.id;
    const read = this.#reads.begin();
    const stored = await this.services.runs.list(project.id);
    const resumable = await this.services.runs.checkpoints.epochs(stored.filter((r) => r.status === 'failed').map((r) => r.id));
    if (!read.isLatest()) return;
    // Hidden now, not when the read began: a deletion may have started meanwhile.
    this.list = read.landed(stored).filter((r) => !this.#hiding.has(r.id));
    this.resumable = resumable;
    if (this.selectedId && !this.list.some((r) => r.id === this.selectedId)) this.selectedId = null;
  }

  /** A stored run changed (its tags or note): show the stored record. */
  replaced(run: Run): void {
    this.#reads.wrote(run);
    this.list = this.list.map((r) => (r.id === run.id ? run : r));
  }

  /** Hides a run whose deletion waits out its undo window; a reload of the list keeps it hidden. */
  hide(id: string): void {
    this.#hiding.add(id);
    this.list = this.list.filter((r) => r.id !== id);
    if (this.selectedId === id) this.selectedId = null;
  }

  /** Ends hiding `run`: deleted from storage, or brought back (`restore`) by undo or a refused deletion. */
  unhide(run: Run, restore: boolean): void {
    this.#hiding.delete(run.id);
    // Only into the project it belongs to: the user may have switched projects meanwhile.
    if (!restore || this.list.some((r) => r.projectId !== run.projectId)) return;
    this.list = [...this.list.filter((r) => r.id !== run.id), run].sort((a, b) => b.startedAt - a.startedAt);
  }

  finished(): Run[] {
    return this.list.filter((r) => r.status === 'finished' && r.model !== null);
  }

  /** The finished run that does best on the project's goal metric. */
  best(goal: Goal): Run | null {
    return bestRun(this.finished(), goal.metric);
  }

  passes(run: Run, goal: Goal): boolean {
    return meetsGoal(run.metrics, goal);
  }

  /** The charts of a history (the loss, then the task's quality metric), each with its series on one epoch axis. */
  curves(history: readonly MetricPoint[], task: Task): RunCurve[] {
    return trainingCurves(task).map(({ title, keys }) => ({ title, keys, series: alignKeys(history, keys) }));
  }
}
