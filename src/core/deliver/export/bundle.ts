// The files of the export bundle: everything someone who never opened Loopbench needs to run, check and judge the
// model. Pure (no zip, no I/O): the platform layer packs the files.

import { sha256Hex } from '../../data/hash';
import { flattenReport } from '../../evaluate/run-report';
import type { Preprocessor, RawRow, ReadFormat, WeightManifest } from '../../shared/types';
import { DEFAULT_READ_FORMAT } from '../../shared/types';
import type { FittedRecipe } from '../../recipe/types';
import { MISSING_SPELLINGS } from '../../serving/transform.js';
import { modelCard, readme, type CardInput } from './model-card';

export type { CardEvidence, CardInput, CardSlices } from './model-card';
import { rawInputColumns } from './raw-inputs';
import { base64Of, STANDALONE_DATA_VERSION, standaloneFiles } from './standalone';
import { imageExampleFiles, imageSchema, type BundleImageInput } from './image-examples';

export const TFJS_VERSION = '4.22.0';
export const WEIGHTS_FILE = 'group1-shard1of1.bin';

export interface BundleExample {
  input: RawRow;
  output: string | number;
  probabilities: number[] | null;
}

export interface BundleInput extends CardInput {
  /** Must carry its preprocessor and evaluation (CardInput's run). */
  topology: unknown;
  weightSpecs: WeightManifest['weightSpecs'];
  weights: ArrayBuffer;
  /**
   * Sources of src/core/serving/transform.js, recipe.js, dates.js, check.js (input warnings), csv.js (the import's
   * CSV rules) and workers/predict/predict.mjs, shipped verbatim.
   */
  runtime: { transformJs: string; recipeJs: string; predictJs: string; datesJs: string; checkJs: string; csvJs: string };
  /** Raw rows (before the run's recipes, if any) with the answers the app gave. */
  examples: BundleExample[];
  /**
   * The dataset versions from the import to `dataset`, oldest first (run.recipes[i] made chain[i + 1] from chain[i]).
   * Required when the run has recipes.
   */
  chain?: string[];
  exportedAt: number;
  /** The model card as a person edited it; absent or null: MODEL_CARD.md is generated from the evidence. */
  card?: string | null;
  /**
   * The app's built standalone-runtime.js: with it the bundle carries standalone/ (a page that predicts offline from
   * disk). The app always supplies it; Node tests, which have no build, may not.
   */
  standaloneRuntime?: string;
  /**
   * Image models: each example's image as the app stores it (uint8, HWC), in the order of `examples`, whose input
   * names its file (imageExampleFile). Written as PNG files under examples/.
   */
  exampleImages?: Uint8Array[];
}

/** What a bundle's model.json `userDefinedMetadata` holds. */
export interface BundleMetadata {
  runId: string;
  datasetVersion: string;
  /** SHA-256 of preprocessing.json exactly as shipped. */
  recipeHash: string;
  modelName: string;
  modelVersion: number;
}

/** The columns a caller provides and the ones the model reads. */
export interface BundleSchema {
  task: Preprocessor['task'];
  target: string;
  /** Text cells read as missing (JSON null or an absent key too): numbers take the training mean, categories all zeros. */
  missingValues: string[];
  /**
   * With data recipes (recipes.json): the raw columns a caller provides, which the recipes turn into `inputs`.
   * Without: absent, and the caller provides `inputs` directly.
   */
  rawInputs?: { name: string; type: 'number' | 'category' | 'date' }[];
  /** The model's input columns, in its input order (after the recipes, if any). */
  /** Dates: given as text (ISO, or a/b/yyyy read with the schema's format), fed to the model as days since 1970. */
  inputs: (
    | { name: string; type: 'number'; trainingMean: number; trainingStd: number }
    | { name: string; type: 'date'; trainingMeanDays: number; trainingStdDays: number }
    | { name: string; type: 'category'; values: string[] }
  )[];
  output: { name: string; type: 'category'; labels: string[] } | { name: string; type: 'number' };
  /** How raw text writes numbers and dates: the format of the file the model's data was imported from. */
  format: ReadFormat;
  /** Image models only (then `inputs` is empty): the one image a caller provides per prediction. */
  image?: BundleImageInput;
}

const encoder = new TextEncoder();

function json(value: unknown): Uint8Array {
  return encoder.encode(`${JSON.stringify(value, null, 2)}\n`);
}

function inputSchema(pre: Preprocessor, recipes: readonly FittedRecipe[], format: ReadFormat): BundleSchema {
  return {
    task: pre.task,
    target: pre.target,
    missingValues: MISSING_SPELLINGS.slice(),
    ...(recipes.length > 0 ? { rawInputs: rawInputColumns(recipes) } : {}),
    inputs: pre.features.map((f) =>
      f.kind === 'number'
        ? { name: f.name, type: 'number' as const, trainingMean: f.mean, trainingStd: f.std }
        : f.kind === 'date'
          ? { name: f.name, type: 'date' as const, trainingMeanDays: f.mean, trainingStdDays: f.std }
          : { name: f.name, type: 'category' as const, values: f.categories.slice() },
    ),
    output:
      pre.task === 'classification'
        ? { name: pre.target, type: 'category', labels: pre.labels.slice() }
        : { name: pre.target, type: 'number' },
    format,
    ...(pre.image ? { image: imageSchema(pre.image) } : {}),
  };
}

/** The card MODEL_CARD.md holds when nobody edited it, with the recipe hash of the preprocessing.json it ships. */
export async function generatedModelCard(input: CardInput): Promise<string> {
  const pre = input.run.preprocessor;
  if (!pre) throw new Error(`run ${input.run.id} has no preprocessing recipe; it has no model card`);
  return modelCard(input, pre, await sha256Hex(json(pre)));
}

