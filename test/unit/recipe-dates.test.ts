// Date columns through recipes and preprocessing: the table path and the row path (shipped in the export bundle)
// must agree on every row, as for numbers and categories (see recipe-parity.test.ts).

import { describe, expect, it } from 'vitest';
import { applyRecipeToTable } from '../../src/core/recipe/apply-table';
import { fitRecipe } from '../../src/core/recipe/fit';
import { tableRow } from '../../src/core/recipe/rows';
import type { DatePart, FittedRecipe, Recipe, RecipeStep } from '../../src/core/recipe/types';
import { validateRecipe } from '../../src/core/recipe/check-recipe';
import { encodeRows, fitPreprocessor, rawRow } from '../../src/core/train/preprocess';
import { mulberry32 } from '../../src/core/shared/rng';
import { applyRecipeToRow } from '../../src/core/serving/recipe.js';
import { encodeRow } from '../../src/core/serving/transform.js';
import type { ColumnSchema, Table } from '../../src/core/shared/types';
import { DEFAULT_READ_FORMAT, SPLIT_TEST, SPLIT_TRAIN, SPLIT_VALIDATION } from '../../src/core/shared/types';

type Rand = () => number;
const pick = <T>(rand: Rand, items: readonly T[]): T => items[Math.floor(rand() * items.length)];
const PARTS: DatePart[] = ['year', 'month', 'day', 'weekday', 'hour', 'dayofyear'];

/** A table with a date column (some at midnight, some with times, some missing), a text column of dates and a target. */
function randomTable(rand: Rand): { schema: ColumnSchema[]; table: Table; assignment: Uint8Array } {
  const rowCount = 5 + Math.floor(rand() * 30);
  const timed = rand() < 0.5;
  const when = Float64Array.from({ length: rowCount }, () => {
    if (rand() < 0.15) return NaN;
    const day = Date.UTC(1990 + Math.floor(rand() * 40), 0, 1) + Math.floor(rand() * 365) * 86_400_000;
    return timed && rand() < 0.5 ? day + Math.floor(rand() * 86_400) * 1000 : day;
  });
  const texts = ['2021-03-04', '04/03/2021', '31/12/2020', '12/31/2020', 'soon', '2020-02-29'];
  const schema: ColumnSchema[] = [
    { name: 'when', type: 'date', role: 'feature' },
    { name: 'written', type: 'category', role: 'feature' },
    { name: 'y', type: 'number', role: 'target' },
  ];
  const table: Table = {
    names: ['when', 'written', 'y'],
    rowCount,
    columns: [
      { kind: 'date', values: when },
      { kind: 'category', codes: Int32Array.from({ length: rowCount }, () => Math.floor(rand() * (texts.length + 1)) - 1), dictionary: texts },
      { kind: 'number', values: Float64Array.from({ length: rowCount }, () => rand()) },
    ],
  };
  const assignment = Uint8Array.from({ length: rowCount }, () => pick(rand, [SPLIT_TRAIN, SPLIT_TRAIN, SPLIT_VALIDATION, SPLIT_TEST]));
  assignment[0] = SPLIT_TRAIN;
  return { schema, table, assignment };
}

function randomRecipe(rand: Rand): Recipe {
  const steps: RecipeStep[] = [];
  const parts = PARTS.filter(() => rand() < 0.5).concat('year').filter((p, i, a) => a.indexOf(p) === i);
  const dayFirst = rand() < 0.5;
  switch (Math.floor(rand() * 5)) {
    case 0:
      steps.push({ kind: 'dateparts', column: 'when', parts, keep: rand() < 0.5 });
      break;
    case 1:
      steps.push({ kind: 'cast', column: 'when', to: 'category' });
      if (rand() < 0.5) steps.push({ kind: 'dateparts', column: 'when', parts });
      break;
    case 2:
      steps.push({ kind: 'cast', column: 'written', to: 'date', dayFirst });
      steps.push({ kind: 'dateparts', column: 'written', parts, keep: rand() < 0.5 });
      break;
    case 3:
      steps.push({ kind: 'filter', condition: { kind: 'compare', column: 'when', op: 'ge', value: '2005-01-01' } });
      steps.push({ kind: 'rename', from: 'when', to: 'day' });
      break;
    default:
      steps.push({ kind: 'cast', column: 'written', to: 'date', dayFirst });
      steps.push({ kind: 'cast', column: 'written', to: 'category' });
  }
  return { version: 1, steps };
}

