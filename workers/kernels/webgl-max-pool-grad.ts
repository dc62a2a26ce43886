// The max-pool gradient in one packed WebGL pass, for pools whose windows do not overlap (window = stride, no
// padding: every pool a Loopbench spec can build). tfjs runs two unpacked passes: one writes each window's argmax
// position, the next reads it back once per input value. Here each invocation writes four input values (two columns,
// two channels), finding the argmax of their window(s) itself from packed reads.
//
// It picks the same position as tfjs's positions pass, rule for rule: the window read row by row, a value taken when
// `value >= mix(value, best, found)`, NaN never taken (position 0 if all are), and that mix() makes +Infinity lose to
// an earlier finite value, as in tfjs. The gradient is then `0.0 + dy * mask`, as tfjs adds it, so a NaN or infinite
// dy spreads NaN over its window's other values too.

import * as tf from '@tensorflow/tfjs';
import type { MathBackendWebGL } from '@tensorflow/tfjs-backend-webgl';
import type { GPGPUProgram } from '@tensorflow/tfjs-backend-webgl/dist/gpgpu_math';

type KernelParams = Parameters<tf.KernelFunc>[0];
type Pool2DInfo = tf.backend_util.Conv2DInfo;

interface MaxPoolGradAttrs {
  filterSize: [number, number] | number;
  strides: [number, number] | number;
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

/**
 * Whether every input value lies in at most one window, each window starting at a multiple of its own size and lying
 * wholly inside the input (no padding on any side: 'same' may pad only below or right).
 */
function disjointWindows(info: Pool2DInfo): boolean {
  const { padInfo } = info;
  return (
    info.strideHeight === info.filterHeight &&
    info.strideWidth === info.filterWidth &&
    info.dilationHeight === 1 &&
    info.dilationWidth === 1 &&
    padInfo.top === 0 &&
    padInfo.left === 0 &&
    padInfo.bottom === 0 &&
    padInfo.right === 0 &&
    info.dataFormat === 'channelsLast'
  );
}

class DisjointMaxPoolGradProgram implements GPGPUProgram {
  readonly variableNames = ['x', 'dy'];
  readonly packedInputs = true;
  readonly packedOutput = true;
  readonly outputShape: number[];
  readonly userCode: string;

  constructor(info: Pool2DInfo) {
    this.outputShape = info.inShape;
    const { filterHeight: fh, filterWidth: fw, outHeight, outWidth, inWidth } = info;
    const pick = (c: 'x' | 'y') => `
          float cur${c} = mix(v.${c}, best.${c}, found.${c});
          if (v.${c} >= cur${c}) {
            best.${c} = v.${c};
            found.${c} = 1.0;
            pos.${c} = wR * ${fw} + wC;
          }`;
    const grad = (out: string, k: 'x' | 'y', hit: string, dy: string) => `
        ${out} = 0.0;
        ${out} += ${dy}.${k} * float(${hit}.${k} ? 1.0 : 0.0);`;
    this.userCode = `
      // Window (yR, yC)'s argmax positions for channels d and d + 1.
      ivec2 argmaxPositions(int b, int yR, int yC, int d) {
        vec2 best = vec2(0.0);
        vec2 found = vec2(0.0);
        ivec2 pos = ivec2(0);
        for (int wR = 0; wR < ${fh}; wR++) {
          int r = yR * ${fh} + wR;
          for (int wC = 0; wC < ${fw}; wC++) {
            int c = yC * ${fw} + wC;
            vec4 t = getX(b, r, c, d);
            vec2 v = imod(c, 2) == 0 ? t.xy : t.zw;
            ${pick('x')}
            ${pick('y')}
          }
        }
        return pos;
      }

      vec2 dyPair(int b, int yR, int yC, int d) {
        vec4 t = getDy(b, yR, yC, d);
        return imod(yC, 2) == 0 ? t.xy : t.zw;
      }

      void main() {
        ivec4 rc = getOutputCoords();
        int b = rc.x;
        int xR = rc.y;
        int xC = rc.z;
        int d = rc.w;
        vec4 result = vec4(0.0);
        int yR = xR / ${fh};
        if (yR < ${outHeight}) {
          int yC0 = xC / ${fw};
          ivec2 pos0 = ivec2(-1);
          vec2 dy0 = vec2(0.0);
          if (yC0 < ${outWidth}) {
            pos0 = argmaxPositions(b, yR, yC0, d);
            dy0 = dyPair(b, yR, yC0, d);
            bvec2 hit = equal(pos0, ivec2((xR - yR * ${fh}) * ${fw} + xC - yC0 * ${fw}));
            ${grad('result.x', 'x', 'hit', 'dy0')}
            ${grad('result.y', 'y', 'hit', 'dy0')}
          }
          int yC1 = (xC + 1) / ${fw};
          if (xC + 1 < ${inWidth} && yC1 < ${outWidth}) {
            ivec2 pos1 = pos0;
            vec2 dy1 = dy0;
            if (yC1 != yC0) {
              pos1 = argmaxPositions(b, yR, yC1, d);
              dy1 = dyPair(b, yR, yC1, d);
            }
            bvec2 hit = equal(pos1, ivec2((xR - yR * ${fh}) * ${fw} + xC + 1 - yC1 * ${fw}));
            ${grad('result.z', 'x', 'hit', 'dy1')}
            ${grad('result.w', 'y', 'hit', 'dy1')}
          }
        }
        setOutput(result);
      }
    `;
  }
}

/** MaxPoolGrad for float32 pools with disjoint windows; anything else goes to `original` (tfjs's kernel). */
export function disjointMaxPoolGrad(original: tf.KernelFunc): tf.KernelFunc {
  return (params: KernelParams) => {
    const backend = params.backend as MathBackendWebGL;
    const { dy, input } = params.inputs;
    const attrs = params.attrs as unknown as MaxPoolGradAttrs;
    if (!dy || !input || input.dtype !== 'float32' || dy.dtype !== 'float32' || input.shape.length !== 4) return original(params);
    const info = tf.backend_util.computePool2DInfo(
      input.shape as [number, number, number, number], attrs.filterSize, attrs.strides, 1, attrs.pad, attrs.dimRoundingMode,
    );
    if (!disjointWindows(info)) return original(params);
    return backend.runWebGLProgram(new DisjointMaxPoolGradProgram(info), [input, dy], 'float32');
  };
}
