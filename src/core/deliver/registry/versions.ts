// Registering a run as the next version of a model. Versions count 1..n and are never renumbered, so "version 3"
// means the same artifact forever; the registration itself is audited.

import { accept, refuse } from './result';
import type { RegistryModel, RegistryResult, RegistryVersion } from './types';

export type VersionLinks = Omit<RegistryVersion, 'version' | 'createdAt'>;

export function findVersion(model: RegistryModel, version: number): RegistryVersion | null {
  return model.versions.find((v) => v.version === version) ?? null;
}

/** The model with `links` as its next version; a run registered once cannot be registered again as another version. */
export function registerVersion(model: RegistryModel, links: VersionLinks, at: number): RegistryResult<RegistryModel> {
  if (links.runId.trim() === '') return refuse('a version needs the run it came from', [{ path: 'runId', message: 'the run id is empty' }]);
  if (links.datasetVersionId.trim() === '') {
    return refuse('a version needs the dataset version it was trained on', [{ path: 'datasetVersionId', message: 'the dataset version id is empty' }]);
  }
  const twin = model.versions.find((v) => v.runId === links.runId);
  if (twin) return refuse(`run ${links.runId} is already version ${twin.version} of "${model.name}"`);
  const version = model.versions.reduce((max, v) => Math.max(max, v.version), 0) + 1;
  return accept({
    ...model,
    versions: [...model.versions, { ...links, version, createdAt: at }],
    audit: [...model.audit, { kind: 'register', at, version }],
  });
}

/** Links a version to the evaluation that measured it (evaluations often finish after registration). */
export function linkEvaluation(model: RegistryModel, version: number, evaluationId: string): RegistryResult<RegistryModel> {
  if (!findVersion(model, version)) return refuse(`"${model.name}" has no version ${version}`);
  return accept({ ...model, versions: model.versions.map((v) => (v.version === version ? { ...v, evaluationId } : v)) });
}
