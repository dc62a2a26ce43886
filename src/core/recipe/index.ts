// The recipe API in one place for the rest of the app.

export type * from './types';
export { DATE_PARTS } from './types';
export { validateRecipe, recipeShapeProblems, describeProblem } from './check-recipe';
export type { RecipeCheck } from './check-recipe';
export { fitRecipe, MAX_ONEHOT_CATEGORIES } from './fit';
export type { FitOutcome } from './fit';
export { applyRecipeToTable } from './apply-table';
export type { TableResult } from './apply-table';
export { previewRecipe } from './preview';
export type { PreviewOptions, RecipePreview } from './preview';
export { canonicalRecipeJson } from './canonical';
export { tableRow, headTable } from './rows';
export { applyRecipeToRow } from '../serving/recipe.js';
