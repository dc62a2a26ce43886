// Casts that read text carry the version's reading rules, so a fitted recipe reads raw values as the import did.
import { describe, expect, test } from 'vitest';
import { withCastFormat } from '../../src/core/recipe/cast-format';
import { applyRecipeToRow } from '../../src/core/serving/recipe.js';
import type { FittedRecipe, RecipeStep } from '../../src/core/recipe/types';
import { DEFAULT_READ_FORMAT } from '../../src/core/shared/types';

const toDate: RecipeStep = { kind: 'cast', column: 'when', to: 'date' };
const toNumber: RecipeStep = { kind: 'cast', column: 'mass', to: 'number' };

describe('withCastFormat', () => {
  test('a day-first import makes its casts to date read 03/04/2021 as 3 April', () => {
    const [step] = withCastFormat([toDate], { ...DEFAULT_READ_FORMAT, dayFirst: true });
    expect(step).toEqual({ ...toDate, dayFirst: true });
    const recipe: FittedRecipe = {
      version: 1,
      input: [{ name: 'when', type: 'category', role: 'feature' }],
      output: [{ name: 'when', type: 'date', role: 'feature' }],
      steps: [step as FittedRecipe['steps'][number]],
    };
    expect(applyRecipeToRow(recipe, { when: '03/04/2021' }).when).toBe('2021-04-03');
  });

  test('defaults are not written, so recipes of plain imports keep their JSON', () => {
    expect(withCastFormat([toDate, toNumber], DEFAULT_READ_FORMAT)).toEqual([toDate, toNumber]);
  });

  test('a step that already says how to read keeps its own rule', () => {
    const own: RecipeStep = { ...toDate, dayFirst: false };
    expect(withCastFormat([own], { ...DEFAULT_READ_FORMAT, dayFirst: true })).toEqual([own]);
  });
});
