// A recipe's canonical JSON: object keys sorted at every level, so two recipes that mean the same hash the same
// whatever order their fields were written in. Arrays keep their order (step order and list order carry meaning).

import type { FittedRecipe, Recipe } from './types';

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (typeof value === 'object' && value !== null) {
    const source = value as Record<string, unknown>;
    // A null-prototype object, so a key such as "__proto__" stays an ordinary key.
    const out: Record<string, unknown> = Object.create(null);
    for (const key of Object.keys(source).sort()) {
      if (source[key] !== undefined) out[key] = sortKeys(source[key]);
    }
    return out;
  }
  return value;
}

/** Stable JSON for hashing or comparing recipes; fields left undefined are omitted, as JSON.stringify does. */
export function canonicalRecipeJson(recipe: Recipe | FittedRecipe): string {
  return JSON.stringify(sortKeys(recipe));
}