export async function buildBundleFiles(input: BundleInput): Promise<Record<string, Uint8Array>> {
  const { project, dataset, run, model } = input;
  const pre = run.preprocessor;
  if (!pre) throw new Error(`run ${run.id} has no preprocessing recipe; it cannot be exported`);
  if (!run.evaluation) throw new Error(`run ${run.id} has no evaluation; it cannot be exported`);
  const recipes = run.recipes ?? [];
  const chain = input.chain ?? [dataset.id];
  if (chain.length !== recipes.length + 1 || chain[chain.length - 1] !== dataset.id) {
    throw new Error(`run ${run.id} has ${recipes.length} recipe(s) but a lineage chain of ${chain.length} version(s) ending elsewhere than its dataset`);
  }

  const preprocessing = json(pre);
  const recipeHash = await sha256Hex(preprocessing);
  const weightsSha256 = await sha256Hex(input.weights);
  const metadata: BundleMetadata = {
    runId: run.id,
    datasetVersion: dataset.id,
    recipeHash,
    modelName: model.name,
    modelVersion: model.version,
  };
  const tfjs = run.versions.tfjs ?? TFJS_VERSION;
  const modelJson = {
    format: 'layers-model',
    generatedBy: `Loopbench (TensorFlow.js ${tfjs})`,
    convertedBy: null,
    modelTopology: input.topology,
    weightsManifest: [{ paths: [WEIGHTS_FILE], weights: input.weightSpecs }],
    userDefinedMetadata: metadata,
  };
  const metrics = {
    split: 'test',
    headline: flattenReport(run.evaluation),
    goal: project.goal,
    evaluation: run.evaluation,
    history: run.history,
  };
  const lineage = {
    exportedAt: new Date(input.exportedAt).toISOString(),
    project: { id: project.id, name: project.name, task: project.task, target: project.target, goal: project.goal },
    dataset: {
      id: dataset.id,
      name: dataset.name,
      source: dataset.source,
      rowCount: dataset.rowCount,
      split: dataset.split,
      parents: dataset.parents,
      createdAt: new Date(dataset.createdAt).toISOString(),
    },
    // Oldest first: recipes.json[i] made chain[i + 1] from chain[i]; raw rows look like chain[0]'s.
    recipeChain: chain,
    run: {
      id: run.id,
      name: run.name,
      status: run.status,
      params: run.params,
      backend: run.backend,
      versions: run.versions,
      startedAt: new Date(run.startedAt).toISOString(),
      endedAt: run.endedAt === null ? null : new Date(run.endedAt).toISOString(),
      note: run.note,
      tags: run.tags,
    },
    model: { id: model.id, name: model.name, version: model.version, createdAt: new Date(model.createdAt).toISOString() },
    recipeHash,
    weights: { file: `model/${WEIGHTS_FILE}`, byteLength: input.weights.byteLength, sha256: weightsSha256 },
  };
  const packageJson = {
    name: `${model.name}`.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '') || 'loopbench-model',
    version: `${model.version}.0.0`,
    private: true,
    description: `${model.name} v${model.version}, exported from Loopbench`,
    type: 'module',
    main: 'predict.mjs',
    scripts: { verify: 'node predict.mjs --verify' },
    dependencies: { '@tensorflow/tfjs': TFJS_VERSION },
  };

  const schema = inputSchema(pre, recipes, run.format ?? DEFAULT_READ_FORMAT);
  // The standalone page's form and CSV reader take table rows; an image model has none to give it.
  const standalone =
    input.standaloneRuntime === undefined || pre.image
      ? {}
      : standaloneFiles(
          {
            dataVersion: STANDALONE_DATA_VERSION,
            name: model.name,
            version: model.version,
            modelTopology: input.topology,
            weightSpecs: input.weightSpecs,
            weightsBase64: base64Of(new Uint8Array(input.weights)),
            preprocessing: pre,
            schema,
            recipes,
            examples: input.examples,
          },
          input.standaloneRuntime,
        );

  // Loaded here, on demand: the protobuf runtime and ONNX descriptor are only needed when a bundle is built.
  const { writeOnnx } = await import('./onnx');
  const onnx = writeOnnx({
    topology: input.topology,
    weightSpecs: input.weightSpecs,
    weights: input.weights,
    preprocessor: pre,
    name: model.name,
    metadata: { run_id: run.id, dataset_version: dataset.id, recipe_hash: recipeHash, model_name: model.name, model_version: String(model.version) },
  });

  const images = pre.image ? imageExampleFiles(pre.image, input.examples, input.exampleImages) : {};

  return {
    ...standalone,
    ...images,
    'model/model.json': json(modelJson),
    'model/model.onnx': onnx,
    'model/group1-shard1of1.bin': new Uint8Array(input.weights.slice(0)),
    'preprocessing.json': preprocessing,
    'schema.json': json(schema),
    'recipes.json': json(recipes),
    'labels.json': json(pre.labels),
    'metrics.json': json(metrics),
    'lineage.json': json(lineage),
    'examples.json': json(input.examples),
    'MODEL_CARD.md': encoder.encode(input.card ?? modelCard(input, pre, recipeHash)),
    'README.md': encoder.encode(readme(input, pre)),
    'transform.js': encoder.encode(input.runtime.transformJs),
    'recipe.js': encoder.encode(input.runtime.recipeJs),
    'dates.js': encoder.encode(input.runtime.datesJs),
    'check.js': encoder.encode(input.runtime.checkJs),
    'csv.js': encoder.encode(input.runtime.csvJs),
    'predict.mjs': encoder.encode(input.runtime.predictJs),
    'package.json': json(packageJson),
  };
}
