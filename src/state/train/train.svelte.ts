import type { BackendName, DatasetVersion, Project, ReadFormat, Run } from '../../core/shared/types';
import { BACKENDS } from '../../core/shared/types';
import type { TrainCheckpoint } from '../../core/contracts/model';
import type { ProbeResult } from '../../core/contracts/train';
import type { Hyperparams, ModelFamily, ModelSpec, RunParams } from '../../core/train/spec/types';
import { FAMILIES } from '../../core/train/spec/limits';
import { backendProblem, fastestFor } from '../../core/train/spec/backend';
import { SpecEditor } from './spec-editor.svelte';
import { newId } from '../../core/shared/ids';
import { holdRunLock, tryHoldRunLock } from '../../platform/run-locks';
import type { Services } from '../shared/services';
import { messageOf } from '../shared/services';
import { recipeChain } from '../data/recipe-chain';
import type { FittedRecipe } from '../../core/recipe/types';
import { RunSession, startingLive, type LiveRun, type SessionEnd, type SessionOptions } from './run-session.svelte';
import { saveUnsaved, unsavedModelFiles, type UnsavedModel } from './unsaved-model';
import { storageFigures } from '../../platform/storage';
import { downloadBytes, downloadText } from '../../platform/download';
import { storageFailureText } from '../../core/shared/storage-room';
import type { TrainerClient } from '../../platform/workers';
import { backendAfterLoss } from '../../core/train/spec/probe-choice';
import { failureMessage } from '../../core/shared/failure';

export type { LiveRun } from './run-session.svelte';
export type { UnsavedModel } from './unsaved-model';

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
  /** Trains on this backend whatever the form's choice (reproducing a run on the backend it was trained on). */
  backend?: BackendName;
}

/** The model and hyperparameters being edited, the backend probe, and the run being trained now. */
export class TrainState {
  /** Family, layers and hyperparameters as the form edits them, with validation and the layer view. */
  readonly editor: SpecEditor;
  backendChoice = $state<BackendChoice>('auto');
  /** The last probe of each family on this device, as cached in settings. */
  probes = $state.raw<Partial<Record<ModelFamily, ProbeResult>>>({});
  probing = $state<BackendName | 'starting' | null>(null);
  /** The run started from this form (or resumed, or a sweep's current run) while it trains. */
  session = $state.raw<RunSession | null>(null);
  error = $state<string | null>(null);
  /** Trained models whose storing failed (storage full), kept in this tab until saved or exported. */
  unsaved = $state.raw<UnsavedModel[]>([]);
  /** The run whose model is being saved again, while it is. */
  retrying = $state<string | null>(null);

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

  get live(): LiveRun | null {
    return this.session?.live ?? null;
  }

  get running(): boolean {
    return this.session !== null;
  }

