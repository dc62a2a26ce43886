// The registry's versions as the rest of the app names them (`name@version`): serving, export and run deletion need a
// flat list, not the models that hold them.

import type { ModelVersion } from '../../shared/types';
import type { RegistryModel } from './types';

export function modelVersionId(name: string, version: number): string {
  return `${name}@${version}`;
}

export function versionViews(models: readonly RegistryModel[]): ModelVersion[] {
  return models.flatMap((m) =>
    m.versions.map((v) => ({ id: modelVersionId(m.name, v.version), name: m.name, version: v.version, runId: v.runId, createdAt: v.createdAt })),
  );
}
