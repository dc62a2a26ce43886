import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { fromBinary } from '@bufbuild/protobuf';
import { describe, expect, it } from 'vitest';
import { featureNames, writeOnnx, type OnnxInput } from '../../src/core/deliver/export/onnx';
import { ModelProtoSchema, TensorProto_DataType, type ModelProto } from '../../src/core/deliver/export/onnx/gen/onnx_pb';
import { HWIO_TO_OIHW, NCHW_TO_NHWC, NHWC_TO_NCHW, spatial, transpose } from '../../src/core/deliver/export/onnx/layout';
import { floatTensor, int64Tensor, readWeights } from '../../src/core/deliver/export/onnx/tensors';
import type { Preprocessor, WeightManifest } from '../../src/core/shared/types';
import { ONNX_NODE_SCRIPT } from '../fixtures/onnx-node';

type Specs = WeightManifest['weightSpecs'];

function buffer(values: number[]): ArrayBuffer {
  return Float32Array.from(values).buffer;
}

function sequential(layers: { class_name: string; config: Record<string, unknown> }[]): unknown {
  return { class_name: 'Sequential', config: { name: 'm', layers }, keras_version: 'tfjs-layers 4.22.0', backend: 'tensor_flow.js' };
}

const TABULAR: Preprocessor = {
  version: 1,
  task: 'classification',
  target: 'kind',
  features: [
    { kind: 'number', name: 'size', mean: 1, std: 2 },
    { kind: 'category', name: 'colour', categories: ['blue', 'red'] },
  ],
  labels: ['a', 'b'],
  targetMean: 0,
  targetStd: 1,
  inputSize: 3,
};

/** Dense 3 → 2, softmax, with weights 0.1 … 0.8. */
function denseInput(overrides: Partial<OnnxInput> = {}): OnnxInput {
  return {
    topology: sequential([
      { class_name: 'Dropout', config: { name: 'dropout_1', rate: 0.5, batch_input_shape: [null, 3] } },
      { class_name: 'Dense', config: { name: 'output', units: 2, activation: 'softmax', use_bias: true } },
    ]),
    weightSpecs: [
      { name: 'output/kernel', shape: [3, 2], dtype: 'float32' },
      { name: 'output/bias', shape: [2], dtype: 'float32' },
    ],
    weights: buffer([0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8]),
    preprocessor: TABULAR,
    ...overrides,
  };
}

function decode(input: OnnxInput): ModelProto {
  return fromBinary(ModelProtoSchema, writeOnnx(input));
}

function floatsOf(raw: Uint8Array): number[] {
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  return Array.from({ length: raw.byteLength / 4 }, (_, i) => view.getFloat32(i * 4, true));
}

describe('layout', () => {
  it('transposes row-major data: output axis k is input axis perm[k]', () => {
    const m = transpose(Float32Array.of(1, 2, 3, 4, 5, 6), [2, 3], [1, 0]);
    expect(m.shape).toEqual([3, 2]);
    expect(Array.from(m.values)).toEqual([1, 4, 2, 5, 3, 6]);
  });

  it('turns an HWIO kernel into OIHW, element by element', () => {
    const [h, w, i, o] = [2, 3, 2, 4];
    const values = Float32Array.from({ length: h * w * i * o }, (_, k) => k);
    const out = transpose(values, [h, w, i, o], HWIO_TO_OIHW);
    expect(out.shape).toEqual([o, i, h, w]);
    for (let a = 0; a < h; a++)
      for (let b = 0; b < w; b++)
        for (let c = 0; c < i; c++)
          for (let d = 0; d < o; d++) expect(out.values[((d * i + c) * h + a) * w + b]).toBe(values[((a * w + b) * i + c) * o + d]);
  });

  it('NHWC→NCHW and back is the identity, and a bad perm is refused', () => {
    const values = Float32Array.from({ length: 2 * 3 * 4 * 5 }, (_, k) => k * 0.5);
    const there = transpose(values, [2, 3, 4, 5], NHWC_TO_NCHW);
    expect(there.shape).toEqual([2, 5, 3, 4]);
    expect(transpose(there.values, there.shape, NCHW_TO_NHWC)).toEqual({ values, shape: [2, 3, 4, 5] });
    expect(() => transpose(values, [2, 3, 4, 5], [0, 1, 1, 2])).toThrow(/not a permutation/);
  });

  it('pads "same" as TensorFlow does: the odd pixel at the end', () => {
    expect(spatial(9, 3, 1, 1, 'same')).toEqual({ size: 9, pads: [1, 1] });
    expect(spatial(8, 4, 1, 1, 'same')).toEqual({ size: 8, pads: [1, 2] });
    expect(spatial(7, 2, 2, 1, 'same')).toEqual({ size: 4, pads: [0, 1] });
    expect(spatial(9, 3, 1, 2, 'same')).toEqual({ size: 9, pads: [2, 2] });
    expect(spatial(9, 2, 2, 1, 'valid')).toEqual({ size: 4, pads: [0, 0] });
    expect(() => spatial(2, 3, 1, 1, 'valid')).toThrow(/does not fit/);
  });
});

