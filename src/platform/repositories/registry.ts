// The model registry in storage: each change reads the model, applies the pure rule from core/deliver/registry and
// writes the result in one transaction, so a refused change writes nothing and two tabs cannot interleave a move.

import {
  aliasTarget,
  createModel,
  findModel,
  lastMove,
  moveAlias,
  tagModel,
  recordGate,
  registerVersion,
  rollbackAlias,
  setCard,
  versionLinks,
  versionViews,
  type AliasMove,
  type RegistryModel,
  type RegistryResult,
} from '../../core/deliver/registry';
import type { ModelVersion } from '../../core/shared/types';
import { registryModelId, type LoopbenchDb } from '../db';

function valueOf<T>(result: RegistryResult<T>): T {
  if (!result.ok) throw new Error(result.reason);
  return result.value;
}

export class RegistryRepo {
  /** `now` is injectable so tests can order alias moves without waiting for the clock. */
  constructor(
    private readonly db: LoopbenchDb,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Registers the model of a run as the next version (1, 2, ...) of `name` in its project, creating the model with
   * `description`; `tags` are set on the model (new or existing), replacing values of the same keys.
   */
  async register(projectId: string, name: string, runId: string, description = '', tags: Record<string, string> = {}): Promise<ModelVersion> {
    const { db } = this;
    return db.transaction('rw', db.models, db.runs, db.evaluations, async () => {
      const run = await db.runs.get(runId);
      if (!run) throw new Error(`Run ${runId} is not in storage.`);
      if (run.projectId !== projectId) throw new Error(`Run ${runId} belongs to another project.`);
      if (!run.model) throw new Error(`Run ${runId} has no trained model to register.`);
      const at = this.now();
      const models = await this.models(projectId);
      const existing = findModel(models, projectId, name);
      let model = existing ?? valueOf(createModel(models, { projectId, name, description, tags }, at));
      if (existing) for (const [key, value] of Object.entries(tags)) model = valueOf(tagModel(model, key, value));
      const evaluations = await db.evaluations.where('runId').equals(runId).sortBy('createdAt');
      const evaluationId = evaluations.at(-1)?.id ?? null;
      const next = valueOf(registerVersion(model, versionLinks(run, evaluationId), at));
      await db.models.put({ ...next, id: registryModelId(projectId, next.name) });
      return versionViews([next]).at(-1)!;
    });
  }

  /** Sets, moves or removes an alias of one model; refused (nothing written) on the core's rules. */
  async moveAlias(projectId: string, name: string, move: AliasMove): Promise<RegistryModel> {
    return this.change(projectId, name, (m) => moveAlias(m, move, this.now()));
  }

  /** Moves the alias back to the version it held before its last move. */
  async rollback(projectId: string, name: string, alias: string, why: string): Promise<RegistryModel> {
    return this.change(projectId, name, (m) => rollbackAlias(m, alias, why, this.now()));
  }

  /** Keeps a promotion gate's decision on a version in the model's audit log. */
  async recordGate(projectId: string, name: string, decision: { version: number; passed: boolean; why: string; evidenceId?: string | null }): Promise<RegistryModel> {
    return this.change(projectId, name, (m) => recordGate(m, { ...decision, evidenceId: decision.evidenceId ?? null }, this.now()));
  }

  /** Stores a version's edited model card; null or blank text goes back to the generated card. */
  async setCard(projectId: string, name: string, version: number, text: string | null): Promise<RegistryModel> {
    return this.change(projectId, name, (m) => setCard(m, version, text, this.now()));
  }

  private async change(projectId: string, name: string, rule: (m: RegistryModel) => RegistryResult<RegistryModel>): Promise<RegistryModel> {
    const { db } = this;
    return db.transaction('rw', db.models, async () => {
      const id = registryModelId(projectId, name);
      const stored = await db.models.get(id);
      if (!stored) throw new Error(`This project has no registered model named "${name}".`);
      const next = valueOf(rule(stored));
      await db.models.put({ ...next, id });
      return next;
    });
  }

  async model(projectId: string, name: string): Promise<RegistryModel | undefined> {
    return this.db.models.get(registryModelId(projectId, name));
  }

  async models(projectId: string): Promise<RegistryModel[]> {
    const models = await this.db.models.where('projectId').equals(projectId).toArray();
    return models.sort((a, b) => a.name.localeCompare(b.name));
  }

  /** The version holding `alias` among the project's models; the most recently moved one if several do. */
  async byAlias(projectId: string, alias: string): Promise<ModelVersion | undefined> {
    let best: { at: number; model: RegistryModel; version: number } | undefined;
    for (const model of await this.models(projectId)) {
      const version = aliasTarget(model, alias);
      if (version === null) continue;
      const at = lastMove(model, alias)?.at ?? -Infinity;
      if (!best || at > best.at) best = { at, model, version };
    }
    return best && versionViews([best.model]).find((v) => v.version === best.version);
  }
}
