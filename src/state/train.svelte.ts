import type { BackendName, DatasetVersion, MetricPoint, Project, Run } from '../core/types';
import { BACKENDS } from '../core/types';
import type { ProbeResult, TrainEvent, TrainResult } from '../core/worker-api';
import type { Hyperparams, ModelSpec } from '../core/model-spec/types';
import { backendProblem, fastestFor } from '../core/model-spec/backend';
import { SpecEditor } from './spec-editor.svelte';
import { flattenReport } from '../core/metrics';
import { newId } from '../core/ids';
import { holdRunLock } from '../platform/run-locks';
import type { Services } from './services';
import { messageOf } from './services';
import { recipeChain } from './recipe-chain';
import type { FittedRecipe } from '../core/recipe/types';

const PROBE_KEY = 'probe:mlp';

export type BackendChoice = 'auto' | BackendName;
export const BACKEND_CHOICES: readonly BackendName[] = BACKENDS;

export interface LiveRun {
  runId: string;
  backend: BackendName | null;
  epoch: number;
  epochs: number;
  stopping: boolean;
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
  probe = $state.raw<ProbeResult | null>(null);
  probing = $state<BackendName | 'starting' | null>(null);
  live = $state.raw<LiveRun | null>(null);
  error = $state<string | null>(null);
  #abort: AbortController | null = null;

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

  /** The backend Auto would use for the chosen family, once measured. */
  get autoBackend(): BackendName | null {
    return this.probe ? fastestFor(this.editor.spec.family, this.probe) : null;
  }

  async load(): Promise<void> {
    this.probe = (await this.services.settings.get<ProbeResult>(PROBE_KEY)) ?? null;
  }

  get running(): boolean {
    return this.live !== null;
  }

  /** Measures which backend trains this family fastest here and caches the answer. */
  async runProbe(): Promise<ProbeResult> {
    this.probing = 'starting';
    try {
      const result = await this.services.trainer.probe([...BACKENDS], (e) => (this.probing = e.backend));
      this.probe = result;
      await this.services.settings.set(PROBE_KEY, result);
      return result;
    } finally {
      this.probing = null;
    }
  }

  async train(project: Project, dataset: DatasetVersion): Promise<void> {
    if (this.live) return;
    this.error = null;
    // Plain copies: the form's $state proxies must not reach IndexedDB or postMessage.
    const spec = $state.snapshot(this.editor.spec) as ModelSpec;
    const hyper = $state.snapshot(this.editor.hyper) as Hyperparams;
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
    const runId = newId('run');
    const params = { spec, hyper };
    this.live = { runId, backend: null, epoch: 0, epochs: hyper.epochs, stopping: false, history: [], message: 'Preparing…' };
    let backend: BackendName;
    try {
      backend = this.backendChoice !== 'auto' ? this.backendChoice : fastestFor(spec.family, this.probe ?? (await this.#probeForRun()));
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
      name: `run ${new Date().toLocaleString()}`,
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
      tags: {},
      recipes,
    };
    const abort = new AbortController();
    this.#abort = abort;
    await holdRunLock(runId, () => this.#run(project, dataset, run, abort.signal));
  }

  async #run(project: Project, dataset: DatasetVersion, run: Run, signal: AbortSignal): Promise<void> {
    const { id: runId, params, backend } = run;
    try {
      await this.services.runs.create(run);
      await this.onRunChanged();
      const { table, assignment } = await this.services.datasets.load(dataset.id);
      if (this.live) this.live = { ...this.live, message: 'Starting the worker…' };
      const result = await this.services.trainer.train(
        { runId, task: project.task, params, goal: project.goal.metric, backend, schema: dataset.schema, table, assignment },
        (e) => void this.#onEvent(runId, e),
        signal,
      );
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
    } catch (e) {
      this.error = `Training failed: ${messageOf(e)}`;
      await this.services.runs
        .finish(runId, { status: 'failed', endedAt: Date.now(), note: messageOf(e) }, null)
        .catch(() => undefined);
    } finally {
      this.#abort = null;
      this.live = null;
      await this.onRunChanged();
    }
  }

  /** Ends the run after the current batch; the model trained so far is evaluated and kept. */
  stop(): void {
    if (!this.live || !this.#abort) return;
    this.live = { ...this.live, stopping: true, message: 'Stopping after this batch…' };
    this.#abort.abort();
  }

  async #probeForRun(): Promise<ProbeResult> {
    if (this.live) this.live = { ...this.live, message: 'Measuring which backend trains fastest here…' };
    return this.runProbe();
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
        await this.services.runs.appendHistory(runId, e.points);
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
