// @ts-check
// What serving noticed about a raw input row: unknown and missing columns, unseen categories, text where a number
// or a date belongs, values outside the training range or beyond float32. The model still answers (these inputs
// are read as missing or as no known category, as in training), but the caller is told instead of the value being
// silently treated as missing. Plain JavaScript like transform.js: the export bundle ships this file byte for byte.
// Its only imports are its siblings, which the bundle ships too.

import { categoryValue, decodeOutput, missingValue, numberValue } from './transform.js';
import { dateValue } from './dates.js';

/** @typedef {import('../shared/types').Preprocessor} Preprocessor */
/** @typedef {import('../shared/types').ReadFormat} ReadFormat */
/** @typedef {import('../shared/types').InputWarning} InputWarning */
/** @typedef {import('../recipe/types').FittedRecipe} FittedRecipe */
/** @typedef {Record<string, unknown>} InputRow */
/** @typedef {'number' | 'category' | 'date'} InputType */
/**
 * One raw column a caller provides and what the model makes of it. `used` false: the model never reads it (a recipe
 * drops it, or it is not a feature), so nothing about its value is worth a warning.
 * @typedef {{
 *   name: string,
 *   type: InputType,
 *   used: boolean,
 *   numeric: boolean,
 *   categories: readonly string[] | null,
 *   range: { min: number, max: number } | null,
 * }} InputColumn
 */

/** The largest finite float32: the model computes in float32, so anything beyond is infinite to it. */
export const FLOAT32_MAX = 3.4028234663852886e38;

