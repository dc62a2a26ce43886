// The model's topology judged before tfjs ever reads it: a Sequential stack of the layer classes Loopbench builds
// (workers/train/models/build.ts), known initialisers and activations only, and the shape of every weight derived
// from the layers, so a manifest that lies about a shape is caught here rather than by a crash or a wrong answer.

import type { Preprocessor } from '../../shared/types';
import { count, refuse } from './refusal';

export const ALLOWED_LAYERS = ['InputLayer', 'Dense', 'Dropout', 'Flatten', 'Conv2D', 'MaxPooling2D'] as const;
const ACTIVATIONS = new Set(['relu', 'tanh', 'sigmoid', 'elu', 'softmax', 'linear']);
/** The initialisers a saved config may name (tfjs writes them even though loading replaces the values). */
const INITIALIZERS = new Set(['VarianceScaling', 'Zeros', 'Ones', 'Constant', 'GlorotUniform', 'GlorotNormal', 'HeUniform', 'HeNormal', 'LeCunUniform', 'LeCunNormal', 'RandomUniform', 'RandomNormal', 'TruncatedNormal']);
/** Config keys that name behaviour beyond the weights; Loopbench never sets them, and a bundle may not either. */
const MUST_BE_EMPTY = ['kernel_regularizer', 'bias_regularizer', 'activity_regularizer', 'kernel_constraint', 'bias_constraint'];

/** A weight a layer owns, with the shape its configuration implies. */
export interface ExpectedWeight {
  name: string;
  shape: number[];
  /** e.g. 'layer dense_1 (Dense, 16 units on 9 inputs)' */
  why: string;
}

type Shape = (number | null)[];
type Fields = Record<string, unknown>;

