// @ts-check
// Loads an exported Loopbench model and predicts from raw rows, in Node or in a page.
//
//   node predict.mjs rows.csv      predictions for a CSV/TSV file (.csv .tsv .tab .txt), read as Loopbench imports
//                                  files: separator , ; tab or | detected, quotes, UTF-8/UTF-16/Windows-1252
//   node predict.mjs rows.json     the same for a JSON array of objects (.jsonl / .ndjson: one object per line)
//   node predict.mjs --verify      replays examples.json and exits non-zero if any answer differs
//   node predict.mjs a.png b.png   image models: predictions for PNG files of the model's size (schema.json `image`)
//
// Output: a JSON array on stdout, one answer per row: { ok: true, output, probabilities, warnings } or
// { ok: false, error, warnings } when the model's output is NaN (never shown as a class); CSV rows also carry the
// `line` they start on. Each warning (unknown or missing column, unseen category, text that is no number or date,
// a value outside the training range or beyond float32) is also printed on stderr with its row.
// Exit codes: 0 every row answered (warnings or not); 1 a row has no answer, or --verify found a difference;
// 2 the input cannot be read (unknown file type, no header, ragged rows, bad JSON...) or the usage is wrong.
//
// In a page (with an import map that resolves '@tensorflow/tfjs', see README.md):
//   const model = await loadModel('./'); const pre = await loadPreprocessor('./'); const recipes = await loadRecipes('./');
//   const format = await loadFormat('./'); const [answer] = await predict(model, pre, [{ ... }], recipes, format);
//
// A raw row goes through the data recipes of recipes.json (oldest first, with recipe.js), then the preprocessing of
// preprocessing.json (transform.js), then the model: the order the training data was made in. Its text is read in
// the number and date format of schema.json (e.g. decimal comma), as the training file was.
//
// This file is shipped verbatim in the export bundle next to transform.js and recipe.js (src/core/serving/ in the
// repository); it is not part of the app. It lives in workers/ because it needs tfjs.

import * as tf from '@tensorflow/tfjs';
import { encodeRow } from './transform.js';
import { applyRecipeToRow } from './recipe.js';
import { createChecker, predictionOf } from './check.js';
import { CsvError, csvRecords, parseCsvText, readCsv } from './csv.js';

/** @typedef {import('./transform.js').Preprocessor} Preprocessor */
/** @typedef {import('./transform.js').InputRow} InputRow */
/** @typedef {import('./recipe.js').FittedRecipe} FittedRecipe */
/** @typedef {import('./check.js').Prediction} Prediction */
/** @typedef {import('./check.js').ReadFormat} ReadFormat */
/** @typedef {{ input: InputRow, output: string | number, probabilities: number[] | null }} Example */

/** How numbers and dates are written when a bundle does not say (bundles exported before it was recorded). */
export const DEFAULT_FORMAT = Object.freeze({ number: Object.freeze({ decimal: '.', thousands: '' }), dayFirst: false });

/** Input the script cannot read: exit code 2 in the CLI. */
export class InputError extends Error {
  /** @param {string} message */
  constructor(message) {
    super(message);
    this.name = 'InputError';
  }
}

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
 * How the bundle's raw rows write numbers and dates (schema.json's `format`).
 * @param {string} base
 * @returns {Promise<ReadFormat>}
 */
export async function loadFormat(base) {
  const schema = await readJson(base, 'schema.json');
  return schema && schema.format ? schema.format : DEFAULT_FORMAT;
}

/**
 * A raw row through the recipes, oldest first: the row the preprocessing was fitted on.
 * @param {readonly FittedRecipe[]} recipes
 * @param {InputRow} row
 * @param {ReadFormat} [format]
 * @returns {InputRow}
 */
export function applyRecipes(recipes, row, format) {
  let out = row;
  for (const recipe of recipes) out = applyRecipeToRow(recipe, out, format);
  return out;
}

/**
 * Predicts from raw rows (objects keyed by column name, values as typed by a user), each answer with the row's
 * input warnings; an answer whose model output is NaN is { ok: false, error }.
 * @param {tf.LayersModel} model
 * @param {Preprocessor} pre
 * @param {InputRow[]} rows
 * @param {readonly FittedRecipe[]} [recipes] from loadRecipes; none by default
 * @param {ReadFormat} [format] from loadFormat; '.' decimals by default
 * @returns {Promise<Prediction[]>}
 */
