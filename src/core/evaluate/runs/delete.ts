// The rule for deleting a run: nothing may still depend on it.

import type { ModelVersion, Run } from '../../shared/types';

/**
 * Why a run cannot be deleted, or null when it can. A running run is still being written by its
 * worker; a registered model version serves (and exports) the run's weights and points at the run
 * for its lineage and metrics, so deleting the run would leave that version without a model.
 */
export function runDeletionBlocker(run: Pick<Run, 'id' | 'name' | 'status'>, versions: readonly Pick<ModelVersion, 'name' | 'version' | 'runId'>[]): string | null {
  if (run.status === 'running') return `"${run.name}" is still training; stop it first, then delete it.`;
  const users = versions.filter((v) => v.runId === run.id);
  if (users.length > 0) {
    const list = users.map((v) => `${v.name} version ${v.version}`).join(', ');
    return `"${run.name}" cannot be deleted: the registered model ${list} uses its weights, metrics and lineage.`;
  }
  return null;
}
