// Stores an imported bundle: the project when it is new, the run with its weight chunks, and the next version of the
// model with the bundle's card, in one transaction, so an import that is refused or fails half-way stores nothing.

import { sha256Hex } from '../../core/data/hash';
import type { ImportPlan } from '../../core/deliver/import';
import {
  createModel,
  findModel,
  registerVersion,
  setCard,
  versionLinks,
  versionViews,
  type RegistryResult,
} from '../../core/deliver/registry';
import type { ModelVersion, Project, Run } from '../../core/shared/types';
import { registryModelId, type ArtifactRecord, type LoopbenchDb } from '../db';
import { WEIGHT_CHUNK_BYTES } from './runs';

export interface StoredImport {
  project: Project;
  version: ModelVersion;
  run: Run;
}

function valueOf<T>(result: RegistryResult<T>): T {
  if (!result.ok) throw new Error(result.reason);
  return result.value;
}

export class ImportsRepo {
  constructor(
    private readonly db: LoopbenchDb,
    private readonly now: () => number = Date.now,
  ) {}

  async store(plan: ImportPlan): Promise<StoredImport> {
    const { db } = this;
    const runId = plan.run.id;
    // Hashed and cut before the transaction: awaiting crypto inside it would let IndexedDB commit early.
    const sha256 = await sha256Hex(plan.weights);
    const chunks: ArtifactRecord[] = [];
    // The layout RunsRepo.finish writes, so loadModel reads an imported run like any other.
    for (let offset = 0, index = 0; offset < plan.weights.byteLength || index === 0; offset += WEIGHT_CHUNK_BYTES, index++) {
      chunks.push({ runId, index, data: plan.weights.slice(offset, offset + WEIGHT_CHUNK_BYTES) });
    }
    const run: Run = { ...plan.run, model: { ...plan.model, byteLength: plan.weights.byteLength, sha256, chunkCount: chunks.length } };

    return db.transaction('rw', [db.projects, db.runs, db.artifacts, db.models], async () => {
      const stored = await db.projects.get(plan.project.id);
      let project = plan.project;
      if (plan.newProject) {
        if (stored) throw new Error(`a project with id ${plan.project.id} was created meanwhile; import the bundle again`);
        project = { ...plan.project, revision: 1 };
        await db.projects.add(project);
      } else if (!stored) {
        throw new Error(`project "${plan.project.name}" is no longer stored (deleted in another tab?)`);
      } else {
        project = stored;
      }
      const bundleSha256 = run.origin?.bundleSha256;
      const twin = (await db.runs.where('projectId').equals(project.id).toArray()).find((r) => r.origin && r.origin.bundleSha256 === bundleSha256);
      if (twin) {
        const models = await db.models.where('projectId').equals(project.id).toArray();
        const as = versionViews(models).find((v) => v.runId === twin.id);
        throw new Error(`this bundle is already imported${as ? ` as ${as.name} version ${as.version}` : ''} in project "${project.name}"`);
      }
      if (await db.runs.get(run.id)) throw new Error(`run id ${run.id} is taken; import the bundle again`);
      await db.artifacts.bulkAdd(chunks);
      await db.runs.add(run);

      const at = this.now();
      const models = await db.models.where('projectId').equals(project.id).toArray();
      const model = findModel(models, project.id, plan.modelName) ?? valueOf(createModel(models, { projectId: project.id, name: plan.modelName, description: '' }, at));
      const registered = valueOf(registerVersion(model, versionLinks(run, null), at));
      const number = registered.versions.at(-1)!.version;
      const next = valueOf(setCard(registered, number, plan.card, at));
      await db.models.put({ ...next, id: registryModelId(project.id, next.name) });
      return { project, run, version: versionViews([next]).find((v) => v.version === number)! };
    });
  }
}
