// ONNX nodes for each layer class, in the order the Sequential model runs them. The running value is tracked with its
// static shape and layout: images stay NHWC until a Conv/MaxPool needs NCHW, and go back to NHWC before Flatten so
// the Dense kernels that follow keep TensorFlow's row order.

import { create } from '@bufbuild/protobuf';
import { AttributeProtoSchema, AttributeProto_AttributeType, NodeProtoSchema, type AttributeProto, type NodeProto, type TensorProto } from './gen/onnx_pb';
import { HWIO_TO_OIHW, NCHW_TO_NHWC, NHWC_TO_NCHW, spatial, transpose } from './layout';
import { floatTensor, type Weight } from './tensors';
import type { KerasLayer } from './topology';

export type Layout = 'flat' | 'NHWC' | 'NCHW';

/** The value flowing between layers; `shape` leaves out the batch dimension and follows `layout`. */
export interface Value {
  name: string;
  shape: number[];
  layout: Layout;
}

type Attr = number | number[] | string;

function attribute(name: string, value: Attr): AttributeProto {
  if (typeof value === 'string') return create(AttributeProtoSchema, { name, type: AttributeProto_AttributeType.STRING, s: new TextEncoder().encode(value) });
  if (Array.isArray(value)) return create(AttributeProtoSchema, { name, type: AttributeProto_AttributeType.INTS, ints: value.map(BigInt) });
  return create(AttributeProtoSchema, { name, type: AttributeProto_AttributeType.INT, i: BigInt(value) });
}

/** Keras activation names and the ONNX operator of each (linear: none). */
const ACTIVATIONS: Record<string, string | null> = {
  linear: null,
  relu: 'Relu',
  sigmoid: 'Sigmoid',
  tanh: 'Tanh',
  elu: 'Elu',
  selu: 'Selu',
  softplus: 'Softplus',
  softsign: 'Softsign',
  softmax: 'Softmax',
};

export class GraphBuilder {
  readonly nodes: NodeProto[] = [];
  readonly initializers: TensorProto[] = [];
  private used = new Set<string>();

  constructor(private readonly weights: ReadonlyMap<string, Weight>) {}

  /** A value name not used yet in the graph, based on `base`. */
  fresh(base: string): string {
    let name = base;
    for (let i = 1; this.used.has(name); i++) name = `${base}_${i}`;
    this.used.add(name);
    return name;
  }

  node(op: string, inputs: string[], outputBase: string, attrs: Record<string, Attr> = {}): string {
    const output = this.fresh(outputBase);
    this.nodes.push(
      create(NodeProtoSchema, {
        name: output,
        opType: op,
        input: inputs,
        output: [output],
        attribute: Object.entries(attrs).map(([k, v]) => attribute(k, v)),
      }),
    );
    return output;
  }

  constant(base: string, dims: readonly number[], values: Float32Array): string {
    const name = this.fresh(base);
    this.initializers.push(floatTensor(name, dims, values));
    return name;
  }

  weight(layer: string, part: 'kernel' | 'bias', shape: readonly number[]): Weight {
    const w = this.weights.get(`${layer}/${part}`);
    if (!w) throw new Error(`layer "${layer}" has no weight "${layer}/${part}" in the weight specs`);
    if (w.shape.length !== shape.length || w.shape.some((d, i) => d !== shape[i])) {
      throw new Error(`weight "${layer}/${part}" has shape [${w.shape.join(', ')}]; the layer needs [${shape.join(', ')}]`);
    }
    return w;
  }

  activation(value: Value, activation: string, layer: string): Value {
    if (!(activation in ACTIVATIONS)) throw new Error(`layer "${layer}" uses the activation "${activation}", which the ONNX export cannot translate`);
    const op = ACTIVATIONS[activation];
    if (!op) return value;
    if (op === 'Softmax' && value.layout !== 'flat') throw new Error(`layer "${layer}": softmax is exported on flat (rank 2) values only`);
    // TF's elu uses alpha 1 and its selu the same constants as ONNX's defaults.
    const attrs: Record<string, Attr> = op === 'Softmax' ? { axis: -1 } : {};
    return { ...value, name: this.node(op, [value.name], `${layer}_${activation}`, attrs) };
  }

