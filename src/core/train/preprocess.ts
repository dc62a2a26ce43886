// The training half of the preprocessing recipe: fit on the training split only (so validation and test stay
// unseen), then encode columns in bulk. Per-cell semantics come from serving/transform.js so that the bulk
// encoder and the row encoder shipped with a model cannot drift apart.

import type { ColumnData, ColumnSchema, FeatureEncoding, Preprocessor, RawRow, Table, Task } from '../shared/types';
import { SPLIT_NONE, SPLIT_TRAIN } from '../shared/types';
import { categoryValue, scale } from '../serving/transform.js';
import { DAY_MS, dateText } from '../serving/dates.js';
import { showsDateOnly } from '../data/table-view';

export function rowsOf(assignment: Uint8Array, code: number): Int32Array {
  let n = 0;
  for (let i = 0; i < assignment.length; i++) if (assignment[i] === code) n++;
  const rows = new Int32Array(n);
  let k = 0;
  for (let i = 0; i < assignment.length; i++) if (assignment[i] === code) rows[k++] = i;
  return rows;
}

function columnOf(table: Table, name: string): ColumnData {
  const at = table.names.indexOf(name);
  if (at < 0) throw new Error(`column "${name}" is not in the table`);
  return table.columns[at];
}

function targetOf(schema: ColumnSchema[]): ColumnSchema {
  const target = schema.find((c) => c.role === 'target');
  if (!target) throw new Error('the schema has no target column');
  return target;
}

/** Code-unit order, not locale order: the category list must be the same on every machine. */
function byCodeUnit(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Population mean and std of the non-missing values in `rows`, with their range (serving flags inputs outside it);
 * an all-missing column gets 0 and 1 and no range.
 */
function moments(values: Float64Array, rows: Int32Array): { mean: number; std: number; min?: number; max?: number } {
  let n = 0;
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  for (const r of rows) {
    const v = values[r];
    if (!Number.isNaN(v)) {
      n++;
      sum += v;
      if (v < min) min = v;
      if (v > max) max = v;
    }
  }
  if (n === 0) return { mean: 0, std: 1 };
  const mean = sum / n;
  let sq = 0;
  for (const r of rows) {
    const v = values[r];
    if (!Number.isNaN(v)) sq += (v - mean) * (v - mean);
  }
  return { mean, std: Math.sqrt(sq / n), min, max };
}

/** A date column's values as days since 1970 (fractional for times of day), the unit the model sees. */
function dateDays(values: Float64Array): Float64Array {
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = values[i] / DAY_MS;
  return out;
}

/** Why the tabular preprocessor (one number per input) refuses an image column. */
function imageFeature(name: string): string {
  return `"${name}" is an image column: the MLP takes numbers and categories only; image projects train with the CNN family`;
}

/** Category values of a dictionary-encoded column, as the row encoder would read them (null when missing). */
function dictionaryValues(dictionary: string[]): (string | null)[] {
  return dictionary.map((d) => categoryValue(d));
}

function classLabels(column: ColumnData, rows: Int32Array): string[] {
  if (column.kind === 'category') return column.dictionary.slice();
  if (column.kind === 'image') throw new Error('an image column cannot be the target');
  if (column.kind === 'date') throw new Error('a date column cannot be the target');
  const seen = new Set<number>();
  for (const r of rows) if (!Number.isNaN(column.values[r])) seen.add(column.values[r]);
  return [...seen].sort((a, b) => a - b).map(String);
}

export function fitPreprocessor(task: Task, schema: ColumnSchema[], table: Table, assignment: Uint8Array): Preprocessor {
  const train = rowsOf(assignment, SPLIT_TRAIN);
  if (train.length === 0) throw new Error('the training split is empty');
  const features: FeatureEncoding[] = [];
  let inputSize = 0;
  for (const col of schema) {
    if (col.role !== 'feature') continue;
    const data = columnOf(table, col.name);
    if (data.kind === 'image') throw new Error(imageFeature(col.name));
    if (data.kind === 'date') {
      // Days since 1970, standardised like any number: the model sees where on the timeline a row is.
      features.push({ kind: 'date', name: col.name, ...moments(dateDays(data.values), train) });
      inputSize += 1;
    } else if (data.kind === 'number') {
      features.push({ kind: 'number', name: col.name, ...moments(data.values, train) });
      inputSize += 1;
    } else {
      const values = dictionaryValues(data.dictionary);
      const seen = new Set<string>();
      for (const r of train) {
        const code = data.codes[r];
        const v = code >= 0 ? values[code] : null;
        if (v !== null) seen.add(v);
      }
      const categories = [...seen].sort(byCodeUnit);
      features.push({ kind: 'category', name: col.name, categories });
      inputSize += categories.length;
    }
  }
  if (inputSize === 0) throw new Error('no feature carries any information: choose at least one feature column');

  const target = targetOf(schema);
  const targetData = columnOf(table, target.name);
  if (task === 'classification') {
    // Labels come from every partitioned row, not just training rows, so a class that happens to miss the training
    // split still has an output and the test report can count it.
    const labelled = new Int32Array(assignment.length);
    let n = 0;
    for (let i = 0; i < assignment.length; i++) if (assignment[i] !== SPLIT_NONE) labelled[n++] = i;
    const labels = classLabels(targetData, labelled.subarray(0, n));
    if (labels.length < 2) throw new Error(`classification needs at least two classes in "${target.name}"`);
    return { version: 1, task, target: target.name, features, labels, targetMean: 0, targetStd: 1, inputSize };
  }
  if (targetData.kind !== 'number') throw new Error(`regression needs a numeric target; "${target.name}" is a category`);
  const { mean, std } = moments(targetData.values, train);
  return { version: 1, task, target: target.name, features, labels: [], targetMean: mean, targetStd: std, inputSize };
}

/**
 * Encodes `rows` of `table` columnwise: x is row-major [rows.length, inputSize]; y holds class indices
 * (classification) or the standardised target (regression). Gives exactly the float32 of `encodeRow(rawRow(...))`.
 */
export function encodeRows(
  pre: Preprocessor,
  schema: ColumnSchema[],
  table: Table,
  rows: Int32Array,
): { x: Float32Array; y: Float32Array | Int32Array } {
  const n = rows.length;
  const width = pre.inputSize;
  const x = new Float32Array(n * width);
  let offset = 0;
  for (const f of pre.features) {
    const data = columnOf(table, f.name);
    if (f.kind === 'number' || f.kind === 'date') {
      if (data.kind !== f.kind) throw new Error(`column "${f.name}" should be ${f.kind === 'date' ? 'a date' : 'numeric'}`);
      const values = data.kind === 'date' ? dateDays(data.values) : (data as { values: Float64Array }).values;
      for (let i = 0; i < n; i++) {
        const v = values[rows[i]];
        x[i * width + offset] = scale(Number.isNaN(v) ? f.mean : v, f.mean, f.std);
      }
      offset += 1;
    } else {
      if (data.kind !== 'category') throw new Error(`column "${f.name}" should be a category`);
      const slot = dictionaryValues(data.dictionary).map((v) => (v === null ? -1 : f.categories.indexOf(v)));
      for (let i = 0; i < n; i++) {
        const code = data.codes[rows[i]];
        const at = code >= 0 ? slot[code] : -1;
        if (at >= 0) x[i * width + offset + at] = 1;
      }
      offset += f.categories.length;
    }
  }
  return { x, y: encodeTarget(pre, schema, table, rows) };
}

function encodeTarget(pre: Preprocessor, schema: ColumnSchema[], table: Table, rows: Int32Array): Float32Array | Int32Array {
  const target = targetOf(schema);
  const data = columnOf(table, target.name);
  const n = rows.length;
  const missing = (row: number): never => {
    throw new Error(`row ${row} has no value for the target "${target.name}"`);
  };
  if (pre.task === 'classification') {
    const y = new Int32Array(n);
    if (data.kind === 'image' || data.kind === 'date') throw new Error(`the target "${target.name}" is ${data.kind === 'date' ? 'a date' : 'an image'} column`);
    if (data.kind === 'category') {
      const index = data.dictionary.map((d) => pre.labels.indexOf(d));
      for (let i = 0; i < n; i++) {
        const code = data.codes[rows[i]];
        const at = code >= 0 ? index[code] : -1;
        y[i] = at >= 0 ? at : missing(rows[i]);
      }
    } else {
      for (let i = 0; i < n; i++) {
        const v = data.values[rows[i]];
        const at = Number.isNaN(v) ? -1 : pre.labels.indexOf(String(v));
        y[i] = at >= 0 ? at : missing(rows[i]);
      }
    }
    return y;
  }
  if (data.kind !== 'number') throw new Error(`regression needs a numeric target; "${target.name}" is a category`);
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const v = data.values[rows[i]];
    y[i] = Number.isNaN(v) ? missing(rows[i]) : scale(v, pre.targetMean, pre.targetStd);
  }
  return y;
}

