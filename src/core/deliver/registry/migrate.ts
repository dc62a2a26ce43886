// Registry records across storage versions, migrated by pure functions (tldraw's pattern) so the upgrade can be
// tested on fixtures of old records without a database. Shape 1 (schema version 5 and before): one record per model
// name, unique across projects, with versions in a separate store and an audit log without reasons. Shape 2: one
// record per model inside its project holding its versions (see ./types).

import type { RegistryAuditEntry, RegistryModel, RegistryVersion } from './types';
import { versionLinks, type RunForLinks } from './links';

export const REGISTRY_SHAPE = 2;

/** The reason recorded for moves made before reasons were asked for, so the log never shows an empty "why". */
export const LEGACY_WHY = 'moved before Loopbench recorded reasons';

export interface RegistryModelV1 {
  name: string;
  projectId: string;
  aliases: Record<string, number>;
  audit: { at: number; action: 'register' | 'alias'; version: number; alias?: string; previous?: number | null }[];
}

export interface ModelVersionV1 {
  id: string;
  name: string;
  version: number;
  runId: string;
  createdAt: number;
}

function auditV2(entry: RegistryModelV1['audit'][number]): RegistryAuditEntry {
  if (entry.action === 'register' || entry.alias === undefined) return { kind: 'register', at: entry.at, version: entry.version };
  return { kind: 'alias', at: entry.at, alias: entry.alias, from: entry.previous ?? null, to: entry.version, why: LEGACY_WHY, evidenceId: null };
}

function versionV2(old: ModelVersionV1, run: RunForLinks | undefined): RegistryVersion {
  // A version's run cannot be deleted, so a missing one means damaged storage: keep the version, with an empty link.
  const links = versionLinks(run ?? { id: old.runId, datasetId: '' }, null);
  return { ...links, version: old.version, createdAt: old.createdAt };
}

/** Shape 1 -> 2. The models' creation time is that of their first version, the closest thing shape 1 recorded. */
export function migrateRegistry1to2(
  models: readonly RegistryModelV1[],
  versions: readonly ModelVersionV1[],
  runOf: (runId: string) => RunForLinks | undefined,
): RegistryModel[] {
  return models.map((m) => {
    const own = versions.filter((v) => v.name === m.name).sort((a, b) => a.version - b.version);
    return {
      projectId: m.projectId,
      name: m.name,
      description: '',
      tags: {},
      createdAt: own[0]?.createdAt ?? m.audit[0]?.at ?? 0,
      versions: own.map((v) => versionV2(v, runOf(v.runId))),
      aliases: { ...m.aliases },
      audit: m.audit.map(auditV2),
    };
  });
}