  toLayout(value: Value, layout: 'NHWC' | 'NCHW'): Value {
    if (value.layout === layout) return value;
    if (value.layout === 'flat') throw new Error(`a flat value cannot be read as ${layout} images`);
    const perm = layout === 'NCHW' ? NHWC_TO_NCHW : NCHW_TO_NHWC;
    // Shapes leave out the batch axis: permute the three image axes the same way.
    const shape = perm.slice(1).map((p) => value.shape[p - 1]!);
    return { name: this.node('Transpose', [value.name], `${value.name}_${layout.toLowerCase()}`, { perm: [...perm] }), shape, layout };
  }

  add(layer: KerasLayer, value: Value): Value {
    switch (layer.kind) {
      case 'dropout':
        return value;
      case 'flatten': {
        const nhwc = value.layout === 'flat' ? value : this.toLayout(value, 'NHWC');
        const width = nhwc.shape.reduce((n, d) => n * d, 1);
        return { name: this.node('Flatten', [nhwc.name], layer.name, { axis: 1 }), shape: [width], layout: 'flat' };
      }
      case 'dense': {
        if (value.layout !== 'flat') throw new Error(`layer "${layer.name}" is a Dense layer on ${value.shape.length + 1}-dimensional images; add a Flatten before it`);
        const inputs = value.shape[0]!;
        const kernel = this.weight(layer.name, 'kernel', [inputs, layer.units]);
        const names = [value.name, this.constant(`${layer.name}_kernel`, kernel.shape, kernel.values)];
        if (layer.useBias) {
          const bias = this.weight(layer.name, 'bias', [layer.units]);
          names.push(this.constant(`${layer.name}_bias`, bias.shape, bias.values));
        }
        const out: Value = { name: this.node('Gemm', names, layer.name), shape: [layer.units], layout: 'flat' };
        return this.activation(out, layer.activation, layer.name);
      }
      case 'conv2d': {
        if (value.layout === 'flat') throw new Error(`layer "${layer.name}" is a Conv2D on flat input; it needs [height, width, channels] images`);
        const x = this.toLayout(value, 'NCHW');
        const [channels, height, width] = x.shape as [number, number, number];
        const [kh, kw] = layer.kernel;
        const kernel = this.weight(layer.name, 'kernel', [kh, kw, channels, layer.filters]);
        const oihw = transpose(kernel.values, kernel.shape, HWIO_TO_OIHW);
        const names = [x.name, this.constant(`${layer.name}_kernel`, oihw.shape, oihw.values)];
        if (layer.useBias) {
          const bias = this.weight(layer.name, 'bias', [layer.filters]);
          names.push(this.constant(`${layer.name}_bias`, bias.shape, bias.values));
        }
        const rows = spatial(height, kh, layer.strides[0], layer.dilation[0], layer.padding);
        const cols = spatial(width, kw, layer.strides[1], layer.dilation[1], layer.padding);
        const name = this.node('Conv', names, layer.name, {
          kernel_shape: [kh, kw],
          strides: [...layer.strides],
          dilations: [...layer.dilation],
          pads: [rows.pads[0], cols.pads[0], rows.pads[1], cols.pads[1]],
        });
        return this.activation({ name, shape: [layer.filters, rows.size, cols.size], layout: 'NCHW' }, layer.activation, layer.name);
      }
      case 'maxpool2d': {
        if (value.layout === 'flat') throw new Error(`layer "${layer.name}" is a MaxPooling2D on flat input; it needs [height, width, channels] images`);
        const x = this.toLayout(value, 'NCHW');
        const [channels, height, width] = x.shape as [number, number, number];
        const rows = spatial(height, layer.pool[0], layer.strides[0], 1, layer.padding);
        const cols = spatial(width, layer.pool[1], layer.strides[1], 1, layer.padding);
        const name = this.node('MaxPool', [x.name], layer.name, {
          kernel_shape: [...layer.pool],
          strides: [...layer.strides],
          pads: [rows.pads[0], cols.pads[0], rows.pads[1], cols.pads[1]],
        });
        return { name, shape: [channels, rows.size, cols.size], layout: 'NCHW' };
      }
    }
  }
}
