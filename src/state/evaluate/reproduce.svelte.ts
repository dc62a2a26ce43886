import type { DatasetVersion, Project, Run, RunStatus } from '../../core/shared/types';
import type { RunParams } from '../../core/train/spec/types';
import { newId } from '../../core/shared/ids';
import {
  compareReproduction,
  describeVersionDifferences,
  libraryRecord,
  REPRODUCES_TAG,
  verdictOf,
  versionDifferences,
  type LibraryPackages,
  type ReproductionComparison,
} from '../../core/evaluate/runs/reproduce';
import type { RunsState } from './runs.svelte';
import type { TrainState } from '../train/train.svelte';
import type { Services } from '../shared/services';
import { messageOf } from '../shared/services';

// Set by vite.config.ts `define` from the installed packages; absent where Vite did not build the code (Node tests).
declare const __LOOPBENCH_LIBRARIES__: LibraryPackages | undefined;

function appLibraries(): LibraryPackages | null {
  return typeof __LOOPBENCH_LIBRARIES__ === 'undefined' ? null : __LOOPBENCH_LIBRARIES__;
}

/** What can be said about a reproduction run: still training, ended without a model, or compared with its original. */
export type ReproductionView =
  | { kind: 'running'; originalName: string }
  | { kind: 'ended'; originalName: string; status: RunStatus; note: string }
  | { kind: 'original-gone'; originalId: string }
  | { kind: 'compared'; original: Run; verdict: string; comparison: ReproductionComparison };

/** The id of the run a run reproduces, if it is a reproduction. */
export function reproducedId(run: Pick<Run, 'tags'>): string | null {
  return Object.hasOwn(run.tags, REPRODUCES_TAG) ? run.tags[REPRODUCES_TAG] : null;
}

/** Replays a run from its record (same dataset version, params, seed and backend) and judges the replay. */
export class ReproduceState {
  /** A replay asked for that needs a warning read first (other library versions, a run stopped by hand). */
  confirming = $state.raw<{ run: Run; warnings: string[] } | null>(null);
  /** The reproduction started from the runs list: shown there while it trains and after it ends. */
  current = $state.raw<{ originalId: string; originalName: string; reproductionId: string } | null>(null);
  error = $state<string | null>(null);
  starting = $state(false);

  constructor(
    private readonly services: Services,
    private readonly train: TrainState,
    private readonly runs: RunsState,
  ) {}

  /**
   * A run with a recorded outcome can be replayed: finished, whether it ran all its epochs or was stopped. An imported
   * run cannot: its dataset version stayed where it trained.
   */
  canReproduce(run: Pick<Run, 'status' | 'origin'>): boolean {
    return run.status === 'finished' && !run.origin;
  }

  get busy(): boolean {
    return this.starting || this.train.running;
  }

  /** The live progress of the reproduction started here, while it trains. */
  get live(): TrainState['live'] {
    const live = this.train.live;
    return live && live.runId === this.current?.reproductionId ? live : null;
  }

  /** What stands between the record and an exact replay, said before the replay starts. */
  warningsFor(run: Run): string[] {
    const warnings: string[] = [];
    const app = appLibraries();
    if (app) {
      const differences = versionDifferences(run.versions, libraryRecord(run.backend, app));
      if (differences.length > 0) {
        warnings.push(`${run.name} was recorded with other library versions than this app's (${describeVersionDifferences(differences)}): the results may differ.`);
      }
    }
    // The session writes this note when the user stops a run (run-session.svelte.ts endNote): its model stopped
    // part-way through an epoch, which a replay of the recorded epochs does not repeat.
    if (run.note.startsWith('Stopped by the user')) {
      warnings.push(`${run.name} was stopped by hand part-way through training; the replay trains all ${run.params.hyper.epochs} recorded epochs, so its figures will differ.`);
    }
    return warnings;
  }

  /** The Reproduce button: starts the replay, or first shows what may make it differ. */
  async request(project: Project, run: Run): Promise<void> {
    this.error = null;
    this.confirming = null;
    if (this.busy) {
      this.error = `Cannot reproduce ${run.name} now: another run is training. Try again when it ends.`;
      return;
    }
    const warnings = this.warningsFor(run);
    if (warnings.length > 0) {
      this.confirming = { run, warnings };
      return;
    }
    await this.#start(project, run);
  }

  /** Goes ahead after the warnings were read. */
  async confirm(project: Project): Promise<void> {
    const asked = this.confirming;
    this.confirming = null;
    if (asked) await this.#start(project, asked.run);
  }

  cancel(): void {
    this.confirming = null;
  }

  async #start(project: Project, run: Run): Promise<void> {
    if (this.busy) return;
    this.starting = true;
    try {
      let dataset: DatasetVersion | undefined;
      try {
        dataset = await this.services.datasets.get(run.datasetId);
      } catch (e) {
        this.error = `Cannot reproduce ${run.name}: ${messageOf(e)}`;
        return;
      }
      if (!dataset) {
        this.error = `Cannot reproduce ${run.name}: its dataset version (${run.datasetId.slice(0, 12)}) was deleted, so the same data cannot be trained on again.`;
        return;
      }
      const reproductionId = newId('run');
      this.current = { originalId: run.id, originalName: run.name, reproductionId };
      // A deep, plain copy: the replay must not share (or later change) the original's record.
      const params = $state.snapshot(run.params) as RunParams;
      const started = this.train.train(project, dataset, {
        params,
        runId: reproductionId,
        name: `reproduce of ${run.name}`,
        tags: { [REPRODUCES_TAG]: run.id },
        // The original's backend, whatever the Train form says: exactness is only claimed on the same backend.
        backend: run.backend,
      });
      this.starting = false;
      const end = await started;
      if (end === null) {
        this.error = `Cannot reproduce ${run.name}: ${this.train.error ?? 'another run is training.'}`;
        this.current = null;
      }
    } finally {
      this.starting = false;
    }
  }

  /** The reproduction started from the runs list, as stored now. */
  get currentRun(): Run | null {
    const id = this.current?.reproductionId;
    return id ? (this.runs.list.find((r) => r.id === id) ?? null) : null;
  }

  /** The verdict on a reproduction run (null for a run that reproduces nothing). */
  viewOf(run: Run): ReproductionView | null {
    const originalId = reproducedId(run);
    if (originalId === null) return null;
    const original = this.runs.list.find((r) => r.id === originalId);
    if (!original) return { kind: 'original-gone', originalId };
    if (run.status === 'running') return { kind: 'running', originalName: original.name };
    if (run.status !== 'finished') return { kind: 'ended', originalName: original.name, status: run.status, note: run.note };
    const comparison = compareReproduction(original, run);
    return { kind: 'compared', original, verdict: verdictOf(comparison), comparison };
  }
}
