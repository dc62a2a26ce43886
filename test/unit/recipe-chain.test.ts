import { describe, expect, it } from 'vitest';
import type { FittedRecipe } from '../../src/core/recipe/types';
import type { DatasetVersion } from '../../src/core/shared/types';
import { recipeChain } from '../../src/state/data/recipe-chain';

function recipe(tag: string): FittedRecipe {
  return { version: 1, input: [{ name: tag, type: 'number', role: 'feature' }], output: [], steps: [] };
}

function version(id: string, parents: string[], r: FittedRecipe | null): DatasetVersion {
  return {
    id,
    projectId: 'p',
    name: `v-${id}`,
    createdAt: 0,
    rowCount: 1,
    schema: [],
    summaries: [],
    split: { method: 'random', seed: 1, fractions: [0.7, 0.15, 0.15], counts: { train: 1, validation: 0, test: 0 } },
    source: { kind: 'sample', fileName: 'x.json', byteLength: 1 },
    parents,
    recipe: r,
    chunkRows: 1,
    chunkCount: 1,
  };
}

function store(...versions: DatasetVersion[]) {
  const byId = new Map(versions.map((v) => [v.id, v]));
  return (id: string) => Promise.resolve(byId.get(id));
}

describe('recipeChain', () => {
  it('collects the recipes from the import to the version, oldest first', async () => {
    const a = recipe('a');
    const b = recipe('b');
    const get = store(version('raw', [], null), version('one', ['raw'], a), version('two', ['one', 'raw'], b));
    const chain = await recipeChain(get, 'two');
    expect(chain.recipes).toEqual([a, b]);
    expect(chain.root.id).toBe('raw');
    expect(chain.versionIds).toEqual(['raw', 'one', 'two']);
    expect(await recipeChain(get, 'raw')).toMatchObject({ recipes: [], versionIds: ['raw'] });
  });

  it('refuses a derived version without a recipe, a missing parent and a cycle', async () => {
    await expect(recipeChain(store(version('raw', [], null), version('x', ['raw'], null)), 'x')).rejects.toThrow(/without a recorded recipe/);
    await expect(recipeChain(store(version('x', ['gone'], recipe('a'))), 'x')).rejects.toThrow(/no longer stored/);
    await expect(recipeChain(store(version('x', ['y'], recipe('a')), version('y', ['x'], recipe('b'))), 'x')).rejects.toThrow(/own ancestor/);
    await expect(recipeChain(store(), 'nope')).rejects.toThrow(/not stored/);
  });
});
