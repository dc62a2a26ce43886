// The layer plan of a spec: every layer the workers build, in order, with its output shape and parameter count.
// The workers build exactly this list (workers/train/models/build.ts), and the Train screen shows it before training.

import type { Activation, Task } from '../../shared/types';
import { convSides } from './check-spec';
import type { DenseLayerSpec, ModelInput, ModelSpec } from './types';

export type LayerOp =
  | { op: 'dense'; units: number; activation: Activation | 'softmax' | 'linear' }
  | { op: 'conv'; filters: number; kernel: number; activation: Activation }
  | { op: 'pool'; size: number }
  | { op: 'dropout'; rate: number }
  | { op: 'flatten' };

export interface LayerRow {
  /** The tfjs layer name the worker gives it. */
  name: string;
  /** What the layer does, for people: "dense 16, relu", "conv 3×3 × 8, relu". */
  description: string;
  layer: LayerOp;
  /** Output shape without the batch dimension. */
  outputShape: number[];
  params: number;
}

function outputDescription(spec: ModelSpec, task: Task, outputs: number): string {
  if (task === 'regression') return spec.family === 'linear' ? 'linear regression' : 'dense 1, linear';
  if (spec.family === 'linear') {
    return outputs === 2 ? 'logistic regression (softmax over 2 classes)' : `softmax regression over ${outputs} classes`;
  }
  return `dense ${outputs}, softmax`;
}

/** Dense layers from `width` inputs, with dropout before each when `dropout` > 0 and `dropFirst` allows it. */
function denseStack(rows: LayerRow[], layers: readonly DenseLayerSpec[], width: number, dropout: number, dropFirst: boolean): number {
  layers.forEach((l, i) => {
    if (dropout > 0 && (i > 0 || dropFirst)) {
      rows.push({ name: `dropout_${i + 1}`, description: `dropout ${dropout}`, layer: { op: 'dropout', rate: dropout }, outputShape: [width], params: 0 });
    }
    rows.push({
      name: `dense_${i + 1}`,
      description: `dense ${l.units}, ${l.activation}`,
      layer: { op: 'dense', units: l.units, activation: l.activation },
      outputShape: [l.units],
      params: (width + 1) * l.units,
    });
    width = l.units;
  });
  return width;
}

/**
 * The layers of `spec` for `input` and `outputs` (classes, or 1 for regression); the spec must be valid for the input
 * (see validateSpec). Dropout sits before every dense layer that follows another layer's units (never on the raw
 * inputs of an MLP) and before the output; the CNN also drops out of the flattened feature maps.
 */
export function layerView(spec: ModelSpec, input: ModelInput, outputs: number, task: Task): LayerRow[] {
  const rows: LayerRow[] = [];
  let width: number;
  if (spec.family === 'cnn') {
    if (input.kind !== 'image') throw new Error('the CNN needs image input');
    let channels: number = input.channels;
    const sides = convSides(input.height, input.width, spec.conv.map((b) => b.pool));
    let side = { height: input.height, width: input.width };
    spec.conv.forEach((b, i) => {
      rows.push({
        name: `conv_${i + 1}`,
        description: `conv ${b.kernel}×${b.kernel} × ${b.filters}, ${b.activation}`,
        layer: { op: 'conv', filters: b.filters, kernel: b.kernel, activation: b.activation },
        outputShape: [side.height, side.width, b.filters],
        params: (b.kernel * b.kernel * channels + 1) * b.filters,
      });
      channels = b.filters;
      if (b.pool > 1) {
        side = sides[i];
        rows.push({ name: `pool_${i + 1}`, description: `max pool ${b.pool}×${b.pool}`, layer: { op: 'pool', size: b.pool }, outputShape: [side.height, side.width, channels], params: 0 });
      }
    });
    width = side.height * side.width * channels;
    rows.push({ name: 'flatten', description: 'flatten', layer: { op: 'flatten' }, outputShape: [width], params: 0 });
    width = denseStack(rows, spec.dense, width, spec.dropout, true);
  } else {
    if (input.kind !== 'tabular') throw new Error(`the ${spec.family === 'mlp' ? 'MLP' : 'linear model'} needs tabular input`);
    width = input.features;
    if (spec.family === 'mlp') width = denseStack(rows, spec.layers, width, spec.dropout, false);
  }
  if (spec.family !== 'linear' && spec.dropout > 0) {
    rows.push({ name: 'dropout_out', description: `dropout ${spec.dropout}`, layer: { op: 'dropout', rate: spec.dropout }, outputShape: [width], params: 0 });
  }
  rows.push({
    name: 'output',
    description: outputDescription(spec, task, outputs),
    layer: { op: 'dense', units: outputs, activation: task === 'classification' ? 'softmax' : 'linear' },
    outputShape: [outputs],
    params: (width + 1) * outputs,
  });
  return rows;
}

/** Trainable parameters of `spec` for this input and output count: the sum over the layer view. */
export function parameterCount(spec: ModelSpec, input: ModelInput, outputs: number, task: Task = 'classification'): number {
  return layerView(spec, input, outputs, task).reduce((n, r) => n + r.params, 0);
}