describe('tensors', () => {
  it('reads float32 weights by name, little-endian, and refuses a short buffer or another dtype by name', () => {
    const bytes = new ArrayBuffer(12);
    const view = new DataView(bytes);
    [1.5, -2, 3.25].forEach((v, i) => view.setFloat32(i * 4, v, true));
    const specs: Specs = [
      { name: 'd/kernel', shape: [1, 2], dtype: 'float32' },
      { name: 'd/bias', shape: [1], dtype: 'float32' },
    ];
    const weights = readWeights(specs, bytes);
    expect(Array.from(weights.get('d/kernel')!.values)).toEqual([1.5, -2]);
    expect(Array.from(weights.get('d/bias')!.values)).toEqual([3.25]);
    expect(() => readWeights(specs, bytes.slice(0, 8))).toThrow(/weight "d\/bias" .* needs bytes 8–12 but the weight buffer has 8/);
    expect(() => readWeights(specs, new ArrayBuffer(16))).toThrow(/cover 12 bytes but the weight buffer has 16/);
    expect(() => readWeights([{ name: 'step', shape: [1], dtype: 'int32' }], new ArrayBuffer(4))).toThrow(/weight "step" is int32/);
  });

  it('encodes float tensors as little-endian raw_data with their dims, and int64 tensors too', () => {
    const t = floatTensor('w', [2, 2], Float32Array.of(1, -0.5, 2, 1e-8));
    expect(t.dataType).toBe(TensorProto_DataType.FLOAT);
    expect(t.dims).toEqual([2n, 2n]);
    expect(floatsOf(t.rawData)).toEqual([1, -0.5, 2, Math.fround(1e-8)]);
    expect(Array.from(t.rawData.slice(0, 4))).toEqual([0, 0, 0x80, 0x3f]);
    expect(() => floatTensor('w', [3], Float32Array.of(1))).toThrow(/tensor "w": shape \[3\] holds 3 values, not 1/);
    const s = int64Tensor('shape', [-1, 4]);
    expect(s.dataType).toBe(TensorProto_DataType.INT64);
    expect(new DataView(s.rawData.buffer).getBigInt64(0, true)).toBe(-1n);
  });
});

