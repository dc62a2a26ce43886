// @ts-check
// Loads an exported Loopbench model and predicts from raw rows, in Node or in a page.
//
//   node predict.mjs rows.json     predictions for a JSON array of objects (or an unquoted .csv with a header)
//   node predict.mjs --verify      replays examples.json and exits non-zero if any answer differs
//
// In a page (with an import map that resolves '@tensorflow/tfjs', see README.md):
//   const model = await loadModel('./'); const pre = await loadPreprocessor('./'); const recipes = await loadRecipes('./');
//   const [answer] = await predict(model, pre, [{ ... }], recipes);
//
// A raw row goes through the data recipes of recipes.json (oldest first, with recipe.js), then the preprocessing of
// preprocessing.json (transform.js), then the model: the order the training data was made in.
//
// This file is shipped verbatim in the export bundle next to transform.js and recipe.js (src/core/serving/ in the
// repository); it is not part of the app. It lives in workers/ because it needs tfjs.

import * as tf from '@tensorflow/tfjs';
import { decodeOutput, encodeRow } from './transform.js';
import { applyRecipeToRow } from './recipe.js';

/** @typedef {import('./transform.js').Preprocessor} Preprocessor */
/** @typedef {import('./transform.js').InputRow} InputRow */
/** @typedef {import('./recipe.js').FittedRecipe} FittedRecipe */
/** @typedef {{ output: string | number, probabilities: number[] | null }} Prediction */
/** @typedef {{ input: InputRow, output: string | number, probabilities: number[] | null }} Example */

const isNode = typeof process !== 'undefined' && Boolean(process.versions && process.versions.node);

/** Probabilities and regression outputs may differ by this much between machines and backends. */
const TOLERANCE = 1e-4;

/**
 * @param {string} base directory (Node) or URL (page) of the unzipped bundle
 * @param {string} file path inside the bundle
 */
function locate(base, file) {
  return base.endsWith('/') ? base + file : `${base}/${file}`;
}

/**
 * @param {string} base
 * @param {string} file
 * @returns {Promise<any>}
 */
async function readJson(base, file) {
  if (isNode) {
    const { readFile } = await import('node:fs/promises');
    return JSON.parse(await readFile(locate(base, file), 'utf8'));
  }
  const response = await fetch(locate(base, file));
  if (!response.ok) throw new Error(`cannot fetch ${file}: HTTP ${response.status}`);
  return response.json();
}

/**
 * Loads the TF.js layers model of a bundle.
 * @param {string} base the bundle's directory (Node) or base URL (page)
 * @returns {Promise<tf.LayersModel>}
 */
