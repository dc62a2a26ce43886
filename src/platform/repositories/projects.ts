import type { Project } from '../../core/shared/types';
import type { LoopbenchDb } from '../db';

export class ProjectsRepo {
  constructor(private readonly db: LoopbenchDb) {}

  /** Oldest first, so the list keeps a stable order as projects are added. */
  async list(): Promise<Project[]> {
    const projects = await this.db.projects.toArray();
    return projects.sort((a, b) => a.createdAt - b.createdAt);
  }

  get(id: string): Promise<Project | undefined> {
    return this.db.projects.get(id);
  }

  async put(project: Project): Promise<void> {
    await this.db.projects.put(project);
  }
}
