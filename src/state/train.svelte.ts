import type { BackendName, DatasetVersion, MetricPoint, Project, Run } from '../core/types';
import { BACKENDS } from '../core/types';
import type { ProbeResult, TrainCheckpoint, TrainEvent, TrainResult } from '../core/worker-api';
import { KILLED_MESSAGE } from '../core/worker-api';
import type { Hyperparams, ModelFamily, ModelSpec, RunParams } from '../core/model-spec/types';
import { FAMILIES } from '../core/model-spec/limits';
import { backendProblem, fastestFor } from '../core/model-spec/backend';
import { SpecEditor } from './spec-editor.svelte';
import { flattenReport } from '../core/metrics';
import { newId } from '../core/ids';
import { holdRunLock, tryHoldRunLock } from '../platform/run-locks';
import type { Services } from './services';
import { messageOf } from './services';
import { recipeChain } from './recipe-chain';
import type { FittedRecipe } from '../core/recipe/types';

/** One cached probe per family ('probe:mlp' is also where the single MLP probe of earlier versions lives). */
const probeKey = (family: ModelFamily): string => `probe:${family}`;

export type BackendChoice = 'auto' | BackendName;
export const BACKEND_CHOICES: readonly BackendName[] = BACKENDS;

/** What a caller other than the form (a sweep) sets on a run; params must be plain objects, not $state proxies. */
export interface RunOptions {
  params?: RunParams;
  runId?: string;
  name?: string;
  tags?: Record<string, string>;
}

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
}

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

/** The model and hyperparameters being edited, the backend probe, and the run being trained now. */
export class TrainState {
  /** Family, layers and hyperparameters as the form edits them, with validation and the layer view. */
  readonly editor: SpecEditor;
  backendChoice = $state<BackendChoice>('auto');
  /** The last probe of each family on this device, as cached in settings. */
  probes = $state.raw<Partial<Record<ModelFamily, ProbeResult>>>({});
  probing = $state<BackendName | 'starting' | null>(null);
  live = $state.raw<LiveRun | null>(null);
  error = $state<string | null>(null);
  #abort: AbortController | null = null;
  /** History and checkpoint writes of the live run, in the order the worker sent them. */
  #writes: Promise<void> = Promise.resolve();
  /** The newest checkpoint not yet written; one still waiting when a newer one arrives is dropped. */
  #unsaved: TrainCheckpoint | null = null;

  constructor(
    private readonly services: Services,
    private readonly onRunChanged: () => Promise<void>,
  ) {
    this.editor = new SpecEditor(services);
  }

  /** Backends the chosen family can train on, for the backend choice (the CNN cannot train on wasm). */
  get backendChoices(): { backend: BackendName; problem: string | null }[] {
    return BACKEND_CHOICES.map((backend) => ({ backend, problem: backendProblem(this.editor.spec.family, backend) }));
  }

  /** The probe of the family being edited, if it was measured. */
  get probe(): ProbeResult | null {
    return this.probes[this.editor.spec.family] ?? null;
  }

  /** The backend Auto would use for the chosen family, once measured. */
  get autoBackend(): BackendName | null {
    return this.probe ? fastestFor(this.editor.spec.family, this.probe) : null;
  }

  async load(): Promise<void> {
    const probes: Partial<Record<ModelFamily, ProbeResult>> = {};
    for (const family of FAMILIES) {
      const cached = await this.services.settings.get<ProbeResult>(probeKey(family));
      // A record under another family's key would rank backends for the wrong model: ignore it.
      if (cached?.family === family) probes[family] = cached;
    }
    this.probes = probes;
  }

  get running(): boolean {
    return this.live !== null;
  }

  /** Measures which backend trains this family fastest here and caches the answer. */
  async runProbe(family: ModelFamily = this.editor.spec.family): Promise<ProbeResult> {
    this.probing = 'starting';
    try {
      const result = await this.services.trainer.probe(family, [...BACKENDS], (e) => (this.probing = e.backend));
      this.probes = { ...this.probes, [family]: result };
      await this.services.settings.set(probeKey(family), result);
      return result;
    } finally {
      this.probing = null;
    }
  }

