// A synthetic served log and its reference, built column by column (no request objects), for the bench row "drift over
// 100k logged requests × 20 features" and for tests of the signals at scale. Three classes; a quarter of the features
// categorical (five categories), the rest numeric; the second half of the log shifts every numeric feature by half a
// standard deviation, so drift has something to find; every other request is labelled 1 s after it was served.

import { mulberry32 } from '../../shared/rng';
import { DEFAULT_CHUNK_ROWS, type InputColumn, type RequestChunk, type WarningDetails } from '../log/types';
import type { ColumnData, ColumnSchema, Table } from '../../shared/types';
import { referenceProfile, type ReferenceProfile } from './reference';

export interface SyntheticLogOptions {
  readonly requests: number;
  readonly features: number;
  /** Reference (training) rows; 10,000 by default. */
  readonly referenceRows?: number;
  readonly chunkRows?: number;
  readonly seed?: number;
}

export interface SyntheticLog {
  readonly chunks: RequestChunk[];
  readonly reference: ReferenceProfile;
  /** The reference as a table, should a test want to rebuild it. */
  readonly table: Table;
  readonly schema: ColumnSchema[];
}

const CLASSES = ['a', 'b', 'c'];
const CATEGORIES = ['red', 'green', 'blue', 'cyan', 'grey'];

function normal(rand: () => number): number {
  const u = Math.max(rand(), Number.MIN_VALUE);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
}

const isCategorical = (f: number): boolean => f % 4 === 3;

/** Class and probabilities of one row from its first feature, so predictions follow the inputs. */
function answer(x: number, rand: () => number, probabilities: Float32Array | Float64Array, at: number): number {
  const k = x < -0.5 ? 0 : x < 0.5 ? 1 : 2;
  const top = 0.6 + 0.3 * rand();
  for (let c = 0; c < 3; c++) probabilities[at + c] = c === k ? top : (1 - top) / 2;
  return k;
}

function emptyWarnings(): WarningDetails {
  return { rows: new Int32Array(0), kinds: new Uint8Array(0), columns: new Int32Array(0), values: new Int32Array(0), messages: new Int32Array(0), strings: [] };
}

export function syntheticLog(options: SyntheticLogOptions): SyntheticLog {
  const { requests, features, referenceRows = 10_000, chunkRows = DEFAULT_CHUNK_ROWS, seed = 1 } = options;
  if (!Number.isInteger(requests) || requests < 1 || !Number.isInteger(features) || features < 1) {
    throw new Error(`A synthetic log needs at least one request and one feature, not ${requests} × ${features}.`);
  }
  const rand = mulberry32(seed);
  const names = Array.from({ length: features }, (_, f) => `f${f}`);

  const schema: ColumnSchema[] = names.map((name, f) => ({ name, type: isCategorical(f) ? 'category' : 'number', role: 'feature' }));
  const columns: ColumnData[] = names.map((_, f) =>
    isCategorical(f)
      ? { kind: 'category', codes: Int32Array.from({ length: referenceRows }, () => Math.floor(rand() * CATEGORIES.length)), dictionary: CATEGORIES }
      : { kind: 'number', values: Float64Array.from({ length: referenceRows }, () => normal(rand)) },
  );
  const table: Table = { names, columns, rowCount: referenceRows };
  const first = columns.find((c): c is Extract<ColumnData, { kind: 'number' }> => c.kind === 'number');
  const refProbabilities = new Float64Array(referenceRows * 3);
  const refPredicted = new Float64Array(referenceRows);
  const refTruth = new Float64Array(referenceRows);
  for (let r = 0; r < referenceRows; r++) {
    refPredicted[r] = answer(first ? first.values[r] : 0, rand, refProbabilities, r * 3);
    // Right about 80% of the time.
    refTruth[r] = rand() < 0.8 ? refPredicted[r] : (refPredicted[r] + 1) % 3;
  }
  const reference = referenceProfile({
    schema,
    table,
    rows: Int32Array.from({ length: referenceRows }, (_, r) => r),
    task: 'classification',
    classes: CLASSES,
    predictions: { predicted: refPredicted, probabilities: refProbabilities, truth: refTruth },
  });

  const chunks: RequestChunk[] = [];
  for (let start = 0; start < requests; start += chunkRows) {
    const rows = Math.min(chunkRows, requests - start);
    const ids = Float64Array.from({ length: rows }, (_, i) => start + i);
    const at = Float64Array.from({ length: rows }, (_, i) => 1_000 * (start + i));
    const inputs: InputColumn[] = names.map((name, f) => {
      if (isCategorical(f)) {
        return { name, kind: 'text', codes: Int32Array.from({ length: rows }, () => Math.floor(rand() * CATEGORIES.length)), dictionary: CATEGORIES, numbers: null };
      }
      const values = Float64Array.from({ length: rows }, (_, i) => normal(rand) + (start + i >= requests / 2 ? 0.5 : 0));
      return { name, kind: 'number', values, text: null };
    });
    const firstInput = inputs.find((c) => c.kind === 'number');
    const probabilities = new Float32Array(rows * 3);
    const output = new Int16Array(rows);
    const labels = new Int16Array(rows).fill(-1);
    const labelAt = new Float64Array(rows).fill(NaN);
    let labelled = 0;
    for (let i = 0; i < rows; i++) {
      output[i] = answer(firstInput && firstInput.kind === 'number' ? firstInput.values[i] : 0, rand, probabilities, i * 3);
      if ((start + i) % 2 === 0) {
        labels[i] = rand() < 0.8 ? output[i] : (output[i] + 1) % 3;
        labelAt[i] = at[i] + 1_000;
        labelled++;
      }
    }
    chunks.push({
      projectId: 'bench',
      modelName: 'synthetic',
      modelVersion: 1,
      role: 'serving',
      task: 'classification',
      classes: CLASSES,
      rows,
      firstAt: at[0],
      lastAt: at[rows - 1],
      firstId: ids[0],
      lastId: ids[rows - 1],
      labelled,
      ids,
      at,
      latencyMs: Float32Array.from({ length: rows }, () => 0.5 + rand() * 2),
      error: new Uint16Array(rows),
      errors: [],
      warnings: new Uint16Array(rows),
      warningDetails: emptyWarnings(),
      inputs,
      labelAt,
      output,
      probabilities,
      labels,
    });
  }
  return { chunks, reference, table, schema };
}
