// Reads an export bundle back into what a model version is made of, refusing it (BundleRefusal, one sentence naming
// the file and the fault) at the first thing wrong. Nothing here allocates beyond the capped inflation of the files
// it needs, and nothing is stored: the caller stores the result in one transaction, or nothing.

import { sha256Hex } from '../../data/hash';
import { MAX_CARD_CHARS, modelNameProblems } from '../registry';
import type { EvaluationReport, MetricPoint, Preprocessor, ReadFormat, WeightManifest } from '../../shared/types';
import type { FittedRecipe } from '../../recipe/types';
import { validateHyper, validateSpec } from '../../train/spec';
import type { RunParams } from '../../train/spec/types';
import type { CappedInflate, ZipLimits } from '../../shared/zip';
import { LIMITS } from './limits';
import { checkManifest, joinShards } from './manifest';
import { checkRecipes } from './recipes';
import { count, refuse } from './refusal';
import {
  inputSchemaSchema,
  labelsSchema,
  lineageSchema,
  metricsSchema,
  modelJsonSchema,
  parseWith,
  preprocessorSchema,
  type BundleLineage,
} from './schemas';
import { expectedWeights } from './topology';
import { inflateEntries, readDirectory } from './zip';

export type { BundleLineage } from './schemas';

/** Everything of a checked bundle that becomes the imported run and version. */
export interface ImportedBundle {
  /** SHA-256 of the zip file as given. */
  bundleSha256: string;
  topology: unknown;
  weightSpecs: WeightManifest['weightSpecs'];
  weights: ArrayBuffer;
  preprocessor: Preprocessor;
  recipes: FittedRecipe[];
  format: ReadFormat;
  evaluation: EvaluationReport;
  history: MetricPoint[];
  params: RunParams;
  lineage: BundleLineage;
  /** MODEL_CARD.md as shipped. */
  card: string;
}

const JSON_FILES = ['model/model.json', 'preprocessing.json', 'schema.json', 'recipes.json', 'labels.json', 'lineage.json', 'metrics.json'] as const;
const REQUIRED = [...JSON_FILES, 'MODEL_CARD.md'];
const utf8 = new TextDecoder('utf-8', { fatal: true });

function text(name: string, bytes: Uint8Array): string {
  try {
    return utf8.decode(bytes);
  } catch {
    return refuse(`${name} is not UTF-8 text`);
  }
}

