// Checks a recipe before anything runs: first its JSON shape (a recipe may come from storage, an import or a hand
// edit, so it is `unknown` until checked), then each step against the columns the steps before it leave. Every
// message says which step and which field it is about, so the UI can show it next to the control that caused it.

import type { ColumnSchema } from '../shared/types';
import type { Condition, Recipe, RecipeProblem, RecipeStep } from './types';
import { DATE_PARTS } from './types';
import { categoryValue, datePartName } from '../serving/recipe.js';
import { imageRecipeMessage } from './work';
import { isNumberFormat } from '../data/number-format';

const MAX_CONDITION_DEPTH = 16;
const MAX_BOUNDARIES = 1000;
/** Buckets of a hash step and values kept by a topk step: each becomes a one-hot input later, so as many as one-hot allows. */
export const MAX_HASH_BUCKETS = 1000;
export const MAX_TOPK = 1000;

/**
 * The columns between steps. `pending` holds the sources of one-hot steps: their new columns depend on the data,
 * so before fitting a name starting `${source}=` may exist; it is taken to be a number feature.
 */
export interface SchemaState {
  columns: ColumnSchema[];
  pending: string[];
}

type Fields = Record<string, unknown>;

function isRecord(v: unknown): v is Fields {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

class Report {
  readonly problems: RecipeProblem[] = [];
  constructor(readonly step: number) {}
  add(field: string, message: string, column = ''): void {
    this.problems.push({ step: this.step, field, column, message });
  }
}

function isFiniteNumber(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

/** Fields other than `allowed` are refused: an unknown field would be silently ignored yet change the recipe's hash. */
function extraFields(v: Fields, allowed: string[], at: string, report: Report): void {
  for (const key of Object.keys(v)) {
    if (!allowed.includes(key)) report.add(join(at, key), `unknown field "${key}"`);
  }
}

function join(at: string, field: string): string {
  return at === '' ? field : `${at}.${field}`;
}

function needString(v: Fields, key: string, at: string, report: Report): boolean {
  if (typeof v[key] === 'string') return true;
  report.add(join(at, key), `"${key}" must be text`);
  return false;
}

function needOneOf(v: Fields, key: string, options: readonly string[], at: string, report: Report): boolean {
  if (typeof v[key] === 'string' && options.includes(v[key])) return true;
  report.add(join(at, key), `"${key}" must be one of ${options.join(', ')}`);
  return false;
}

function conditionShape(c: unknown, at: string, depth: number, report: Report): void {
  if (!isRecord(c)) return report.add(at, 'a condition must be an object');
  if (depth > MAX_CONDITION_DEPTH) return report.add(at, `conditions nest deeper than ${MAX_CONDITION_DEPTH} levels`);
  switch (c.kind) {
    case 'compare':
      extraFields(c, ['kind', 'column', 'op', 'value'], at, report);
      needString(c, 'column', at, report);
      needOneOf(c, 'op', ['eq', 'ne', 'lt', 'le', 'gt', 'ge'], at, report);
      if (!(typeof c.value === 'string' || isFiniteNumber(c.value))) report.add(join(at, 'value'), 'the value must be a finite number or text');
      return;
    case 'missing':
      extraFields(c, ['kind', 'column', 'negate'], at, report);
      needString(c, 'column', at, report);
      if (typeof c.negate !== 'boolean') report.add(join(at, 'negate'), '"negate" must be true or false');
      return;
    case 'in':
      extraFields(c, ['kind', 'column', 'values', 'negate'], at, report);
      needString(c, 'column', at, report);
      if (!Array.isArray(c.values) || !c.values.every((x) => typeof x === 'string')) report.add(join(at, 'values'), '"values" must be a list of texts');
      if (typeof c.negate !== 'boolean') report.add(join(at, 'negate'), '"negate" must be true or false');
      return;
    case 'all':
    case 'any':
      extraFields(c, ['kind', 'conditions'], at, report);
      if (!Array.isArray(c.conditions)) return report.add(join(at, 'conditions'), '"conditions" must be a list');
      c.conditions.forEach((sub, i) => conditionShape(sub, `${join(at, 'conditions')}[${i}]`, depth + 1, report));
      return;
    default:
      report.add(join(at, 'kind'), 'a condition is one of compare, missing, in, all, any');
  }
}

const STEP_FIELDS: Record<RecipeStep['kind'], string[]> = {
  drop: ['columns'],
  rename: ['from', 'to'],
  cast: ['column', 'to', 'format', 'dayFirst'],
  filter: ['condition'],
  impute: ['column', 'strategy', 'constant'],
  scale: ['column', 'method'],
  clip: ['column', 'by', 'lower', 'upper'],
  onehot: ['column'],
  ordinal: ['column'],
  bucketize: ['column', 'boundaries'],
  dateparts: ['column', 'parts', 'keep'],
  hash: ['column', 'buckets'],
  topk: ['column', 'k'],
};

function isStepKind(k: unknown): k is RecipeStep['kind'] {
  return typeof k === 'string' && Object.hasOwn(STEP_FIELDS, k);
}

function stepShape(s: unknown, report: Report): void {
  if (!isRecord(s)) return report.add('', 'a step must be an object');
  if (!isStepKind(s.kind)) return report.add('kind', `unknown step kind; one of ${Object.keys(STEP_FIELDS).join(', ')}`);
  extraFields(s, ['kind', ...STEP_FIELDS[s.kind]], '', report);
  if (s.kind !== 'drop' && s.kind !== 'rename' && s.kind !== 'filter') needString(s, 'column', '', report);
  switch (s.kind) {
    case 'drop': {
      const cols = s.columns;
      if (!Array.isArray(cols) || cols.length === 0 || !cols.every((c) => typeof c === 'string')) {
        report.add('columns', 'name at least one column to drop');
      } else if (new Set(cols).size !== cols.length) report.add('columns', 'a column is named twice');
      return;
    }
    case 'rename':
      needString(s, 'from', '', report);
      if (needString(s, 'to', '', report) && s.to === '') report.add('to', 'the new name is empty');
      return;
    case 'cast':
      needOneOf(s, 'to', ['number', 'category', 'date'], '', report);
      if (s.dayFirst !== undefined && typeof s.dayFirst !== 'boolean') report.add('dayFirst', '"dayFirst" must be true or false');
      if (s.format !== undefined && !isNumberFormat(s.format)) {
        report.add('format', 'a number format is { decimal: "." or ",", thousands: "", ",", ".", " " or "\'" } with two different marks');
      }
      return;
    case 'filter':
      conditionShape(s.condition, 'condition', 0, report);
      return;
    case 'impute':
      if (needOneOf(s, 'strategy', ['mean', 'median', 'most_frequent', 'constant'], '', report)) {
        const c = s.constant;
        if (s.strategy === 'constant') {
          if (!(typeof c === 'string' || isFiniteNumber(c))) report.add('constant', 'the constant must be a finite number or text');
        } else if (c !== undefined) report.add('constant', 'a constant is only used by the constant strategy');
      }
      return;
    case 'scale':
      needOneOf(s, 'method', ['standard', 'minmax'], '', report);
      return;
    case 'clip': {
      needOneOf(s, 'by', ['quantile', 'value'], '', report);
      const { lower, upper } = s;
      if (!isFiniteNumber(lower)) report.add('lower', 'the lower bound must be a finite number');
      if (!isFiniteNumber(upper)) report.add('upper', 'the upper bound must be a finite number');
      if (isFiniteNumber(lower) && isFiniteNumber(upper)) {
        if (lower > upper) report.add('upper', 'the upper bound is below the lower bound');
        if (s.by === 'quantile' && (lower < 0 || upper > 1)) report.add(lower < 0 ? 'lower' : 'upper', 'quantiles lie between 0 and 1');
      }
      return;
    }
    case 'bucketize': {
      const b = s.boundaries;
      if (!Array.isArray(b) || b.length === 0 || !b.every(isFiniteNumber)) report.add('boundaries', 'give at least one finite boundary');
      else if (b.length > MAX_BOUNDARIES) report.add('boundaries', `at most ${MAX_BOUNDARIES} boundaries`);
      else if (b.some((x, i) => i > 0 && x <= b[i - 1])) report.add('boundaries', 'boundaries must increase strictly');
      return;
    }
    case 'dateparts': {
      const p = s.parts;
      if (!Array.isArray(p) || p.length === 0 || !p.every((x) => typeof x === 'string' && (DATE_PARTS as readonly string[]).includes(x))) {
        report.add('parts', `choose parts among ${DATE_PARTS.join(', ')}`);
      } else if (new Set(p).size !== p.length) report.add('parts', 'a part is named twice');
      if (s.keep !== undefined && typeof s.keep !== 'boolean') report.add('keep', '"keep" must be true or false');
      return;
    }
    case 'hash':
      if (!Number.isInteger(s.buckets) || (s.buckets as number) < 2 || (s.buckets as number) > MAX_HASH_BUCKETS) {
        report.add('buckets', `the number of buckets must be a whole number from 2 to ${MAX_HASH_BUCKETS}`);
      }
      return;
    case 'topk':
      if (!Number.isInteger(s.k) || (s.k as number) < 1 || (s.k as number) > MAX_TOPK) {
        report.add('k', `k (the values kept) must be a whole number from 1 to ${MAX_TOPK}`);
      }
      return;
    default:
      return;
  }
}

/** Problems with the JSON shape alone, before any column is looked at. */
export function recipeShapeProblems(recipe: unknown): RecipeProblem[] {
  const top = new Report(-1);
  if (!isRecord(recipe)) {
    top.add('', 'a recipe must be an object with "version" and "steps"');
    return top.problems;
  }
  extraFields(recipe, ['version', 'steps'], '', top);
  if (recipe.version !== 1) top.add('version', 'only recipe version 1 is known');
  if (!Array.isArray(recipe.steps)) {
    top.add('steps', '"steps" must be a list');
    return top.problems;
  }
  const problems = [...top.problems];
  recipe.steps.forEach((s, i) => {
    const r = new Report(i);
    stepShape(s, r);
    problems.push(...r.problems);
  });
  return problems;
}

// ---------- Steps against columns ----------

export function findColumn(state: SchemaState, name: string): ColumnSchema | null {
  for (const c of state.columns) if (c.name === name) return c;
  for (const p of state.pending) {
    if (name.startsWith(`${p}=`)) return { name, type: 'number', role: 'feature' };
  }
  return null;
}

/** Steps that change a column's values; on the target they would change what the model predicts into units serving cannot undo. */
const CHANGES_VALUES = new Set<RecipeStep['kind']>(['impute', 'scale', 'clip', 'onehot', 'ordinal', 'bucketize', 'dateparts', 'hash', 'topk']);

function needColumn(state: SchemaState, name: string, field: string, report: Report): ColumnSchema | null {
  const col = findColumn(state, name);
  if (!col) report.add(field, `there is no column "${name}" at this step`, name);
  return col;
}

function checkCondition(c: Condition, at: string, state: SchemaState, report: Report): void {
  if (c.kind === 'all' || c.kind === 'any') {
    c.conditions.forEach((sub, i) => checkCondition(sub, `${at}.conditions[${i}]`, state, report));
    return;
  }
  const col = needColumn(state, c.column, `${at}.column`, report);
  if (!col) return;
  if (c.kind === 'compare' && typeof c.value !== (col.type === 'number' ? 'number' : 'string')) {
    report.add(`${at}.value`, `"${c.column}" is a ${col.type} column: compare it with ${col.type === 'number' ? 'a number' : 'text'}`, c.column);
  }
  if (c.kind === 'in' && col.type !== 'category') {
    report.add(`${at}.column`, `"${c.column}" is a number column: use comparisons instead of a list of values`, c.column);
  }
}

function nameTaken(state: SchemaState, name: string, except: string): boolean {
  return name !== except && findColumn(state, name) !== null;
}

/** Problems of one (well-shaped) step against the columns it receives. */
export function checkStep(step: RecipeStep, index: number, state: SchemaState): RecipeProblem[] {
  const report = new Report(index);
  switch (step.kind) {
    case 'drop':
      step.columns.forEach((name, i) => {
        const col = needColumn(state, name, `columns[${i}]`, report);
        if (col?.role === 'target') report.add(`columns[${i}]`, `"${name}" is the target: the model needs it`, name);
      });
      break;
    case 'rename':
      if (needColumn(state, step.from, 'from', report)) {
        if (step.from === step.to) report.add('to', 'the new name is the same as the old', step.from);
        else if (nameTaken(state, step.to, step.from)) report.add('to', `a column named "${step.to}" already exists`, step.to);
      }
      break;
    case 'filter':
      checkCondition(step.condition, 'condition', state, report);
      break;
    default: {
      const col = needColumn(state, step.column, 'column', report);
      if (!col) break;
      if (col.role === 'target' && CHANGES_VALUES.has(step.kind)) {
        report.add('column', `"${col.name}" is the target: a ${step.kind} step would change what the model predicts`, col.name);
      }
      checkTyped(step, col, state, report);
    }
  }
  return report.problems;
}

function checkTyped(step: RecipeStep, col: ColumnSchema, state: SchemaState, report: Report): void {
  const want = (type: 'number' | 'category', why: string) => {
    if (col.type !== type) report.add('column', `"${col.name}" is a ${col.type} column; ${why}`, col.name);
  };
  // Steps other than cast, drop, rename, filter and dateparts read numbers or categories, not dates.
  if (col.type === 'date' && step.kind !== 'cast' && step.kind !== 'dateparts') {
    report.add('column', `"${col.name}" is a date column; add date parts or cast it to category first`, col.name);
    return;
  }
  switch (step.kind) {
    case 'cast':
      if (col.type === step.to) report.add('to', `"${col.name}" is already a ${col.type} column`, col.name);
      else if (step.to === 'date' && col.type !== 'category') report.add('to', `only a category column (text) can be cast to date; "${col.name}" is a ${col.type} column`, col.name);
      else if (step.to === 'number' && col.type === 'date') report.add('to', `a date column cannot be cast to number; add date parts instead`, col.name);
      break;
    case 'impute':
      if (step.strategy === 'mean' || step.strategy === 'median') want('number', `${step.strategy} needs a number column`);
      if (step.strategy === 'constant' && typeof step.constant !== (col.type === 'number' ? 'number' : 'string')) {
        report.add('constant', `"${col.name}" is a ${col.type} column: the constant must be ${col.type === 'number' ? 'a number' : 'text'}`, col.name);
      } else if (typeof step.constant === 'string' && categoryValue(step.constant) !== step.constant) {
        // Stored as is, such a value would read back as missing or as other text when the version is loaded again.
        report.add('constant', 'the constant must not be a spelling of a missing value or start or end with spaces', col.name);
      }
      break;
    case 'scale':
      want('number', 'scaling needs numbers');
      break;
    case 'clip':
      want('number', 'clipping needs numbers');
      break;
    case 'bucketize':
      want('number', 'bucketize needs numbers');
      break;
    case 'onehot':
    case 'ordinal':
      want('category', `${step.kind} encodes categories (cast it to category first)`);
      break;
    case 'hash':
    case 'topk':
      want('category', `${step.kind === 'hash' ? 'hashing' : 'keeping the top k values'} groups categories (cast it to category first)`);
      break;
    case 'dateparts':
      if (col.type !== 'date') want('category', 'date parts need a date column (or text of dates)');
      for (const p of step.parts) {
        const name = datePartName(col.name, p);
        if (nameTaken(state, name, '')) report.add('parts', `a column named "${name}" already exists`, name);
      }
      break;
    default:
      break;
  }
}

/** The columns after a step, on a best-effort basis when the step has problems (so later steps are still checked). */
export function nextState(step: RecipeStep, state: SchemaState): SchemaState {
  const columns = state.columns;
  const pending = state.pending;
  const replace = (name: string, make: (c: ColumnSchema) => ColumnSchema[]): SchemaState => ({
    columns: columns.flatMap((c) => (c.name === name ? make(c) : [c])),
    pending,
  });
  switch (step.kind) {
    case 'drop':
      return { columns: columns.filter((c) => !step.columns.includes(c.name)), pending };
    case 'rename':
      return replace(step.from, (c) => [{ ...c, name: step.to }]);
    case 'cast':
      return replace(step.column, (c) => [{ ...c, type: step.to }]);
    case 'ordinal':
      return replace(step.column, (c) => [{ ...c, type: 'number' }]);
    case 'bucketize':
      return replace(step.column, (c) => [{ ...c, type: 'category' }]);
    case 'onehot':
      return { columns: columns.filter((c) => c.name !== step.column), pending: [...pending, step.column] };
    case 'dateparts':
      return replace(step.column, (c) => [
        ...(step.keep ? [c] : []),
        ...step.parts.map((p): ColumnSchema => ({ name: datePartName(c.name, p), type: 'number', role: 'feature' })),
      ]);
    default:
      return state;
  }
}

export type RecipeCheck = { ok: true; recipe: Recipe } | { ok: false; problems: RecipeProblem[] };

/**
 * Checks a recipe against the columns it will be fitted on. Columns made by one-hot steps are only known once fitted,
 * so references to them are assumed valid here and checked again by fitRecipe.
 */
export function validateRecipe(recipe: unknown, schema: ColumnSchema[]): RecipeCheck {
  const shape = recipeShapeProblems(recipe);
  if (shape.length > 0) return { ok: false, problems: shape };
  const r = recipe as Recipe;
  const problems: RecipeProblem[] = [];
  let state: SchemaState = { columns: schema, pending: [] };
  const names = new Set<string>();
  for (const c of schema) {
    if (names.has(c.name)) problems.push({ step: -1, field: '', column: c.name, message: `the column "${c.name}" appears twice` });
    names.add(c.name);
  }
  for (const c of schema) {
    if (c.type === 'image') problems.push({ step: -1, field: '', column: c.name, message: imageRecipeMessage(c.name) });
  }
  if (problems.length > 0) return { ok: false, problems };
  r.steps.forEach((step, i) => {
    problems.push(...checkStep(step, i, state));
    state = nextState(step, state);
  });
  if (schema.some((c) => c.role === 'feature') && state.pending.length === 0 && !state.columns.some((c) => c.role === 'feature')) {
    problems.push({ step: -1, field: '', column: '', message: 'the recipe leaves no feature column for a model to learn from' });
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, recipe: r };
}

/** One problem as a sentence, for logs and plain messages: "Step 3 (column): there is no column "x" at this step". */
export function describeProblem(p: RecipeProblem): string {
  const where = p.step < 0 ? 'Recipe' : `Step ${p.step + 1}`;
  return `${where}${p.field ? ` (${p.field})` : ''}: ${p.message}`;
}
