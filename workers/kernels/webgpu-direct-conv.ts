// A direct 2-D convolution for WebGPU adapters that are really CPU threads (Chromium's SwiftShader). tfjs's WebGPU
// convolution tiles the work through workgroup memory and barriers, which such an adapter runs very slowly: the
// default CNN's first convolution on a batch of 32 took 694 ms, its second 302 ms, of a 2.3 s training step. One
// invocation per output value, summing its window, needs neither. Real GPUs keep tfjs's tiled kernel.

import * as tf from '@tensorflow/tfjs';
import { replaceKernels } from './replace-kernels';
import type { WebGPUBackend, WebGPUProgram } from '@tensorflow/tfjs-backend-webgpu';

type Conv2DInfo = tf.backend_util.Conv2DInfo;
type KernelParams = Parameters<tf.KernelFunc>[0];
/** Activations the program applies itself; a fused convolution with any other keeps tfjs's kernel. */
type DirectActivation = 'linear' | 'relu';

const WEBGPU = 'webgpu';
const WORKGROUP = 64;

/**
 * Whether the adapter is Chromium's SwiftShader: CPU threads, used where there is no usable GPU. tfjs's WebGPU
 * backend keeps the adapter's architecture (typed private); asking for an adapter again could name a different one
 * than the backend runs on.
 */
export function softwareWebGpu(backend: unknown): boolean {
  const info: unknown = typeof backend === 'object' && backend !== null && 'adapterInfo' in backend ? backend.adapterInfo : null;
  return typeof info === 'object' && info !== null && 'architecture' in info && info.architecture === 'swiftshader';
}

type Dispatch = (layout: { x: number[] }, outputShape: number[], workgroupSize: [number, number, number]) => [number, number, number];

class DirectConv2DProgram implements WebGPUProgram {
  readonly variableNames: string[];
  readonly uniforms = 'filterDims : vec2<i32>, pads : vec2<i32>, strides : vec2<i32>, dilations : vec2<i32>,';
  readonly workgroupSize: [number, number, number] = [WORKGROUP, 1, 1];
  readonly size = true;
  readonly outputShape: number[];
  readonly dispatchLayout: { x: number[] };
  readonly dispatch: [number, number, number];
  readonly shaderKey: string;

  constructor(
    info: Conv2DInfo,
    private readonly bias: boolean,
    private readonly activation: DirectActivation,
    dispatch: Dispatch,
  ) {
    this.variableNames = bias ? ['x', 'W', 'bias'] : ['x', 'W'];
    this.outputShape = info.outShape;
    this.dispatchLayout = { x: info.outShape.map((_, i) => i) };
    // tfjs's own: it folds more than 65,535 workgroups into two dimensions, as its index helpers expect.
    this.dispatch = dispatch(this.dispatchLayout, this.outputShape, this.workgroupSize);
    this.shaderKey = `loopbench_direct_conv2d_${bias}_${activation}`;
  }

  getUserCode(): string {
    const biasAdd = this.bias ? 'acc = acc + getBias(outChannel);' : '';
    const activate = this.activation === 'relu' ? 'acc = max(acc, 0.0);' : '';
    return `
      fn main(index : i32) {
        if (index < uniforms.size) {
          let coords = getCoordsFromIndex(index);
          let batch = coords[0];
          let outRow = coords[1];
          let outCol = coords[2];
          let outChannel = coords[3];
          var acc = 0.0;
          for (var r = 0; r < uniforms.filterDims[0]; r = r + 1) {
            let xRow = outRow * uniforms.strides[0] + r * uniforms.dilations[0] - uniforms.pads[0];
            if (xRow < 0 || xRow >= uniforms.xShape[1]) {
              continue;
            }
            for (var c = 0; c < uniforms.filterDims[1]; c = c + 1) {
              let xCol = outCol * uniforms.strides[1] + c * uniforms.dilations[1] - uniforms.pads[1];
              if (xCol < 0 || xCol >= uniforms.xShape[2]) {
                continue;
              }
              for (var d = 0; d < uniforms.xShape[3]; d = d + 1) {
                acc = acc + getX(batch, xRow, xCol, d) * getW(r, c, d, outChannel);
              }
            }
          }
          ${biasAdd}
          ${activate}
          setOutputAtIndex(index, acc);
        }
      }
    `;
  }
}

interface ConvAttrs {
  strides: [number, number] | number;
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  dilations: [number, number] | number;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  activation?: string;
  preluActivationWeights?: unknown;
}

function directActivation(name: string | undefined): DirectActivation | null {
  if (name === undefined || name === 'linear') return 'linear';
  return name === 'relu' ? 'relu' : null;
}

function directKernel(original: tf.KernelFunc, dispatch: Dispatch): tf.KernelFunc {
  return (params: KernelParams) => {
    const backend = params.backend as WebGPUBackend;
    const { x, filter, bias, preluActivationWeights } = params.inputs;
    const attrs = params.attrs as unknown as ConvAttrs;
    const activation = directActivation(attrs.activation);
    if (!x || !filter || attrs.dataFormat === 'NCHW' || activation === null || preluActivationWeights || x.dtype !== 'float32') {
      return original(params);
    }
    const info = tf.backend_util.computeConv2DInfo(
      x.shape as [number, number, number, number],
      filter.shape as [number, number, number, number],
      attrs.strides,
      attrs.dilations,
      attrs.pad,
      attrs.dimRoundingMode,
      false,
      'channelsLast',
    );
    const program = new DirectConv2DProgram(info, bias !== undefined, activation, dispatch);
    return backend.runWebGPUProgram(program, bias ? [x, filter, bias] : [x, filter], 'float32', [
      { type: 'int32', data: [info.filterHeight, info.filterWidth] },
      { type: 'int32', data: [info.padInfo.top, info.padInfo.left] },
      { type: 'int32', data: [info.strideHeight, info.strideWidth] },
      { type: 'int32', data: [info.dilationHeight, info.dilationWidth] },
    ]);
  };
}

let installed = false;

/** On a software adapter, puts the direct convolution in place of tfjs's Conv2D and FusedConv2D; once. */
export async function useDirectConvOnSoftwareWebGpu(): Promise<void> {
  if (installed || !softwareWebGpu(tf.backend())) return;
  // Loaded here, not at the top: this module is also evaluated in Node, where the WebGPU package has nothing to do.
  const { webgpu_util } = await import('@tensorflow/tfjs-backend-webgpu');
  const direct = (original: tf.KernelFunc) => directKernel(original, webgpu_util.computeDispatch);
  replaceKernels(WEBGPU, [
    [tf.Conv2D, direct],
    [tf.FusedConv2D, direct],
  ]);
  installed = true;
}
