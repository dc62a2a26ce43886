// What a version links to, read off the run that made it: the dataset version, a hash of the recipe chain and the
// environment. Shared by registration and by the migration of old records, so both link versions the same way.

import type { Environment } from '../../shared/types';
import { hash64 } from '../gates/fingerprint';
import type { VersionLinks } from './versions';

export interface RunForLinks {
  id: string;
  datasetId: string;
  recipes?: readonly unknown[];
  environment?: Environment;
}

/** Null when the data came straight from an import: there is no chain to tell apart. */
export function recipeHash(recipes: readonly unknown[] | undefined): string | null {
  return recipes && recipes.length > 0 ? hash64(JSON.stringify(recipes)) : null;
}

export function versionLinks(run: RunForLinks, evaluationId: string | null): VersionLinks {
  return {
    runId: run.id,
    datasetVersionId: run.datasetId,
    recipeHash: recipeHash(run.recipes),
    environment: run.environment ?? null,
    evaluationId,
  };
}
