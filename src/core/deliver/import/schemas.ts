// The shapes of the bundle's JSON files (docs/file-formats.md), checked with valibot before any value is used. A
// number the export wrote as null (JSON has no NaN) reads back as NaN where a figure may be undefined.

import * as v from 'valibot';
import { BACKENDS } from '../../shared/types';
import { refuse } from './refusal';

const finite = v.pipe(v.number(), v.finite());
/** A figure JSON.stringify may have written as null (NaN or infinite). */
const figure = v.pipe(
  v.nullable(v.number()),
  v.transform((n) => n ?? NaN),
);
const count = v.pipe(v.number(), v.integer(), v.minValue(0));
const name = v.pipe(v.string(), v.maxLength(1000));
const isoDate = v.pipe(
  v.string(),
  v.check((s) => !Number.isNaN(Date.parse(s)), 'is not a date'),
  v.transform((s) => Date.parse(s)),
);

const task = v.picklist(['classification', 'regression']);

export const featureSchema = v.variant('kind', [
  v.object({ kind: v.literal('number'), name, mean: finite, std: finite, min: v.optional(finite), max: v.optional(finite) }),
  v.object({ kind: v.literal('date'), name, mean: finite, std: finite, min: v.optional(finite), max: v.optional(finite) }),
  v.object({ kind: v.literal('category'), name, categories: v.array(v.string()) }),
]);

export const preprocessorSchema = v.object({
  version: v.literal(1),
  task,
  target: name,
  features: v.array(featureSchema),
  labels: v.array(v.string()),
  targetMean: finite,
  targetStd: finite,
  // An image model's preprocessing says 0 (the trainer's: its input is the image, not encoded features).
  inputSize: count,
  image: v.optional(
    v.object({
      column: name,
      width: v.pipe(count, v.minValue(1)),
      height: v.pipe(count, v.minValue(1)),
      channels: v.picklist([1, 3]),
    }),
  ),
});

export const readFormatSchema = v.object({
  number: v.object({ decimal: v.picklist(['.', ',']), thousands: v.picklist(['', ',', '.', ' ', "'"]) }),
  dayFirst: v.boolean(),
});

export const inputSchemaSchema = v.object({
  task,
  target: name,
  inputs: v.array(v.object({ name, type: v.picklist(['number', 'date', 'category']) })),
  format: readFormatSchema,
});

export const labelsSchema = v.array(v.string());

export const columnSchemaSchema = v.object({ name, type: v.picklist(['number', 'category', 'date', 'image']), role: v.picklist(['feature', 'target', 'ignore']) });

/** A fitted recipe's frame; its steps are checked by the recipe validator (src/core/recipe). */
export const fittedRecipeSchema = v.object({
  version: v.literal(1),
  input: v.array(columnSchemaSchema),
  output: v.array(columnSchemaSchema),
  steps: v.array(v.looseObject({ kind: v.string() })),
});

const goalSchema = v.object({ metric: v.picklist(['accuracy', 'precision', 'recall', 'f1', 'mae', 'rmse', 'r2']), bar: finite });

export const evaluationSchema = v.variant('task', [
  v.object({
    task: v.literal('classification'),
    accuracy: figure,
    precision: figure,
    recall: figure,
    f1: figure,
    perClass: v.array(v.object({ label: v.string(), precision: figure, recall: figure, f1: figure, support: count })),
    labels: v.array(v.string()),
    confusion: v.array(v.array(count)),
    count,
  }),
  v.object({ task: v.literal('regression'), mae: figure, rmse: figure, r2: figure, count }),
]);

export const metricsSchema = v.object({
  evaluation: evaluationSchema,
  history: v.array(v.object({ key: v.string(), value: figure, step: finite, timestamp: finite })),
});

export const lineageSchema = v.object({
  exportedAt: isoDate,
  project: v.object({ id: name, name, task, target: name, goal: goalSchema }),
  dataset: v.object({ id: name, name }),
  recipeChain: v.array(name),
  run: v.object({
    id: name,
    name,
    params: v.object({ spec: v.unknown(), hyper: v.unknown() }),
    backend: v.picklist(BACKENDS),
    versions: v.record(v.string(), v.string()),
    startedAt: isoDate,
    endedAt: v.nullable(isoDate),
    note: v.string(),
    tags: v.record(v.string(), v.string()),
  }),
  model: v.object({ name, version: v.pipe(count, v.minValue(1)) }),
  recipeHash: v.string(),
  weights: v.object({ file: v.string(), byteLength: count, sha256: v.string() }),
});

export const metadataSchema = v.object({
  runId: v.string(),
  datasetVersion: v.string(),
  recipeHash: v.string(),
  modelName: v.string(),
  modelVersion: count,
});

export const modelJsonSchema = v.object({
  format: v.string(),
  modelTopology: v.unknown(),
  weightsManifest: v.array(
    v.object({
      paths: v.array(v.string()),
      weights: v.array(v.object({ name: v.string(), shape: v.array(count), dtype: v.string() })),
    }),
  ),
  userDefinedMetadata: metadataSchema,
});

export type BundleLineage = v.InferOutput<typeof lineageSchema>;
export type ModelJson = v.InferOutput<typeof modelJsonSchema>;

/** The value of a file checked against its schema, or a refusal naming the file, the field and what was wrong. */
export function parseWith<S extends v.GenericSchema>(file: string, schema: S, value: unknown): v.InferOutput<S> {
  const result = v.safeParse(schema, value);
  if (result.success) return result.output;
  const issue = result.issues[0];
  const path = v.getDotPath(issue);
  return refuse(`${file}${path ? ` field ${path}` : ''}: ${issue.message}`);
}
