// Batch prediction over a dataset version's split, for evaluation: each row goes through the given recipes (with
// their filters: a row the chain drops was never part of the model's data) and the preprocessor, in batches, with
// progress and a cancel check between batches. The truth is read from the row after the recipes, as training read it.

import * as tf from '@tensorflow/tfjs';
import { applyRecipeToRow, rowPassesFilters } from '../../src/core/serving/recipe.js';
import { categoryValue, encodeRow, numberValue } from '../../src/core/serving/transform.js';
import { tableRow } from '../../src/core/recipe/rows';
import type { EvalSplit, Skipped } from '../../src/core/evaluate/types';
import type { FittedRecipe } from '../../src/core/recipe/types';
import type { Preprocessor, RawRow, Table } from '../../src/core/shared/types';
import { SPLIT_TEST, SPLIT_TRAIN, SPLIT_VALIDATION } from '../../src/core/shared/types';
import type { TablePredictions, TableRequest } from '../../src/core/contracts/predict';

export const TABLE_BATCH = 4096;

export class CancelledError extends Error {
  constructor() {
    super('The evaluation was cancelled.');
    this.name = 'CancelledError';
  }
}

const SPLIT_CODES: Record<Exclude<EvalSplit, 'all'>, number> = { train: SPLIT_TRAIN, validation: SPLIT_VALIDATION, test: SPLIT_TEST };

/** Table rows of the split, in order. */
export function splitRows(assignment: Uint8Array, split: EvalSplit): number[] {
  const out: number[] = [];
  const code = split === 'all' ? -1 : SPLIT_CODES[split];
  for (let r = 0; r < assignment.length; r++) if (code === -1 || assignment[r] === code) out.push(r);
  return out;
}

/** The row through the recipes, or null when a filter of one drops it. */
function throughChain(recipes: readonly FittedRecipe[], row: RawRow): RawRow | null {
  let out = row;
  for (const recipe of recipes) {
    if (!rowPassesFilters(recipe, out)) return null;
    out = applyRecipeToRow(recipe, out);
  }
  return out;
}

export interface TableJob {
  model: tf.LayersModel;
  pre: Preprocessor;
  request: TableRequest;
  /** The request's version, read by the worker. */
  table: Table;
  assignment: Uint8Array;
  onProgress: (done: number, total: number) => void;
  cancelled: () => boolean;
}

/**
 * Image models read the image column's pixels (/ 255, HWC) instead of encoded features, and no recipe applies to an
 * image version: the rows are used as stored, with the target read from the category column.
 */
function imageInputs(pre: Preprocessor, table: Table): ((r: number) => { x: Float32Array; truth: string | null }) | null {
  const spec = pre.image;
  if (!spec) return null;
  const image = table.columns[table.names.indexOf(spec.column)];
  const target = table.columns[table.names.indexOf(pre.target)];
  if (!image || image.kind !== 'image') throw new Error(`the model reads the image column "${spec.column}", which this version does not have`);
  if (!target || target.kind !== 'category') throw new Error(`the target "${pre.target}" is not a category column of this version`);
  const size = spec.width * spec.height * spec.channels;
  if (image.width * image.height * image.channels !== size) {
    throw new Error(`the images are ${image.width} x ${image.height} x ${image.channels}; the model reads ${spec.width} x ${spec.height} x ${spec.channels}`);
  }
  return (r) => ({
    x: Float32Array.from(image.pixels.subarray(r * size, (r + 1) * size), (v) => v / 255),
    truth: target.codes[r] >= 0 ? (target.dictionary[target.codes[r]] ?? null) : null,
  });
}

export async function predictTable({ model, pre, request, table, assignment, onProgress, cancelled }: TableJob): Promise<TablePredictions> {
  const { split, recipes } = request;
  const imageRow = imageInputs(pre, table);
  // The model's own input shape (e.g. [null, h, w, c] for a CNN) decides how a batch is shaped.
  const inputShape = model.inputs[0]?.shape.slice(1).map((d) => d ?? 1) ?? [pre.inputSize];
  const candidates = splitRows(assignment, split);
  const skipped: Skipped = { missingTarget: 0, unknownClass: 0, filtered: 0 };
  const classification = pre.task === 'classification';
  const k = classification ? pre.labels.length : 1;
  const width = inputShape.reduce((a, b) => a * b, 1);
  const rows: number[] = [];
  const truth: number[] = [];
  const predicted = new Float64Array(candidates.length);
  const probabilities = classification ? new Float32Array(candidates.length * k) : null;
  const std = pre.targetStd === 0 || !Number.isFinite(pre.targetStd) ? 1 : pre.targetStd;

  let next = 0;
  while (next < candidates.length) {
    if (cancelled()) throw new CancelledError();
    const batchStart = rows.length;
    const x: ArrayLike<number>[] = [];
    for (; next < candidates.length && x.length < TABLE_BATCH; next++) {
      const r = candidates[next];
      const pixels = imageRow ? imageRow(r) : null;
      const row = pixels ? null : throughChain(recipes, tableRow(table, r));
      if (!pixels && !row) {
        skipped.filtered++;
        continue;
      }
      const cell = pixels ? pixels.truth : row && Object.prototype.hasOwnProperty.call(row, pre.target) ? row[pre.target] : null;
      let y: number;
      if (classification) {
        const label = categoryValue(cell);
        if (label === null) {
          skipped.missingTarget++;
          continue;
        }
        y = pre.labels.indexOf(label);
        if (y < 0) {
          skipped.unknownClass++;
          continue;
        }
      } else {
        y = numberValue(cell);
        if (Number.isNaN(y)) {
          skipped.missingTarget++;
          continue;
        }
      }
      rows.push(r);
      truth.push(y);
      x.push(pixels ? pixels.x : encodeRow(pre, row as RawRow));
    }
    if (x.length > 0) {
      const flat = new Float32Array(x.length * width);
      x.forEach((v, i) => flat.set(v, i * width));
      const out = tf.tidy(() => model.predict(tf.tensor(flat, [x.length, ...inputShape]), { batchSize: TABLE_BATCH }) as tf.Tensor);
      const values = await out.data();
      out.dispose();
      for (let i = 0; i < x.length; i++) {
        const at = batchStart + i;
        if (probabilities) {
          // First maximum wins, as decodeOutput (serving) and the trainer's report decide.
          let best = 0;
          for (let c = 0; c < k; c++) {
            probabilities[at * k + c] = values[i * k + c];
            if (values[i * k + c] > values[i * k + best]) best = c;
          }
          predicted[at] = best;
        } else {
          predicted[at] = values[i] * std + pre.targetMean;
        }
      }
    }
    onProgress(next, candidates.length);
    // Let a cancel message in between batches.
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
  return {
    rows: Int32Array.from(rows),
    truth: Float64Array.from(truth),
    predicted: predicted.slice(0, rows.length),
    probabilities: probabilities ? probabilities.slice(0, rows.length * k) : null,
    skipped,
    rowsInSplit: candidates.length,
  };
}
