import type { Goal, GoalMetric, ImageShape, Project, Task } from '../../core/shared/types';
import { GOAL_METRICS, goalRelation } from '../../core/evaluate/task-metrics';
import { defaultGoal } from '../../core/shared/defaults';
import { newId } from '../../core/shared/ids';
import { checkImageShape } from '../../core/data/images/limits';
import type { ProjectEdit } from '../../platform/repositories/projects';
import type { Services } from './services';

export interface NewProject {
  name: string;
  task: Task;
  goal: Goal;
  /** Image classification: the input size every image is resized to. */
  image?: ImageShape;
}

/** Settings key of the open project: a reload reopens it rather than the first project. */
export const CURRENT_PROJECT_KEY = 'ui.currentProject';

/** The project list and which one is open. */
export class ProjectsState {
  list = $state.raw<Project[]>([]);
  currentId = $state<string | null>(null);
  current = $derived(this.list.find((p) => p.id === this.currentId) ?? null);

  constructor(private readonly services: Services) {}

  async load(): Promise<void> {
    this.list = await this.services.projects.list();
    if (this.current) return;
    const saved = await this.services.settings.get<string>(CURRENT_PROJECT_KEY);
    // The saved project may have been deleted (or belong to an older database): then the first one.
    this.currentId = this.list.find((p) => p.id === saved)?.id ?? this.list[0]?.id ?? null;
  }

  /** Opens a project and remembers the choice for the next visit. */
  async select(id: string): Promise<void> {
    this.currentId = id;
    await this.services.settings.set(CURRENT_PROJECT_KEY, id);
  }

  async create(input: NewProject): Promise<Project> {
    const name = input.name.trim();
    if (!name) throw new Error('Give the project a name.');
    const shapeProblem = input.image ? checkImageShape(input.image) : null;
    if (shapeProblem) throw new Error(shapeProblem);
    const project: Project = {
      id: newId('project'),
      name,
      task: input.task,
      target: '',
      goal: input.goal,
      createdAt: Date.now(),
    };
    if (input.image) project.image = { ...input.image };
    await this.services.projects.put(project);
    this.list = [...this.list, project];
    await this.select(project.id);
    return project;
  }

  /** The goal a new project of this task starts with. */
  defaultGoal(task: Task): Goal {
    return defaultGoal(task);
  }

  /** The metrics a goal of this task can be set on. */
  goalMetrics(task: Task): readonly GoalMetric[] {
    return GOAL_METRICS[task];
  }

  /** '≥' for a goal the metric must reach, '≤' for an error it must stay under. */
  goalRelation(goal: Goal): '≥' | '≤' {
    return goalRelation(goal.metric);
  }

  /**
   * Stores what the caller changed in `project` (the fields that differ from the copy this tab loaded) onto the
   * project as stored: a field another tab changed meanwhile and this caller did not touch keeps the other tab's value.
   */
  async update(project: Project): Promise<void> {
    const loaded = this.list.find((p) => p.id === project.id);
    const changes: ProjectEdit = {};
    for (const key of Object.keys(project) as (keyof Project)[]) {
      if (key === 'id' || key === 'createdAt' || key === 'revision') continue;
      if (!loaded || JSON.stringify(loaded[key]) !== JSON.stringify(project[key])) Object.assign(changes, { [key]: project[key] });
    }
    const outcome = await this.services.projects.update(project.id, changes);
    if (outcome.ok) this.#show(outcome.project);
  }

  /**
   * Saves the goal form with compare-and-set on the goal it was filled from (`loaded`): when another tab saved a
   * different goal meanwhile, nothing is written, the newer project is shown, and its goal comes back so the form can
   * say what it is and offer to load it.
   */
  async saveGoal(projectId: string, goal: Goal, loaded: Goal): Promise<GoalSave> {
    const outcome = await this.services.projects.update(projectId, { goal }, { goal: loaded });
    if (outcome.ok) {
      this.#show(outcome.project);
      return { ok: true };
    }
    this.#show(outcome.stored);
    return { ok: false, newer: outcome.stored.goal };
  }

  #show(project: Project): void {
    this.list = this.list.some((p) => p.id === project.id) ? this.list.map((p) => (p.id === project.id ? project : p)) : [...this.list, project];
  }
}

export type GoalSave = { ok: true } | { ok: false; newer: Goal };
