import type { FittedRecipe } from '../../core/recipe/types';
import type { DatasetVersion } from '../../core/shared/types';
import { startsOwnRows } from '../../core/data/provenance';

export interface RecipeChain {
  /** Oldest first: recipes[0] reads the rows of `root`. */
  recipes: FittedRecipe[];
  /** The version whose raw rows the chain starts from: an import, or production traffic (core/data/provenance.ts). */
  root: DatasetVersion;
  /** Every version from the root to the given one, oldest first. */
  versionIds: string[];
}

/**
 * Walks a version's parents[0] links back to its import (or to a version of production traffic, whose rows are raw
 * rows although it has a parent), collecting the recipe that made each step. A version made
 * from a parent without a stored recipe cannot be served from raw rows, so it is refused rather than served skewed.
 * Every version is read through `get` (never a caller's copy, which may be a $state proxy), so the recipes are plain
 * objects that can be stored and posted to a worker.
 */
export async function recipeChain(get: (id: string) => Promise<DatasetVersion | undefined>, id: string): Promise<RecipeChain> {
  const version = await get(id);
  if (!version) throw new Error(`Dataset version ${id.slice(0, 8)} is not stored.`);
  const recipes: FittedRecipe[] = [];
  const versionIds = [version.id];
  let current = version;
  while (!startsOwnRows(current)) {
    if (!current.recipe) {
      throw new Error(`Dataset version "${current.name}" was derived without a recorded recipe, so raw rows cannot be replayed into it.`);
    }
    recipes.push(current.recipe);
    const parentId = current.parents[0];
    if (versionIds.includes(parentId)) throw new Error(`Dataset version "${current.name}" is its own ancestor.`);
    const parent = await get(parentId);
    if (!parent) throw new Error(`Dataset version "${current.name}" was derived from ${parentId.slice(0, 8)}, which is no longer stored.`);
    versionIds.push(parent.id);
    current = parent;
  }
  return { recipes: recipes.reverse(), root: current, versionIds: versionIds.reverse() };
}
