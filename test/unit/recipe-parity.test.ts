// The guarantee against training/serving skew: for random tables and random valid recipes, every row the table path
// keeps equals what the serving path (applyRecipeToRow, shipped in the export bundle) makes of that same raw row.

import { describe, expect, it } from 'vitest';
import { applyRecipeToTable } from '../../src/core/recipe/apply-table';
import { fitRecipe } from '../../src/core/recipe/fit';
import { tableRow } from '../../src/core/recipe/rows';
import type { Condition, DatePart, FittedRecipe, Recipe, RecipeStep } from '../../src/core/recipe/types';
import { nextState, validateRecipe, type SchemaState } from '../../src/core/recipe/check-recipe';
import { mulberry32 } from '../../src/core/shared/rng';
import { applyRecipeToRow } from '../../src/core/serving/recipe.js';
import type { ColumnData, ColumnSchema, RawRow, Table } from '../../src/core/shared/types';
import { SPLIT_NONE, SPLIT_TEST, SPLIT_TRAIN, SPLIT_VALIDATION } from '../../src/core/shared/types';

type Rand = () => number;

const pick = <T>(rand: Rand, items: readonly T[]): T => items[Math.floor(rand() * items.length)];
const int = (rand: Rand, lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));

const NAMES = ['a', 'b', '__proto__', 'constructor', 'toString', 'with space', 'é', 'x.y', ''];
const NUMBERS = [0, -0, 1, -1, 2.5, 3, 7, 10, 1e-7, 123456.789, -42, 0.1, 0.2, 1e21];
// Text cells as files have them: padded, missing spellings, numbers, dates (some impossible), odd characters.
const TEXTS = ['a', 'b', 'c', ' d ', 'NA', '', '?', '1.5', '7', '-0', '1e3', 'x1', '2020-01-05', '2021/02/28', '2021-02-29',
  '1999-12-31T23:59:59Z', '2000-02-29 12:00', '__proto__', 'constructor', 'ümlaut', 'a=b'];

function randomTable(rand: Rand): { schema: ColumnSchema[]; table: Table; assignment: Uint8Array } {
  const rowCount = int(rand, 1, 40);
  const names = NAMES.filter(() => rand() < 0.5);
  if (names.length === 0) names.push('a');
  names.push('target');
  const schema: ColumnSchema[] = [];
  const columns: ColumnData[] = [];
  names.forEach((name, i) => {
    const isTarget = i === names.length - 1;
    const type = rand() < 0.5 ? 'number' : 'category';
    schema.push({ name, type, role: isTarget ? 'target' : rand() < 0.15 ? 'ignore' : 'feature' });
    const missing = rand() * 0.4;
    if (type === 'number') {
      const values = Float64Array.from({ length: rowCount }, () => (rand() < missing ? NaN : rand() < 0.5 ? pick(rand, NUMBERS) : Math.round(rand() * 2000 - 1000) / 8));
      columns.push({ kind: 'number', values });
    } else {
      // Dictionaries as a file may give them: with padded duplicates and missing spellings among the entries.
      const dictionary = TEXTS.filter(() => rand() < 0.4);
      if (dictionary.length === 0) dictionary.push('a');
      const codes = Int32Array.from({ length: rowCount }, () => (rand() < missing ? -1 : int(rand, 0, dictionary.length - 1)));
      columns.push({ kind: 'category', codes, dictionary });
    }
  });
  const assignment = Uint8Array.from({ length: rowCount }, () => pick(rand, [SPLIT_TRAIN, SPLIT_TRAIN, SPLIT_TRAIN, SPLIT_VALIDATION, SPLIT_TEST, SPLIT_NONE]));
  return { schema, table: { names, columns, rowCount }, assignment };
}

function randomCondition(rand: Rand, columns: ColumnSchema[], depth: number): Condition {
  if (depth < 2 && rand() < 0.25) {
    const conditions = Array.from({ length: int(rand, 0, 3) }, () => randomCondition(rand, columns, depth + 1));
    return { kind: rand() < 0.5 ? 'all' : 'any', conditions };
  }
  const col = pick(rand, columns);
  const r = rand();
  if (r < 0.25) return { kind: 'missing', column: col.name, negate: rand() < 0.5 };
  if (col.type === 'category' && r < 0.5) {
    return { kind: 'in', column: col.name, values: TEXTS.filter(() => rand() < 0.3).map((t) => t.trim()), negate: rand() < 0.5 };
  }
  const op = pick(rand, ['eq', 'ne', 'lt', 'le', 'gt', 'ge'] as const);
  return { kind: 'compare', column: col.name, op, value: col.type === 'number' ? pick(rand, NUMBERS) : pick(rand, TEXTS).trim() };
}

const PARTS: DatePart[] = ['year', 'month', 'day', 'weekday', 'hour', 'dayofyear'];

