// The ONNX ModelProto of a trained model: its graph from the tfjs topology and weights, its input named after the
// features (their order in metadata_props), its output as the app reports it (probabilities, or the prediction in
// the target's units), encoded with @bufbuild/protobuf from the official onnx.proto.

import { create, toBinary } from '@bufbuild/protobuf';
import {
  GraphProtoSchema,
  ModelProtoSchema,
  OperatorSetIdProtoSchema,
  StringStringEntryProtoSchema,
  TensorProto_DataType,
  TensorShapeProto_DimensionSchema,
  TensorShapeProtoSchema,
  TypeProto_TensorSchema,
  TypeProtoSchema,
  ValueInfoProtoSchema,
  type ValueInfoProto,
} from './gen/onnx_pb';
import type { Preprocessor, WeightManifest } from '../../../shared/types';
import { featureNames } from './feature-names';
import { GraphBuilder, type Value } from './graph';
import { readWeights } from './tensors';
import { readTopology } from './topology';

/** Opset 13 (ONNX 1.8) and IR version 7: every operator used has its current meaning there, and runtimes since 2020 read it. */
export const ONNX_OPSET = 13;
export const ONNX_IR_VERSION = 7;
export const ONNX_PRODUCER = 'Loopbench';
export const ONNX_FILE = 'model.onnx';

/** Graph input of tabular models: [N, features] float32, the preprocessed feature vector. */
export const TABULAR_INPUT = 'features';
/** Graph input of image models: [N, height, width, channels] float32, pixels / 255 (NHWC, as the app feeds tfjs). */
export const IMAGE_INPUT = 'image';
export const CLASSIFICATION_OUTPUT = 'probabilities';
export const REGRESSION_OUTPUT = 'prediction';

export interface OnnxInput {
  topology: unknown;
  weightSpecs: WeightManifest['weightSpecs'];
  weights: ArrayBuffer;
  preprocessor: Preprocessor;
  /** The graph's name, e.g. the registered model's name. */
  name?: string;
  /** More metadata_props (run id, dataset version, recipe hash, …). */
  metadata?: Record<string, string>;
}

function tensorInfo(name: string, dims: (number | string)[]): ValueInfoProto {
  const dim = dims.map((d) => create(TensorShapeProto_DimensionSchema, { value: typeof d === 'string' ? { case: 'dimParam', value: d } : { case: 'dimValue', value: BigInt(d) } }));
  return create(ValueInfoProtoSchema, {
    name,
    type: create(TypeProtoSchema, {
      value: { case: 'tensorType', value: create(TypeProto_TensorSchema, { elemType: TensorProto_DataType.FLOAT, shape: create(TensorShapeProtoSchema, { dim }) }) },
    }),
  });
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** The model's own input shape checked against what the preprocessing recipe feeds it. */
function expectedInput(pre: Preprocessor, inputShape: number[]): { name: string; shape: number[] } {
  if (pre.image) {
    const shape = [pre.image.height, pre.image.width, pre.image.channels];
    if (!sameShape(shape, inputShape)) throw new Error(`the model reads [${inputShape.join(', ')}] images but the recipe gives ${shape.join('×')} images`);
    return { name: IMAGE_INPUT, shape };
  }
  if (!sameShape([pre.inputSize], inputShape)) throw new Error(`the model reads [${inputShape.join(', ')}] inputs but the recipe encodes ${pre.inputSize} columns`);
  return { name: TABULAR_INPUT, shape: [pre.inputSize] };
}

function describe(pre: Preprocessor, input: string, output: string): string {
  const feed = pre.image
    ? `"${input}": float32 [N, ${pre.image.height}, ${pre.image.width}, ${pre.image.channels}], the "${pre.image.column}" pixels / 255, rows × columns × channels (NHWC)`
    : `"${input}": float32 [N, ${pre.inputSize}], each row encoded by preprocessing.json (metadata "feature_names" gives the column order)`;
  const out =
    pre.task === 'classification'
      ? `"${output}": float32 [N, ${pre.labels.length}], one probability per class in the order of metadata "labels"`
      : `"${output}": float32 [N, 1], the predicted "${pre.target}" in its own units`;
  return `Exported by Loopbench from a TensorFlow.js layers model. Input ${feed}. Output ${out}.`;
}

/** The bytes of model.onnx. Throws, naming it, on a layer class or activation the export cannot translate. */
export function writeOnnx(input: OnnxInput): Uint8Array {
  const pre = input.preprocessor;
  const topology = readTopology(input.topology);
  const { name: inputName, shape } = expectedInput(pre, topology.inputShape);
  const graph = new GraphBuilder(readWeights(input.weightSpecs, input.weights));
  graph.fresh(inputName);
  let value: Value = { name: inputName, shape, layout: pre.image ? 'NHWC' : 'flat' };
  for (const layer of topology.layers) value = graph.add(layer, value);
  if (value.layout !== 'flat' || value.shape.length !== 1) throw new Error('the model does not end in flat outputs (a Dense layer)');

  const outputs = pre.task === 'classification' ? pre.labels.length : 1;
  if (value.shape[0] !== outputs) throw new Error(`the model gives ${value.shape[0]} outputs but the recipe expects ${outputs}`);
  if (pre.task === 'regression') {
    // The model predicts the standardised target; decodeOutput (serving/transform.js) restores its units the same way.
    const std = pre.targetStd === 0 || !Number.isFinite(pre.targetStd) ? 1 : pre.targetStd;
    const scaled = graph.node('Mul', [value.name, graph.constant('target_std', [1], Float32Array.of(std))], 'prediction_scaled');
    value = { ...value, name: graph.node('Add', [scaled, graph.constant('target_mean', [1], Float32Array.of(pre.targetMean))], 'prediction_units') };
  }
  const outputName = pre.task === 'classification' ? CLASSIFICATION_OUTPUT : REGRESSION_OUTPUT;
  // The last node writes the graph output under its documented name.
  const last = graph.nodes.at(-1);
  if (last && last.output[0] === value.name) last.output[0] = outputName;
  else graph.node('Identity', [value.name], outputName);

  const metadata: Record<string, string> = {
    task: pre.task,
    target: pre.target,
    ...(pre.image ? { image: JSON.stringify({ ...pre.image, layout: 'NHWC', scale: '1/255' }) } : { feature_names: JSON.stringify(featureNames(pre)) }),
    ...(pre.task === 'classification' ? { labels: JSON.stringify(pre.labels) } : {}),
    ...input.metadata,
  };
  const model = create(ModelProtoSchema, {
    irVersion: BigInt(ONNX_IR_VERSION),
    opsetImport: [create(OperatorSetIdProtoSchema, { domain: '', version: BigInt(ONNX_OPSET) })],
    producerName: ONNX_PRODUCER,
    docString: describe(pre, inputName, outputName),
    graph: create(GraphProtoSchema, {
      name: input.name ?? topology.name,
      node: graph.nodes,
      initializer: graph.initializers,
      input: [tensorInfo(inputName, ['N', ...shape])],
      output: [tensorInfo(outputName, ['N', outputs])],
    }),
    metadataProps: Object.entries(metadata).map(([key, value]) => create(StringStringEntryProtoSchema, { key, value })),
  });
  return toBinary(ModelProtoSchema, model);
}
