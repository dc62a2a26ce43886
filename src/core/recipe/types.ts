// A recipe is an ordered list of declarative transform steps, stored as plain JSON: it must survive structured
// clone, IndexedDB and an export bundle, and it is never evaluated as code. Fitting it on a dataset's training rows
// gives a FittedRecipe that carries every learned parameter, so the same transform can be replayed on one row at
// serving time (src/core/serving/recipe.js) exactly as it was applied to the table.

import type { ColumnSchema, ColumnType, NumberFormat } from '../shared/types';

export type CompareOp = 'eq' | 'ne' | 'lt' | 'le' | 'gt' | 'ge';

/**
 * A row condition. A comparison with a missing cell is false whatever the operator (as in SQL), so rows with
 * missing values are kept or dropped only by an explicit `missing` condition.
 */
export type Condition =
  | { kind: 'compare'; column: string; op: CompareOp; value: number | string }
  | { kind: 'missing'; column: string; negate: boolean }
  /** The cell is one of `values`; a missing cell is in no list (so `negate` keeps it). */
  | { kind: 'in'; column: string; values: string[]; negate: boolean }
  /** True when every condition holds; an empty list is true. */
  | { kind: 'all'; conditions: Condition[] }
  /** True when at least one condition holds; an empty list is false. */
  | { kind: 'any'; conditions: Condition[] };

export type ImputeStrategy = 'mean' | 'median' | 'most_frequent' | 'constant';
export type ScaleMethod = 'standard' | 'minmax';
export type DatePart = 'year' | 'month' | 'day' | 'weekday' | 'hour' | 'dayofyear';
export const DATE_PARTS: readonly DatePart[] = ['year', 'month', 'day', 'weekday', 'hour', 'dayofyear'];

export type DropStep = { kind: 'drop'; columns: string[] };
export type RenameStep = { kind: 'rename'; from: string; to: string };
/**
 * number -> category: the number's text. category -> number: parsed as the importer parses, in `format` (the number
 * format of the import the version came from, filled in when the recipe is fitted; '.' decimals when absent);
 * unreadable -> missing.
 */
export type CastStep = {
  kind: 'cast';
  column: string;
  to: ColumnType;
  format?: NumberFormat;
  /** category -> date: a/b/yyyy is day/month (the import's ReadFormat.dayFirst); month/day when absent. date -> category: ISO text. */
  dayFirst?: boolean;
};
/** Keeps the rows where the condition holds. Skipped at serving time: a model must answer every row it is given. */
export type FilterStep = { kind: 'filter'; condition: Condition };
/** `constant` is required for the constant strategy: a number for a number column, text for a category. */
export type ImputeStep = { kind: 'impute'; column: string; strategy: ImputeStrategy; constant?: number | string };
export type ScaleStep = { kind: 'scale'; column: string; method: ScaleMethod };
/**
 * by 'quantile': `lower`/`upper` are quantiles in [0, 1] whose values are learned on the training rows;
 * by 'value': they are the bounds themselves.
 */
export type ClipStep = { kind: 'clip'; column: string; by: 'quantile' | 'value'; lower: number; upper: number };
/** New number columns `${column}=${value}` per training category, in place of the source; unseen -> all zeros. */
export type OnehotStep = { kind: 'onehot'; column: string };
/** category -> its index among the sorted training categories; unseen or missing -> missing. */
export type OrdinalStep = { kind: 'ordinal'; column: string };
/** number -> category label "< b0", "[b0, b1)", ..., ">= bk"; boundaries strictly increasing. */
export type BucketizeStep = { kind: 'bucketize'; column: string; boundaries: number[] };
/**
 * New number columns `${column}.${part}` from a date column (UTC fields), or from a text column of ISO 8601 dates
 * (or YYYY/MM/DD, fields as written); the source goes unless `keep`.
 */
export type DatepartsStep = { kind: 'dateparts'; column: string; parts: DatePart[]; keep?: boolean };

/**
 * category -> category "bucket i", i = FNV-1a (32-bit, over the value's UTF-8 bytes) mod `buckets`: a fixed number of
 * groups for a column with too many values to one-hot, learned from nothing, so unseen values get a bucket too.
 */
export type HashStep = { kind: 'hash'; column: string; buckets: number };
/** category -> itself for the k most frequent training values (ties by value), "other" for every other value. */
export type TopkStep = { kind: 'topk'; column: string; k: number };

export type RecipeStep =
  | DropStep
  | RenameStep
  | CastStep
  | FilterStep
  | ImputeStep
  | ScaleStep
  | ClipStep
  | OnehotStep
  | OrdinalStep
  | BucketizeStep
  | DatepartsStep
  | HashStep
  | TopkStep;

export type StepKind = RecipeStep['kind'];

export interface Recipe {
  version: 1;
  steps: RecipeStep[];
}

// ---------- Fitted: every step with what it learned from the training rows ----------

export type FittedImpute = ImputeStep & { fill: number | string };
/** value -> (value - offset) / factor; factor is never 0. */
export type FittedScale = ScaleStep & { offset: number; factor: number };
/** The bounds actually applied (the learned quantile values, or `lower`/`upper` themselves). */
export type FittedClip = ClipStep & { min: number; max: number };
export type FittedOnehot = OnehotStep & { categories: string[] };
export type FittedOrdinal = OrdinalStep & { categories: string[] };
/** The kept values, most frequent first. */
export type FittedTopk = TopkStep & { categories: string[] };

export type FittedStep =
  | DropStep
  | RenameStep
  | CastStep
  | FilterStep
  | FittedImpute
  | FittedScale
  | FittedClip
  | FittedOnehot
  | FittedOrdinal
  | BucketizeStep
  | DatepartsStep
  | HashStep
  | FittedTopk;

export interface FittedRecipe {
  version: 1;
  /** The columns the recipe was fitted on: at serving time a row is read with these types. */
  input: ColumnSchema[];
  /** The columns it produces, in order. */
  output: ColumnSchema[];
  steps: FittedStep[];
}

/** A message tied to a place in the recipe: step index (-1 for the whole recipe) and field path within it. */
export interface RecipeProblem {
  step: number;
  /** e.g. 'column', 'condition.conditions[1].value'; '' for the step as a whole. */
  field: string;
  /** The column concerned, '' when none. */
  column: string;
  message: string;
}

/** What one step did to the data it was applied to. */
export interface StepStats {
  step: number;
  kind: StepKind;
  rowsBefore: number;
  rowsAfter: number;
  /** Rows a filter removed. */
  filtered: number;
  /** Missing values filled by impute. */
  imputed: number;
  /** Values moved to a clip bound. */
  clipped: number;
  /** Present values a cast or dateparts could not read (they became missing). */
  unparseable: number;
  /** Present values onehot or ordinal had not seen in the training rows. */
  unseen: number;
  columnsAdded: string[];
  columnsRemoved: string[];
}