function isRecord(v: unknown): v is Fields {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function positiveInt(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v > 0;
}

function pair(v: unknown, where: string): [number, number] {
  const p = typeof v === 'number' ? [v, v] : v;
  if (!Array.isArray(p) || p.length !== 2 || !p.every(positiveInt)) refuse(`model/model.json: ${where} must be two positive whole numbers`);
  return p as [number, number];
}

function show(shape: readonly (number | null)[]): string {
  return `[${shape.map((d) => (d === null ? 'batch' : d)).join(', ')}]`;
}

/** Every `class_name` inside a layer's config must be a known initialiser; regularisers and constraints are absent. */
function checkNested(layer: string, config: Fields): void {
  for (const key of MUST_BE_EMPTY) {
    if (config[key] !== undefined && config[key] !== null) refuse(`model/model.json: layer ${layer} sets ${key}, which an imported model may not`);
  }
  const walk = (value: unknown, at: string): void => {
    if (Array.isArray(value)) value.forEach((item, i) => walk(item, `${at}[${i}]`));
    if (!isRecord(value)) return;
    if ('class_name' in value && !INITIALIZERS.has(String(value.class_name))) {
      refuse(`model/model.json: layer ${layer} names class ${String(value.class_name)} at ${at}, which is not allowed`);
    }
    for (const [k, v] of Object.entries(value)) walk(v, `${at}.${k}`);
  };
  walk(config, 'config');
}

function activation(layer: string, config: Fields): void {
  const a = config.activation ?? 'linear';
  if (typeof a !== 'string' || !ACTIVATIONS.has(a)) refuse(`model/model.json: layer ${layer} has activation ${JSON.stringify(a)}; allowed: ${[...ACTIVATIONS].join(', ')}`);
}

function inputShapeOf(layer: string, config: Fields): Shape {
  const shape = config.batch_input_shape ?? (Array.isArray(config.batchInputShape) ? config.batchInputShape : undefined);
  if (!Array.isArray(shape) || shape.length < 2 || shape[0] !== null || !shape.slice(1).every(positiveInt)) {
    return refuse(`model/model.json: layer ${layer} has no batch_input_shape of [null, sizes...]`);
  }
  return shape as Shape;
}

/**
 * Checks the topology against the preprocessing it ships with and returns the weights its layers own, in order.
 * The input width must be the preprocessing's encoded width (or its image shape), the output width the number of
 * labels (classification) or 1 (regression).
 */
export function expectedWeights(topology: unknown, pre: Preprocessor): ExpectedWeight[] {
  if (!isRecord(topology)) refuse('model/model.json: modelTopology is not an object');
  if (topology.class_name !== 'Sequential') refuse(`model/model.json: the model is a ${JSON.stringify(topology.class_name)}; only Sequential models are imported`);
  const config = topology.config;
  const layers = isRecord(config) ? config.layers : undefined;
  if (!Array.isArray(layers) || layers.length === 0) refuse('model/model.json: the Sequential model has no layers');

  const weights: ExpectedWeight[] = [];
  const names = new Set<string>();
  let shape: Shape | null = null;
  layers.forEach((raw, i) => {
    if (!isRecord(raw) || !isRecord(raw.config)) refuse(`model/model.json: layer ${i + 1} has no class_name and config`);
    const cls = String(raw.class_name);
    if (!(ALLOWED_LAYERS as readonly string[]).includes(cls)) refuse(`layer class ${cls} is not allowed (allowed: ${ALLOWED_LAYERS.join(', ')})`);
    const c = raw.config;
    const layer = typeof c.name === 'string' && /^[A-Za-z0-9_.-]{1,100}$/.test(c.name) ? c.name : refuse(`model/model.json: layer ${i + 1} (${cls}) has no usable name`);
    if (names.has(layer)) refuse(`model/model.json: two layers are named ${layer}`);
    names.add(layer);
    if (c.dtype !== undefined && c.dtype !== 'float32') refuse(`model/model.json: layer ${layer} computes in ${String(c.dtype)}; only float32 is imported`);
    checkNested(layer, c);
    if (i === 0 || cls === 'InputLayer') {
      if (i > 0) refuse(`model/model.json: InputLayer ${layer} is not the first layer`);
      shape = inputShapeOf(layer, c);
    }
    if (shape === null) return refuse(`model/model.json: the first layer ${layer} has no input shape`);
    shape = applyLayer(cls, layer, c, shape, weights);
  });

  const input = inputShapeOf('1', (layers[0] as { config: Fields }).config);
  const wantInput: Shape = pre.image ? [null, pre.image.height, pre.image.width, pre.image.channels] : [null, pre.inputSize];
  if (show(input) !== show(wantInput)) {
    refuse(`model/model.json: the model reads inputs of shape ${show(input)} but preprocessing.json encodes ${show(wantInput)}`);
  }
  const outputs = pre.task === 'classification' ? pre.labels.length : 1;
  const final = shape as Shape | null;
  if (!final || final.length !== 2 || final[1] !== outputs) {
    const what = pre.task === 'classification' ? `${outputs} labels` : 'one number (regression)';
    refuse(`model/model.json: the model outputs ${final ? show(final) : 'nothing'} but preprocessing.json expects ${what}`);
  }
  return weights;
}

function applyLayer(cls: string, layer: string, c: Fields, shape: Shape, weights: ExpectedWeight[]): Shape {
  const dims = shape.slice(1) as number[];
  switch (cls) {
    case 'InputLayer':
      return shape;
    case 'Dropout': {
      const rate = c.rate;
      if (typeof rate !== 'number' || !(rate >= 0 && rate < 1)) refuse(`model/model.json: Dropout ${layer} has rate ${String(rate)}; it must be in [0, 1)`);
      return shape;
    }
    case 'Flatten':
      return [null, dims.reduce((a, b) => a * b, 1)];
    case 'Dense': {
      if (dims.length !== 1) refuse(`model/model.json: Dense ${layer} receives shape ${show(shape)}; it needs a flat input`);
      if (!positiveInt(c.units)) refuse(`model/model.json: Dense ${layer} has no positive whole number of units`);
      activation(layer, c);
      const units = c.units;
      const why = `layer ${layer} (Dense, ${count(units)} units on ${count(dims[0]!)} inputs)`;
      weights.push({ name: `${layer}/kernel`, shape: [dims[0]!, units], why });
      if (c.use_bias !== false) weights.push({ name: `${layer}/bias`, shape: [units], why });
      return [null, units];
    }
    case 'Conv2D': {
      if (dims.length !== 3) refuse(`model/model.json: Conv2D ${layer} receives shape ${show(shape)}; it needs height, width and channels`);
      if (!positiveInt(c.filters)) refuse(`model/model.json: Conv2D ${layer} has no positive whole number of filters`);
      if (c.data_format !== undefined && c.data_format !== 'channels_last') refuse(`model/model.json: Conv2D ${layer} is not channels_last`);
      const dilation = pair(c.dilation_rate ?? 1, `Conv2D ${layer} dilation_rate`);
      if (dilation[0] !== 1 || dilation[1] !== 1) refuse(`model/model.json: Conv2D ${layer} is dilated; only dilation 1 is imported`);
      activation(layer, c);
      const [kh, kw] = pair(c.kernel_size, `Conv2D ${layer} kernel_size`);
      const strides = pair(c.strides ?? 1, `Conv2D ${layer} strides`);
      const why = `layer ${layer} (Conv2D, ${c.filters} filters of ${kh}x${kw} on ${dims[2]} channels)`;
      weights.push({ name: `${layer}/kernel`, shape: [kh, kw, dims[2]!, c.filters], why });
      if (c.use_bias !== false) weights.push({ name: `${layer}/bias`, shape: [c.filters], why });
      return [null, ...windowed(layer, dims, [kh, kw], strides, c.padding), c.filters];
    }
    case 'MaxPooling2D': {
      if (dims.length !== 3) refuse(`model/model.json: MaxPooling2D ${layer} receives shape ${show(shape)}; it needs height, width and channels`);
      const size = pair(c.pool_size ?? 2, `MaxPooling2D ${layer} pool_size`);
      const strides = pair(c.strides ?? size, `MaxPooling2D ${layer} strides`);
      return [null, ...windowed(layer, dims, size, strides, c.padding), dims[2]!];
    }
    default:
      return refuse(`layer class ${cls} is not allowed (allowed: ${ALLOWED_LAYERS.join(', ')})`);
  }
}

function windowed(layer: string, dims: number[], window: [number, number], strides: [number, number], padding: unknown): [number, number] {
  const pad = padding ?? 'valid';
  if (pad !== 'same' && pad !== 'valid') refuse(`model/model.json: layer ${layer} has padding ${JSON.stringify(pad)}; only "same" and "valid" are imported`);
  const out = [0, 1].map((i) =>
    pad === 'same' ? Math.ceil(dims[i]! / strides[i]!) : Math.floor((dims[i]! - window[i]!) / strides[i]!) + 1,
  ) as [number, number];
  if (out[0] < 1 || out[1] < 1) refuse(`model/model.json: layer ${layer} shrinks its input to nothing`);
  return out;
}