export async function loadModel(base) {
  if (!isNode) return tf.loadLayersModel(locate(base, 'model/model.json'));
  // '@tensorflow/tfjs' has no file:// loader in Node, so hand it the artifacts read from disk.
  const { readFile } = await import('node:fs/promises');
  const json = await readJson(base, 'model/model.json');
  /** @type {{ paths: string[], weights: tf.io.WeightsManifestEntry[] }[]} */
  const groups = json.weightsManifest;
  /** @type {ArrayBuffer[]} */
  const shards = [];
  for (const group of groups) {
    for (const p of group.paths) {
      const bytes = await readFile(locate(base, `model/${p}`));
      shards.push(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
    }
  }
  /** @type {tf.io.ModelArtifacts} */
  const artifacts = {
    modelTopology: json.modelTopology,
    weightSpecs: groups.flatMap((g) => g.weights),
    weightData: tf.io.CompositeArrayBuffer.join(shards),
    format: json.format,
    generatedBy: json.generatedBy,
    convertedBy: json.convertedBy,
    userDefinedMetadata: json.userDefinedMetadata,
  };
  return tf.loadLayersModel({ load: async () => artifacts });
}

/**
 * Loads the preprocessing recipe the model was trained with.
 * @param {string} base
 * @returns {Promise<Preprocessor>}
 */
export function loadPreprocessor(base) {
  return readJson(base, 'preprocessing.json');
}

/**
 * Loads the data recipes the training data was made with, oldest first. A bundle without recipes.json (the model
 * trained on imported data as it was) has none.
 * @param {string} base
 * @returns {Promise<FittedRecipe[]>}
 */
export async function loadRecipes(base) {
  if (isNode) {
    const { access } = await import('node:fs/promises');
    try {
      await access(locate(base, 'recipes.json'));
    } catch {
      return [];
    }
    return readJson(base, 'recipes.json');
  }
  const response = await fetch(locate(base, 'recipes.json'));
  if (response.status === 404) return [];
  if (!response.ok) throw new Error(`cannot fetch recipes.json: HTTP ${response.status}`);
  return response.json();
}

/**
 * A raw row through the recipes, oldest first: the row the preprocessing was fitted on.
 * @param {readonly FittedRecipe[]} recipes
 * @param {InputRow} row
 * @returns {InputRow}
 */
export function applyRecipes(recipes, row) {
  let out = row;
  for (const recipe of recipes) out = applyRecipeToRow(recipe, out);
  return out;
}

/**
 * Predicts from raw rows (objects keyed by column name, values as typed by a user).
 * @param {tf.LayersModel} model
 * @param {Preprocessor} pre
 * @param {InputRow[]} rows
 * @param {readonly FittedRecipe[]} [recipes] from loadRecipes; none by default
 * @returns {Promise<Prediction[]>}
 */
export async function predict(model, pre, rows, recipes = []) {
  if (rows.length === 0) return [];
  const width = pre.inputSize;
  const x = new Float32Array(rows.length * width);
  rows.forEach((row, i) => x.set(encodeRow(pre, applyRecipes(recipes, row)), i * width));
  const out = tf.tidy(() => /** @type {tf.Tensor} */ (model.predict(tf.tensor2d(x, [rows.length, width]), { batchSize: 4096 })));
  const values = await out.data();
  const outputs = out.shape[1] ?? 1;
  out.dispose();
  return rows.map((_, i) => decodeOutput(pre, Array.from(values.subarray(i * outputs, (i + 1) * outputs))));
}

/**
 * Why a prediction does not match an expected one, or null when it does.
 * @param {Prediction} got
 * @param {Example} want
 * @returns {string | null}
 */
export function mismatch(got, want) {
  if (typeof want.output === 'number') {
    const diff = Math.abs(Number(got.output) - want.output);
    if (!(diff <= TOLERANCE * Math.max(1, Math.abs(want.output)))) return `output ${got.output}, expected ${want.output}`;
    return null;
  }
  if (got.output !== want.output) return `output ${got.output}, expected ${want.output}`;
  const p = got.probabilities ?? [];
  const q = want.probabilities ?? [];
  if (p.length !== q.length) return `${p.length} probabilities, expected ${q.length}`;
  for (let i = 0; i < q.length; i++) {
    if (!(Math.abs(p[i] - q[i]) <= TOLERANCE)) return `probability ${i} is ${p[i]}, expected ${q[i]}`;
  }
  return null;
}

/**
 * Rows from a JSON array of objects, or from a CSV with a header and no quoted fields.
 * @param {string} text
 * @param {string} name
 * @returns {InputRow[]}
 */
export function parseRows(text, name) {
  if (!name.toLowerCase().endsWith('.csv')) {
    const rows = JSON.parse(text);
    if (!Array.isArray(rows)) throw new Error(`${name} should hold a JSON array of objects`);
    return rows;
  }
  const lines = text.split(/\r?\n/).filter((line) => line.trim() !== '');
  if (lines.length === 0) return [];
  const header = lines[0].split(',').map((h) => h.trim());
  return lines.slice(1).map((line) => {
    const cells = line.split(',');
    /** @type {InputRow} */
    const row = {};
    header.forEach((h, i) => {
      row[h] = cells[i] ?? null;
    });
    return row;
  });
}

/** @param {string[]} args */
async function main(args) {
  const { readFile } = await import('node:fs/promises');
  const { fileURLToPath } = await import('node:url');
  const here = fileURLToPath(new URL('.', import.meta.url));
  // The cpu backend gives the same numbers as the app's tests; other backends may differ in the last digits.
  await tf.setBackend('cpu');
  const [model, pre, recipes] = await Promise.all([loadModel(here), loadPreprocessor(here), loadRecipes(here)]);
  try {
    if (args[0] === '--verify') {
      /** @type {Example[]} */
      const examples = await readJson(here, 'examples.json');
      const got = await predict(model, pre, examples.map((e) => e.input), recipes);
      const failures = examples
        .map((want, i) => ({ i, why: mismatch(got[i], want) }))
        .filter((f) => f.why !== null);
      for (const f of failures.slice(0, 20)) console.error(`example ${f.i}: ${f.why}`);
      console.log(`${examples.length - failures.length} of ${examples.length} examples match`);
      if (failures.length > 0) process.exitCode = 1;
      return;
    }
    if (args.length !== 1) {
      console.error('usage: node predict.mjs rows.json | rows.csv | --verify');
      process.exitCode = 2;
      return;
    }
    const rows = parseRows(await readFile(args[0], 'utf8'), args[0]);
    console.log(JSON.stringify(await predict(model, pre, rows, recipes), null, 2));
  } finally {
    model.dispose();
  }
}

if (isNode) {
  const { fileURLToPath } = await import('node:url');
  const { resolve } = await import('node:path');
  if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
    await main(process.argv.slice(2));
  }
}