const INFINITY_TEXT = /^[+-]?(inf|infinity)$/i;
/** Number-like text whose exponent overflows: digits, separators, an exponent. */
const OVERFLOW_TEXT = /^[+-]?[\d.,' \u00a0\u202f]*\d[eE][+-]?\d+$/;
/**
 * @param {number} v
 * @returns {string}
 */
function show(v) {
  return String(Number(v.toPrecision(6)));
}

/**
 * @param {unknown} cell
 * @returns {string}
 */
function text(cell) {
  if (cell === null || cell === undefined) return '';
  return typeof cell === 'string' ? cell : String(cell);
}

/**
 * Edit distance between two short names (column names), for "did you mean".
 * @param {string} a
 * @param {string} b
 * @returns {number}
 */
export function editDistance(a, b) {
  /** @type {number[]} */
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) {
      next[j] = Math.min(prev[j] + 1, next[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = next;
  }
  return prev[b.length];
}

/**
 * The known name a misspelt one most likely meant: same letters ignoring case, spaces and punctuation, or at most
 * a third of its letters away. null when none is close.
 * @param {string} name
 * @param {readonly string[]} known
 * @returns {string | null}
 */
export function closestName(name, known) {
  const squash = (/** @type {string} */ s) => s.toLowerCase().replace(/[\s_.\-]+/g, '');
  let best = null;
  let bestDistance = Infinity;
  for (const k of known) {
    const d = squash(k) === squash(name) ? 0 : editDistance(name.toLowerCase(), k.toLowerCase());
    if (d < bestDistance) {
      best = k;
      bestDistance = d;
    }
  }
  return best !== null && bestDistance <= Math.max(1, Math.floor(name.length / 3)) ? best : null;
}

/**
 * @param {string} kind
 * @returns {InputType}
 */
function inputType(kind) {
  return kind === 'number' ? 'number' : kind === 'date' ? 'date' : 'category';
}

/**
 * The raw columns a caller provides (the first recipe's input but the target, or the preprocessor's features when
 * there are no recipes), each followed through the recipes to what the model learned about it: the categories it
 * knows, and the range of training values (in raw units: scale steps are undone; after a clip there is no range to
 * leave).
 * @param {Preprocessor} pre
 * @param {readonly FittedRecipe[]} [recipes]
 * @returns {InputColumn[]}
 */
export function inputColumns(pre, recipes = []) {
  const features = new Map(pre.features.map((f) => [f.name, f]));
  if (recipes.length === 0) {
    return pre.features.map((f) => {
      const number = /** @type {{ min?: number, max?: number }} */ (f);
      return {
        name: f.name,
        type: inputType(f.kind),
        used: true,
        numeric: f.kind === 'number',
        categories: f.kind === 'category' ? f.categories : null,
        range: f.kind === 'number' && typeof number.min === 'number' && typeof number.max === 'number' ? { min: number.min, max: number.max } : null,
      };
    });
  }
  return recipes[0].input
    .filter((c) => c.role !== 'target' && c.name !== pre.target)
    .map((c) => follow(c.name, inputType(c.type), recipes, features));
}

/**
 * @param {string} raw
 * @param {InputType} type
 * @param {readonly FittedRecipe[]} recipes
 * @param {Map<string, Preprocessor['features'][number]>} features
 * @returns {InputColumn}
 */
function follow(raw, type, recipes, features) {
  /** @type {InputColumn} */
  const out = { name: raw, type, used: true, numeric: type === 'number', categories: null, range: null };
  let name = raw;
  let numeric = type === 'number';
  let clipped = false;
  /** Scale steps met, to map the training range back to raw units. */
  /** @type {{ offset: number, factor: number }[]} */
  const scales = [];
  for (const recipe of recipes) {
    for (const step of recipe.steps) {
      const s = /** @type {{ kind: string, column?: string, columns?: string[], from?: string, to?: string, keep?: boolean }} */ (step);
      if (s.kind === 'rename' && s.from === name) {
        name = /** @type {string} */ (s.to);
        continue;
      }
      if (s.kind === 'drop') {
        if (s.columns?.includes(name)) return { ...out, used: false };
        continue;
      }
      if (s.kind === 'filter' || s.column !== name) continue;
      switch (step.kind) {
        case 'cast':
          numeric = step.to === 'number';
          if (numeric) out.numeric = true;
          break;
        case 'impute':
          break;
        case 'scale':
          scales.push({ offset: step.offset, factor: step.factor });
          break;
        case 'clip':
          clipped = true;
          break;
        case 'onehot':
        case 'ordinal':
          // The encoder's own categories: anything else encodes as no known value.
          return numeric ? out : { ...out, categories: step.categories };
        case 'dateparts':
          if (step.keep) break;
          return out;
        default:
          // bucketize, and steps that map any value somewhere by design (hashing, "other"): nothing to compare with.
          return out;
      }
    }
  }
  const f = features.get(name);
  if (!f) return { ...out, used: false };
  if (f.kind === 'category' && !numeric) return { ...out, categories: f.categories };
  const limits = /** @type {{ min?: number, max?: number }} */ (f);
  if (f.kind !== 'number' || !numeric || type !== 'number' || clipped || typeof limits.min !== 'number' || typeof limits.max !== 'number') return out;
  let lo = limits.min;
  let hi = limits.max;
  for (let i = scales.length - 1; i >= 0; i--) {
    lo = lo * scales[i].factor + scales[i].offset;
    hi = hi * scales[i].factor + scales[i].offset;
  }
  return { ...out, range: { min: Math.min(lo, hi), max: Math.max(lo, hi) } };
}

/**
 * @param {ReadFormat | undefined} format
 * @returns {string}
 */
function numberHint(format) {
  const n = format?.number;
  if (!n || (n.decimal === '.' && n.thousands === '')) return '';
  const sep = n.thousands === '' ? 'no thousands separator' : `thousands separator '${n.thousands}'`;
  return ` (numbers are read with decimal mark '${n.decimal}' and ${sep})`;
}

/**
 * A checker for one model: build it once, call it per row.
 * @param {Preprocessor} pre
 * @param {readonly FittedRecipe[]} [recipes]
 * @param {ReadFormat} [format]
 * @returns {(row: InputRow) => InputWarning[]}
 */
export function createChecker(pre, recipes = [], format) {
  const columns = inputColumns(pre, recipes);
  const known = new Set(columns.map((c) => c.name));
  const names = columns.map((c) => c.name);
  return (row) => {
    if (row === null || typeof row !== 'object' || Array.isArray(row)) {
      throw new TypeError('a row must be an object keyed by column name');
    }
    /** @type {InputWarning[]} */
    const warnings = [];
    for (const key of Object.keys(row)) {
      if (known.has(key) || key === pre.target) continue;
      const near = closestName(key, names.filter((n) => !Object.prototype.hasOwnProperty.call(row, n)));
      warnings.push({
        kind: 'unknown-column',
        column: key,
        value: text(row[key]),
        message: `"${key}" is not a column this model reads, so it was ignored${near === null ? '' : `; did you mean "${near}"?`}`,
      });
    }
    for (const c of columns) {
      if (!c.used) continue;
      if (!Object.prototype.hasOwnProperty.call(row, c.name)) {
        warnings.push({ kind: 'missing-column', column: c.name, value: '', message: `"${c.name}" is missing from the row; it was read as a missing value` });
        continue;
      }
      const cell = row[c.name];
      if (missingValue(cell)) continue;
      const warning = c.numeric ? checkNumber(c, cell, format) : c.type === 'date' ? checkDate(c, cell, format) : checkCategory(c, cell);
      if (warning) warnings.push(warning);
    }
    return warnings;
  };
}

/**
 * The warnings for one raw row.
 * @param {Preprocessor} pre
 * @param {readonly FittedRecipe[]} recipes
 * @param {InputRow} row
 * @param {ReadFormat} [format]
 * @returns {InputWarning[]}
 */
export function checkRow(pre, recipes, row, format) {
  return createChecker(pre, recipes, format)(row);
}

/**
 * @param {InputColumn} c
 * @param {unknown} cell present
 * @param {ReadFormat | undefined} format
 * @returns {InputWarning | null}
 */
function checkNumber(c, cell, format) {
  const value = text(cell);
  const t = value.trim();
  const infinite = typeof cell === 'number' ? !Number.isFinite(cell) : INFINITY_TEXT.test(t) || (OVERFLOW_TEXT.test(t) && !Number.isFinite(Number(t.replace(',', '.'))));
  if (infinite) {
    return { kind: 'beyond-float32', column: c.name, value, message: `${c.name} = ${value} is not a finite number; the model cannot read it, so it was read as missing` };
  }
  const v = numberValue(cell, format?.number);
  if (Number.isNaN(v)) {
    return { kind: 'unparseable-number', column: c.name, value, message: `"${value}" is not a number (${c.name}); it was read as missing${numberHint(format)}` };
  }
  if (Math.abs(v) > FLOAT32_MAX) {
    return { kind: 'beyond-float32', column: c.name, value, message: `${c.name} = ${value} is beyond the largest 32-bit float (±3.4e38), the model's number type` };
  }
  if (c.range && (v < c.range.min || v > c.range.max)) {
    return {
      kind: 'out-of-range',
      column: c.name,
      value,
      message: `${c.name} = ${show(v)} is outside the training range (${show(c.range.min)} to ${show(c.range.max)}); the model never saw such values`,
    };
  }
  return null;
}

/**
 * @param {InputColumn} c
 * @param {unknown} cell present
 * @param {ReadFormat | undefined} format
 * @returns {InputWarning | null}
 */
function checkDate(c, cell, format) {
  const value = text(cell);
  if (!Number.isNaN(dateValue(cell, format?.dayFirst ?? false))) return null;
  return { kind: 'unparseable-date', column: c.name, value, message: `"${value}" is not a date (${c.name}); it was read as missing` };
}

/**
 * @param {InputColumn} c
 * @param {unknown} cell present
 * @returns {InputWarning | null}
 */
function checkCategory(c, cell) {
  if (!c.categories) return null;
  const v = categoryValue(cell);
  if (v === null || c.categories.includes(v)) return null;
  const shown = c.categories.slice(0, 5).map((k) => `"${k}"`).join(', ') + (c.categories.length > 5 ? ', ...' : '');
  return {
    kind: 'unseen-category',
    column: c.name,
    value: text(cell),
    message: `"${v}" never appeared in ${c.name} in training (known: ${shown}); the model reads it as no known value`,
  };
}

/**
 * @typedef {{ ok: true, output: string | number, probabilities: number[] | null, warnings: InputWarning[] }
 *   | { ok: false, error: string, warnings: InputWarning[] }} Prediction
 */

/**
 * One row's answer from the model's raw outputs: a NaN or infinite output (an input beyond float32 can overflow
 * the network) is an error, never a class or a number.
 * @param {Preprocessor} pre
 * @param {ArrayLike<number>} outputs
 * @param {InputWarning[]} warnings the row's input warnings
 * @returns {Prediction}
 */
export function predictionOf(pre, outputs, warnings) {
  for (let i = 0; i < outputs.length; i++) {
    if (!Number.isFinite(outputs[i])) {
      const odd = warnings.filter((w) => w.kind === 'beyond-float32' || w.kind === 'out-of-range').map((w) => w.column);
      const cause = odd.length > 0 ? `; look at ${odd.join(', ')}` : '';
      return { ok: false, error: `The model's output is ${String(outputs[i])}, not a number it can answer with, so there is no prediction${cause}.`, warnings };
    }
  }
  return { ok: true, ...decodeOutput(pre, outputs), warnings };
}
