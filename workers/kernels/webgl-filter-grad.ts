// The filter gradient of a 2-D convolution as tfjs's own forward convolution computes on WebGL: the input's patches
// laid out as a matrix (im2col), times the output gradient, summed over the batch. tfjs's Conv2DBackpropFilter runs
// one shader invocation per filter value, each looping over every output pixel of the whole batch: only 216 of them
// for the default CNN's first layer, each reading two values per product. The packed matrix product reads four
// values per read and splits the work by batch item as well.

import * as tf from '@tensorflow/tfjs';
import type { MathBackendWebGL } from '@tensorflow/tfjs-backend-webgl';
import { Im2ColPackedProgram } from '@tensorflow/tfjs-backend-webgl/dist/im2col_packed_gpu';
import { MatMulPackedProgram } from '@tensorflow/tfjs-backend-webgl/dist/mulmat_packed_gpu';
import { reshape } from '@tensorflow/tfjs-backend-webgl/dist/kernels/Reshape';
import { sumImpl } from '@tensorflow/tfjs-backend-webgl/dist/kernels/Sum_impl';

type KernelParams = Parameters<tf.KernelFunc>[0];
type FourD = [number, number, number, number];

interface FilterGradAttrs {
  strides: [number, number] | number;
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  filterShape: FourD;
}

/** Conv2DBackpropFilter for channels-last float32 input; anything else goes to `original` (tfjs's kernel). */
export function im2colFilterGrad(original: tf.KernelFunc): tf.KernelFunc {
  return (params: KernelParams) => {
    const backend = params.backend as MathBackendWebGL;
    const { x, dy } = params.inputs;
    const attrs = params.attrs as unknown as FilterGradAttrs;
    if (!x || !dy || attrs.dataFormat === 'NCHW' || x.dtype !== 'float32' || dy.dtype !== 'float32' || x.shape.length !== 4) {
      return original(params);
    }
    const info = tf.backend_util.computeConv2DInfo(
      x.shape as FourD, attrs.filterShape, attrs.strides, 1, attrs.pad, attrs.dimRoundingMode, false, 'channelsLast',
    );
    const patchSize = info.filterHeight * info.filterWidth * info.inChannels;
    const pixels = info.outHeight * info.outWidth;
    const patchesShape: [number, number, number] = [info.batchSize, patchSize, pixels];
    const uniforms = [
      x.shape, [info.padInfo.top, info.padInfo.left], [info.strideHeight, info.strideWidth],
      [info.dilationHeight, info.dilationWidth], [info.inChannels], [info.filterWidth * info.inChannels], [info.outWidth],
    ];
    const patches = backend.runWebGLProgram(new Im2ColPackedProgram(patchesShape, info), [x], 'float32', uniforms);
    const dy3dShape: [number, number, number] = [info.batchSize, pixels, info.outChannels];
    const dy3d = reshape({ inputs: { x: dy }, backend, attrs: { shape: dy3dShape } });
    const perItemShape: [number, number, number] = [info.batchSize, patchSize, info.outChannels];
    const perItem = backend.runWebGLProgram(new MatMulPackedProgram(patchesShape, dy3dShape, perItemShape), [patches, dy3d], 'float32');
    const summed = sumImpl(perItem, 0, false, backend);
    const filterGrad = reshape({ inputs: { x: summed }, backend, attrs: { shape: attrs.filterShape } });
    for (const t of [patches, dy3d, perItem, summed]) backend.disposeIntermediateTensorInfo(t);
    return filterGrad;
  };
}
