// The backend switch of Loopbench's workers (trainer, probe, predictor) puts Loopbench's cpu kernels in place of
// tfjs's, and the WebGPU and WebGL kernels only on a software adapter or renderer.

import * as tf from '@tensorflow/tfjs';
import { expect, it } from 'vitest';
import { useTunedBackend } from '../../workers/kernels/tuned-backend';
import { softwareWebGpu } from '../../workers/kernels/webgpu-direct-conv';
import { softwareWebGl } from '../../workers/kernels/webgl-software-kernels';

it('switches to cpu with Loopbench’s gradient kernels in place of tfjs’s', async () => {
  const shipped = [tf.Conv2DBackpropFilter, tf.MaxPoolGrad, tf.BatchMatMul].map((name) => tf.getKernel(name, 'cpu').kernelFunc);
  await expect(useTunedBackend('cpu')).resolves.toBe('cpu');
  expect(tf.getBackend()).toBe('cpu');
  const now = [tf.Conv2DBackpropFilter, tf.MaxPoolGrad, tf.BatchMatMul].map((name) => tf.getKernel(name, 'cpu').kernelFunc);
  expect(now[0]).not.toBe(shipped[0]);
  expect(now[1]).not.toBe(shipped[1]);
  expect(now[2]).not.toBe(shipped[2]);
});

it('tells Chromium’s SwiftShader WebGPU adapter from a GPU by the architecture tfjs keeps', () => {
  expect(softwareWebGpu({ adapterInfo: { vendor: 'google', architecture: 'swiftshader' } })).toBe(true);
  expect(softwareWebGpu({ adapterInfo: { vendor: 'nvidia', architecture: 'ampere' } })).toBe(false);
  expect(softwareWebGpu({ adapterInfo: { vendor: 'intel', architecture: '' } })).toBe(false);
  expect(softwareWebGpu(tf.backend())).toBe(false);
  expect(softwareWebGpu(null)).toBe(false);
});

/** A WebGL context as far as renderer naming goes: the debug extension, where offered, unmasks the real renderer. */
function context(renderer: string, unmasked: string | null) {
  const RENDERER = 0x1f01;
  return {
    RENDERER,
    getExtension: (name: string) => (unmasked !== null && name === 'WEBGL_debug_renderer_info' ? {} : null),
    getParameter: (p: number) => (p === RENDERER ? renderer : p === 0x9246 ? unmasked : null),
  };
}

it('tells SwiftShader WebGL from a GPU by the renderer tfjs’s context reports', () => {
  const chromium = 'ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero) (0x0000C0DE)), SwiftShader driver)';
  expect(softwareWebGl({ gpgpu: { gl: context('WebKit WebGL', chromium) } })).toBe(true);
  expect(softwareWebGl({ gpgpu: { gl: context('WebKit WebGL', 'ANGLE (NVIDIA, NVIDIA GeForce RTX 3060 Direct3D11)') } })).toBe(false);
  // Without the extension (Firefox sanitises instead), the plain renderer name is all there is.
  expect(softwareWebGl({ gpgpu: { gl: context('SwiftShader', null) } })).toBe(true);
  expect(softwareWebGl({ gpgpu: { gl: context('WebKit WebGL', null) } })).toBe(false);
  expect(softwareWebGl(tf.backend())).toBe(false);
  expect(softwareWebGl({ gpgpu: null })).toBe(false);
});
