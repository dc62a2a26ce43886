// The model registry: numbered versions per model name and movable aliases (e.g. 'champion'),
// with every registration and alias move kept in the model's audit log.

import type { AuditEntry, ModelVersion, RegisteredModel } from '../../core/shared/types';
import type { LoopbenchDb } from '../db';

export function modelVersionId(name: string, version: number): string {
  return `${name}@${version}`;
}

export class RegistryRepo {
  /** `now` is injectable so tests can order alias moves without waiting for the clock. */
  constructor(
    private readonly db: LoopbenchDb,
    private readonly now: () => number = Date.now,
  ) {}

  /** Registers the model of a run as the next version (1, 2, ...) of `name`. */
  async register(projectId: string, name: string, runId: string): Promise<ModelVersion> {
    const { db } = this;
    if (name.trim() === '' || name !== name.trim()) throw new Error(`"${name}" is not a valid model name.`);
    return db.transaction('rw', db.registry, db.modelVersions, db.runs, async () => {
      const run = await db.runs.get(runId);
      if (!run) throw new Error(`Run ${runId} is not in storage.`);
      if (run.projectId !== projectId) throw new Error(`Run ${runId} belongs to another project.`);
      if (!run.model) throw new Error(`Run ${runId} has no trained model to register.`);
      const existing = await db.registry.get(name);
      if (existing && existing.projectId !== projectId) {
        throw new Error(`The model name "${name}" is already used by another project.`);
      }
      const versions = await db.modelVersions.where('name').equals(name).toArray();
      const version = versions.reduce((max, v) => Math.max(max, v.version), 0) + 1;
      const at = this.now();
      const record: ModelVersion = { id: modelVersionId(name, version), name, version, runId, createdAt: at };
      const model: RegisteredModel = existing ?? { name, projectId, aliases: {}, audit: [] };
      await db.modelVersions.add(record);
      await db.registry.put({ ...model, audit: [...model.audit, { at, action: 'register', version }] });
      return record;
    });
  }

  /** Points `alias` at `version`, moving it off whichever version held it. */
  async setAlias(name: string, alias: string, version: number): Promise<RegisteredModel> {
    const { db } = this;
    if (alias.trim() === '' || alias !== alias.trim()) throw new Error(`"${alias}" is not a valid alias.`);
    return db.transaction('rw', db.registry, db.modelVersions, async () => {
      const model = await db.registry.get(name);
      if (!model) throw new Error(`No registered model is named "${name}".`);
      if (!(await db.modelVersions.get(modelVersionId(name, version)))) {
        throw new Error(`Model "${name}" has no version ${version}.`);
      }
      const previous = model.aliases[alias] ?? null;
      if (previous === version) return model;
      const entry: AuditEntry = { at: this.now(), action: 'alias', version, alias, previous };
      const next: RegisteredModel = { ...model, aliases: { ...model.aliases, [alias]: version }, audit: [...model.audit, entry] };
      await db.registry.put(next);
      return next;
    });
  }

  /** Oldest version first. */
  async versions(name: string): Promise<ModelVersion[]> {
    const versions = await this.db.modelVersions.where('name').equals(name).toArray();
    return versions.sort((a, b) => a.version - b.version);
  }

  model(name: string): Promise<RegisteredModel | undefined> {
    return this.db.registry.get(name);
  }

  models(projectId: string): Promise<RegisteredModel[]> {
    return this.db.registry.where('projectId').equals(projectId).sortBy('name');
  }

  async resolve(name: string, alias: string): Promise<ModelVersion | undefined> {
    const version = (await this.db.registry.get(name))?.aliases[alias];
    return version === undefined ? undefined : this.db.modelVersions.get(modelVersionId(name, version));
  }

  /** The version holding `alias` among the project's models; the most recently moved one if several do. */
  async byAlias(projectId: string, alias: string): Promise<ModelVersion | undefined> {
    let best: { at: number; name: string; version: number } | undefined;
    for (const model of await this.models(projectId)) {
      const version = model.aliases[alias];
      if (version === undefined) continue;
      const at = lastMove(model, alias);
      if (!best || at > best.at) best = { at, name: model.name, version };
    }
    return best && this.db.modelVersions.get(modelVersionId(best.name, best.version));
  }
}

function lastMove(model: RegisteredModel, alias: string): number {
  return model.audit.reduce((last, e) => (e.action === 'alias' && e.alias === alias ? Math.max(last, e.at) : last), -Infinity);
}
