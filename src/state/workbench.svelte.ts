import type { Project } from '../core/types';
import { samplePenguinsProject, SAMPLE_PROJECT_ID } from '../core/defaults';
import { runsInProgress } from '../platform/run-locks';
import { loadPenguins } from '../platform/samples';
import { DataState } from './data.svelte';
import { MonitorState } from './monitor.svelte';
import { ProjectsState } from './projects.svelte';
import { RegistryState } from './registry.svelte';
import { RunsState } from './runs.svelte';
import type { Services } from './services';
import { messageOf } from './services';
import { SystemState } from './system.svelte';
import { TrainState } from './train.svelte';

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
  readonly runs: RunsState;
  readonly registry: RegistryState;
  readonly monitor: MonitorState;

  constructor(private readonly services: Services) {
    this.projects = new ProjectsState(services);
    this.data = new DataState(services);
    this.runs = new RunsState(services);
    this.train = new TrainState(services, () => this.#reloadRuns());
    this.registry = new RegistryState(services);
    this.monitor = new MonitorState(services);
  }

  get project(): Project | null {
    return this.projects.current;
  }

  async start(): Promise<void> {
    void this.system.start();
    try {
      // Runs left 'running' whose owning tab is gone will never finish: say so.
      await this.services.runs.markInterrupted(await runsInProgress());
      await this.#ensureSample();
      await this.projects.load();
      await this.train.load();
      await this.#loadProject();
    } catch (e) {
      this.loadError = `Loopbench could not load your data: ${messageOf(e)}`;
    }
    this.ready = true;
  }

  async openProject(id: string): Promise<void> {
    if (this.train.running) return;
    this.projects.currentId = id;
    await this.#loadProject();
  }

  async createProject(input: Parameters<ProjectsState['create']>[0]): Promise<void> {
    await this.projects.create(input);
    await this.#loadProject();
    this.stage = 'data';
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
    await Promise.all([
      this.data.load(project),
      this.runs.load(project),
      this.registry.load(project),
      this.monitor.load(project),
    ]);
    void this.system.refreshStorage();
  }

  async #reloadRuns(): Promise<void> {
    if (this.project) await this.runs.load(this.project);
    void this.system.refreshStorage();
  }

  /** First start: the penguins project with its data, so the whole loop can be walked at once. */
  async #ensureSample(): Promise<void> {
    const existing = await this.services.projects.get(SAMPLE_PROJECT_ID);
    if (existing) return;
    const project = samplePenguinsProject(Date.now());
    const sample = await loadPenguins();
    await this.data.importRecords(sample.records, sample.fileName, sample.byteLength, project);
    const saved = await this.data.save(project, async () => undefined);
    if (!saved) throw new Error(this.data.importError ?? 'the penguins sample could not be prepared');
    // The project is written after its data, so a failure above leaves no half-made sample behind.
    await this.services.projects.put(project);
  }
}
