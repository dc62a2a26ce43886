// Reads a tfjs layers-model topology (the `modelTopology` JSON the app stores) into the few layer kinds the ONNX
// writer translates. Anything else is refused by name here, before any graph is built.

export type Padding = 'same' | 'valid';

export type KerasLayer =
  | { kind: 'dense'; name: string; units: number; activation: string; useBias: boolean }
  | {
      kind: 'conv2d';
      name: string;
      filters: number;
      kernel: [number, number];
      strides: [number, number];
      dilation: [number, number];
      padding: Padding;
      activation: string;
      useBias: boolean;
    }
  | { kind: 'maxpool2d'; name: string; pool: [number, number]; strides: [number, number]; padding: Padding }
  | { kind: 'flatten'; name: string }
  /** Identity at inference. */
  | { kind: 'dropout'; name: string };

export interface ReadTopology {
  name: string;
  /** The input shape without the batch dimension: [features] or [height, width, channels]. */
  inputShape: number[];
  layers: KerasLayer[];
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function where(layer: string, key: string): string {
  return `layer "${layer}": ${key}`;
}

function positiveInt(value: unknown, what: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) throw new Error(`${what} should be a positive integer, not ${JSON.stringify(value)}`);
  return value;
}

/** Keras writes a pair as [a, b] or a single number for both. */
function pair(value: unknown, what: string, fallback?: [number, number]): [number, number] {
  if ((value === undefined || value === null) && fallback) return fallback;
  if (typeof value === 'number') return [positiveInt(value, what), value];
  if (Array.isArray(value) && value.length === 2) return [positiveInt(value[0], what), positiveInt(value[1], what)];
  throw new Error(`${what} should be a number or a pair of numbers, not ${JSON.stringify(value)}`);
}

function padding(value: unknown, what: string): Padding {
  if (value === 'same' || value === 'valid') return value;
  throw new Error(`${what} should be "same" or "valid", not ${JSON.stringify(value)}`);
}

function channelsLast(config: Json, name: string): void {
  const format = config.data_format ?? 'channels_last';
  if (format !== 'channels_last') throw new Error(`${where(name, 'data_format')} is ${JSON.stringify(format)}; only channels_last (NHWC) is exported`);
}

function activationOf(config: Json, name: string): string {
  const a = config.activation ?? 'linear';
  if (typeof a !== 'string') throw new Error(`${where(name, 'activation')} should be a name, not ${JSON.stringify(a)}`);
  return a;
}

function batchInputShape(config: Json, name: string): number[] | null {
  const shape = config.batch_input_shape ?? config.batchInputShape;
  if (shape === undefined || shape === null) return null;
  if (!Array.isArray(shape) || shape.length < 2) throw new Error(`${where(name, 'batch_input_shape')} should be [batch, ...dims], not ${JSON.stringify(shape)}`);
  return shape.slice(1).map((d, i) => positiveInt(d, where(name, `input dimension ${i + 1}`)));
}

function readLayer(className: string, config: Json, name: string): KerasLayer | null {
  switch (className) {
    case 'InputLayer':
      return null;
    case 'Dense':
      return { kind: 'dense', name, units: positiveInt(config.units, where(name, 'units')), activation: activationOf(config, name), useBias: config.use_bias !== false };
    case 'Conv2D': {
      channelsLast(config, name);
      return {
        kind: 'conv2d',
        name,
        filters: positiveInt(config.filters, where(name, 'filters')),
        kernel: pair(config.kernel_size, where(name, 'kernel_size')),
        strides: pair(config.strides, where(name, 'strides'), [1, 1]),
        dilation: pair(config.dilation_rate, where(name, 'dilation_rate'), [1, 1]),
        padding: padding(config.padding ?? 'valid', where(name, 'padding')),
        activation: activationOf(config, name),
        useBias: config.use_bias !== false,
      };
    }
    case 'MaxPooling2D': {
      channelsLast(config, name);
      const pool = pair(config.pool_size, where(name, 'pool_size'), [2, 2]);
      return { kind: 'maxpool2d', name, pool, strides: pair(config.strides, where(name, 'strides'), pool), padding: padding(config.padding ?? 'valid', where(name, 'padding')) };
    }
    case 'Flatten':
      return { kind: 'flatten', name };
    case 'Dropout':
      return { kind: 'dropout', name };
    default:
      throw new Error(`layer "${name}" is a ${className}, which the ONNX export cannot translate (it handles InputLayer, Dense, Conv2D, MaxPooling2D, Flatten and Dropout)`);
  }
}

/** The layers of a Sequential topology, in order, with the model's input shape. */
export function readTopology(topology: unknown): ReadTopology {
  if (!isObject(topology)) throw new Error('the model topology should be a JSON object');
  // Saved artifacts nest the Keras model under model_config; the stored topology is usually the model itself.
  const model = isObject(topology.model_config) ? topology.model_config : topology;
  if (model.class_name !== 'Sequential') {
    throw new Error(`the model is a ${JSON.stringify(model.class_name)}; the ONNX export reads Sequential models only`);
  }
  const config = model.config;
  const rawLayers = Array.isArray(config) ? config : isObject(config) ? config.layers : undefined;
  if (!Array.isArray(rawLayers) || rawLayers.length === 0) throw new Error('the Sequential model lists no layers');
  const name = isObject(config) && typeof config.name === 'string' ? config.name : 'model';

  let inputShape: number[] | null = null;
  const layers: KerasLayer[] = [];
  rawLayers.forEach((raw, i) => {
    if (!isObject(raw) || typeof raw.class_name !== 'string' || !isObject(raw.config)) {
      throw new Error(`layer ${i + 1} of the topology has no class_name and config`);
    }
    const layerName = typeof raw.config.name === 'string' ? raw.config.name : `layer ${i + 1}`;
    if (i === 0 || raw.class_name === 'InputLayer') inputShape ??= batchInputShape(raw.config, layerName);
    const layer = readLayer(raw.class_name, raw.config, layerName);
    if (layer) layers.push(layer);
  });
  if (!inputShape) throw new Error('the topology does not say its input shape (no batch_input_shape on its first layer)');
  return { name, inputShape, layers };
}
