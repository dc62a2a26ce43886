// Fits a recipe: each step learns its parameters (fill values, scale offsets, clip bounds, category lists) from the
// TRAINING rows of the data the steps before it produced, then is applied before the next step learns. Validation
// and test rows are transformed but never looked at, so they stay an honest measure of the model.

import type { ColumnSchema, Table } from '../shared/types';
import { SPLIT_TRAIN } from '../shared/types';
import type { FittedRecipe, FittedStep, Recipe, RecipeProblem, RecipeStep, StepStats } from './types';
import type { TableResult, Work } from './work';
import { applyStepToWork } from './apply-table';
import { categoryColumn, finishWork, numberColumn, startWork } from './work';
import { checkStep, validateRecipe } from './check-recipe';
import { onehotName } from '../serving/recipe.js';

/** More one-hot columns than this is almost always an identifier or free text: ordinal suits it better. */
export const MAX_ONEHOT_CATEGORIES = 1000;

export type FitOutcome =
  | { ok: true; fitted: FittedRecipe; result: TableResult; stats: StepStats[] }
  | { ok: false; problems: RecipeProblem[] };

/** Code-unit order, not locale order: category lists must be the same on every machine. */
function byCodeUnit(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function trainRows(work: Work): Int32Array {
  const a = work.assignment;
  let n = 0;
  for (let r = 0; r < work.rowCount; r++) if (a[r] === SPLIT_TRAIN) n++;
  const rows = new Int32Array(n);
  let k = 0;
  for (let r = 0; r < work.rowCount; r++) if (a[r] === SPLIT_TRAIN) rows[k++] = r;
  return rows;
}

/** The present training values of a number column, sorted ascending. */
function trainNumbers(work: Work, column: string, rows: Int32Array): Float64Array {
  const v = numberColumn(work, column);
  const out = new Float64Array(rows.length);
  let k = 0;
  for (let i = 0; i < rows.length; i++) {
    const x = v[rows[i]];
    if (!Number.isNaN(x)) out[k++] = x;
  }
  return out.subarray(0, k).sort();
}

/** Linear interpolation between closest ranks (numpy's default, "type 7"). `sorted` is not empty. */
export function quantile(sorted: Float64Array, q: number): number {
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

export function mean(values: Float64Array): number {
  let sum = 0;
  for (const v of values) sum += v;
  return sum / values.length;
}

/** Population standard deviation, as the model's own standardisation uses. */
export function std(values: Float64Array, m: number): number {
  let sq = 0;
  for (const v of values) sq += (v - m) * (v - m);
  return Math.sqrt(sq / values.length);
}

/** The most frequent value of a sorted list; ties go to the smallest. */
function mostFrequentNumber(sorted: Float64Array): number {
  let best = sorted[0];
  let bestCount = 0;
  let run = 0;
  for (let i = 0; i < sorted.length; i++) {
    run = i > 0 && sorted[i] === sorted[i - 1] ? run + 1 : 1;
    if (run > bestCount) {
      bestCount = run;
      best = sorted[i];
    }
  }
  return best;
}

/** Training categories of a column, counted; sorted by code unit. */
function trainCategories(work: Work, column: string, rows: Int32Array): { value: string; count: number }[] {
  const col = categoryColumn(work, column);
  const counts = new Int32Array(col.dictionary.length);
  for (const r of rows) if (col.codes[r] >= 0) counts[col.codes[r]]++;
  const out: { value: string; count: number }[] = [];
  col.dictionary.forEach((value, i) => {
    if (counts[i] > 0) out.push({ value, count: counts[i] });
  });
  return out.sort((a, b) => byCodeUnit(a.value, b.value));
}

class StepFailure extends Error {
  constructor(readonly problem: RecipeProblem) {
    super(problem.message);
  }
}

function fitStep(step: RecipeStep, index: number, work: Work, rows: Int32Array): FittedStep {
  const fail = (field: string, message: string, column = ''): never => {
    throw new StepFailure({ step: index, field, column, message });
  };
  const noValues = (column: string): never =>
    fail('column', rows.length === 0 ? 'no training rows are left at this step to learn from' : `"${column}" has no values in the training rows to learn from`, column);
  switch (step.kind) {
    case 'impute': {
      if (step.strategy === 'constant') return { ...step, fill: step.constant as number | string };
      const type = work.schema.find((c) => c.name === step.column)?.type;
      if (type === 'category') {
        const cats = trainCategories(work, step.column, rows);
        if (cats.length === 0) return noValues(step.column);
        // Sorted by value, so the first of the most frequent is the smallest: ties break the same way everywhere.
        let best = cats[0];
        for (const c of cats) if (c.count > best.count) best = c;
        return { ...step, fill: best.value };
      }
      const values = trainNumbers(work, step.column, rows);
      if (values.length === 0) return noValues(step.column);
      const fill = step.strategy === 'mean' ? mean(values) : step.strategy === 'median' ? quantile(values, 0.5) : mostFrequentNumber(values);
      return { ...step, fill };
    }
    case 'scale': {
      const values = trainNumbers(work, step.column, rows);
      if (values.length === 0) return noValues(step.column);
      if (step.method === 'standard') {
        const m = mean(values);
        const s = std(values, m);
        // A constant training column is only centred: dividing by 0 would turn every value into NaN.
        return { ...step, offset: m, factor: s > 0 ? s : 1 };
      }
      const min = values[0];
      const range = values[values.length - 1] - min;
      return { ...step, offset: min, factor: range > 0 ? range : 1 };
    }
    case 'clip': {
      if (step.by === 'value') return { ...step, min: step.lower, max: step.upper };
      const values = trainNumbers(work, step.column, rows);
      if (values.length === 0) return noValues(step.column);
      return { ...step, min: quantile(values, step.lower), max: quantile(values, step.upper) };
    }
    case 'onehot': {
      const categories = trainCategories(work, step.column, rows).map((c) => c.value);
      if (categories.length === 0) return noValues(step.column);
      if (categories.length > MAX_ONEHOT_CATEGORIES) {
        fail('column', `"${step.column}" has ${categories.length} categories in the training rows, more than ${MAX_ONEHOT_CATEGORIES} one-hot columns: use ordinal instead`, step.column);
      }
      const names = new Set(work.schema.map((c) => c.name));
      for (const c of categories) {
        const name = onehotName(step.column, c);
        if (names.has(name)) fail('column', `one-hot would make a column "${name}", but one already exists`, name);
      }
      return { ...step, categories };
    }
    case 'ordinal': {
      const categories = trainCategories(work, step.column, rows).map((c) => c.value);
      if (categories.length === 0) return noValues(step.column);
      return { ...step, categories };
    }
    case 'topk': {
      const counted = trainCategories(work, step.column, rows);
      if (counted.length === 0) return noValues(step.column);
      // Sorted by value already, and sort is stable: equal counts keep value order, the same on every machine.
      const categories = counted.sort((a, b) => b.count - a.count).slice(0, step.k).map((c) => c.value);
      return { ...step, categories };
    }
    default:
      // drop, rename, cast, filter, bucketize, dateparts and hash learn nothing.
      return step;
  }
}

/**
 * Fits `recipe` on the training rows (split code SPLIT_TRAIN in `assignment`) and applies it to the whole table as
 * it goes; `result` is the transformed table, ready to become a new dataset version. Problems are located by step.
 */
export function fitRecipe(recipe: Recipe, schema: ColumnSchema[], table: Table, assignment: Uint8Array): FitOutcome {
  const check = validateRecipe(recipe, schema);
  if (!check.ok) return check;
  let work: Work;
  try {
    work = startWork(schema, table, assignment);
  } catch (e) {
    // The schema does not describe the table (a missing column, another type, another row count).
    return { ok: false, problems: [{ step: -1, field: '', column: '', message: e instanceof Error ? e.message : String(e) }] };
  }
  const steps: FittedStep[] = [];
  const stats: StepStats[] = [];
  // Only a filter changes which rows train (it replaces the assignment array), so the list is kept until then.
  let train = trainRows(work);
  let trainFor = work.assignment;
  for (let i = 0; i < recipe.steps.length; i++) {
    const step = recipe.steps[i];
    // Checked again on the real columns: one-hot columns only exist now that they have been fitted.
    const problems = checkStep(step, i, { columns: work.schema, pending: [] });
    if (problems.length > 0) return { ok: false, problems };
    if (work.assignment !== trainFor) {
      train = trainRows(work);
      trainFor = work.assignment;
    }
    let fitted: FittedStep;
    try {
      // Through JSON before it is used: the export bundle ships the fitted recipe as JSON, which writes -0 as 0, so
      // the table must be transformed with exactly the parameters serving will read back.
      fitted = JSON.parse(JSON.stringify(fitStep(step, i, work, train))) as FittedStep;
    } catch (e) {
      if (e instanceof StepFailure) return { ok: false, problems: [e.problem] };
      throw e;
    }
    const out = applyStepToWork(fitted, i, work);
    work = out.work;
    steps.push(fitted);
    stats.push(out.stats);
  }
  const result = finishWork(work);
  const fitted: FittedRecipe = {
    version: 1,
    input: schema.map((c) => ({ ...c })),
    output: result.schema.map((c) => ({ ...c })),
    steps,
  };
  return { ok: true, fitted, result, stats };
}
