import type { Project, SampleName } from '../core/shared/types';
import { SAMPLES, sampleProject } from '../core/shared/defaults';
import { runsInProgress, whileNoRunStarts } from '../platform/run-locks';
import { forgetRunEnd, rememberedRunEnds } from '../platform/run-ends';
import { loadSample } from '../platform/samples';
import { VersionCatalogue } from './data/catalogue.svelte';
import { ImportFlow } from './data/import-flow.svelte';
import { VersionPreview } from './data/preview.svelte';
import { importDrawnSample, importTableSample } from './data/sample-import';
import { ProjectsState } from './shared/projects.svelte';
import type { RunSession } from './train/run-session.svelte';
import type { Services } from './shared/services';
import { messageOf } from './shared/services';
import { SystemState } from './shared/system.svelte';
import { ChangeSync } from './shared/change-sync';
import type { ChangeKind } from '../platform/changes';
import type { StageStates } from './stage-states';
import type { WorkspaceState } from './shared/workspace.svelte';

export const STAGES = ['define', 'data', 'train', 'evaluate', 'deliver', 'monitor'] as const;
export type Stage = (typeof STAGES)[number];
/** Each stage's name on screen. */
export const STAGE_LABELS: Record<Stage, string> = {
  define: 'Define',
  data: 'Data',
  train: 'Train',
  evaluate: 'Evaluate',
  deliver: 'Deliver',
  monitor: 'Monitor',
};

/** The root of the app's state: one instance per page, shared with every component through context. */
export class Workbench {
  stage = $state<Stage>('define');
  ready = $state(false);
  loadError = $state<string | null>(null);
  readonly system = new SystemState();
  readonly projects: ProjectsState;
  /** The open project's dataset versions: the only writer of that list. */
  readonly catalogue: VersionCatalogue;
  /** The import form of the Data screen. */
  readonly importFlow: ImportFlow;
  readonly preview: VersionPreview;
  /** Set once the first stage screen has loaded its state (loadStages); the getters below read it. */
  #stages = $state.raw<StageStates | null>(null);
  #loadingStages: Promise<void> | null = null;
  /** The sample being prepared on request, and why the last one could not be. */
  openingSample = $state<SampleName | null>(null);
  sampleError = $state<string | null>(null);
  readonly sampleChoices = Object.values(SAMPLES).map(({ name, title }) => ({ name, title }));

  /** Reloads what another tab stored; started once this tab has loaded. */
  #sync: ChangeSync | null = null;

  constructor(private readonly services: Services) {
    this.projects = new ProjectsState(services);
    this.catalogue = new VersionCatalogue(services);
    this.importFlow = new ImportFlow(services, this.catalogue);
    this.preview = new VersionPreview(services, this.catalogue);
    // Versions are stored by the workers, whose writes the page's connection does not see: the catalogue hears of
    // each new one, and the other tabs are told from here.
    this.catalogue.onAdded((version) => services.changes?.announce([{ kind: 'versions', projectId: version.projectId }]));
  }