  #newSession(live: LiveRun): RunSession {
    return new RunSession(this.services, this.sessionOptions(this.services.trainer), live);
  }

  /** How a session started here or by a sweep on `trainer` reports and recovers. */
  sessionOptions(trainer: TrainerClient): SessionOptions {
    return {
      trainer,
      onError: (message) => (this.error = message),
      onRunChanged: this.onRunChanged,
      backendAfterLoss: (family, tried) => backendAfterLoss(family, this.probes[family]?.measurements ?? null, tried),
      onUnsaved: (model) => (this.unsaved = [...this.unsaved.filter((u) => u.runId !== model.runId), model]),
    };
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
  async train(project: Project, dataset: DatasetVersion, options: RunOptions = {}): Promise<SessionEnd | null> {
    if (this.session) return null;
    this.error = null;
    const checked = this.check(options);
    if (typeof checked === 'string') {
      this.error = checked;
      return null;
    }
    const runId = options.runId ?? newId('run');
    const session = this.#newSession(startingLive(runId, null, checked.params.hyper.epochs, 'Preparing…'));
    this.session = session;
    let run: Run;
    try {
      run = await this.prepare(project, dataset, checked, { ...options, runId }, (message) => session.say(message));
    } catch (e) {
      this.error = messageOf(e);
      this.session = null;
      return null;
    }
    return holdRunLock(runId, () => this.#execute(session, project, dataset, run));
  }

  /**
   * A run's settings (the form's, or `options.params`) as plain copies with the backend asked for, or what is wrong
   * with them. Shared by train() and a parallel sweep's runs.
   */
  check(options: RunOptions = {}): { params: RunParams; choice: BackendChoice } | string {
    // Plain copies: the form's $state proxies must not reach IndexedDB or postMessage.
    const spec = options.params?.spec ?? ($state.snapshot(this.editor.spec) as ModelSpec);
    const hyper = options.params?.hyper ?? ($state.snapshot(this.editor.hyper) as Hyperparams);
    const problems = this.editor.problemsFor(spec, hyper);
    if (problems.length > 0) return `Fix the settings first: ${problems.join('; ')}`;
    const choice = options.backend ?? this.backendChoice;
    if (choice !== 'auto') {
      const problem = backendProblem(spec.family, choice);
      if (problem) return problem;
    }
    return { params: { spec, hyper }, choice };
  }

  /**
   * The Run record of a checked run: its backend chosen (measuring them first when Auto has no probe yet) and its
   * recipe chain fixed. Throws, with the message to show, when either cannot be done.
   */
  async prepare(
    project: Project,
    dataset: DatasetVersion,
    { params, choice }: { params: RunParams; choice: BackendChoice },
    options: RunOptions & { runId: string },
    say: (message: string) => void = () => undefined,
  ): Promise<Run> {
    const { spec } = params;
    let backend: BackendName;
    try {
      backend = await this.backendFor(spec.family, choice, say);
    } catch (e) {
      throw new Error(`Could not choose a backend: ${messageOf(e)}`, { cause: e });
    }
    // The chain is fixed when the run starts: serving replays exactly these recipes on raw rows.
    let recipes: FittedRecipe[];
    let format: ReadFormat | undefined;
    try {
      const chain = await recipeChain((id) => this.services.datasets.get(id), dataset.id);
      recipes = chain.recipes;
      // Raw rows at serving look like the import's: read them in its number and date format.
      format = chain.root.format ?? dataset.format;
    } catch (e) {
      throw new Error(`Cannot train on this version: ${messageOf(e)}`, { cause: e });
    }
    return {
      id: options.runId,
      projectId: project.id,
      datasetId: dataset.id,
      // The time alone repeats when two runs start within a second; the id's tail tells them apart.
      name: options.name ?? `run ${new Date().toLocaleString()} ${options.runId.slice(-4)}`,
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
      ...(format ? { format } : {}),
    };
  }

  /**
   * Continues an interrupted run from its last checkpoint, on the backend it was trained on. Returns false (with
   * `error` set) when it cannot: another tab is already training it, or its checkpoint or dataset is gone.
   */
  async resume(project: Project, run: Run): Promise<boolean> {
    if (this.session) return false;
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
    // Training it again from its checkpoint replaces a model kept in memory after a failed save.
    this.unsaved = this.unsaved.filter((u) => u.runId !== run.id);
    const resumed: Run = { ...run, status: 'running', endedAt: null, note: '', history };
    const session = this.#newSession(startingLive(run.id, run.backend, run.params.hyper.epochs, `Resuming after epoch ${epoch}…`, epoch, history));
    this.session = session;
    const from = checkpoint;
    const owned = await tryHoldRunLock(run.id, () => this.#execute(session, project, dataset, resumed, from));
    if (owned) return true;
    this.session = null;
    return fail(`${run.name} is being trained in another tab.`);
  }

  async #execute(session: RunSession, project: Project, dataset: DatasetVersion, run: Run, resume: TrainCheckpoint | null = null): Promise<SessionEnd> {
    try {
      const end = await session.execute(project, dataset, run, resume);
      // A run stopped only because storing failed says so itself; "Training failed" would blame the training.
      // An unsaved model is shown with its Retry and Export actions (UnsavedModels), not again here.
      if (end.status === 'failed' && end.storage !== 'unsaved') this.error = end.storage ? failureMessage(end.failure) : `Training failed: ${failureMessage(end.failure)}`;
      return end;
    } finally {
      this.session = null;
    }
  }

  /**
   * Stores a model kept after its save failed, as training would have: the run becomes finished with its weights and
   * its checkpoint goes. On failure the model stays, with the new reason.
   */
  async retrySave(runId: string): Promise<boolean> {
    const model = this.unsaved.find((u) => u.runId === runId);
    if (!model || this.retrying) return false;
    this.retrying = runId;
    try {
      await saveUnsaved(this.services, model);
      this.unsaved = this.unsaved.filter((u) => u.runId !== runId);
      await this.onRunChanged();
      return true;
    } catch (e) {
      const message = storageFailureText(e, 'the trained model', await storageFigures()) ?? `Could not save the trained model: ${messageOf(e)}`;
      this.unsaved = this.unsaved.map((u) => (u.runId === runId ? { ...u, message } : u));
      return false;
    } finally {
      this.retrying = null;
    }
  }

  /** Downloads a kept model as TensorFlow.js files: model.json and the weights it names. */
  exportWeights(runId: string): void {
    const model = this.unsaved.find((u) => u.runId === runId);
    const files = model ? unsavedModelFiles(model) : null;
    if (!files) return;
    downloadText(files.modelJson.name, files.modelJson.text, 'application/json');
    downloadBytes(files.weights.name, files.weights.bytes, 'application/octet-stream');
  }

  /** Drops a kept model (the user exported it or does not want it); the run keeps its checkpoint. */
  discardUnsaved(runId: string): void {
    this.unsaved = this.unsaved.filter((u) => u.runId !== runId);
  }

  /** Holds the live run between two batches, or lets it go on. */
  setPaused(paused: boolean): void {
    this.session?.setPaused(paused);
  }

  /** Ends the live run after the current batch and discards it: no model is kept and it cannot be resumed. */
  kill(): void {
    this.session?.kill();
  }

  /** Ends the run after the current batch; the model trained so far is evaluated and kept. */
  stop(): void {
    this.session?.stop();
  }

  /** The backend a run of `family` trains on: the one chosen, or Auto's measured fastest (measuring first if need be). */
  async backendFor(family: ModelFamily, choice: BackendChoice = this.backendChoice, say: (message: string) => void = () => undefined): Promise<BackendName> {
    if (choice !== 'auto') return choice;
    const probe = this.probes[family];
    if (probe) return fastestFor(family, probe);
    say(`Measuring which backend trains the ${family} fastest here…`);
    return fastestFor(family, await this.runProbe(family));
  }
}
