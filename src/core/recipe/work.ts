// A table between recipe steps, held the way the serving path sees cells: columns in schema order, numbers with NaN
// for every missing value, category dictionaries of distinct trimmed non-missing texts. Conditions are evaluated
// here as row masks, with the same cell function the serving path calls.

import type { ColumnData, ColumnSchema, Table } from '../shared/types';
import type { Condition } from './types';
import { categoryValue, numberValue, testCondition } from '../serving/recipe.js';
import { isoDate } from '../serving/dates.js';

type NumberColumn = Extract<ColumnData, { kind: 'number' }>;
export type CategoryColumn = Extract<ColumnData, { kind: 'category' }>;
export type DateColumn = Extract<ColumnData, { kind: 'date' }>;
/** What recipe steps work on: image columns are refused before a step runs (see validateRecipe). */
export type TabularColumn = NumberColumn | CategoryColumn | DateColumn;

/**
 * A table between steps. Category dictionaries hold distinct, trimmed, non-missing values (what categoryValue
 * reads), so a dictionary entry is exactly the cell the row path sees. Columns may share arrays with the input:
 * tables are treated as immutable.
 */
export interface Work {
  schema: ColumnSchema[];
  columns: TabularColumn[];
  rowCount: number;
  assignment: Uint8Array;
  /** The input row each row came from; null until a filter drops a row. */
  origin: Int32Array | null;
}

export interface TableResult {
  schema: ColumnSchema[];
  table: Table;
  assignment: Uint8Array;
  /** For each row of `table`, its index in the input table (filters drop rows; order is kept). */
  rows: Int32Array;
}

function normalizeNumbers(col: NumberColumn): NumberColumn {
  const v = col.values;
  for (let i = 0; i < v.length; i++) {
    if (!Number.isFinite(v[i]) && !Number.isNaN(v[i])) return { kind: 'number', values: v.map((x) => numberValue(x)) };
  }
  return col;
}

function normalizeCategories(col: CategoryColumn): CategoryColumn {
  const index = new Map<string, number>();
  const dictionary: string[] = [];
  const remap = col.dictionary.map((entry) => {
    const v = categoryValue(entry);
    if (v === null) return -1;
    let at = index.get(v);
    if (at === undefined) {
      at = dictionary.length;
      dictionary.push(v);
      index.set(v, at);
    }
    return at;
  });
  if (remap.every((to, from) => to === from && dictionary[to] === col.dictionary[from])) return col;
  const codes = col.codes.map((c) => (c < 0 ? -1 : remap[c]));
  return { kind: 'category', codes, dictionary };
}

/** Why a recipe refuses an image version: its steps read and write numbers and categories, cell by cell. */
export function imageRecipeMessage(column: string): string {
  return `"${column}" is an image column: recipes transform numbers and categories, so image versions are used as imported`;
}

/** The table's columns in schema order, read as the row path reads cells. */
export function startWork(schema: ColumnSchema[], table: Table, assignment: Uint8Array): Work {
  if (assignment.length !== table.rowCount) {
    throw new Error(`the split assignment has ${assignment.length} rows but the table has ${table.rowCount}`);
  }
  const at = new Map<string, number>();
  table.names.forEach((n, i) => at.set(n, i));
  const columns = schema.map((c) => {
    const i = at.get(c.name);
    if (i === undefined) throw new Error(`column "${c.name}" is not in the table`);
    const data = table.columns[i];
    if (data.kind !== c.type) throw new Error(`column "${c.name}" holds ${data.kind} data but the schema says ${c.type}`);
    if (data.kind === 'image') throw new Error(imageRecipeMessage(c.name));
    if (data.kind === 'date') return data;
    return data.kind === 'number' ? normalizeNumbers(data) : normalizeCategories(data);
  });
  return { schema: schema.map((c) => ({ ...c })), columns, rowCount: table.rowCount, assignment, origin: null };
}

/** Drops dictionary entries no row uses any more (after filters, casts and imputes). */
function compact(col: TabularColumn): TabularColumn {
  if (col.kind !== 'category') return col;
  const used = new Uint8Array(col.dictionary.length);
  for (const c of col.codes) if (c >= 0) used[c] = 1;
  if (used.every((u) => u === 1)) return col;
  const remap = new Int32Array(col.dictionary.length).fill(-1);
  const dictionary: string[] = [];
  col.dictionary.forEach((d, i) => {
    if (used[i]) {
      remap[i] = dictionary.length;
      dictionary.push(d);
    }
  });
  return { kind: 'category', codes: col.codes.map((c) => (c < 0 ? -1 : remap[c])), dictionary };
}

export function finishWork(work: Work): TableResult {
  return {
    schema: work.schema,
    table: { names: work.schema.map((c) => c.name), columns: work.columns.map(compact), rowCount: work.rowCount },
    assignment: work.assignment,
    rows: work.origin ?? Int32Array.from({ length: work.rowCount }, (_, i) => i),
  };
}

export function columnIndex(work: Work, name: string): number {
  const i = work.schema.findIndex((c) => c.name === name);
  if (i < 0) throw new Error(`there is no column "${name}" at this step`);
  return i;
}

export function numberColumn(work: Work, name: string): Float64Array {
  const col = work.columns[columnIndex(work, name)];
  if (col.kind !== 'number') throw new Error(`column "${name}" is not a number column`);
  return col.values;
}

export function dateColumn(work: Work, name: string): Float64Array {
  const col = work.columns[columnIndex(work, name)];
  if (col.kind !== 'date') throw new Error(`column "${name}" is not a date column`);
  return col.values;
}

export function categoryColumn(work: Work, name: string): CategoryColumn {
  const col = work.columns[columnIndex(work, name)];
  if (col.kind !== 'category') throw new Error(`column "${name}" is not a category column`);
  return col;
}

// ---------- Conditions, one mask per leaf ----------

/** 1 for each row where the condition holds. A category leaf is decided once per dictionary entry. */
export function conditionMask(condition: Condition, work: Work): Uint8Array {
  const n = work.rowCount;
  if (condition.kind === 'all' || condition.kind === 'any') {
    const all = condition.kind === 'all';
    const mask = new Uint8Array(n).fill(all ? 1 : 0);
    for (const sub of condition.conditions) {
      const m = conditionMask(sub, work);
      for (let r = 0; r < n; r++) mask[r] = all ? mask[r] & m[r] : mask[r] | m[r];
    }
    return mask;
  }
  const col = work.columns[columnIndex(work, condition.column)];
  const mask = new Uint8Array(n);
  if (col.kind === 'date') {
    // The row path carries a date as its ISO text; a condition sees the same text here.
    let cell: string | null = null;
    const get = () => cell;
    for (let r = 0; r < n; r++) {
      cell = isoDate(col.values[r]);
      mask[r] = testCondition(condition, get) ? 1 : 0;
    }
  } else if (col.kind === 'number') {
    const v = col.values;
    // One getter reading a moving cell, rather than a closure per row.
    let cell = NaN;
    const get = () => cell;
    for (let r = 0; r < n; r++) {
      cell = v[r];
      mask[r] = testCondition(condition, get) ? 1 : 0;
    }
  } else {
    const whenMissing = testCondition(condition, () => null) ? 1 : 0;
    const byCode = Uint8Array.from(col.dictionary, (d) => (testCondition(condition, () => d) ? 1 : 0));
    const codes = col.codes;
    for (let r = 0; r < n; r++) mask[r] = codes[r] < 0 ? whenMissing : byCode[codes[r]];
  }
  return mask;
}

