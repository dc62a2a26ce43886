// @ts-check
// The serving half of the preprocessing recipe. Plain JavaScript on purpose: the app imports this file and the
// export bundle ships it byte for byte, so a model answers the same in the app and wherever it is deployed.
// No imports: it must run in Node and in a page without a build step.

/** @typedef {import('../types').Preprocessor} Preprocessor */
/** @typedef {import('../types').RawValue} RawValue */
/** @typedef {Record<string, RawValue | undefined>} InputRow */

// Same spellings and number syntax as src/core/missing.ts (a unit test holds them together); repeated here because
// this file must stand alone in the export bundle.
/** Text that means "no value" (after trimming); null, undefined and NaN are missing too. */
export const MISSING_SPELLINGS = Object.freeze(['', 'NA', 'N/A', 'null', 'NULL', 'None', '?', 'NaN', 'nan']);
const MISSING_TOKENS = new Set(MISSING_SPELLINGS);
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/**
 * Whether a raw cell counts as missing, by the same rule the importer uses.
 * @param {unknown} cell
 * @returns {boolean}
 */
export function missingValue(cell) {
  if (cell === null || cell === undefined) return true;
  if (typeof cell === 'number') return Number.isNaN(cell);
  if (typeof cell === 'string') return MISSING_TOKENS.has(cell.trim());
  return false;
}

/**
 * A raw cell as a number, or NaN when it is missing or not a number.
 * @param {unknown} cell
 * @returns {number}
 */
export function numberValue(cell) {
  if (missingValue(cell)) return NaN;
  if (typeof cell === 'number') return Number.isFinite(cell) ? cell : NaN;
  if (typeof cell === 'string') {
    const t = cell.trim();
    if (!NUMBER.test(t)) return NaN;
    const n = Number(t);
    return Number.isFinite(n) ? n : NaN;
  }
  return NaN;
}

/**
 * A raw cell as a category value, or null when it is missing.
 * @param {unknown} cell
 * @returns {string | null}
 */
export function categoryValue(cell) {
  if (missingValue(cell)) return null;
  return String(cell).trim();
}

/**
 * Standardises a number with the training statistics; a constant training column has std 0 and is only centred.
 * @param {number} value
 * @param {number} mean
 * @param {number} std
 * @returns {number}
 */
export function scale(value, mean, std) {
  const s = std === 0 || !Number.isFinite(std) ? 1 : std;
  return (value - mean) / s;
}

/**
 * Encodes one raw row (as a user would type it) into the model's input vector.
 * @param {Preprocessor} pre
 * @param {InputRow} row
 * @returns {number[]}
 */
export function encodeRow(pre, row) {
  /** @type {number[]} */
  const out = new Array(pre.inputSize).fill(0);
  let offset = 0;
  for (const f of pre.features) {
    // Own keys only: a feature named "constructor" or "__proto__" absent from the row is missing,
    // not a value inherited from Object.prototype.
    const cell = Object.prototype.hasOwnProperty.call(row, f.name) ? row[f.name] : undefined;
    if (f.kind === 'number') {
      const v = numberValue(cell);
      out[offset] = scale(Number.isNaN(v) ? f.mean : v, f.mean, f.std);
      offset += 1;
    } else {
      const v = categoryValue(cell);
      const at = v === null ? -1 : f.categories.indexOf(v);
      if (at >= 0) out[offset + at] = 1;
      offset += f.categories.length;
    }
  }
  if (offset !== pre.inputSize) {
    throw new Error(`preprocessor describes ${offset} inputs but declares inputSize ${pre.inputSize}`);
  }
  return out;
}

/**
 * Turns one row of model output into the user's terms.
 * @param {Preprocessor} pre
 * @param {ArrayLike<number>} outputs softmax probabilities (classification) or the standardised value (regression)
 * @returns {{ output: string | number, probabilities: number[] | null }}
 */
export function decodeOutput(pre, outputs) {
  if (pre.task === 'classification') {
    if (outputs.length !== pre.labels.length) {
      throw new Error(`model gave ${outputs.length} outputs for ${pre.labels.length} labels`);
    }
    const probabilities = Array.from(outputs, Number);
    let best = 0;
    for (let i = 1; i < probabilities.length; i++) if (probabilities[i] > probabilities[best]) best = i;
    return { output: pre.labels[best], probabilities };
  }
  const std = pre.targetStd === 0 || !Number.isFinite(pre.targetStd) ? 1 : pre.targetStd;
  return { output: Number(outputs[0]) * std + pre.targetMean, probabilities: null };
}
