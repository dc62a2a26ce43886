import { describe, expect, it } from 'vitest';
import {
  LEGACY_WHY,
  migrateRegistry1to2,
  recipeHash,
  rollbackAlias,
  type ModelVersionV1,
  type RegistryModelV1,
  type RunForLinks,
} from '../../../src/core/deliver/registry';
import { LEGACY_MODEL_VERSIONS, LEGACY_REGISTRY } from '../../fixtures/legacy-registry';

const RUNS: Record<string, RunForLinks> = {
  'run-a': { id: 'run-a', datasetId: 'ds-1' },
  'run-b': { id: 'run-b', datasetId: 'ds-2', recipes: [{ kind: 'drop', column: 'id' }] },
};

const migrate = () =>
  migrateRegistry1to2(structuredClone(LEGACY_REGISTRY) as unknown as RegistryModelV1[], structuredClone(LEGACY_MODEL_VERSIONS) as unknown as ModelVersionV1[], (id) => RUNS[id]);

describe('migrateRegistry1to2', () => {
  it('folds each model\'s versions into it, in order, linked to their run\'s dataset version and recipes', () => {
    const [penguins, cars] = migrate();
    expect(penguins).toMatchObject({ projectId: 'sample-penguins', name: 'penguin-species', description: '', tags: {}, createdAt: 1_767_225_700_000, aliases: { champion: 2 } });
    expect(penguins!.versions).toEqual([
      { version: 1, runId: 'run-a', datasetVersionId: 'ds-1', recipeHash: null, environment: null, evaluationId: null, createdAt: 1_767_225_700_000 },
      { version: 2, runId: 'run-b', datasetVersionId: 'ds-2', recipeHash: recipeHash(RUNS['run-b']!.recipes), environment: null, evaluationId: null, createdAt: 1_767_225_800_000 },
    ]);
    expect(penguins!.versions[1]!.recipeHash).toMatch(/^[0-9a-f]{16}$/);
    // A version whose run is gone keeps its number and run id; only the dataset link is lost.
    expect(cars!.versions).toEqual([expect.objectContaining({ version: 1, runId: 'run-c', datasetVersionId: '' })]);
  });

  it('rewrites the audit log with kinds, from/to and a stated reason for moves made before reasons existed', () => {
    const [penguins] = migrate();
    expect(penguins!.audit).toEqual([
      { kind: 'register', at: 1_767_225_700_000, version: 1 },
      { kind: 'alias', at: 1_767_225_700_001, alias: 'champion', from: null, to: 1, why: LEGACY_WHY, evidenceId: null },
      { kind: 'register', at: 1_767_225_800_000, version: 2 },
      { kind: 'alias', at: 1_767_225_800_001, alias: 'champion', from: 1, to: 2, why: LEGACY_WHY, evidenceId: null },
    ]);
  });

  it('gives migrated models a history rollback can use', () => {
    const [penguins] = migrate();
    const back = rollbackAlias(penguins!, 'champion', 'v2 was worse', 1);
    expect(back.ok && back.value.aliases).toEqual({ champion: 1 });
  });
});