/** A step that suits the columns at hand, or null when the chosen kind has nothing to work on. */
function randomStep(rand: Rand, state: SchemaState, fresh: () => string): RecipeStep | null {
  const cols = state.columns;
  const nonTarget = cols.filter((c) => c.role !== 'target');
  const numbers = nonTarget.filter((c) => c.type === 'number');
  const cats = nonTarget.filter((c) => c.type === 'category');
  const kind = pick(rand, ['drop', 'rename', 'cast', 'filter', 'impute', 'scale', 'clip', 'onehot', 'ordinal', 'bucketize', 'dateparts', 'hash', 'topk'] as const);
  switch (kind) {
    case 'drop':
      return nonTarget.length > 1 ? { kind, columns: [pick(rand, nonTarget).name] } : null;
    case 'rename':
      return { kind, from: pick(rand, cols).name, to: fresh() };
    case 'cast': {
      const col = pick(rand, cols);
      return { kind, column: col.name, to: col.type === 'number' ? 'category' : 'number' };
    }
    case 'filter':
      return { kind, condition: randomCondition(rand, cols, 0) };
    case 'impute': {
      const col = pick(rand, nonTarget);
      if (!col) return null;
      const strategy = pick(rand, col.type === 'number' ? (['mean', 'median', 'most_frequent', 'constant'] as const) : (['most_frequent', 'constant'] as const));
      if (strategy !== 'constant') return { kind, column: col.name, strategy };
      return { kind, column: col.name, strategy, constant: col.type === 'number' ? pick(rand, NUMBERS) : pick(rand, ['filled', 'a', '7']) };
    }
    case 'scale':
      return numbers.length ? { kind, column: pick(rand, numbers).name, method: rand() < 0.5 ? 'standard' : 'minmax' } : null;
    case 'clip': {
      if (!numbers.length) return null;
      const lower = Math.round(rand() * 50) / 100;
      const upper = lower + Math.round(rand() * (1 - lower) * 100) / 100;
      return rand() < 0.5
        ? { kind, column: pick(rand, numbers).name, by: 'quantile', lower, upper: Math.min(upper, 1) }
        : { kind, column: pick(rand, numbers).name, by: 'value', lower: lower * 100 - 50, upper: upper * 100 - 50 };
    }
    case 'onehot':
    case 'ordinal':
      return cats.length ? { kind, column: pick(rand, cats).name } : null;
    case 'bucketize': {
      if (!numbers.length) return null;
      const boundaries = [...new Set(Array.from({ length: int(rand, 1, 4) }, () => pick(rand, NUMBERS)))].sort((x, y) => x - y);
      return { kind, column: pick(rand, numbers).name, boundaries: boundaries.filter((b, i) => i === 0 || b > boundaries[i - 1]) };
    }
    case 'hash':
      return cats.length ? { kind, column: pick(rand, cats).name, buckets: int(rand, 2, 6) } : null;
    case 'topk':
      return cats.length ? { kind, column: pick(rand, cats).name, k: int(rand, 1, 4) } : null;
    case 'dateparts':
      return cats.length ? { kind, column: pick(rand, cats).name, parts: PARTS.filter(() => rand() < 0.5).concat('year').filter((p, i, a) => a.indexOf(p) === i), keep: rand() < 0.3 } : null;
    default:
      return null;
  }
}

function randomRecipe(rand: Rand, schema: ColumnSchema[]): Recipe {
  let state: SchemaState = { columns: schema, pending: [] };
  let n = 0;
  const fresh = () => `renamed ${n++}`;
  const steps: RecipeStep[] = [];
  const want = int(rand, 1, 7);
  for (let tries = 0; steps.length < want && tries < 30; tries++) {
    const step = randomStep(rand, state, fresh);
    if (!step) continue;
    steps.push(step);
    state = nextState(step, state);
  }
  return { version: 1, steps };
}

/** The row as serving would receive it from a file: every number as text, every missing value as 'NA'. */
function asText(row: RawRow): RawRow {
  const out: RawRow = Object.create(null);
  // String(-0) is '0'; a file that held -0 spells it '-0'.
  for (const [k, v] of Object.entries(row)) out[k] = v === null ? 'NA' : Object.is(v, -0) ? '-0' : String(v);
  return out;
}

describe('table path and row path agree', () => {
  it('on every kept row of random tables under random recipes', () => {
    const rand = mulberry32(20261127);
    let fittedCount = 0;
    let rowsChecked = 0;
    let rowsFiltered = 0;
    const kinds = new Set<string>();
    for (let trial = 0; trial < 400; trial++) {
      const { schema, table, assignment } = randomTable(rand);
      const recipe = randomRecipe(rand, schema);
      const check = validateRecipe(recipe, schema);
      if (!check.ok) continue;
      const outcome = fitRecipe(recipe, schema, table, assignment);
      if (!outcome.ok) continue;
      fittedCount++;
      recipe.steps.forEach((s) => kinds.add(s.kind));
      // Served as the export bundle would: from JSON.
      const shipped = JSON.parse(JSON.stringify(outcome.fitted)) as FittedRecipe;
      const replay = applyRecipeToTable(shipped, schema, table, assignment);
      expect(replay.table, `trial ${trial}`).toEqual(outcome.result.table);
      const { table: out, rows } = outcome.result;
      rowsFiltered += table.rowCount - out.rowCount;
      for (let j = 0; j < out.rowCount; j++) {
        const input = tableRow(table, rows[j]);
        const expected = tableRow(out, j);
        const context = `trial ${trial}, row ${rows[j]}: ${JSON.stringify(recipe.steps)}`;
        expect(applyRecipeToRow(shipped, input), context).toEqual(expected);
        expect(applyRecipeToRow(shipped, asText(input)), `${context} (as text)`).toEqual(expected);
        rowsChecked++;
      }
    }
    // The fuzz must actually exercise the steps, not skip its way to green.
    expect(fittedCount).toBeGreaterThan(200);
    expect(rowsChecked).toBeGreaterThan(2000);
    expect(rowsFiltered).toBeGreaterThan(100);
    expect([...kinds].sort()).toEqual(['bucketize', 'cast', 'clip', 'dateparts', 'drop', 'filter', 'hash', 'impute', 'onehot', 'ordinal', 'rename', 'scale', 'topk']);
  });
});
