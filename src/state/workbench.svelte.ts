import type { Project, SampleName } from '../core/shared/types';
import { SAMPLES, sampleProject } from '../core/shared/defaults';
import { runsInProgress } from '../platform/run-locks';
import { loadSample } from '../platform/samples';
import { DataState } from './data/data.svelte';
import { GalleryState } from './data/gallery.svelte';
import { ImagesState } from './data/images.svelte';
import { EvaluationState } from './evaluate/evaluation.svelte';
import { AnalysisState } from './data/analysis.svelte';
import { MonitorState } from './monitor/monitor.svelte';
import { ProjectsState } from './shared/projects.svelte';
import { RecipeState } from './data/recipe.svelte';
import { RegistryState } from './deliver/registry.svelte';
import { ReproduceState } from './evaluate/reproduce.svelte';
import { RunsState } from './evaluate/runs.svelte';
import type { RunSession } from './train/run-session.svelte';
import type { Services } from './shared/services';
import { messageOf } from './shared/services';
import { SweepState } from './train/sweep.svelte';
import { SystemState } from './shared/system.svelte';
import { TrainState } from './train/train.svelte';
import { VersionsState } from './data/versions.svelte';

export const STAGES = ['define', 'data', 'train', 'evaluate', 'deliver', 'monitor'] as const;
export type Stage = (typeof STAGES)[number];

/** The root of the app's state: one instance per page, shared with every component through context. */
export class Workbench {
  stage = $state<Stage>('define');
  ready = $state(false);
  loadError = $state<string | null>(null);
  readonly system = new SystemState();
  readonly projects: ProjectsState;
  readonly data: DataState;
  readonly train: TrainState;
  readonly sweep: SweepState;
  readonly runs: RunsState;
  readonly registry: RegistryState;
  readonly monitor: MonitorState;
  readonly analysis: AnalysisState;
  readonly versions: VersionsState;
  readonly recipe: RecipeState;
  readonly images: ImagesState;
  readonly gallery: GalleryState;
  readonly evaluation: EvaluationState;
  readonly reproduce: ReproduceState;
  /** The sample being prepared on request, and why the last one could not be. */
  openingSample = $state<SampleName | null>(null);
  sampleError = $state<string | null>(null);
  readonly sampleChoices = Object.values(SAMPLES).map(({ name, title }) => ({ name, title }));

  constructor(private readonly services: Services) {
    this.projects = new ProjectsState(services);
    this.data = new DataState(services);
    this.runs = new RunsState(services);
    this.train = new TrainState(services, () => this.#reloadRuns());
    this.sweep = new SweepState(services, this.train, this.runs);
    this.registry = new RegistryState(services);
    this.monitor = new MonitorState(services);
    this.analysis = new AnalysisState(services);
    this.versions = new VersionsState(services, this.data, this.runs);
    this.recipe = new RecipeState(services, this.data);
    this.images = new ImagesState(services, this.data);
    this.gallery = new GalleryState(services);
    this.evaluation = new EvaluationState(services, this.data);
    this.reproduce = new ReproduceState(services, this.train, this.runs);
  }

  get project(): Project | null {
    return this.projects.current;
  }

  async start(): Promise<void> {
    void this.system.start();
    try {
      // Runs left 'running' whose owning tab is gone will never finish: say so.
      await this.services.runs.markInterrupted(await runsInProgress());
      await this.#ensureSample('penguins');
      await this.projects.load();
      await this.train.load();
      await this.#loadProject();
    } catch (e) {
      this.loadError = `Loopbench could not load your data: ${messageOf(e)}`;
    }
    this.ready = true;
  }

  /** A run or a sweep is training in this tab: switching project, opening a sample or reloading must wait. */
  get training(): boolean {
    return this.train.running || this.sweep.running;
  }

  /** The session training `runId` in this tab (the form's run or any of a parallel sweep's), if any. */
  sessionOf(runId: string): RunSession | null {
    return this.train.session?.runId === runId ? this.train.session : this.sweep.sessionOf(runId);
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
      // Preparing the sample went through the import flow; show the open project's data again.
      if (this.project) await this.data.load(this.project);
    } finally {
      this.openingSample = null;
    }
  }

  async setTarget(target: string): Promise<void> {
    const project = this.project;
    if (project) await this.projects.update({ ...project, target });
  }

  async refreshMonitor(): Promise<void> {
    if (this.project) await this.monitor.load(this.project);
  }

  async #loadProject(): Promise<void> {
    const project = this.project;
    if (!project) return;
    this.versions.reset();
    this.recipe.reset();
    this.evaluation.reset();
    await Promise.all([
      this.data.load(project),
      this.runs.load(project),
      this.registry.load(project),
      this.monitor.load(project),
      this.analysis.load(project),
    ]);
    void this.system.refreshStorage();
  }

  async #reloadRuns(): Promise<void> {
    if (this.project) await this.runs.load(this.project);
    void this.system.refreshStorage();
  }

  /**
   * A sample project with its first version, made once: penguins on first start (so the whole loop
   * can be walked at once), the others when asked for. It goes through the same import flow as a
   * user's file, with the sample's roles and split chosen as a user would choose them.
   */
  async #ensureSample(name: SampleName): Promise<void> {
    const definition = SAMPLES[name];
    const existing = await this.services.projects.get(definition.project.id);
    if (existing) return;
    const project = sampleProject(name, Date.now());
    const sample = await loadSample(name);
    if (sample.kind === 'drawn') {
      // Images are not a table to configure: the worker draws and builds the version, then the project is written.
      await this.images.importShapes(project);
      await this.services.projects.put(project);
      return;
    }
    if (sample.kind === 'records') {
      await this.data.importRecords(sample.records, sample.fileName, sample.byteLength, project);
    } else {
      await this.data.importFile(sample.file, project, 'sample');
    }
    for (const [column, role] of Object.entries(definition.roles)) this.data.setRole(column, role);
    if (definition.split.method) this.data.splitMethod = definition.split.method;
    if (definition.split.timeColumn) this.data.timeColumn = definition.split.timeColumn;
    const saved = await this.data.save(project, async () => undefined);
    if (!saved) {
      const reason = this.data.importError ?? this.data.problems.map((p) => p.message).join(' ');
      this.data.cancelImport();
      throw new Error(reason || `the ${name} sample could not be prepared`);
    }
    // The project is written after its data, so a failure above leaves no half-made sample behind.
    await this.services.projects.put(project);
  }
}