function parseJson(name: string, bytes: Uint8Array): unknown {
  try {
    return JSON.parse(text(name, bytes));
  } catch (e) {
    if (e instanceof SyntaxError) refuse(`${name} is not valid JSON: ${e.message}`);
    throw e;
  }
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function checkPreprocessor(pre: Preprocessor): void {
  const names = new Set<string>();
  for (const f of pre.features) {
    if (names.has(f.name)) refuse(`preprocessing.json: feature ${f.name} appears twice`);
    names.add(f.name);
    if (f.kind !== 'category' && !(f.std > 0)) refuse(`preprocessing.json: feature ${f.name} has a standard deviation of ${f.std}; it must be above 0`);
  }
  if (!pre.image) {
    const width = pre.features.reduce((n, f) => n + (f.kind === 'category' ? f.categories.length : 1), 0);
    if (width !== pre.inputSize) refuse(`preprocessing.json: inputSize is ${count(pre.inputSize)} but its features encode ${count(width)} inputs`);
    if (width === 0) refuse('preprocessing.json: the model reads no input (no features and no image)');
  } else if (pre.inputSize !== 0 && pre.image.width * pre.image.height * pre.image.channels !== pre.inputSize) {
    refuse('preprocessing.json: inputSize does not match the image shape');
  }
  if (pre.task === 'classification' && pre.labels.length < 2) refuse(`preprocessing.json: a classifier needs at least two labels, it has ${pre.labels.length}`);
  if (pre.task === 'regression' && (pre.labels.length > 0 || !(pre.targetStd > 0))) refuse('preprocessing.json: a regression has no labels and a target standard deviation above 0');
}

/** Reads and checks `bytes` (a bundle zip); throws BundleRefusal with the reason when anything is wrong. */
export async function readBundle(bytes: Uint8Array, inflate: CappedInflate, limits: ZipLimits = LIMITS): Promise<ImportedBundle> {
  const entries = readDirectory(bytes, limits);
  const present = new Set(entries.map((e) => e.name));
  for (const name of REQUIRED) {
    if (!present.has(name)) refuse(`the zip has no ${name}: it is not a Loopbench export bundle (or was re-packed with a folder around it)`);
  }
  const files = inflateEntries(bytes, entries, (name) => REQUIRED.includes(name), inflate);
  const raw = (name: (typeof REQUIRED)[number]) => files.get(name)!;
  const json = Object.fromEntries(JSON_FILES.map((name) => [name, parseJson(name, raw(name))])) as Record<(typeof JSON_FILES)[number], unknown>;

  const pre = parseWith('preprocessing.json', preprocessorSchema, json['preprocessing.json']) as Preprocessor;
  checkPreprocessor(pre);
  const labels = parseWith('labels.json', labelsSchema, json['labels.json']);
  if (!same(labels, pre.labels)) refuse("labels.json does not list preprocessing.json's labels in the same order");
  const schema = parseWith('schema.json', inputSchemaSchema, json['schema.json']);
  if (schema.task !== pre.task || schema.target !== pre.target) refuse(`schema.json describes a ${schema.task} of ${schema.target}, preprocessing.json a ${pre.task} of ${pre.target}`);
  if (!pre.image && !same(schema.inputs.map((i) => i.name), pre.features.map((f) => f.name))) refuse("schema.json's inputs are not preprocessing.json's features");
  const recipes = checkRecipes(json['recipes.json']);

  const metrics = parseWith('metrics.json', metricsSchema, json['metrics.json']);
  if (metrics.evaluation.task !== pre.task) refuse(`metrics.json evaluates a ${metrics.evaluation.task} model; preprocessing.json is a ${pre.task}`);
  if (metrics.evaluation.task === 'classification' && !same(metrics.evaluation.labels, pre.labels)) refuse("metrics.json's evaluation labels are not preprocessing.json's labels");

  const lineage = parseWith('lineage.json', lineageSchema, json['lineage.json']);
  if (lineage.project.task !== pre.task || lineage.project.target !== pre.target) {
    refuse(`lineage.json's project is a ${lineage.project.task} of ${lineage.project.target}, preprocessing.json a ${pre.task} of ${pre.target}`);
  }
  if (lineage.recipeChain.length !== recipes.length + 1 || lineage.recipeChain.at(-1) !== lineage.dataset.id) {
    refuse(`lineage.json's recipe chain (${lineage.recipeChain.length} versions) does not end at its dataset after ${recipes.length} recipe(s)`);
  }
  const nameProblem = modelNameProblems(lineage.model.name, 'model.name')[0];
  if (nameProblem) refuse(`lineage.json model.name: ${nameProblem.message}`);
  const input = pre.image ? { kind: 'image' as const, ...pre.image } : { kind: 'tabular' as const, features: pre.inputSize };
  const paramProblem = [...validateSpec(lineage.run.params.spec, input), ...validateHyper(lineage.run.params.hyper)][0];
  if (paramProblem) refuse(`lineage.json run.params ${paramProblem.path}: ${paramProblem.message}`);

  const model = parseWith('model/model.json', modelJsonSchema, json['model/model.json']);
  const expected = expectedWeights(model.modelTopology, pre);
  const { weightSpecs, groups } = checkManifest(model, expected);
  const shardNames = new Set(groups.flatMap((g) => g.files));
  for (const name of shardNames) {
    if (!present.has(name)) refuse(`model/model.json's weightsManifest names ${name.slice('model/'.length)}, which the bundle does not hold`);
  }
  const weights = joinShards(groups, inflateEntries(bytes, entries, (name) => shardNames.has(name), inflate));

  const recipeHash = await sha256Hex(raw('preprocessing.json'));
  const meta = model.userDefinedMetadata;
  if (meta.recipeHash !== recipeHash) refuse(`model/model.json says the recipe hash is ${meta.recipeHash.slice(0, 12)}… but preprocessing.json hashes to ${recipeHash.slice(0, 12)}…`);
  if (lineage.recipeHash !== recipeHash) refuse(`lineage.json says the recipe hash is ${lineage.recipeHash.slice(0, 12)}… but preprocessing.json hashes to ${recipeHash.slice(0, 12)}…`);
  if (meta.modelName !== lineage.model.name || meta.modelVersion !== lineage.model.version || meta.runId !== lineage.run.id || meta.datasetVersion !== lineage.dataset.id) {
    refuse("model/model.json's metadata names another model, run or dataset version than lineage.json");
  }
  const weightsSha256 = await sha256Hex(weights);
  if (lineage.weights.byteLength !== weights.length || lineage.weights.sha256 !== weightsSha256) {
    refuse(`lineage.json records weights of ${count(lineage.weights.byteLength)} bytes with SHA-256 ${lineage.weights.sha256.slice(0, 12)}… but the shards hold ${count(weights.length)} bytes hashing to ${weightsSha256.slice(0, 12)}…`);
  }

  const card = text('MODEL_CARD.md', raw('MODEL_CARD.md'));
  if (card.length > MAX_CARD_CHARS) refuse(`MODEL_CARD.md has ${count(card.length)} characters; at most ${count(MAX_CARD_CHARS)} are kept`);

  return {
    bundleSha256: await sha256Hex(bytes),
    topology: model.modelTopology,
    weightSpecs,
    weights: weights.buffer,
    preprocessor: pre,
    recipes,
    format: schema.format,
    evaluation: metrics.evaluation,
    history: metrics.history,
    params: lineage.run.params as RunParams,
    lineage,
    card,
  };
}
