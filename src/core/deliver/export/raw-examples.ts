// Example rows for an export bundle of a model trained through data recipes. A derived version's rows cannot be
// turned back into raw rows in general (scaling, one-hot encoding and dropped columns lose the original text), so
// the examples are taken from the import at the root of the chain instead: its test rows that every filter of the
// chain keeps, i.e. raw rows of the kind the model was trained and tested on.

import type { FittedRecipe } from '../../recipe/types';
import { tableRow } from '../../recipe/rows';
import { applyRecipeToRow, rowPassesFilters } from '../../serving/recipe.js';
import { setCell } from '../../train/preprocess';
import type { ColumnSchema, RawRow, Table } from '../../shared/types';
import { SPLIT_TEST } from '../../shared/types';

/**
 * Up to `max` raw test rows of the root version that the chain keeps, without the target (serving never has it),
 * in table order. Without recipes these are the root's test rows as they are.
 */
export function rawExampleRows(
  schema: readonly ColumnSchema[],
  table: Table,
  assignment: Uint8Array,
  recipes: readonly FittedRecipe[],
  max: number,
): RawRow[] {
  const out: RawRow[] = [];
  for (let r = 0; r < table.rowCount && out.length < max; r++) {
    if (assignment[r] !== SPLIT_TEST) continue;
    const raw = tableRow(table, r);
    let row = raw;
    let kept = true;
    for (const recipe of recipes) {
      if (!rowPassesFilters(recipe, row)) {
        kept = false;
        break;
      }
      row = applyRecipeToRow(recipe, row);
    }
    if (!kept) continue;
    const input: RawRow = {};
    for (const col of schema) if (col.role !== 'target') setCell(input, col.name, raw[col.name] ?? null);
    out.push(input);
  }
  return out;
}
