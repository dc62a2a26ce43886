// recipes.json: each fitted recipe checked by the app's own recipe validator (src/core/recipe) against the columns
// it was fitted on, with what fitting learned (fills, scales, bounds, categories) checked here, and the chain
// joined: each recipe reads the columns the one before it wrote.

import * as v from 'valibot';
import { describeProblem, validateRecipe } from '../../recipe';
import type { FittedRecipe } from '../../recipe/types';
import { fittedRecipeSchema, parseWith } from './schemas';
import { refuse } from './refusal';

const finite = v.pipe(v.number(), v.finite());
const categories = v.object({ categories: v.array(v.string()) });
/** What each step kind learned when fitted; the validator knows only the unfitted fields. */
const LEARNED: Partial<Record<string, v.GenericSchema>> = {
  impute: v.object({ fill: v.union([finite, v.string()]) }),
  scale: v.object({ offset: finite, factor: v.pipe(finite, v.check((n) => n !== 0, 'must not be 0')) }),
  clip: v.object({ min: finite, max: finite }),
  onehot: categories,
  ordinal: categories,
  topk: categories,
};
const LEARNED_KEYS: Record<string, string[]> = { impute: ['fill'], scale: ['offset', 'factor'], clip: ['min', 'max'], onehot: ['categories'], ordinal: ['categories'], topk: ['categories'] };

export function checkRecipes(value: unknown): FittedRecipe[] {
  if (!Array.isArray(value)) refuse('recipes.json: must be a list of fitted recipes');
  const recipes = value.map((raw, r) => {
    const recipe = parseWith(`recipes.json recipe ${r + 1}`, fittedRecipeSchema, raw);
    const steps = recipe.steps.map((step, s) => {
      const learned = LEARNED[step.kind];
      if (learned) parseWith(`recipes.json recipe ${r + 1} step ${s + 1} (${step.kind})`, learned, step);
      const plain: Record<string, unknown> = { ...step };
      for (const key of LEARNED_KEYS[step.kind] ?? []) delete plain[key];
      return plain;
    });
    const check = validateRecipe({ version: recipe.version, steps }, recipe.input);
    if (!check.ok) refuse(`recipes.json recipe ${r + 1}: ${describeProblem(check.problems[0]!)}`);
    return raw as FittedRecipe;
  });
  recipes.forEach((recipe, r) => {
    const next = recipes[r + 1];
    if (next && JSON.stringify(next.input.map((c) => c.name)) !== JSON.stringify(recipe.output.map((c) => c.name))) {
      refuse(`recipes.json: recipe ${r + 2} reads other columns than recipe ${r + 1} writes`);
    }
  });
  return recipes;
}