  /** From now on, what another tab stores is read again here. */
  #followOtherTabs(): void {
    const changes = this.services.changes;
    if (!changes || this.#sync) return;
    this.#sync = new ChangeSync(changes, {
      currentProjectId: () => this.projects.currentId,
      reload: (kind) => this.#reloadChanged(kind),
      onError: (kind, e) => console.warn(`Could not show the ${kind} another tab changed: ${messageOf(e)}`),
    });
    this.#sync.start();
  }

  /** Reads again what another tab changed; only reads, so nothing is announced back. */
  async #reloadChanged(kind: ChangeKind): Promise<void> {
    if (kind === 'projects') {
      await this.projects.load();
      // Pipelines keep the project they trigger runs for: its gates must judge against the newer goal.
      if (this.project) await this.#stages?.pipelines.refresh(this.project);
      return;
    }
    const project = this.project;
    const stages = this.#stages;
    if (!project) return;
    if (kind === 'versions') await this.catalogue.refresh();
    if (!stages) return;
    if (kind === 'runs') await stages.runs.load(project);
    if (kind === 'registry') await Promise.all([stages.registry.load(project), stages.monitor.load(project)]);
    if (kind === 'pipelines') await stages.pipelines.refresh(project);
    if (kind === 'alerts') await stages.alerts.load(project);
  }

  #workspace: Promise<WorkspaceState> | null = null;

  /** The Workspace panel's state (backup, restore, a version's export), downloaded on first use. */
  loadWorkspace(): Promise<WorkspaceState> {
    this.#workspace ??= import('./shared/workspace.svelte').then(
      (m) => new m.WorkspaceState(this.services),
      (e: unknown) => {
        this.#workspace = null;
        throw e;
      },
    );
    return this.#workspace;
  }

  /** Loads the stage screens' state, once; a stage screen mounts only after it resolves. */
  loadStages(): Promise<void> {
    this.#loadingStages ??= this.#buildStages().catch((e: unknown) => {
      // A failed download (offline before the cache filled) may succeed when the screen is asked for again.
      this.#loadingStages = null;
      throw e;
    });
    return this.#loadingStages;
  }

  async #buildStages(): Promise<void> {
    const { createStageStates } = await import('./stage-states');
    const stages = createStageStates(this.services, this.catalogue, () => this.#reloadRuns());
    await stages.train.load();
    // Set before loading, so a project switch meanwhile loads the new project into them too.
    this.#stages = stages;
    if (this.project) await this.#loadStageData(stages, this.project);
  }

  #stage<K extends keyof StageStates>(key: K): StageStates[K] {
    if (!this.#stages) throw new Error(`the ${key} state is used before loadStages() resolved`);
    return this.#stages[key];
  }

  get train(): StageStates['train'] {
    return this.#stage('train');
  }
  get runs(): StageStates['runs'] {
    return this.#stage('runs');
  }
  get sweep(): StageStates['sweep'] {
    return this.#stage('sweep');
  }
  get versions(): StageStates['versions'] {
    return this.#stage('versions');
  }
  get recipe(): StageStates['recipe'] {
    return this.#stage('recipe');
  }
  get gallery(): StageStates['gallery'] {
    return this.#stage('gallery');
  }
  get evaluation(): StageStates['evaluation'] {
    return this.#stage('evaluation');
  }
  get reproduce(): StageStates['reproduce'] {
    return this.#stage('reproduce');
  }
  get registry(): StageStates['registry'] {
    return this.#stage('registry');
  }
  get pipelines(): StageStates['pipelines'] {
    return this.#stage('pipelines');
  }
  get replay(): StageStates['replay'] {
    return this.#stage('replay');
  }
  get dashboard(): StageStates['dashboard'] {
    return this.#stage('dashboard');
  }
  get alerts(): StageStates['alerts'] {
    return this.#stage('alerts');
  }
  get loop(): StageStates['loop'] {
    return this.#stage('loop');
  }
  get monitor(): StageStates['monitor'] {
    return this.#stage('monitor');
  }
  get analysis(): StageStates['analysis'] {
    return this.#stage('analysis');
  }
  get images(): StageStates['images'] {
    return this.#stage('images');
  }

  get project(): Project | null {
    return this.projects.current;
  }

  async start(): Promise<void> {
    void this.system.start();
    try {
      await this.#markOrphanRuns();
      await this.#ensureSample('penguins');
      await this.projects.load();
      await this.#loadProject();
    } catch (e) {
      this.loadError = `Loopbench could not load your data: ${messageOf(e)}`;
    }
    this.ready = true;
    this.#followOtherTabs();
  }

  /**
   * Runs left 'running' whose owning tab is gone will never finish: say so. A run whose tab could not record why it
   * stopped (storage full) left the reason in localStorage. A full disk must not keep Loopbench from opening, since
   * deleting things in it is how space is freed: the marking waits for the next start, and the page says so.
   */
  async #markOrphanRuns(): Promise<void> {
    const ended = rememberedRunEnds();
    try {
      // Under the start gate: a run starting in another tab meanwhile is not taken for an orphan.
      const marked = await whileNoRunStarts(async () => this.services.runs.markInterrupted(await runsInProgress(), ended));
      // Kept only while the run is still 'running' in another tab (resumed there): its end is not known yet.
      for (const id of ended.keys()) if (marked.includes(id) || (await this.services.runs.get(id))?.status !== 'running') forgetRunEnd(id);
    } catch (e) {
      this.system.notice = `Runs that stopped while Loopbench was closed could not be marked as stopped; they will be when it next opens. ${messageOf(e)}`;
    }
  }

  /** A run or a sweep is training in this tab: switching project, opening a sample or reloading must wait. */
  get training(): boolean {
    return this.#stages ? this.#stages.train.running || this.#stages.sweep.running : false;
  }

  /** The session training `runId` in this tab (the form's run or any of a parallel sweep's), if any. */
  sessionOf(runId: string): RunSession | null {
    const stages = this.#stages;
    if (!stages) return null;
    return stages.train.session?.runId === runId ? stages.train.session : stages.sweep.sessionOf(runId);
  }

  async openProject(id: string): Promise<void> {
    if (this.training) return;
    await this.projects.select(id);
    await this.#loadProject();
  }

  async createProject(input: Parameters<ProjectsState['create']>[0]): Promise<void> {
    await this.projects.create(input);
    await this.#loadProject();
    this.stage = 'data';
  }

  /** Opens a built-in sample project, creating it with its first version the first time. */
  async openSample(name: SampleName): Promise<void> {
    if (this.training || this.openingSample) return;
    this.openingSample = name;
    this.sampleError = null;
    try {
      await this.#ensureSample(name);
      await this.projects.load();
      await this.openProject(SAMPLES[name].project.id);
      this.stage = 'data';
    } catch (e) {
      this.sampleError = `The ${SAMPLES[name].title} sample could not be opened: ${messageOf(e)}`;
    } finally {
      this.openingSample = null;
    }
  }

  async setTarget(target: string): Promise<void> {
    const project = this.project;
    if (project) await this.projects.update({ ...project, target });
  }

  /**
   * After traffic (a replay, a scored file, a served row): the dashboard's windows are computed again and every alert
   * rule steps through the windows it has not seen.
   */
  async watch(): Promise<void> {
    const project = this.project;
    const stages = this.#stages;
    const champion = stages?.monitor.champion;
    const run = stages?.monitor.run;
    if (!project || !stages || !champion || !run) return;
    const dashboard = stages.dashboard;
    await dashboard.refresh(project, champion, run);
    // Rules on the dashboard's own windows of the champion's serving log read the windows just computed, not a
    // second pass of the worker over the same log.
    const shown = dashboard.role === 'serving' && !dashboard.allVersions ? dashboard.signals : null;
    const sameWindow = (spec: typeof dashboard.window) => JSON.stringify(spec) === JSON.stringify(dashboard.window);
    await stages.alerts.evaluate(
      project,
      async (spec) => (shown && sameWindow(spec) ? shown.windows : (await dashboard.compute(project, champion, run, spec)).windows),
      champion,
    );
  }

  async refreshMonitor(): Promise<void> {
    if (this.project) await this.#stages?.monitor.load(this.project);
  }

  async #loadProject(): Promise<void> {
    const project = this.project;
    if (!project) return;
    this.importFlow.reset();
    this.#stages?.versions.reset();
    this.#stages?.recipe.reset();
    this.#stages?.evaluation.reset();
    await Promise.all([
      this.catalogue.load(project.id),
      this.#stages ? this.#loadStageData(this.#stages, project) : undefined,
    ]);
    void this.system.refreshStorage();
  }

  async #loadStageData(stages: StageStates, project: Project): Promise<void> {
    await Promise.all([
      stages.runs.load(project),
      stages.registry.load(project),
      stages.pipelines.load(project),
      stages.monitor.load(project),
      stages.dashboard.load(project),
      stages.alerts.load(project),
      stages.analysis.load(project),
    ]);
  }

  async #reloadRuns(): Promise<void> {
    if (this.project) await this.#stages?.runs.load(this.project);
    void this.system.refreshStorage();
  }

  /**
   * A sample project with its first version, made once: penguins on first start (so the whole loop
   * can be walked at once), the others when asked for. Stored by the workers as a user's file or images are, with
   * the sample's roles and split, but without the import form: opening a sample leaves the form alone.
   */
  async #ensureSample(name: SampleName): Promise<void> {
    const definition = SAMPLES[name];
    const existing = await this.services.projects.get(definition.project.id);
    if (existing) return;
    const project = sampleProject(name, Date.now());
    const sample = await loadSample(name);
    if (sample.kind === 'drawn') await importDrawnSample(this.services, project);
    else await importTableSample(this.services, definition, sample, project);
    // The project is written after its data, so a failure above leaves no half-made sample behind.
    await this.services.projects.put(project);
  }
}
