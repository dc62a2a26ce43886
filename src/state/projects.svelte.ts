import type { Goal, ImageShape, Project, Task } from '../core/types';
import { defaultGoal } from '../core/defaults';
import { newId } from '../core/ids';
import { checkImageShape } from '../core/images/limits';
import type { Services } from './services';

export interface NewProject {
  name: string;
  task: Task;
  goal: Goal;
  /** Image classification: the input size every image is resized to. */
  image?: ImageShape;
}

/** The project list and which one is open. */
export class ProjectsState {
  list = $state.raw<Project[]>([]);
  currentId = $state<string | null>(null);
  current = $derived(this.list.find((p) => p.id === this.currentId) ?? null);

  constructor(private readonly services: Services) {}

  async load(): Promise<void> {
    this.list = await this.services.projects.list();
    if (!this.current) this.currentId = this.list[0]?.id ?? null;
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
    this.currentId = project.id;
    return project;
  }

  /** The goal a new project of this task starts with. */
  defaultGoal(task: Task): Goal {
    return defaultGoal(task);
  }

  async update(project: Project): Promise<void> {
    await this.services.projects.put(project);
    this.list = this.list.map((p) => (p.id === project.id ? project : p));
  }
}
