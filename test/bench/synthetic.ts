// The bench's data set: seeded, so every run and both workers see the same rows.
// Three classes from a noisy linear rule, so the model has something real to learn.

import { mulberry32 } from '../../src/core/shared/rng';
import type { ColumnData, ColumnSchema, Table } from '../../src/core/shared/types';
import type { ModelInput } from '../../src/core/train/spec/types';

/** One data set as both sides take it: a table for Loopbench, scaled row-major inputs for the plain fit. */
export interface BenchData {
  table: Table;
  schema: ColumnSchema[];
  input: ModelInput;
  /** Row-major inputs, as Loopbench feeds them to the model, for the plain tfjs fit. */
  features: Float32Array;
  labels: Int32Array;
  classCount: number;
  /** How many of the last rows are validation rows (the rest train), on both sides. */
  validationRows: number;
}

/** The share of rows held out for validation, as a user's split would: both sides evaluate them every epoch. */
export const VALIDATION_FRACTION = 0.1;

const CLASS_NAMES = ['alpha', 'beta', 'gamma'];

function normal(random: () => number): number {
  const u = 1 - random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

export function makeSynthetic(rows: number, featureCount: number, seed: number): BenchData {
  const random = mulberry32(seed);
  const classCount = CLASS_NAMES.length;
  const weights = Array.from({ length: featureCount * classCount }, () => normal(random));
  const columns = Array.from({ length: featureCount }, () => new Float64Array(rows));
  const features = new Float32Array(rows * featureCount);
  const labels = new Int32Array(rows);
  const logits = new Float64Array(classCount);
  for (let r = 0; r < rows; r++) {
    logits.fill(0);
    for (let f = 0; f < featureCount; f++) {
      const v = normal(random);
      columns[f][r] = v;
      features[r * featureCount + f] = v;
      for (let c = 0; c < classCount; c++) logits[c] += v * weights[f * classCount + c];
    }
    let best = 0;
    for (let c = 0; c < classCount; c++) {
      logits[c] += normal(random) * 2;
      if (logits[c] > logits[best]) best = c;
    }
    labels[r] = best;
  }
  const names = [...columns.map((_, f) => `x${f}`), 'label'];
  const data: ColumnData[] = [
    ...columns.map((values): ColumnData => ({ kind: 'number', values })),
    { kind: 'category', codes: labels.slice(), dictionary: CLASS_NAMES },
  ];
  const schema: ColumnSchema[] = names.map((name, i) => ({
    name,
    type: i < featureCount ? 'number' : 'category',
    role: i < featureCount ? 'feature' : 'target',
  }));
  const input: ModelInput = { kind: 'tabular', features: featureCount };
  const validationRows = Math.round(rows * VALIDATION_FRACTION);
  return { table: { names, columns: data, rowCount: rows }, schema, input, features, labels, classCount, validationRows };
}
