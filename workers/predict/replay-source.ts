// The rows a traffic replay draws from: every row of the root version, in all splits, that each filter of the run's
// recipe chain keeps, as imported (the columns a client sends, as behaviour tests pick them) plus the target, which
// the request stream takes off as the label.

import type { FittedRecipe } from '../../src/core/recipe/types';
import { tableRow } from '../../src/core/recipe/rows';
import { applyRecipeToRow, rowPassesFilters } from '../../src/core/serving/recipe.js';
import { rawRow, setCell } from '../../src/core/train/preprocess';
import type { RawRow } from '../../src/core/shared/types';
import type { LoadedDataset } from '../../src/platform/repositories/datasets';

export interface ReplaySource {
  rows: RawRow[];
  /**
   * A date column that drives the clock (order 'by-date') but is not among the columns a client sends: it is taken
   * off each request's input before scoring, since a request carries its time, not a feature the model never read.
   */
  clockOnly: string | null;
}

/**
 * `target` must be a column of the root; `dateColumn` too, when given. Without recipes a client sends the root's
 * features; with recipes, every column but the target (the chain's first recipe reads them), as the export bundle's
 * examples do.
 */
export function replaySource(root: LoadedDataset, recipes: readonly FittedRecipe[], target: string, dateColumn?: string): ReplaySource {
  const { schema } = root.meta;
  const { table } = root;
  const names = new Set(table.names);
  if (!names.has(target)) throw new Error(`Replay: the target "${target}" is not a column of version ${root.meta.id} (${table.names.join(', ')}).`);
  if (dateColumn !== undefined && !names.has(dateColumn)) {
    throw new Error(`Replay: the date column "${dateColumn}" is not a column of version ${root.meta.id}.`);
  }
  const sent = recipes.length === 0 ? schema.filter((c) => c.role === 'feature').map((c) => c.name) : schema.filter((c) => c.role !== 'target' && c.name !== target).map((c) => c.name);
  const clockOnly = dateColumn !== undefined && !sent.includes(dateColumn) ? dateColumn : null;
  const rows: RawRow[] = [];
  for (let r = 0; r < table.rowCount; r++) {
    const raw = tableRow(table, r);
    if (!keptByChain(recipes, raw)) continue;
    // Without recipes, features read as a user types them (dates as the import shows them), as behaviour tests do.
    const row = recipes.length === 0 ? rawRow(schema, table, r) : pick(raw, sent);
    setCell(row, target, raw[target] ?? null);
    if (clockOnly !== null) setCell(row, clockOnly, raw[clockOnly] ?? null);
    rows.push(row);
  }
  if (rows.length === 0) throw new Error(`Replay: no row of version ${root.meta.id} passes the filters of the recipe chain.`);
  return { rows, clockOnly };
}

function keptByChain(recipes: readonly FittedRecipe[], raw: RawRow): boolean {
  let row = raw;
  for (const recipe of recipes) {
    if (!rowPassesFilters(recipe, row)) return false;
    row = applyRecipeToRow(recipe, row);
  }
  return true;
}

function pick(raw: RawRow, names: readonly string[]): RawRow {
  const out: RawRow = {};
  for (const name of names) setCell(out, name, raw[name] ?? null);
  return out;
}
