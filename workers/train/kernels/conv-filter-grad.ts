// The gradient of a 2-D convolution with respect to its filter, channels-last, on plain arrays. tfjs-backend-cpu's
// own kernel reads every element through TensorBuffer.get (an index computed from a rest-argument array), which made
// it 72% of a CNN training step in Chromium (773 of 1,072 ms for the default CNN, batch 32); this one indexes the
// arrays directly. It adds the same products in the same order into doubles, as tfjs's does, so its results are the
// same bits (test/integration/cpu-gradient-kernels.test.ts checks that against tfjs's kernel).

import type * as tf from '@tensorflow/tfjs';

type Conv2DInfo = tf.backend_util.Conv2DInfo;

/** `x` is [batch, inHeight, inWidth, inChannels], `dy` [batch, outHeight, outWidth, outChannels]. */
export function convFilterGrad(x: Float32Array, dy: Float32Array, info: Conv2DInfo): Float32Array {
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, outChannels } = info;
  const { strideHeight, strideWidth, filterHeight, filterWidth } = info;
  const { top, left } = info.padInfo;
  const sums = new Float64Array(filterHeight * filterWidth * inChannels * outChannels);
  // Output positions outermost: for any one filter weight the products still arrive in tfjs's order (batch, row,
  // column), while the innermost loops run over contiguous channels.
  for (let b = 0; b < batchSize; b++) {
    for (let yR = 0; yR < outHeight; yR++) {
      for (let yC = 0; yC < outWidth; yC++) {
        const dyAt = ((b * outHeight + yR) * outWidth + yC) * outChannels;
        for (let wR = 0; wR < filterHeight; wR++) {
          const xR = yR * strideHeight - top + wR;
          if (xR < 0 || xR >= inHeight) continue;
          for (let wC = 0; wC < filterWidth; wC++) {
            const xC = yC * strideWidth - left + wC;
            if (xC < 0 || xC >= inWidth) continue;
            const xAt = ((b * inHeight + xR) * inWidth + xC) * inChannels;
            let wAt = (wR * filterWidth + wC) * inChannels * outChannels;
            for (let d1 = 0; d1 < inChannels; d1++, wAt += outChannels) {
              const xValue = x[xAt + d1];
              for (let d2 = 0; d2 < outChannels; d2++) sums[wAt + d2] += xValue * dy[dyAt + d2];
            }
          }
        }
      }
    }
  }
  return Float32Array.from(sums);
}
