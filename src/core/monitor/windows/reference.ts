// The reference the live windows are compared with (DESIGN.md: the training split), in the shapes the drift tests
// take: each raw input column numeric (Float64Array, NaN missing; dates as ms) or categorical (codes against the
// categories seen in the reference rows); the model's own predictions on the reference, for prediction drift; and
// the CBPE model fitted on those predictions with their true labels, for estimated performance.
//
// Cells are read as the model's preprocessing reads them (src/core/serving/transform.js): a category is its trimmed
// text, "NA" and the other missing spellings are missing. Live windows read their cells the same way
// (./live-columns.ts), coding categories against this dictionary and appending the ones it lacks.

import { categoryValue } from '../../serving/transform.js';
import { fitCbpe, type CbpeModel } from '../stats/cbpe';
import { cleanNumeric } from '../stats/columns';
import type { LogTask } from '../log/types';
import { DEFAULT_READ_FORMAT, type ColumnSchema, type ReadFormat, type Table } from '../../shared/types';

export interface NumericReference {
  readonly name: string;
  readonly kind: 'numeric';
  /** A date column: values are ms since 1970 UTC, and live text in it is read as a date. */
  readonly dates: boolean;
  /** Per reference row; NaN when missing. */
  readonly values: Float64Array;
  /** The finite values, sorted: what the drift tests compare with, sorted once for every window. */
  readonly sorted: Float64Array;
  readonly missing: number;
}

export interface CategoricalReference {
  readonly name: string;
  readonly kind: 'categorical';
  /** Per reference row, an index into `categories`; -1 when missing. */
  readonly codes: Int32Array;
  /** The categories seen in the reference rows, in order of first appearance. */
  readonly categories: readonly string[];
  readonly index: ReadonlyMap<string, number>;
  readonly missing: number;
}

export type ReferenceColumn = NumericReference | CategoricalReference;

/**
 * The model's answers on the reference rows, as the predictor's table predictions give them (TablePredictions of
 * src/core/contracts/predict.ts has these fields): one row per predicted reference row.
 */
export interface ReferencePredictions {
  /** Class index (in the log's class order) or value. */
  readonly predicted: Float64Array;
  /** Classification: rows × classes, row-major. */
  readonly probabilities: Float32Array | Float64Array | null;
  /** The true class index or value per row. */
  readonly truth: Float64Array | null;
}

export type ReferenceOutputs = { readonly kind: 'categorical'; readonly codes: Int32Array } | { readonly kind: 'numeric'; readonly values: Float64Array };

export interface ReferenceProfile {
  readonly rows: number;
  readonly columns: readonly ReferenceColumn[];
  readonly task: LogTask;
  /** Classification: the model's classes in its probability order (the log's); regression: empty. */
  readonly classes: readonly string[];
  /** How live text is read as numbers and dates: the root version's format. */
  readonly format: ReadFormat;
  /** The predictions on the reference, coded like the live outputs; null when the caller gave none. */
  readonly predictions: ReferenceOutputs | null;
  readonly cbpe: CbpeModel | null;
  /** Why something is missing from the reference (a column left out, no CBPE), one sentence each. */
  readonly notes: readonly string[];
}

export interface ReferenceInput {
  readonly schema: readonly ColumnSchema[];
  readonly table: Table;
  /** Table rows that make the reference (./reference-rows.ts keptRows). */
  readonly rows: Int32Array;
  readonly format?: ReadFormat;
  readonly task: LogTask;
  readonly classes: readonly string[];
  readonly predictions?: ReferencePredictions | null;
}

function numericColumn(name: string, values: Float64Array, rows: Int32Array, dates: boolean): NumericReference {
  const picked = new Float64Array(rows.length);
  for (let i = 0; i < rows.length; i++) picked[i] = values[rows[i]];
  const clean = cleanNumeric(picked);
  return { name, kind: 'numeric', dates, values: picked, sorted: clean.sorted, missing: clean.missing };
}

function categoricalColumn(name: string, codes: Int32Array, dictionary: readonly string[], rows: Int32Array): CategoricalReference {
  const categories: string[] = [];
  const index = new Map<string, number>();
  // Table code → reference code, decided once per dictionary entry (-2: not decided yet).
  const remap = new Int32Array(dictionary.length).fill(-2);
  const out = new Int32Array(rows.length);
  let missing = 0;
  for (let i = 0; i < rows.length; i++) {
    const code = codes[rows[i]];
    if (code < 0 || code >= dictionary.length) {
      out[i] = -1;
      missing++;
      continue;
    }
    if (remap[code] === -2) {
      const text = categoryValue(dictionary[code]);
      if (text === null) remap[code] = -1;
      else {
        let known = index.get(text);
        if (known === undefined) {
          known = categories.length;
          categories.push(text);
          index.set(text, known);
        }
        remap[code] = known;
      }
    }
    out[i] = remap[code];
    if (out[i] < 0) missing++;
  }
  return { name, kind: 'categorical', codes: out, categories, index, missing };
}

