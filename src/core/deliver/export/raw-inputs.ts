import type { FittedRecipe } from '../../recipe/types';

/**
 * The raw columns a caller gives a model trained through recipes: what the first recipe reads, but the target
 * (which serving never has). Empty without recipes.
 */
export function rawInputColumns(recipes: readonly FittedRecipe[]): { name: string; type: 'number' | 'category' | 'date' }[] {
  const first = recipes[0];
  if (!first) return [];
  return first.input
    .filter((c) => c.role !== 'target')
    .map(({ name, type }) => {
      // validateRecipe refuses image versions, so a fitted recipe never reads an image column.
      if (type === 'image') throw new Error(`"${name}" is an image column; recipes never take image versions`);
      return { name, type };
    });
}
