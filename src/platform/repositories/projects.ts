import type { Project } from '../../core/shared/types';
import type { LoopbenchDb } from '../db';
import { sameRecord } from './same-record';

/** The fields an edit may change; id, creation time and revision are the store's. */
export type ProjectEdit = Partial<Omit<Project, 'id' | 'createdAt' | 'revision'>>;

/** An edit either applied (the stored project after it) or refused because the stored project moved on. */
export type ProjectUpdate = { ok: true; project: Project } | { ok: false; stored: Project; changed: (keyof ProjectEdit)[] };

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

  /** Stores a new project (or replaces one outright, as a sample is made); its revision counts on from the stored one. */
  async put(project: Project): Promise<void> {
    const { db } = this;
    await db.transaction('rw', db.projects, async () => {
      const stored = await db.projects.get(project.id);
      await db.projects.put({ ...project, revision: (stored?.revision ?? 0) + 1 });
    });
  }

  /**
   * Compare-and-set: applies `changes` to the project as stored, unless a field named in `expected` no longer holds
   * the value the caller loaded (another tab saved over it meanwhile). Then nothing is written and the stored
   * project comes back, so the caller can show the newer value instead of silently undoing it. Fields not named in
   * `changes` keep their stored values, so an edit of one field never writes back a stale copy of the others.
   */
  async update(id: string, changes: ProjectEdit, expected: ProjectEdit = {}): Promise<ProjectUpdate> {
    const { db } = this;
    return db.transaction('rw', db.projects, async () => {
      const stored = await db.projects.get(id);
      if (!stored) throw new Error(`Project ${id} is not in storage (was it deleted in another tab?).`);
      const changed = (Object.keys(expected) as (keyof ProjectEdit)[]).filter((k) => !sameRecord(stored[k], expected[k]));
      if (changed.length > 0) return { ok: false as const, stored, changed };
      const next: Project = { ...stored, ...changes, id, createdAt: stored.createdAt, revision: (stored.revision ?? 0) + 1 };
      await db.projects.put(next);
      return { ok: true as const, project: next };
    });
  }
}