  /** Trains the form's settings, or `options.params` (a sweep's run) under the given id, name and tags. */
  async train(project: Project, dataset: DatasetVersion, options: RunOptions = {}): Promise<void> {
    if (this.live) return;
    this.error = null;
    // Plain copies: the form's $state proxies must not reach IndexedDB or postMessage.
    const spec = options.params?.spec ?? ($state.snapshot(this.editor.spec) as ModelSpec);
    const hyper = options.params?.hyper ?? ($state.snapshot(this.editor.hyper) as Hyperparams);
    const problems = this.editor.problemsFor(spec, hyper);
    if (problems.length > 0) {
      this.error = `Fix the settings first: ${problems.join('; ')}`;
      return;
    }
    if (this.backendChoice !== 'auto') {
      const problem = backendProblem(spec.family, this.backendChoice);
      if (problem) {
        this.error = problem;
        return;
      }
    }
    const runId = options.runId ?? newId('run');
    const params = { spec, hyper };
    this.live = { runId, backend: null, epoch: 0, epochs: hyper.epochs, stopping: false, paused: false, killing: false, history: [], message: 'Preparing…' };
    let backend: BackendName;
    try {
      backend = this.backendChoice !== 'auto' ? this.backendChoice : fastestFor(spec.family, this.probes[spec.family] ?? (await this.#probeForRun(spec.family)));
    } catch (e) {
      this.error = `Could not choose a backend: ${messageOf(e)}`;
      this.live = null;
      return;
    }
    // The chain is fixed when the run starts: serving replays exactly these recipes on raw rows.
    let recipes: FittedRecipe[];
    try {
      recipes = (await recipeChain((id) => this.services.datasets.get(id), dataset.id)).recipes;
    } catch (e) {
      this.error = `Cannot train on this version: ${messageOf(e)}`;
      this.live = null;
      return;
    }
    const run: Run = {
      id: runId,
      projectId: project.id,
      datasetId: dataset.id,
      name: options.name ?? `run ${new Date().toLocaleString()}`,
      status: 'running',
      params,
      backend,
      versions: {},
      startedAt: Date.now(),
      endedAt: null,
      history: [],
      metrics: {},
      evaluation: null,
      preprocessor: null,
      model: null,
      note: '',
      tags: { ...options.tags },
      recipes,
    };
    const abort = new AbortController();
    this.#abort = abort;
    await holdRunLock(runId, () => this.#run(project, dataset, run, abort.signal));
  }

  /**
   * Continues an interrupted run from its last checkpoint, on the backend it was trained on. Returns false (with
   * `error` set) when it cannot: another tab is already training it, or its checkpoint or dataset is gone.
   */
  async resume(project: Project, run: Run): Promise<boolean> {
    if (this.live) return false;
    this.error = null;
    const fail = (message: string) => {
      this.error = message;
      return false;
    };
    let dataset: DatasetVersion | undefined;
    let checkpoint: TrainCheckpoint | null;
    try {
      dataset = await this.services.datasets.get(run.datasetId);
      checkpoint = await this.services.runs.checkpoints.load(run.id);
    } catch (e) {
      return fail(`Cannot resume ${run.name}: ${messageOf(e)}`);
    }
    if (!dataset) return fail(`Cannot resume ${run.name}: its dataset version was deleted.`);
    if (!checkpoint) return fail(`Cannot resume ${run.name}: it has no checkpoint.`);
    const { epoch, history } = checkpoint;
    const resumed: Run = { ...run, status: 'running', endedAt: null, note: '', history };
    this.live = {
      runId: run.id,
      backend: run.backend,
      epoch,
      epochs: run.params.hyper.epochs,
      stopping: false,
      paused: false,
      killing: false,
      history,
      message: `Resuming after epoch ${epoch}…`,
    };
    const abort = new AbortController();
    this.#abort = abort;
    const from = checkpoint;
    const owned = await tryHoldRunLock(run.id, () => this.#run(project, dataset, resumed, abort.signal, from));
    if (owned) return true;
    this.#abort = null;
    this.live = null;
    return fail(`${run.name} is being trained in another tab.`);
  }

  async #run(project: Project, dataset: DatasetVersion, run: Run, signal: AbortSignal, resume: TrainCheckpoint | null = null): Promise<true> {
    const { id: runId, params, backend } = run;
    this.#writes = Promise.resolve();
    this.#unsaved = null;
    try {
      // A resumed run's history goes back to its checkpoint: epochs after it are trained again.
      if (resume) await this.services.runs.finish(runId, { status: 'running', endedAt: null, note: '', history: run.history }, null);
      else await this.services.runs.create(run);
      await this.onRunChanged();
      const { table, assignment } = await this.services.datasets.load(dataset.id);
      if (this.live) this.live = { ...this.live, message: 'Starting the worker…' };
      const result = await this.services.trainer.train(
        {
          runId,
          task: project.task,
          params,
          goal: project.goal.metric,
          backend,
          schema: dataset.schema,
          table,
          assignment,
          ...(resume ? { resume } : {}),
        },
        (e) => void this.#onEvent(runId, e),
        signal,
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
          note: endNote(result, params.hyper.epochs),
          model: { topology: result.model.topology, weightSpecs: result.model.weightSpecs },
        },
        result.model.weights,
      );
      await this.services.runs.checkpoints.delete(runId);
    } catch (e) {
      await this.#writes;
      if (messageOf(e).includes(KILLED_MESSAGE)) {
        // Killed: the epochs trained stay in the history, but no model is kept and it cannot be resumed.
        const epochs = this.live?.epoch ?? 0;
        await this.services.runs
          .finish(runId, { status: 'killed', endedAt: Date.now(), note: `Killed by the user after ${epochs} of ${params.hyper.epochs} epochs.` }, null)
          .catch(() => undefined);
        await this.services.runs.checkpoints.delete(runId).catch(() => undefined);
      } else {
        // The checkpoint is kept: a run that failed mid-way (a lost device, a crashed worker) can be resumed.
        this.error = `Training failed: ${messageOf(e)}`;
        await this.services.runs
          .finish(runId, { status: 'failed', endedAt: Date.now(), note: messageOf(e) }, null)
          .catch(() => undefined);
      }
    } finally {
      this.#abort = null;
      this.live = null;
      await this.onRunChanged();
    }
    return true;
  }

  /** Holds the live run between two batches, or lets it go on. */
  setPaused(paused: boolean): void {
    const live = this.live;
    if (!live || live.stopping || live.killing) return;
    this.live = { ...live, paused, message: paused ? 'Pausing after this batch…' : `Training on ${live.backend ?? 'the worker'}` };
    this.services.trainer.pause(live.runId, paused);
  }

  /** Ends the live run after the current batch and discards it: no model is kept and it cannot be resumed. */
  kill(): void {
    const live = this.live;
    if (!live || live.killing) return;
    this.live = { ...live, killing: true, paused: false, message: 'Killing after this batch…' };
    this.services.trainer.killRun(live.runId);
  }

  /** Ends the run after the current batch; the model trained so far is evaluated and kept. */
  stop(): void {
    if (!this.live || !this.#abort) return;
    if (this.live.paused) this.services.trainer.pause(this.live.runId, false);
    this.live = { ...this.live, stopping: true, paused: false, message: 'Stopping after this batch…' };
    this.#abort.abort();
  }

  async #probeForRun(family: ModelFamily): Promise<ProbeResult> {
    if (this.live) this.live = { ...this.live, message: `Measuring which backend trains the ${family} fastest here…` };
    return this.runProbe(family);
  }

  /** Queues a write behind the earlier ones; a failed write is shown but does not stop training. */
  #write(work: () => Promise<void>): Promise<void> {
    this.#writes = this.#writes.then(work).catch((e: unknown) => {
      this.error = `Could not save training progress: ${messageOf(e)}`;
    });
    return this.#writes;
  }

  async #onEvent(runId: string, e: TrainEvent): Promise<void> {
    const live = this.live;
    if (!live || live.runId !== runId) return;
    switch (e.type) {
      case 'backend':
        this.live = { ...live, backend: e.backend, message: `Training on ${e.backend}` };
        break;
      case 'prepared':
        this.live = {
          ...live,
          message: `${e.trainRows} training rows, ${e.validationRows} validation, ${e.testRows} test; ${e.parameterCount} parameters`,
        };
        break;
      case 'epoch':
        this.live = { ...live, epoch: e.epoch, epochs: e.epochs, history: [...live.history, ...e.points] };
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