/** The raw input columns of the reference: the schema's features, except images (no drift test reads pixels). */
export function referenceColumns(schema: readonly ColumnSchema[], table: Table, rows: Int32Array): { columns: ReferenceColumn[]; notes: string[] } {
  const columns: ReferenceColumn[] = [];
  const notes: string[] = [];
  for (const col of schema) {
    if (col.role !== 'feature') continue;
    const at = table.names.indexOf(col.name);
    if (at < 0) throw new Error(`Feature "${col.name}" of the reference version is not in its table.`);
    const data = table.columns[at];
    if (data.kind === 'number') columns.push(numericColumn(col.name, data.values, rows, false));
    else if (data.kind === 'date') columns.push(numericColumn(col.name, data.values, rows, true));
    else if (data.kind === 'category') columns.push(categoricalColumn(col.name, data.codes, data.dictionary, rows));
    else notes.push(`"${col.name}" is an image column; its drift and quality are not monitored.`);
  }
  return { columns, notes };
}

function classIndexes(values: Float64Array, classes: number, what: string): Int32Array {
  const out = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isInteger(v) || v < 0 || v >= classes) throw new Error(`The reference ${what} in row ${i} is ${v}, not a class index from 0 to ${classes - 1}.`);
    out[i] = v;
  }
  return out;
}

function referenceOutputs(task: LogTask, classes: readonly string[], p: ReferencePredictions): ReferenceOutputs {
  if (task === 'classification') return { kind: 'categorical', codes: classIndexes(p.predicted, classes.length, 'prediction') };
  return { kind: 'numeric', values: p.predicted };
}

/** CBPE fitted on the reference predictions, or why it cannot be. */
function cbpeOf(task: LogTask, classes: readonly string[], p: ReferencePredictions): { model: CbpeModel | null; note?: string } {
  if (task !== 'classification') return { model: null };
  if (!p.probabilities || !p.truth) {
    return { model: null, note: 'The reference predictions carry no probabilities or no true labels, so performance cannot be estimated (CBPE).' };
  }
  const K = classes.length;
  const rows = p.predicted.length;
  if (p.probabilities.length !== rows * K || p.truth.length !== rows) {
    throw new Error(
      `The reference predictions do not line up: ${rows} predictions, ${p.truth.length} labels and ${p.probabilities.length} probabilities for ${K} classes.`,
    );
  }
  try {
    const model = fitCbpe({
      probabilities: Float64Array.from(p.probabilities),
      labels: classIndexes(p.truth, K, 'label'),
      classCount: K,
      predicted: classIndexes(p.predicted, K, 'prediction'),
    });
    return { model };
  } catch (e) {
    return { model: null, note: `CBPE could not be fitted on the reference predictions: ${e instanceof Error ? e.message : String(e)}` };
  }
}

export function referenceProfile(input: ReferenceInput): ReferenceProfile {
  const { schema, table, rows, task, classes } = input;
  if (task === 'classification' && classes.length < 2) throw new Error('A classification reference needs the model\'s classes.');
  const { columns, notes } = referenceColumns(schema, table, rows);
  const predictions = input.predictions ?? null;
  let outputs: ReferenceOutputs | null = null;
  let cbpe: CbpeModel | null = null;
  if (predictions) {
    if (task === 'classification' && predictions.probabilities && predictions.probabilities.length !== predictions.predicted.length * classes.length) {
      throw new Error(
        `The reference predictions have ${predictions.probabilities.length} probabilities for ${predictions.predicted.length} rows of ${classes.length} classes.`,
      );
    }
    outputs = referenceOutputs(task, classes, predictions);
    const fitted = cbpeOf(task, classes, predictions);
    cbpe = fitted.model;
    if (fitted.note) notes.push(fitted.note);
  } else {
    notes.push('No predictions on the reference were given, so prediction drift and estimated performance are not computed.');
  }
  return { rows: rows.length, columns, task, classes: [...classes], format: input.format ?? DEFAULT_READ_FORMAT, predictions: outputs, cbpe, notes };
}

/** What the page is told about the reference: sizes and kinds, no rows. */
export interface ReferenceSummary {
  readonly rows: number;
  readonly columns: readonly { readonly name: string; readonly kind: ReferenceColumn['kind']; readonly dates?: true; readonly categories?: number; readonly missing: number }[];
  readonly predictions: number | null;
  readonly cbpe: boolean;
  readonly notes: readonly string[];
}

export function summarizeReference(reference: Pick<ReferenceProfile, 'rows' | 'columns' | 'predictions' | 'cbpe' | 'notes'>): ReferenceSummary {
  return {
    rows: reference.rows,
    columns: reference.columns.map((c) =>
      c.kind === 'numeric'
        ? { name: c.name, kind: c.kind, ...(c.dates ? { dates: true as const } : {}), missing: c.missing }
        : { name: c.name, kind: c.kind, categories: c.categories.length, missing: c.missing },
    ),
    predictions: reference.predictions ? (reference.predictions.kind === 'categorical' ? reference.predictions.codes.length : reference.predictions.values.length) : null,
    cbpe: reference.cbpe !== null,
    notes: [...reference.notes],
  };
}