/** The original target value of each row: the class index for classification, the number for regression. */
export function targetValues(pre: Preprocessor, schema: ColumnSchema[], table: Table, rows: Int32Array): Float64Array {
  const y = encodeTarget(pre, schema, table, rows);
  if (pre.task === 'classification') return Float64Array.from(y);
  const data = columnOf(table, targetOf(schema).name);
  if (data.kind !== 'number') throw new Error('regression needs a numeric target');
  return Float64Array.from(rows, (r) => data.values[r]);
}

/** The feature cells of one row as a user would type them: numbers as numbers, categories as text, missing as null. */
export function rawRow(schema: ColumnSchema[], table: Table, row: number): RawRow {
  const out: RawRow = {};
  for (const col of schema) {
    if (col.role !== 'feature') continue;
    const data = columnOf(table, col.name);
    let value: RawRow[string];
    if (data.kind === 'image') throw new Error(imageFeature(col.name));
    if (data.kind === 'date') {
      // As a user would type it: ISO text, read back by serving/dates.js.
      value = Number.isNaN(data.values[row]) ? null : dateText(data.values[row], showsDateOnly(data.values));
    } else if (data.kind === 'number') {
      const v = data.values[row];
      value = Number.isNaN(v) ? null : v;
    } else {
      const code = data.codes[row];
      value = code >= 0 ? data.dictionary[code] : null;
    }
    setCell(out, col.name, value);
  }
  return out;
}

/**
 * Sets a row's cell as an own property. Plain assignment to "__proto__" would change the object's
 * prototype instead of adding a column; defineProperty makes every name an ordinary key.
 */
export function setCell(row: RawRow, name: string, value: RawRow[string]): void {
  Object.defineProperty(row, name, { value, enumerable: true, writable: true, configurable: true });
}
