// What a dataset version gives a model to read: its encoded tabular inputs (the fitted preprocessor) or its images.

import { fitPreprocessor, rowsOf } from '../preprocess';
import type { ColumnData, ColumnSchema, ImageColumnData, Preprocessor, Table, Task } from '../../shared/types';
import { SPLIT_NONE, SPLIT_TRAIN } from '../../shared/types';
import type { ModelInput } from './types';

export interface PreparedInput {
  input: ModelInput;
  /** Output units: the classes, or 1 for regression. */
  outputs: number;
  preprocessor: Preprocessor;
}

function columnOf(table: Table, name: string): ColumnData {
  const at = table.names.indexOf(name);
  if (at < 0) throw new Error(`column "${name}" is not in the table`);
  return table.columns[at];
}

/** The image feature column the CNN reads, if the schema has one; other features are left to tabular models. */
export function imageFeatureOf(schema: readonly ColumnSchema[]): ColumnSchema | null {
  return schema.find((c) => c.role === 'feature' && c.type === 'image') ?? null;
}

/** Labels and target scaling for an image model, fitted as fitPreprocessor fits them for a tabular one. */
function imagePreprocessor(task: Task, schema: ColumnSchema[], table: Table, assignment: Uint8Array, image: ColumnSchema): Preprocessor {
  const column = columnOf(table, image.name);
  if (column.kind !== 'image') throw new Error(`column "${image.name}" holds no images`);
  const { width, height, channels } = column as ImageColumnData;
  const target = schema.find((c) => c.role === 'target');
  if (!target) throw new Error('the schema has no target column');
  const data = columnOf(table, target.name);
  const base = { version: 1 as const, task, target: target.name, features: [], inputSize: 0, image: { column: image.name, width, height, channels } };
  if (data.kind === 'image') throw new Error('an image column cannot be the target');
  if (task === 'classification') {
    let labels: string[];
    if (data.kind === 'category') labels = data.dictionary.slice();
    else {
      const seen = new Set<number>();
      for (let r = 0; r < assignment.length; r++) if (assignment[r] !== SPLIT_NONE && !Number.isNaN(data.values[r])) seen.add(data.values[r]);
      labels = [...seen].sort((a, b) => a - b).map(String);
    }
    if (labels.length < 2) throw new Error(`classification needs at least two classes in "${target.name}"`);
    return { ...base, labels, targetMean: 0, targetStd: 1 };
  }
  if (data.kind !== 'number') throw new Error(`regression needs a numeric target; "${target.name}" is a category`);
  let n = 0;
  let sum = 0;
  let sq = 0;
  for (const r of rowsOf(assignment, SPLIT_TRAIN)) {
    const v = data.values[r];
    if (Number.isNaN(v)) continue;
    n++;
    sum += v;
    sq += v * v;
  }
  const mean = n === 0 ? 0 : sum / n;
  const std = n === 0 ? 1 : Math.sqrt(Math.max(sq / n - mean * mean, 0));
  return { ...base, labels: [], targetMean: mean, targetStd: std };
}

/**
 * Fits what the model reads on the training split: images when a feature column holds images (the CNN reads the
 * first such column), otherwise the tabular preprocessor (standardised numbers, one-hot categories).
 */
export function prepareInput(task: Task, schema: ColumnSchema[], table: Table, assignment: Uint8Array): PreparedInput {
  const image = imageFeatureOf(schema);
  if (image) {
    const pre = imagePreprocessor(task, schema, table, assignment, image);
    const shape = pre.image as NonNullable<Preprocessor['image']>;
    return {
      input: { kind: 'image', width: shape.width, height: shape.height, channels: shape.channels },
      outputs: task === 'classification' ? pre.labels.length : 1,
      preprocessor: pre,
    };
  }
  const pre = fitPreprocessor(task, schema, table, assignment);
  return { input: { kind: 'tabular', features: pre.inputSize }, outputs: task === 'classification' ? pre.labels.length : 1, preprocessor: pre };
}