describe('writeOnnx', () => {
  it('writes a Dense classifier as Gemm + Softmax, input "features", output "probabilities", opset 13', () => {
    const model = decode(denseInput());
    expect(model.irVersion).toBe(7n);
    expect(model.producerName).toBe('Loopbench');
    expect(model.opsetImport.map((o) => o.version)).toEqual([13n]);
    const graph = model.graph!;
    expect(graph.node.map((n) => n.opType)).toEqual(['Gemm', 'Softmax']);
    expect(graph.input.map((i) => i.name)).toEqual(['features']);
    expect(graph.output.map((o) => o.name)).toEqual(['probabilities']);
    expect(graph.node.at(-1)!.output).toEqual(['probabilities']);
    const dims = graph.input[0]!.type!.value.case === 'tensorType' ? graph.input[0]!.type!.value.value.shape!.dim.map((d) => d.value.value) : [];
    expect(dims).toEqual(['N', 3n]);
    const kernel = graph.initializer.find((t) => t.name === 'output_kernel')!;
    expect(kernel.dims).toEqual([3n, 2n]);
    expect(floatsOf(kernel.rawData).map((v) => Number(v.toFixed(6)))).toEqual([0.1, 0.2, 0.3, 0.4, 0.5, 0.6]);
    const meta = Object.fromEntries(model.metadataProps.map((p) => [p.key, p.value]));
    expect(JSON.parse(meta.feature_names!)).toEqual(['size', 'colour=blue', 'colour=red']);
    expect(JSON.parse(meta.labels!)).toEqual(['a', 'b']);
  });

  it('restores a regression prediction to the target’s units', () => {
    const pre: Preprocessor = { ...TABULAR, task: 'regression', labels: [], targetMean: 20, targetStd: 4 };
    const input = denseInput({
      preprocessor: pre,
      topology: sequential([{ class_name: 'Dense', config: { name: 'output', units: 1, activation: 'linear', batch_input_shape: [null, 3] } }]),
      weightSpecs: [
        { name: 'output/kernel', shape: [3, 1], dtype: 'float32' },
        { name: 'output/bias', shape: [1], dtype: 'float32' },
      ],
      weights: buffer([1, 2, 3, 0]),
    });
    const graph = decode(input).graph!;
    expect(graph.node.map((n) => n.opType)).toEqual(['Gemm', 'Mul', 'Add']);
    expect(graph.output.map((o) => o.name)).toEqual(['prediction']);
    expect(floatsOf(graph.initializer.find((t) => t.name === 'target_std')!.rawData)).toEqual([4]);
    expect(floatsOf(graph.initializer.find((t) => t.name === 'target_mean')!.rawData)).toEqual([20]);
  });

  it('turns NHWC images to NCHW for Conv/MaxPool and back before Flatten, with the kernel in OIHW', () => {
    const pre: Preprocessor = { ...TABULAR, features: [], inputSize: 0, image: { column: 'photo', width: 3, height: 4, channels: 1 } };
    const kernel = Array.from({ length: 3 * 3 * 1 * 2 }, (_, k) => k);
    const input = denseInput({
      preprocessor: pre,
      topology: sequential([
        { class_name: 'Conv2D', config: { name: 'conv_1', filters: 2, kernel_size: [3, 3], strides: [1, 1], padding: 'same', activation: 'relu', batch_input_shape: [null, 4, 3, 1] } },
        { class_name: 'MaxPooling2D', config: { name: 'pool_1', pool_size: [2, 2], strides: [2, 2], padding: 'valid' } },
        { class_name: 'Flatten', config: { name: 'flatten' } },
        { class_name: 'Dense', config: { name: 'output', units: 2, activation: 'softmax' } },
      ]),
      weightSpecs: [
        { name: 'conv_1/kernel', shape: [3, 3, 1, 2], dtype: 'float32' },
        { name: 'conv_1/bias', shape: [2], dtype: 'float32' },
        { name: 'output/kernel', shape: [4, 2], dtype: 'float32' },
        { name: 'output/bias', shape: [2], dtype: 'float32' },
      ],
      weights: buffer([...kernel, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 0, 0]),
    });
    const model = decode(input);
    const graph = model.graph!;
    expect(graph.input.map((i) => i.name)).toEqual(['image']);
    expect(graph.node.map((n) => n.opType)).toEqual(['Transpose', 'Conv', 'Relu', 'MaxPool', 'Transpose', 'Flatten', 'Gemm', 'Softmax']);
    const ints = (op: string, attr: string) => graph.node.filter((n) => n.opType === op).map((n) => n.attribute.find((a) => a.name === attr)!.ints.map(Number));
    expect(ints('Transpose', 'perm')).toEqual([[0, 3, 1, 2], [0, 2, 3, 1]]);
    expect(ints('Conv', 'pads')).toEqual([[1, 1, 1, 1]]);
    const oihw = graph.initializer.find((t) => t.name === 'conv_1_kernel')!;
    expect(oihw.dims).toEqual([2n, 1n, 3n, 3n]);
    expect(floatsOf(oihw.rawData)).toEqual(Array.from(transpose(Float32Array.from(kernel), [3, 3, 1, 2], HWIO_TO_OIHW).values));
    const meta = Object.fromEntries(model.metadataProps.map((p) => [p.key, p.value]));
    expect(JSON.parse(meta.image!)).toMatchObject({ column: 'photo', height: 4, width: 3, channels: 1, layout: 'NHWC' });
    expect(meta).not.toHaveProperty('feature_names');
  });

  it('refuses a layer class, an activation or a model kind it cannot translate, naming it', () => {
    const withLayer = (layer: { class_name: string; config: Record<string, unknown> }) =>
      denseInput({ topology: sequential([{ class_name: 'Dropout', config: { name: 'd', rate: 0, batch_input_shape: [null, 3] } }, layer]) });
    expect(() => writeOnnx(withLayer({ class_name: 'BatchNormalization', config: { name: 'bn_1' } }))).toThrow(/layer "bn_1" is a BatchNormalization, which the ONNX export cannot translate/);
    expect(() => writeOnnx(withLayer({ class_name: 'Dense', config: { name: 'output', units: 2, activation: 'gelu' } }))).toThrow(/layer "output" uses the activation "gelu"/);
    expect(() => writeOnnx(denseInput({ topology: { class_name: 'Model', config: { layers: [] } } }))).toThrow(/the model is a "Model"; the ONNX export reads Sequential models only/);
    expect(() => writeOnnx(withLayer({ class_name: 'Conv2D', config: { name: 'c', filters: 1, kernel_size: 3 } }))).toThrow(/layer "c" is a Conv2D on flat input/);
  });

  it('refuses weights and recipes that do not fit the topology', () => {
    expect(() => writeOnnx(denseInput({ weightSpecs: [{ name: 'output/kernel', shape: [2, 2], dtype: 'float32' }, { name: 'output/bias', shape: [4], dtype: 'float32' }] }))).toThrow(
      /weight "output\/kernel" has shape \[2, 2\]; the layer needs \[3, 2\]/,
    );
    expect(() => writeOnnx(denseInput({ preprocessor: { ...TABULAR, inputSize: 4, features: [...TABULAR.features, { kind: 'number', name: 'x', mean: 0, std: 1 }] } }))).toThrow(
      /the model reads \[3\] inputs but the recipe encodes 4 columns/,
    );
    expect(() => writeOnnx(denseInput({ preprocessor: { ...TABULAR, labels: ['a', 'b', 'c'] } }))).toThrow(/the model gives 2 outputs but the recipe expects 3/);
  });
});

describe('featureNames', () => {
  it('lists the encoded columns in input order, one per category value', () => {
    expect(featureNames(TABULAR)).toEqual(['size', 'colour=blue', 'colour=red']);
    expect(() => featureNames({ ...TABULAR, inputSize: 5 })).toThrow(/encodes 3 columns but says its input size is 5/);
  });
});

describe('docs/deploying.md', () => {
  it('shows, word for word, the ONNX Runtime Node script the bundle tests run', () => {
    const docs = readFileSync(fileURLToPath(new URL('../../docs/deploying.md', import.meta.url)), 'utf8');
    expect(docs).toContain(ONNX_NODE_SCRIPT.trim());
  });
});