export async function predict(model, pre, rows, recipes = [], format = DEFAULT_FORMAT) {
  if (rows.length === 0) return [];
  const check = createChecker(pre, recipes, format);
  const warnings = rows.map((row, i) => {
    if (row === null || typeof row !== 'object' || Array.isArray(row)) throw new InputError(`row ${i + 1} is not an object keyed by column name`);
    return check(row);
  });
  const width = pre.inputSize;
  const x = new Float32Array(rows.length * width);
  rows.forEach((row, i) => x.set(encodeRow(pre, applyRecipes(recipes, row, format), format), i * width));
  const out = tf.tidy(() => /** @type {tf.Tensor} */ (model.predict(tf.tensor2d(x, [rows.length, width]), { batchSize: 4096 })));
  const values = await out.data();
  const outputs = out.shape[1] ?? 1;
  out.dispose();
  return rows.map((_, i) => predictionOf(pre, Array.from(values.subarray(i * outputs, (i + 1) * outputs)), warnings[i]));
}

/**
 * Why a prediction does not match an expected one, or null when it does.
 * @param {Prediction | { output: string | number, probabilities: number[] | null }} answer
 * @param {Example} want
 * @returns {string | null}
 */
export function mismatch(answer, want) {
  if ('ok' in answer && !answer.ok) return `no prediction (${answer.error}), expected ${want.output}`;
  const got = /** @type {{ output: string | number, probabilities: number[] | null }} */ (answer);
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

const DELIMITED = /\.(csv|tsv|tab|txt)$/i;
const JSON_LINES = /\.(jsonl|ndjson)$/i;

/**
 * Rows from a file's bytes (or text), by its name: delimited text (.csv .tsv .tab .txt) read with the import's rules
 * (csv.js), a JSON array of objects (.json), or one object per line (.jsonl .ndjson). Throws InputError, saying
 * what and where, for anything else. CSV rows come with the line each starts on.
 * @param {Uint8Array | string} content
 * @param {string} name
 * @returns {{ rows: InputRow[], lines: number[] | null }}
 */
export function readRows(content, name) {
  try {
    if (DELIMITED.test(name)) {
      const table = typeof content === 'string' ? parseCsvText(content, name) : readCsv(content, name);
      return { rows: csvRecords(table), lines: table.lines };
    }
    const text = typeof content === 'string' ? content : new TextDecoder('utf-8').decode(content);
    if (JSON_LINES.test(name)) {
      /** @type {InputRow[]} */
      const rows = [];
      /** @type {number[]} */
      const lines = [];
      text.split(/\r\n|\n|\r/).forEach((line, i) => {
        if (line.trim() === '') return;
        rows.push(objectRow(parseJson(line, `${name} line ${i + 1}`), `${name} line ${i + 1}`));
        lines.push(i + 1);
      });
      return { rows, lines };
    }
    if (/\.json$/i.test(name)) {
      const rows = parseJson(text, name);
      if (!Array.isArray(rows)) throw new InputError(`${name} should hold a JSON array of objects, one per row`);
      return { rows: rows.map((r, i) => objectRow(r, `${name} item ${i + 1}`)), lines: null };
    }
  } catch (e) {
    if (e instanceof CsvError) throw new InputError(e.message);
    throw e;
  }
  throw new InputError(`${name}: unknown file type. Give rows as .csv, .tsv, .txt (delimited text with a header line), .json (an array of objects) or .jsonl.`);
}

/**
 * @param {string} text
 * @param {string} where
 * @returns {unknown}
 */
function parseJson(text, where) {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new InputError(`${where} is not valid JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/**
 * @param {unknown} value
 * @param {string} where
 * @returns {InputRow}
 */
function objectRow(value, where) {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new InputError(`${where} is not an object keyed by column name`);
  return /** @type {InputRow} */ (value);
}

/**
 * Rows from a file's text (see readRows).
 * @param {string} text
 * @param {string} name
 * @returns {InputRow[]}
 */
export function parseRows(text, name) {
  return readRows(text, name).rows;
}

/**
 * @typedef {{ column: string, height: number, width: number, channels: 1 | 3, layout: 'NHWC', divideBy: number }} ImageInput
 * schema.json's `image`: an image model reads one picture of this size per prediction.
 */

/**
 * The image an image model's bundle reads (schema.json's `image`), or null for a model of table rows.
 * @param {string} base
 * @returns {Promise<ImageInput | null>}
 */
export async function loadImageInput(base) {
  const schema = await readJson(base, 'schema.json');
  return schema && schema.image ? schema.image : null;
}

/**
 * zlib-inflates a PNG's image data: Node's zlib, or the page's DecompressionStream.
 * @param {Uint8Array} bytes
 * @returns {Promise<Uint8Array>}
 */
async function inflate(bytes) {
  if (isNode) {
    const { inflateSync } = await import('node:zlib');
    return new Uint8Array(inflateSync(bytes));
  }
  const stream = new Blob([bytes.slice()]).stream().pipeThrough(new DecompressionStream('deflate'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** @param {number} a @param {number} b @param {number} c */
function paeth(a, b, c) {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
/** Samples per pixel by PNG colour type: grey, RGB, grey + alpha, RGBA (palette images are not read). */
const PNG_SAMPLES = /** @type {Record<number, number>} */ ({ 0: 1, 2: 3, 4: 2, 6: 4 });

/**
 * Decodes an 8-bit, non-interlaced grey, grey + alpha, RGB or RGBA PNG (what the bundle's examples are, and what
 * most tools write). Throws InputError, naming `name`, for anything else.
 * @param {Uint8Array} bytes
 * @param {string} name where the bytes came from, for messages
 * @returns {Promise<{ width: number, height: number, samples: number, data: Uint8Array }>} data: rows top to bottom,
 *   `samples` bytes per pixel
 */
export async function decodePng(bytes, name) {
  if (bytes.length < 8 || PNG_SIGNATURE.some((b, i) => bytes[i] !== b)) throw new InputError(`${name} is not a PNG file`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = 8;
  let width = 0;
  let height = 0;
  let samples = 0;
  /** @type {Uint8Array[]} */
  const idat = [];
  while (at + 8 <= bytes.length) {
    const length = view.getUint32(at);
    const type = String.fromCharCode(...bytes.subarray(at + 4, at + 8));
    const data = bytes.subarray(at + 8, at + 8 + length);
    if (data.length !== length) throw new InputError(`${name} is cut short in its ${type} chunk`);
    if (type === 'IHDR') {
      width = view.getUint32(at + 8);
      height = view.getUint32(at + 12);
      const [depth, colour, , , interlace] = data.subarray(8, 13);
      samples = PNG_SAMPLES[colour] ?? 0;
      if (depth !== 8 || samples === 0 || interlace !== 0) {
        throw new InputError(`${name}: only 8-bit, non-interlaced grey, RGB or RGBA PNGs are read (this one has bit depth ${depth}, colour type ${colour}${interlace ? ', interlaced' : ''}); convert it first`);
      }
    } else if (type === 'IDAT') {
      idat.push(data);
    } else if (type === 'IEND') {
      break;
    }
    at += 12 + length;
  }
  if (samples === 0) throw new InputError(`${name} has no PNG header (IHDR)`);
  const joined = new Uint8Array(idat.reduce((n, d) => n + d.length, 0));
  idat.reduce((offset, d) => (joined.set(d, offset), offset + d.length), 0);
  /** @type {Uint8Array} */
  let raw;
  try {
    raw = await inflate(joined);
  } catch (e) {
    throw new InputError(`${name}: its image data cannot be inflated (${e instanceof Error ? e.message : String(e)})`);
  }
  const stride = width * samples;
  if (raw.length < height * (stride + 1)) throw new InputError(`${name}: its image data is shorter than ${width} x ${height} pixels`);
  const out = new Uint8Array(height * stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    const row = y * stride;
    for (let i = 0; i < stride; i++) {
      const left = i >= samples ? out[row + i - samples] : 0;
      const up = y > 0 ? out[row - stride + i] : 0;
      const corner = y > 0 && i >= samples ? out[row - stride + i - samples] : 0;
      const predictor = filter === 0 ? 0 : filter === 1 ? left : filter === 2 ? up : filter === 3 ? (left + up) >> 1 : filter === 4 ? paeth(left, up, corner) : -1;
      if (predictor < 0) throw new InputError(`${name}: row ${y + 1} has an unknown filter type ${filter}`);
      out[row + i] = (line[i] + predictor) & 0xff;
    }
  }
  return { width, height, samples, data: out };
}

/**
 * A decoded PNG as the model's input pixels (uint8, HWC, the model's channels). Alpha is dropped; RGB becomes grey
 * with the weights Loopbench's image import uses (0.299, 0.587, 0.114), grey becomes RGB by repeating it. The PNG
 * must already be the model's size: resize it (as Loopbench did on import) before predicting.
 * @param {{ width: number, height: number, samples: number, data: Uint8Array }} png from decodePng
 * @param {ImageInput} image
 * @param {string} name
 * @returns {Uint8Array}
 */
export function imagePixels(png, image, name) {
  if (png.width !== image.width || png.height !== image.height) {
    throw new InputError(`${name} is ${png.width} x ${png.height} pixels; the model reads ${image.width} x ${image.height}: resize it first`);
  }
  const n = png.width * png.height;
  const out = new Uint8Array(n * image.channels);
  const colour = png.samples >= 3;
  for (let p = 0; p < n; p++) {
    const s = p * png.samples;
    if (image.channels === 3) {
      for (let c = 0; c < 3; c++) out[p * 3 + c] = png.data[s + (colour ? c : 0)];
    } else {
      out[p] = colour ? Math.round(0.299 * png.data[s] + 0.587 * png.data[s + 1] + 0.114 * png.data[s + 2]) : png.data[s];
    }
  }
  return out;
}

/**
 * Reads a PNG file of the bundle (a path in Node, a URL in a page) as the model's input pixels.
 * @param {string} base the bundle's directory or URL; a file outside it can be given as an absolute path or URL
 * @param {string} file
 * @param {ImageInput} image
 * @returns {Promise<Uint8Array>}
 */
export async function readImage(base, file, image) {
  /** @type {Uint8Array} */
  let bytes;
  if (isNode) {
    const { readFile } = await import('node:fs/promises');
    const { resolve } = await import('node:path');
    bytes = new Uint8Array(await readFile(resolve(base, file)));
  } else {
    const response = await fetch(new URL(file, base.endsWith('/') ? base : `${base}/`));
    if (!response.ok) throw new Error(`cannot fetch ${file}: HTTP ${response.status}`);
    bytes = new Uint8Array(await response.arrayBuffer());
  }
  return imagePixels(await decodePng(bytes, file), image, file);
}

/**
 * Predicts from images (each uint8 HWC pixels of the model's size, e.g. from readImage): float32 pixels / 255 in
 * NHWC, as Loopbench feeds them. Images have no input warnings.
 * @param {tf.LayersModel} model
 * @param {Preprocessor} pre
 * @param {Uint8Array[]} images
 * @param {ImageInput} image
 * @returns {Promise<Prediction[]>}
 */
export async function predictImages(model, pre, images, image) {
  if (images.length === 0) return [];
  const size = image.height * image.width * image.channels;
  const x = new Float32Array(images.length * size);
  images.forEach((pixels, i) => {
    if (pixels.length !== size) throw new InputError(`image ${i + 1} has ${pixels.length} values; the model reads ${image.height} x ${image.width} x ${image.channels} = ${size}`);
    for (let j = 0; j < size; j++) x[i * size + j] = pixels[j] / image.divideBy;
  });
  const shape = [images.length, image.height, image.width, image.channels];
  const out = tf.tidy(() => /** @type {tf.Tensor} */ (model.predict(tf.tensor4d(x, /** @type {[number, number, number, number]} */ (shape)), { batchSize: 256 })));
  const values = await out.data();
  const outputs = out.shape[1] ?? 1;
  out.dispose();
  return images.map((_, i) => predictionOf(pre, Array.from(values.subarray(i * outputs, (i + 1) * outputs)), []));
}

/**
 * Replays examples.json: each answer checked against the one Loopbench gave. Image bundles read each example's PNG.
 * @param {string} base
 * @returns {Promise<{ total: number, failures: { i: number, why: string }[] }>}
 */
export async function verifyExamples(base) {
  const [model, pre, recipes, format, image] = await Promise.all([loadModel(base), loadPreprocessor(base), loadRecipes(base), loadFormat(base), loadImageInput(base)]);
  try {
    /** @type {Example[]} */
    const examples = await readJson(base, 'examples.json');
    /** @type {Prediction[]} */
    let got;
    if (image) {
      const pixels = await Promise.all(examples.map((e) => readImage(base, String(e.input[image.column]), image)));
      got = await predictImages(model, pre, pixels, image);
    } else {
      got = await predict(model, pre, examples.map((e) => e.input), recipes, format);
    }
    const failures = /** @type {{ i: number, why: string }[]} */ (
      examples.map((want, i) => ({ i, why: mismatch(got[i], want) })).filter((f) => f.why !== null)
    );
    return { total: examples.length, failures };
  } finally {
    model.dispose();
  }
}

/** @param {string[]} args */
async function main(args) {
  const { readFile } = await import('node:fs/promises');
  const { fileURLToPath } = await import('node:url');
  const here = fileURLToPath(new URL('.', import.meta.url));
  // The cpu backend gives the same numbers as the app's tests; other backends may differ in the last digits.
  await tf.setBackend('cpu');
  const pngs = args.length > 0 && args.every((a) => /\.png$/i.test(a));
  if (args.length !== 1 && !pngs) {
    console.error('usage: node predict.mjs rows.csv | rows.json | rows.jsonl | image.png... | --verify');
    process.exitCode = 2;
    return;
  }
  if (args[0] === '--verify') {
    const { total, failures } = await verifyExamples(here);
    for (const f of failures.slice(0, 20)) console.error(`example ${f.i}: ${f.why}`);
    console.log(`${total - failures.length} of ${total} examples match`);
    if (failures.length > 0) process.exitCode = 1;
    return;
  }
  if (pngs) {
    const image = await loadImageInput(here);
    if (!image) {
      console.error('predict.mjs: this bundle predicts from table rows, not images: give it rows as .csv, .json or .jsonl');
      process.exitCode = 2;
      return;
    }
    /** @type {Uint8Array[]} */
    const pixels = [];
    try {
      for (const file of args) pixels.push(await readImage(process.cwd(), file, image));
    } catch (e) {
      if (!(e instanceof InputError) && !(e instanceof Error && 'code' in e)) throw e;
      console.error(`predict.mjs: ${e.message}`);
      process.exitCode = 2;
      return;
    }
    const [model, pre] = await Promise.all([loadModel(here), loadPreprocessor(here)]);
    try {
      const answers = await predictImages(model, pre, pixels, image);
      answers.forEach((a, i) => {
        if (!a.ok) console.error(`${args[i]}: error: ${a.error}`);
      });
      console.log(JSON.stringify(answers.map((a, i) => ({ file: args[i], ...a })), null, 2));
      if (answers.some((a) => !a.ok)) process.exitCode = 1;
    } finally {
      model.dispose();
    }
    return;
  }
  /** @type {{ rows: InputRow[], lines: number[] | null }} */
  let input;
  // The input is read (and refused) before the model is loaded: a bad file is the commonest mistake.
  try {
    input = readRows(new Uint8Array(await readFile(args[0])), args[0]);
  } catch (e) {
    if (!(e instanceof InputError) && !(e instanceof Error && 'code' in e)) throw e;
    console.error(`predict.mjs: ${e.message}`);
    process.exitCode = 2;
    return;
  }
  const [model, pre, recipes, format] = await Promise.all([loadModel(here), loadPreprocessor(here), loadRecipes(here), loadFormat(here)]);
  try {
    const { rows, lines } = input;
    const answers = await predict(model, pre, rows, recipes, format);
    const where = (/** @type {number} */ i) => (lines ? `line ${lines[i]}` : `row ${i + 1}`);
    answers.forEach((a, i) => {
      for (const w of a.warnings) console.error(`${where(i)}: warning: ${w.message}`);
      if (!a.ok) console.error(`${where(i)}: error: ${a.error}`);
    });
    const shown = lines ? answers.map((a, i) => ({ line: lines[i], ...a })) : answers;
    console.log(JSON.stringify(shown, null, 2));
    if (answers.some((a) => !a.ok)) process.exitCode = 1;
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
