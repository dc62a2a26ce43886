import type { FittedRecipe } from '../recipe/types';

/**
 * The raw columns a caller gives a model trained through recipes: what the first recipe reads, but the target
 * (which serving never has). Empty without recipes.
 */
export function rawInputColumns(recipes: readonly FittedRecipe[]): { name: string; type: 'number' | 'category' }[] {
  const first = recipes[0];
  if (!first) return [];
  return first.input.filter((c) => c.role !== 'target').map((c) => ({ name: c.name, type: c.type }));
}
