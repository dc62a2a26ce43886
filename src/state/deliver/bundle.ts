// Gathers what a registered version's export bundle and model card are made of, from storage and the app's own
// serving path, so the Export button, the model card panel and the pipeline's parity check build the same thing.
// Loaded on demand (it embeds the serving sources), never with the screens.

import type { DatasetVersion, ModelVersion, Project, RawRow, Run } from '../../core/shared/types';
import { SPLIT_TEST } from '../../core/shared/types';
import {
  buildBundleFiles,
  generatedModelCard,
  type BundleInput,
  type CardEvidence,
  type CardInput,
  type CardSlices,
} from '../../core/deliver/export/bundle';
import { rawExampleRows } from '../../core/deliver/export/raw-examples';
import { imageExampleInput } from '../../core/deliver/export/image-examples';
import { findVersion, type RegistryVersion } from '../../core/deliver/registry';
import { evaluationId, type StoredEvaluation } from '../../core/evaluate/types';
import { rawRow, rowsOf } from '../../core/train/preprocess';
import { runtimeSources, standaloneRuntime, zipBundle } from '../../platform/bundle-zip';
import type { Services } from '../shared/services';
import { loadRunModel } from '../shared/model-loader';
import { recipeChain } from '../data/recipe-chain';
import { datasetRef } from '../shared/dataset-ref';

export type { CardEvidence } from '../../core/deliver/export/bundle';

/** Raw test rows shipped as examples.json: enough to catch a skewed deployment, small enough to read. */
const MAX_EXAMPLES = 200;
/** Test images shipped as examples/*.png: a handful proves a deployment feeds pixels right without bloating the zip. */
const MAX_IMAGE_EXAMPLES = 20;

export interface BuiltBundle {
  files: Record<string, Uint8Array>;
  zip: Uint8Array;
  /** e.g. penguin-species-v3.zip */
  fileName: string;
}

interface Gathered {
  card: CardInput;
  /** The version's edited card text; null when the card is generated. */
  edited: string | null;
  /** The import the run's recipe chain starts from: examples are its raw rows. */
  rootId: string;
}

function describeEvaluation(e: StoredEvaluation): string {
  return `"${e.datasetName}", ${e.split === 'all' ? 'all rows' : `${e.split} split`}`;
}

/** The slices of the evaluation linked to the version, else of its run's own test split; null when neither is stored. */
async function slicesOf(services: Services, registered: RegistryVersion, run: Run): Promise<CardSlices | null> {
  const linked = registered.evaluationId ? await services.evaluations.get(registered.evaluationId) : undefined;
  const evaluation = linked ?? (await services.evaluations.get(evaluationId(run.id, run.datasetId, 'test')));
  if (!evaluation || evaluation.result.slices.length === 0) return null;
  return { evaluated: describeEvaluation(evaluation), tables: evaluation.result.slices };
}

async function gather(services: Services, project: Project, version: ModelVersion, evidence: CardEvidence | null): Promise<Gathered> {
  const model = await services.registry.model(project.id, version.name);
  const registered = model ? findVersion(model, version.version) : null;
  if (!model || !registered) throw new Error(`${version.name} version ${version.version} is not registered in project "${project.name}"`);
  const run = await services.runs.get(version.runId);
  if (!run?.model || !run.preprocessor) throw new Error(`the run behind ${version.name} version ${version.version} has no stored model`);
  if (run.origin) {
    // Its examples and evidence are raw rows of data that stayed where it was trained.
    throw new Error(`${version.name} version ${version.version} was imported from ${run.origin.file}; its training data is not stored here, so it cannot be exported again: share that bundle instead`);
  }
  const dataset: DatasetVersion | undefined = await services.datasets.get(run.datasetId);
  if (!dataset) throw new Error(`dataset version ${run.datasetId.slice(0, 8)}, which ${version.name} version ${version.version} was trained on, is not stored`);
  const recipes = run.recipes ?? [];
  let chain = [dataset.id];
  if (recipes.length > 0) {
    const found = await recipeChain((id) => services.datasets.get(id), dataset.id);
    if (found.recipes.length !== recipes.length) {
      throw new Error(`the run recorded ${recipes.length} recipe(s) but its dataset version now has ${found.recipes.length}`);
    }
    chain = found.versionIds;
  }
  const card: CardInput = {
    project,
    dataset,
    run,
    model: version,
    chain,
    description: model.description,
    slices: await slicesOf(services, registered, run),
    evidence,
  };
  return { card, edited: registered.card?.text ?? null, rootId: chain[0] as string };
}

/** The version's model card: the edited text when someone edited it, else the one generated from the evidence. */
export async function modelCardOf(
  services: Services,
  project: Project,
  version: ModelVersion,
  evidence: CardEvidence | null = null,
): Promise<{ text: string; edited: boolean; imported?: true }> {
  const run = await services.runs.get(version.runId);
  if (run?.origin) {
    // An imported version's card is the bundle's MODEL_CARD.md until someone edits it; there is no evidence here to
    // generate one from.
    const model = await services.registry.model(project.id, version.name);
    const edited = (model && findVersion(model, version.version)?.card?.text) ?? null;
    return { text: edited ?? run.origin.card, edited: edited !== null && edited !== run.origin.card, imported: true };
  }
  const { card, edited } = await gather(services, project, version, evidence);
  return edited === null ? { text: await generatedModelCard(card), edited: false } : { text: edited, edited: true };
}

