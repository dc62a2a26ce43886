// Which raw rows of a root version a model saw in one split: the rows of that split that every filter of the run's
// recipe chain keeps. Served requests arrive raw (before any recipe), so drift compares them with raw rows of the
// import the chain starts from, picked as the export bundle and the behaviour tests pick theirs
// (src/core/deliver/export/raw-examples.ts), but from the training split: DESIGN.md's reference.

import type { FittedRecipe } from '../../recipe/types';
import { tableRow } from '../../recipe/rows';
import { applyRecipeToRow, rowPassesFilters } from '../../serving/recipe.js';
import { SPLIT_TRAIN, type Table } from '../../shared/types';

/** Table rows of `split` (by default the training split) that the chain keeps, in table order. */
export function keptRows(table: Table, assignment: Uint8Array, recipes: readonly FittedRecipe[], split = SPLIT_TRAIN): Int32Array {
  if (assignment.length !== table.rowCount) {
    throw new Error(`The split assignment has ${assignment.length} rows for a table of ${table.rowCount}.`);
  }
  const out = new Int32Array(table.rowCount);
  let n = 0;
  for (let r = 0; r < table.rowCount; r++) {
    if (assignment[r] !== split) continue;
    if (recipes.length > 0 && !keptByChain(recipes, tableRow(table, r))) continue;
    out[n++] = r;
  }
  return out.slice(0, n);
}

function keptByChain(recipes: readonly FittedRecipe[], raw: ReturnType<typeof tableRow>): boolean {
  let row = raw;
  for (const recipe of recipes) {
    if (!rowPassesFilters(recipe, row)) return false;
    row = applyRecipeToRow(recipe, row);
  }
  return true;
}