describe('date columns in recipes', () => {
  it('agree between the table path and the row path on every kept row', () => {
    const rand = mulberry32(20211118);
    let checked = 0;
    for (let trial = 0; trial < 150; trial++) {
      const { schema, table, assignment } = randomTable(rand);
      const recipe = randomRecipe(rand);
      const check = validateRecipe(recipe, schema);
      if (!check.ok) throw new Error(JSON.stringify(check.problems));
      const outcome = fitRecipe(recipe, schema, table, assignment);
      if (!outcome.ok) continue;
      const shipped = JSON.parse(JSON.stringify(outcome.fitted)) as FittedRecipe;
      expect(applyRecipeToTable(shipped, schema, table, assignment).table).toEqual(outcome.result.table);
      const { table: out, rows } = outcome.result;
      for (let j = 0; j < out.rowCount; j++) {
        const context = `trial ${trial}, row ${rows[j]}: ${JSON.stringify(recipe.steps)}`;
        expect(applyRecipeToRow(shipped, tableRow(table, rows[j])), context).toEqual(tableRow(out, j));
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(1500);
  });

  it('takes date parts from a date column in UTC and casts dates to ISO text and back', () => {
    const table: Table = {
      names: ['when', 'y'],
      rowCount: 3,
      columns: [
        { kind: 'date', values: Float64Array.from([Date.UTC(2021, 10, 18, 14, 5), Date.UTC(2024, 1, 29), NaN]) },
        { kind: 'number', values: Float64Array.from([1, 2, 3]) },
      ],
    };
    const schema: ColumnSchema[] = [
      { name: 'when', type: 'date', role: 'feature' },
      { name: 'y', type: 'number', role: 'target' },
    ];
    const assignment = Uint8Array.from([SPLIT_TRAIN, SPLIT_TRAIN, SPLIT_TEST]);
    const parts = fitRecipe({ version: 1, steps: [{ kind: 'dateparts', column: 'when', parts: ['year', 'month', 'day', 'weekday', 'hour'] }] }, schema, table, assignment);
    if (!parts.ok) throw new Error('should fit');
    expect(tableRow(parts.result.table, 0)).toMatchObject({ 'when.year': 2021, 'when.month': 11, 'when.day': 18, 'when.weekday': 4, 'when.hour': 14 });
    expect(tableRow(parts.result.table, 2)['when.year']).toBeNull();
    const cast = fitRecipe({ version: 1, steps: [{ kind: 'cast', column: 'when', to: 'category' }] }, schema, table, assignment);
    if (!cast.ok) throw new Error('should fit');
    const col = cast.result.table.columns[0];
    expect(col.kind === 'category' && col.dictionary).toEqual(['2021-11-18T14:05:00Z', '2024-02-29']);
    // A raw serving row gives the date as the file wrote it; the run's day order reads it.
    const dayFirst = { ...DEFAULT_READ_FORMAT, dayFirst: true };
    expect(applyRecipeToRow(parts.fitted, { when: '03/04/2021' }, dayFirst)).toMatchObject({ 'when.month': 4, 'when.day': 3 });
    expect(applyRecipeToRow(parts.fitted, { when: '03/04/2021' })).toMatchObject({ 'when.month': 3, 'when.day': 4 });
  });

  it('refuses number and category steps on a date column, with the way out', () => {
    const schema: ColumnSchema[] = [
      { name: 'when', type: 'date', role: 'feature' },
      { name: 'y', type: 'number', role: 'target' },
    ];
    const check = validateRecipe({ version: 1, steps: [{ kind: 'scale', column: 'when', method: 'standard' }] }, schema);
    expect(check.ok).toBe(false);
    if (!check.ok) expect(check.problems[0].message).toMatch(/"when" is a date column; add date parts or cast it to category first/);
    const toNumber = validateRecipe({ version: 1, steps: [{ kind: 'cast', column: 'when', to: 'number' }] }, schema);
    expect(toNumber.ok).toBe(false);
  });
});

describe('a date feature in the model input', () => {
  it('is days since 1970 standardised on the training rows, and a raw row reads the same', () => {
    const days = [Date.UTC(2021, 0, 1), Date.UTC(2021, 0, 11), Date.UTC(2021, 0, 21), NaN];
    const table: Table = {
      names: ['when', 'y'],
      rowCount: 4,
      columns: [
        { kind: 'date', values: Float64Array.from(days) },
        { kind: 'category', codes: Int32Array.from([0, 1, 0, 1]), dictionary: ['a', 'b'] },
      ],
    };
    const schema: ColumnSchema[] = [
      { name: 'when', type: 'date', role: 'feature' },
      { name: 'y', type: 'category', role: 'target' },
    ];
    const assignment = Uint8Array.from([SPLIT_TRAIN, SPLIT_TRAIN, SPLIT_TRAIN, SPLIT_TEST]);
    const pre = fitPreprocessor('classification', schema, table, assignment);
    const mean = Date.UTC(2021, 0, 11) / 86_400_000;
    expect(pre.features[0]).toMatchObject({ kind: 'date', name: 'when', mean });
    const rows = Int32Array.from([0, 1, 2, 3]);
    const { x } = encodeRows(pre, schema, table, rows);
    for (const r of rows) {
      const raw = rawRow(schema, table, r);
      expect(Float32Array.from(encodeRow(pre, raw))[0], `row ${r}`).toBe(x[r]);
    }
    expect(rawRow(schema, table, 0)).toEqual({ when: '2021-01-01' });
    expect(x[3]).toBe(0);
    // 01/11/2021 read day first is 1 November, month first 11 January: the run's format decides.
    expect(encodeRow(pre, { when: '01/11/2021' })[0]).toBe(0);
    expect(encodeRow(pre, { when: '01/11/2021' }, { ...DEFAULT_READ_FORMAT, dayFirst: true })[0]).toBeGreaterThan(10);
  });
});