/**
 * Everything buildBundleFiles needs for a registered version. The examples' expected answers come from the app's own
 * serving path (the predictor, under the version's key), so the bundle's --verify and the parity check prove that a
 * deployment reproduces what Loopbench predicted.
 */
export async function bundleInput(
  services: Services,
  project: Project,
  version: ModelVersion,
  evidence: CardEvidence | null = null,
  signal?: AbortSignal,
): Promise<BundleInput> {
  const { card, edited, rootId } = await gather(services, project, version, evidence);
  const { run } = card;
  if (run.preprocessor?.image) return imageBundleInput(services, card, edited, rootId, version, signal);
  const recipes = run.recipes ?? [];
  const root = await services.datasets.load(rootId);
  let inputs: RawRow[];
  if (recipes.length === 0) {
    const testRows = rowsOf(root.assignment, SPLIT_TEST).slice(0, MAX_EXAMPLES);
    inputs = Array.from(testRows, (row) => rawRow(root.meta.schema, root.table, row));
  } else {
    // The bundle is fed raw rows, so its examples are raw rows of the import the chain starts from.
    inputs = rawExampleRows(root.meta.schema, root.table, root.assignment, recipes, MAX_EXAMPLES);
  }
  // The predictor gets its own copy of the weights: loading transfers (detaches) the buffer it is given.
  const { predictions } = await services.predictor.predict(version.id, () => loadRunModel(services, run), inputs, signal);
  const loaded = await loadRunModel(services, run);
  const standalone = await standaloneRuntime();
  return {
    ...card,
    topology: loaded.model.topology,
    weightSpecs: loaded.model.weightSpecs,
    weights: loaded.model.weights,
    runtime: runtimeSources,
    examples: inputs.map((input, i) => {
      const answer = predictions[i];
      // An example is an answer --verify can check; a row the model cannot answer is no such thing.
      if (!answer?.ok) throw new Error(`example row ${i + 1} has no prediction: ${answer ? answer.error : 'the predictor gave no answer'}`);
      return { input, output: answer.output, probabilities: answer.probabilities };
    }),
    exportedAt: Date.now(),
    card: edited,
    ...(standalone === undefined ? {} : { standaloneRuntime: standalone }),
  };
}

/**
 * An image model's bundle input: its examples are the first test images, as PNG files, with the answers the app's
 * predictor gave on the stored pixels (the path its evaluation takes, which feeds images as they are stored).
 */
async function imageBundleInput(
  services: Services,
  card: CardInput,
  edited: string | null,
  rootId: string,
  version: ModelVersion,
  signal?: AbortSignal,
): Promise<BundleInput> {
  const { run } = card;
  const pre = run.preprocessor;
  const spec = pre?.image;
  if (!pre || !spec) throw new Error(`the run behind ${version.name} version ${version.version} is not an image model`);
  // Image versions are never made by recipes: the stored rows are what the model read.
  if ((run.recipes ?? []).length > 0) throw new Error(`${version.name} version ${version.version} is an image model trained through data recipes, which images do not have`);
  const answers = await services.predictor.predictTable(
    version.id,
    () => loadRunModel(services, run),
    { jobId: `bundle:${version.id}:${Date.now()}`, dataset: datasetRef(services, rootId), split: 'test', recipes: [] },
    signal,
  );
  const root = await services.datasets.load(rootId);
  const column = root.table.columns[root.table.names.indexOf(spec.column)];
  if (!column || column.kind !== 'image') throw new Error(`dataset version ${rootId.slice(0, 8)} has no image column "${spec.column}"`);
  const size = column.width * column.height * column.channels;
  const k = pre.labels.length;
  const count = Math.min(MAX_IMAGE_EXAMPLES, answers.rows.length);
  const examples: BundleInput['examples'] = [];
  const exampleImages: Uint8Array[] = [];
  for (let i = 0; i < count; i++) {
    const row = answers.rows[i] as number;
    const probabilities = answers.probabilities ? Array.from(answers.probabilities.subarray(i * k, (i + 1) * k)) : null;
    if (!probabilities) throw new Error(`the predictor gave no probabilities for test image ${i + 1} of ${version.name} version ${version.version}`);
    examples.push({ input: imageExampleInput(spec, i), output: pre.labels[answers.predicted[i] as number] as string, probabilities });
    exampleImages.push(column.pixels.slice(row * size, (row + 1) * size));
  }
  const loaded = await loadRunModel(services, run);
  return {
    ...card,
    topology: loaded.model.topology,
    weightSpecs: loaded.model.weightSpecs,
    weights: loaded.model.weights,
    runtime: runtimeSources,
    examples,
    exampleImages,
    exportedAt: Date.now(),
    card: edited,
  };
}

export function bundleFileName(version: ModelVersion): string {
  const slug = version.name.replace(/[^a-z0-9-_]+/gi, '-').toLowerCase();
  return `${slug}-v${version.version}.zip`;
}

/** The deployable zip of a registered version, with its files as they are inside it. */
export async function buildBundle(
  services: Services,
  project: Project,
  version: ModelVersion,
  evidence: CardEvidence | null = null,
  signal?: AbortSignal,
): Promise<BuiltBundle> {
  const files = await buildBundleFiles(await bundleInput(services, project, version, evidence, signal));
  return { files, zip: zipBundle(files), fileName: bundleFileName(version) };
}
