// A new dataset version made from a stored one by a recipe: fitted on the source's training rows, applied to every
// row, with the source's split carried over row by row (a row a filter drops leaves its partition; no row moves to
// another), so a model trained on the derived version is still tested on rows it never learned from.

import { hashDataset, sha256Hex } from './hash';
import { countSplit } from './split';
import { MIN_HELD_OUT_ROWS } from './split-sanity';
import { summarizeColumn } from './summary';
import { canonicalRecipeJson } from '../recipe/canonical';
import { fitRecipe } from '../recipe/fit';
import type { FittedRecipe, Recipe, RecipeProblem, StepStats } from '../recipe/types';
import type { ColumnSchema, SplitSpec, Table } from '../shared/types';
import type { BuiltDataset } from '../contracts/dataset';

export interface DerivedDataset extends BuiltDataset {
  fitted: FittedRecipe;
  stats: StepStats[];
}

export type DeriveOutcome = { ok: true; dataset: DerivedDataset } | { ok: false; problems: RecipeProblem[] };

/** The split spec alone (no counts), as hashDataset and storage expect it. */
function plainSpec(split: SplitSpec): SplitSpec {
  const { method, seed, fractions, timeColumn } = split;
  return { method, seed, fractions: [...fractions], ...(method === 'time' ? { timeColumn } : {}) };
}

/**
 * The id of a derived version, version 1:
 *
 *   id = hex SHA-256 of the UTF-8 text  "derived:v1\n" + hashDataset(schema, split, table) + "\n"
 *                                       + hex SHA-256(assignment bytes) + "\n" + canonicalRecipeJson(fitted)
 *
 * hashDataset alone would not do: an import hashes its split *spec* and re-draws the assignment from it, while a
 * derived version inherits its parent's assignment row by row, which the spec no longer describes once a filter has
 * dropped rows. Hashing the assignment keeps two versions with the same cells but other partitions apart, and
 * hashing the fitted recipe keeps the lineage in the id: the same content made by another recipe (or from another
 * parent, whose training rows the parameters were learned on) is another version. The "derived:v1" prefix keeps
 * these ids apart from import ids by construction, so a recipe that changes nothing still makes a new version.
 */
export async function derivedVersionId(
  schema: ColumnSchema[],
  split: SplitSpec,
  table: Table,
  assignment: Uint8Array,
  fitted: FittedRecipe,
): Promise<string> {
  const content = await hashDataset(schema, plainSpec(split), table);
  const partitions = await sha256Hex(assignment.subarray(0, table.rowCount));
  return sha256Hex(`derived:v1\n${content}\n${partitions}\n${canonicalRecipeJson(fitted)}`);
}

/** Fits `recipe` on the training rows of a stored version and makes the derived dataset, or says what is wrong. */
export async function deriveDataset(
  recipe: Recipe,
  schema: ColumnSchema[],
  split: SplitSpec,
  table: Table,
  assignment: Uint8Array,
): Promise<DeriveOutcome> {
  const outcome = fitRecipe(recipe, schema, table, assignment);
  if (!outcome.ok) return outcome;
  const { fitted, result, stats } = outcome;
  if (result.table.rowCount === 0) {
    return { ok: false, problems: [{ step: -1, field: '', column: '', message: 'the recipe keeps no rows: a version needs at least one' }] };
  }
  const counts = countSplit(result.assignment);
  const before = countSplit(assignment.subarray(0, table.rowCount));
  // The bar an import must clear, for what a filter takes away: metrics on a handful of held-out rows say nothing.
  // A parent already below it (stored before the rule) is not the recipe's doing.
  const held = (['validation', 'test'] as const).find((p) => counts[p] < MIN_HELD_OUT_ROWS && counts[p] < before[p]);
  if (held !== undefined) {
    const message =
      `the recipe leaves the ${held} split ${counts[held]} of the ${before[held]} rows it had; ` +
      `at least ${MIN_HELD_OUT_ROWS} are needed: loosen the filter`;
    return { ok: false, problems: [{ step: -1, field: '', column: '', message }] };
  }
  return {
    ok: true,
    dataset: {
      id: await derivedVersionId(result.schema, split, result.table, result.assignment, fitted),
      schema: result.schema.map((c) => ({ ...c })),
      summaries: result.table.columns.map(summarizeColumn),
      table: result.table,
      assignment: result.assignment,
      counts,
      fitted,
      stats,
    },
  };
}
