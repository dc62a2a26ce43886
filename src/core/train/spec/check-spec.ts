// Checks a model spec (JSON from a form, a stored run or a file) before anything is built from it.

import { checkInt, checkList, checkNumber, checkOneOf, isRecord, type Problems } from './checkers';
import { ACTIVATIONS, FAMILIES, LIMITS } from './limits';
import type { ModelInput, ModelSpec, SpecProblem } from './types';

function checkDense(out: Problems, path: string, v: unknown): void {
  if (!isRecord(v)) {
    out.push({ path, message: `${path} must be a layer with units and activation` });
    return;
  }
  checkInt(out, `${path}.units`, v.units, LIMITS.units.min, LIMITS.units.max);
  checkOneOf(out, `${path}.activation`, v.activation, ACTIVATIONS);
}

function checkDropout(out: Problems, v: unknown): void {
  checkNumber(out, 'dropout', v, LIMITS.dropout.min, LIMITS.dropout.max);
}

/** Side of the feature map after each conv block ('same' padding; pooling floors like Keras' 'valid' pooling). */
export function convSides(height: number, width: number, pools: readonly number[]): { height: number; width: number }[] {
  const sides: { height: number; width: number }[] = [];
  for (const pool of pools) {
    height = Math.floor(height / pool);
    width = Math.floor(width / pool);
    sides.push({ height, width });
  }
  return sides;
}

/** Why this family cannot read this input, or null. */
export function familyInputProblem(family: ModelSpec['family'], input: ModelInput): string | null {
  if (family === 'cnn' && input.kind !== 'image') {
    return 'The CNN reads images: this dataset version has no image column. Choose the linear model or the MLP.';
  }
  if (family !== 'cnn' && input.kind === 'image') {
    const name = family === 'mlp' ? 'The MLP' : 'The linear model';
    return `${name} reads numbers and categories: this dataset version has an image column. Choose the CNN.`;
  }
  return null;
}

/**
 * Every problem of `spec`, located by path; an empty list means it can be built. With `input`, also checks that the
 * family fits the input (CNN for images only) and that pooling leaves at least one pixel.
 */
export function validateSpec(spec: unknown, input: ModelInput | null = null): SpecProblem[] {
  const out: Problems = [];
  if (!isRecord(spec)) return [{ path: '', message: 'the model spec must be an object with a family' }];
  if (!checkOneOf(out, 'family', spec.family, FAMILIES)) return out;
  if (spec.family === 'mlp') {
    if (checkList(out, 'layers', spec.layers, LIMITS.hiddenLayers.min, LIMITS.hiddenLayers.max)) {
      spec.layers.forEach((l, i) => checkDense(out, `layers[${i}]`, l));
    }
    checkDropout(out, spec.dropout);
  } else if (spec.family === 'cnn') {
    const pools: number[] = [];
    if (checkList(out, 'conv', spec.conv, LIMITS.convBlocks.min, LIMITS.convBlocks.max)) {
      spec.conv.forEach((block, i) => {
        const path = `conv[${i}]`;
        if (!isRecord(block)) {
          out.push({ path, message: `${path} must be a block with filters, kernel, pool and activation` });
          return;
        }
        checkInt(out, `${path}.filters`, block.filters, LIMITS.filters.min, LIMITS.filters.max);
        checkInt(out, `${path}.kernel`, block.kernel, LIMITS.kernel.min, LIMITS.kernel.max);
        if (checkInt(out, `${path}.pool`, block.pool, LIMITS.pool.min, LIMITS.pool.max)) pools.push(block.pool);
        checkOneOf(out, `${path}.activation`, block.activation, ACTIVATIONS);
      });
    }
    if (checkList(out, 'dense', spec.dense, LIMITS.denseLayers.min, LIMITS.denseLayers.max)) {
      spec.dense.forEach((l, i) => checkDense(out, `dense[${i}]`, l));
    }
    checkDropout(out, spec.dropout);
    if (input?.kind === 'image' && Array.isArray(spec.conv) && pools.length === spec.conv.length) {
      const sides = convSides(input.height, input.width, pools);
      const i = sides.findIndex((s) => s.height < 1 || s.width < 1);
      if (i >= 0) {
        out.push({
          path: `conv[${i}].pool`,
          message: `conv[${i}].pool shrinks the ${input.height}×${input.width} images below one pixel: use fewer or smaller pools`,
        });
      }
    }
  }
  if (input && out.length === 0) {
    const problem = familyInputProblem((spec as unknown as ModelSpec).family, input);
    if (problem) out.push({ path: 'family', message: problem });
  }
  return out;
}

/** The spec, once it has no problems; throws the located messages otherwise (for the worker, before building). */
export function assertValidSpec(spec: unknown, input: ModelInput | null = null): ModelSpec {
  const problems = validateSpec(spec, input);
  if (problems.length > 0) throw new Error(`The model spec is not valid: ${problems.map((p) => p.message).join('; ')}`);
  return spec as ModelSpec;
}
