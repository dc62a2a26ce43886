// The standalone page's serving: the model from model.js's global, answering raw rows exactly as the bundle's
// predict.mjs and the app's predictor do (recipes oldest first, then preprocessing, then the model, with the input
// warnings of check.js), on tfjs's cpu backend so no wasm or shader file has to be fetched from disk.

import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { loadLayersModel, type LayersModel } from '@tensorflow/tfjs-layers';
import { encodeRow } from '../../src/core/serving/transform.js';
import { applyRecipeToRow } from '../../src/core/serving/recipe.js';
import { createChecker, inputColumns, predictionOf } from '../../src/core/serving/check.js';
import type { Prediction } from '../../src/core/contracts/predict';
import type { RawRow } from '../../src/core/shared/types';
import type { StandaloneData } from '../../src/core/deliver/export/standalone';

/** Rows per model call: bounds the tensors a large CSV makes at once. */
const BATCH = 4096;

export interface InputField {
  name: string;
  type: 'number' | 'category' | 'date';
  /** Categories seen in training (suggested, not enforced: an unseen one is answered with a warning). */
  values: readonly string[];
}

export interface Served {
  fields: InputField[];
  labels: readonly string[];
  predict(rows: RawRow[]): Promise<Prediction[]>;
}

function bytesOfBase64(text: string): ArrayBuffer {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes.buffer;
}

export async function loadServed(data: StandaloneData): Promise<Served> {
  await tf.setBackend('cpu');
  await tf.ready();
  const model: LayersModel = await loadLayersModel(
    tf.io.fromMemory({
      modelTopology: data.modelTopology as tf.io.ModelArtifacts['modelTopology'],
      weightSpecs: data.weightSpecs,
      weightData: bytesOfBase64(data.weightsBase64),
    }),
  );
  const pre = data.preprocessing;
  const recipes = data.recipes;
  const format = data.schema.format;
  const check = createChecker(pre, recipes, format);
  const width = pre.inputSize;

  async function batch(rows: RawRow[]): Promise<Prediction[]> {
    const warnings = rows.map((row) => check(row));
    const x = new Float32Array(rows.length * width);
    rows.forEach((row, i) => {
      let through: RawRow = row;
      for (const recipe of recipes) through = applyRecipeToRow(recipe, through, format) as RawRow;
      x.set(encodeRow(pre, through, format), i * width);
    });
    const out = tf.tidy(() => model.predict(tf.tensor2d(x, [rows.length, width]), { batchSize: BATCH }) as tf.Tensor);
    const values = await out.data();
    const outputs = out.shape[1] ?? 1;
    out.dispose();
    return rows.map((_, i) => predictionOf(pre, Array.from(values.subarray(i * outputs, (i + 1) * outputs)), warnings[i] ?? []));
  }

  return {
    fields: inputColumns(pre, recipes).map((c) => ({ name: c.name, type: c.type, values: c.categories ?? [] })),
    labels: pre.labels,
    async predict(rows) {
      const answers: Prediction[] = [];
      for (let start = 0; start < rows.length; start += BATCH) answers.push(...(await batch(rows.slice(start, start + BATCH))));
      return answers;
    },
  };
}
