// Preview before apply: fit and apply the recipe, then show what it did (row counts, the resulting columns, per-step
// counts) and a few rows before and after, without making a dataset version.

import type { ColumnSchema, RawRow, Table } from '../shared/types';
import type { FittedRecipe, Recipe, RecipeProblem, StepStats } from './types';
import { fitRecipe } from './fit';
import { headTable, tableRow } from './rows';

export interface PreviewOptions {
  /** Rows shown before and after (default 20). */
  limit?: number;
  /**
   * Fit and apply on the first `sampleRows` rows only, for a quick answer on a large table; the parameters and
   * counts are then those of the sample (`sampled` says so). Default: the whole table.
   */
  sampleRows?: number;
}

export type RecipePreview =
  | {
      ok: true;
      sampled: boolean;
      rowsBefore: number;
      rowsAfter: number;
      schema: ColumnSchema[];
      fitted: FittedRecipe;
      stats: StepStats[];
      /** The first rows of the input and of the result (not the same rows when a filter dropped some). */
      before: RawRow[];
      after: RawRow[];
    }
  | { ok: false; problems: RecipeProblem[] };

export function previewRecipe(
  recipe: Recipe,
  schema: ColumnSchema[],
  table: Table,
  assignment: Uint8Array,
  options: PreviewOptions = {},
): RecipePreview {
  const limit = options.limit ?? 20;
  const sampled = options.sampleRows !== undefined && options.sampleRows < table.rowCount;
  const input = sampled ? headTable(table, assignment, options.sampleRows ?? 0) : { table, assignment };
  const outcome = fitRecipe(recipe, schema, input.table, input.assignment);
  if (!outcome.ok) return outcome;
  const out = outcome.result.table;
  const rows = (t: Table) => Array.from({ length: Math.min(limit, t.rowCount) }, (_, r) => tableRow(t, r));
  return {
    ok: true,
    sampled,
    rowsBefore: input.table.rowCount,
    rowsAfter: out.rowCount,
    schema: outcome.result.schema,
    fitted: outcome.fitted,
    stats: outcome.stats,
    before: rows(input.table),
    after: rows(out),
  };
}
