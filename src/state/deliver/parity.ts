// The serving-parity check: build the version's bundle, read the model back out of the zip bytes exactly as a
// deployment would (serialised topology, weight shard, preprocessing, recipes, number format), serve it beside the
// app's model and compare the answers to examples.json, which the app's stored model produced.

import type { BundleExample } from '../../core/deliver/export/bundle';
import { compareAnswers } from '../../core/deliver/export/parity';
import type { ParityCheck } from '../../core/deliver/pipeline/run-outputs';
import type { FittedRecipe } from '../../core/recipe/types';
import type { ModelVersion, Preprocessor, Project, ReadFormat, WeightManifest } from '../../core/shared/types';
import { unzipBundle } from '../../platform/bundle-zip';
import type { LoadedRun } from '../../platform/workers';
import type { Services } from '../shared/services';
import { buildBundle } from './bundle';

const decoder = new TextDecoder();

function file(files: Record<string, Uint8Array>, name: string): Uint8Array {
  const bytes = files[name];
  if (!bytes) throw new Error(`the bundle has no ${name}`);
  return bytes;
}

function jsonFile(files: Record<string, Uint8Array>, name: string): unknown {
  try {
    return JSON.parse(decoder.decode(file(files, name)));
  } catch (e) {
    throw new Error(`the bundle's ${name} is not readable JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The model as a deployment loads it: model.json's topology and manifest, and the shards it names, in order. */
function servedModel(files: Record<string, Uint8Array>): LoadedRun['model'] {
  const modelJson = jsonFile(files, 'model/model.json');
  const manifest = isObject(modelJson) && Array.isArray(modelJson.weightsManifest) ? (modelJson.weightsManifest as unknown[]) : null;
  if (!isObject(modelJson) || !manifest || !('modelTopology' in modelJson)) {
    throw new Error("the bundle's model/model.json has no modelTopology or weightsManifest");
  }
  const weightSpecs: WeightManifest['weightSpecs'] = [];
  const shards: Uint8Array[] = [];
  for (const [i, group] of manifest.entries()) {
    if (!isObject(group) || !Array.isArray(group.paths) || !Array.isArray(group.weights)) {
      throw new Error(`the bundle's model/model.json weightsManifest[${i}] has no paths or weights`);
    }
    weightSpecs.push(...(group.weights as WeightManifest['weightSpecs']));
    for (const path of group.paths) shards.push(file(files, `model/${String(path)}`));
  }
  const weights = new Uint8Array(shards.reduce((n, s) => n + s.byteLength, 0));
  let offset = 0;
  for (const shard of shards) {
    weights.set(shard, offset);
    offset += shard.byteLength;
  }
  return { topology: modelJson.modelTopology, weightSpecs, weights: weights.buffer };
}

/** Everything the predictor serves, read from the unzipped bundle rather than from storage. */
export function servedRun(files: Record<string, Uint8Array>): LoadedRun {
  const preprocessor = jsonFile(files, 'preprocessing.json');
  if (!isObject(preprocessor) || !Array.isArray(preprocessor.features)) throw new Error("the bundle's preprocessing.json has no features");
  const recipes = jsonFile(files, 'recipes.json');
  if (!Array.isArray(recipes)) throw new Error("the bundle's recipes.json is not a list");
  const schema = jsonFile(files, 'schema.json');
  if (!isObject(schema) || !isObject(schema.format)) throw new Error("the bundle's schema.json has no format");
  return {
    model: servedModel(files),
    preprocessor: preprocessor as unknown as Preprocessor,
    recipes: recipes as FittedRecipe[],
    format: schema.format as unknown as ReadFormat,
  };
}

/**
 * Whether the exported bundle of `version` answers its example rows as the app did, within `tolerance`. Image models
 * are refused: the check replays table rows (an image bundle's predict.mjs --verify checks its example images).
 */
export async function checkParity(
  services: Services,
  project: Project,
  version: ModelVersion,
  tolerance = 1e-6,
  signal?: AbortSignal,
): Promise<ParityCheck> {
  const run = await services.runs.get(version.runId);
  if (run?.preprocessor?.image) {
    throw new Error(`${version.name} version ${version.version} is an image model: serving parity replays table rows, so it is not checked here; its bundle's predict.mjs --verify checks its example images`);
  }
  const { zip } = await buildBundle(services, project, version, null, signal);
  const files = unzipBundle(zip);
  const served = servedRun(files);
  const examples = jsonFile(files, 'examples.json');
  if (!Array.isArray(examples)) throw new Error("the bundle's examples.json is not a list");
  const rows = examples as BundleExample[];
  // Its own key: the bundle's model must never answer for (or be cached as) the app's.
  const key = `parity:${version.id}:${Date.now()}`;
  let predictions: Awaited<ReturnType<typeof services.predictor.predict>>['predictions'];
  try {
    ({ predictions } = await services.predictor.predict(key, async () => served, rows.map((e) => e.input), signal));
  } finally {
    // Checked once: kept loaded, every parity check would leave another copy of the model in the worker.
    await services.predictor.unload(key).catch(() => undefined);
  }
  return compareAnswers(rows, predictions, tolerance);
}
