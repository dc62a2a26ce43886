// Pure helpers for editing a recipe in the UI: the step kinds on offer, a sensible new step of each kind, the
// columns each step receives (so its column selects list what exists at that point), and list moves. Kept out of
// the rune class so they can be tested without a DOM.

import type { ColumnSchema } from '../../core/shared/types';
import type { CompareOp, Condition, DatePart, FittedRecipe, RecipeProblem, RecipeStep, StepKind } from '../../core/recipe';
import { DATE_PARTS } from '../../core/recipe';
import { nextState, type SchemaState } from '../../core/recipe/check-recipe';
import { onehotName } from '../../core/serving/recipe.js';

export const STEP_KINDS: readonly { kind: StepKind; label: string }[] = [
  { kind: 'drop', label: 'Drop columns' },
  { kind: 'rename', label: 'Rename a column' },
  { kind: 'cast', label: 'Change a column type' },
  { kind: 'filter', label: 'Filter rows' },
  { kind: 'impute', label: 'Fill missing values' },
  { kind: 'scale', label: 'Scale numbers' },
  { kind: 'clip', label: 'Clip outliers' },
  { kind: 'onehot', label: 'One-hot encode' },
  { kind: 'ordinal', label: 'Ordinal encode' },
  { kind: 'bucketize', label: 'Bucketize numbers' },
  { kind: 'dateparts', label: 'Date parts' },
  { kind: 'hash', label: 'Hash into buckets' },
  { kind: 'topk', label: 'Keep the top k values' },
];

export const COMPARE_OPS: readonly { op: CompareOp; label: string }[] = [
  { op: 'eq', label: '=' },
  { op: 'ne', label: '≠' },
  { op: 'lt', label: '<' },
  { op: 'le', label: '≤' },
  { op: 'gt', label: '>' },
  { op: 'ge', label: '≥' },
];

export const ALL_DATE_PARTS: readonly DatePart[] = DATE_PARTS;

export function stepLabel(kind: StepKind): string {
  return STEP_KINDS.find((k) => k.kind === kind)?.label ?? kind;
}

/** Columns a step may change: every feature (a step on the target is refused by validation anyway). */
function pick(columns: ColumnSchema[], type?: 'number' | 'category' | 'date'): string {
  const features = columns.filter((c) => c.role !== 'target');
  return (features.find((c) => type === undefined || c.type === type) ?? features[0] ?? columns[0])?.name ?? '';
}

/** A compare condition on `column` with a value of the right type, so a new condition is valid as made. */
export function newCompare(columns: ColumnSchema[], column = pick(columns)): Condition {
  const type = columns.find((c) => c.name === column)?.type;
  return { kind: 'compare', column, op: type === 'number' ? 'gt' : 'eq', value: type === 'number' ? 0 : '' };
}

export function newCondition(kind: Condition['kind'], columns: ColumnSchema[]): Condition {
  switch (kind) {
    case 'compare':
      return newCompare(columns);
    case 'missing':
      return { kind: 'missing', column: pick(columns), negate: true };
    case 'in':
      return { kind: 'in', column: pick(columns, 'category'), values: [], negate: false };
    case 'all':
    case 'any':
      return { kind, conditions: [newCompare(columns)] };
  }
}

/** A new step of `kind` on the columns it will receive, filled in as far as a sensible default goes. */
export function newStep(kind: StepKind, columns: ColumnSchema[]): RecipeStep {
  switch (kind) {
    case 'drop':
      return { kind, columns: [pick(columns)] };
    case 'rename': {
      const from = pick(columns);
      return { kind, from, to: `${from} (renamed)` };
    }
    case 'cast': {
      const column = pick(columns);
      const type = columns.find((c) => c.name === column)?.type;
      return { kind, column, to: type === 'number' || type === 'date' ? 'category' : 'number' };
    }
    case 'filter':
      return { kind, condition: { kind: 'all', conditions: [newCompare(columns, pick(columns, 'number'))] } };
    case 'impute': {
      const column = pick(columns);
      const type = columns.find((c) => c.name === column)?.type;
      return { kind, column, strategy: type === 'number' ? 'median' : 'most_frequent' };
    }
    case 'scale':
      return { kind, column: pick(columns, 'number'), method: 'standard' };
    case 'clip':
      return { kind, column: pick(columns, 'number'), by: 'quantile', lower: 0.01, upper: 0.99 };
    case 'onehot':
    case 'ordinal':
      return { kind, column: pick(columns, 'category') };
    case 'bucketize':
      return { kind, column: pick(columns, 'number'), boundaries: [0] };
    case 'dateparts': {
      // A date column when there is one; else text that may hold dates (old versions imported dates as text).
      const hasDate = columns.some((c) => c.role !== 'target' && c.type === 'date');
      return { kind, column: pick(columns, hasDate ? 'date' : 'category'), parts: ['year', 'month', 'day'] };
    }
    case 'hash':
      return { kind, column: pick(columns, 'category'), buckets: 32 };
    case 'topk':
      return { kind, column: pick(columns, 'category'), k: 20 };
  }
}

/**
 * The columns each step receives: entry i is the input of step i, the last entry the recipe's output. One-hot
 * columns depend on the data, so they appear once a preview has fitted the recipe (`fitted` for these same steps);
 * before that the source column just disappears.
 */
export function columnsAtSteps(steps: RecipeStep[], schema: ColumnSchema[], fitted: FittedRecipe | null): ColumnSchema[][] {
  let state: SchemaState = { columns: schema, pending: [] };
  const out: ColumnSchema[][] = [schema];
  steps.forEach((step, i) => {
    const fit = fitted?.steps[i];
    if (step.kind === 'onehot' && fit?.kind === 'onehot' && fit.column === step.column) {
      const made = fit.categories.map((c): ColumnSchema => ({ name: onehotName(step.column, c), type: 'number', role: 'feature' }));
      state = { columns: state.columns.flatMap((c) => (c.name === step.column ? made : [c])), pending: state.pending };
    } else {
      state = nextState(step, state);
    }
    out.push(state.columns);
  });
  return out;
}

/** The list with item i moved by `delta` places; unchanged when that would leave the list. */
export function moveItem<T>(items: readonly T[], i: number, delta: number): T[] {
  const j = i + delta;
  const next = [...items];
  if (i < 0 || i >= items.length || j < 0 || j >= items.length) return next;
  [next[i], next[j]] = [next[j], next[i]];
  return next;
}

/** "1, 2.5, 10" -> [1, 2.5, 10]; null when any entry is not a finite number (validation says what is allowed). */
export function parseNumberList(text: string): number[] | null {
  const parts = text.split(',').map((p) => p.trim()).filter((p) => p !== '');
  const values = parts.map(Number);
  return values.every(Number.isFinite) ? values : null;
}

/** Problems grouped by step; the recipe-wide ones (step -1) under -1. */
export function problemsByStep(problems: readonly RecipeProblem[]): Map<number, RecipeProblem[]> {
  const out = new Map<number, RecipeProblem[]>();
  for (const p of problems) out.set(p.step, [...(out.get(p.step) ?? []), p]);
  return out;
}
