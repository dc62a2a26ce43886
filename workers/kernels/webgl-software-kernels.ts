// Loopbench's kernels for WebGL contexts that are really CPU threads (Chromium's SwiftShader, used where there is no
// usable GPU). There, a shader invocation's cost is mostly its texture reads, so the filter and pool gradients are
// reorganised to read less per value; real GPUs keep tfjs's kernels, which are what was measured there.

import * as tf from '@tensorflow/tfjs';
import { replaceKernels } from './replace-kernels';

const WEBGL = 'webgl';
/** WEBGL_debug_renderer_info's UNMASKED_RENDERER_WEBGL, a constant of the extension rather than of the context. */
const UNMASKED_RENDERER = 0x9246;

interface RendererInfo {
  getExtension(name: string): unknown;
  getParameter(name: number): unknown;
  readonly RENDERER: number;
}

/** The renderer's name as the browser reports it: the unmasked one where the browser allows it. */
function rendererName(gl: RendererInfo): string {
  const unmasked = gl.getExtension('WEBGL_debug_renderer_info') ? gl.getParameter(UNMASKED_RENDERER) : null;
  const name = typeof unmasked === 'string' ? unmasked : gl.getParameter(gl.RENDERER);
  return typeof name === 'string' ? name : '';
}

/** Whether tfjs's WebGL backend draws with SwiftShader (reads its context, which tfjs keeps as `gpgpu.gl`). */
export function softwareWebGl(backend: unknown): boolean {
  const gpgpu: unknown = typeof backend === 'object' && backend !== null && 'gpgpu' in backend ? backend.gpgpu : null;
  const gl: unknown = typeof gpgpu === 'object' && gpgpu !== null && 'gl' in gpgpu ? gpgpu.gl : null;
  if (typeof gl !== 'object' || gl === null || !('getParameter' in gl)) return false;
  return /swiftshader/i.test(rendererName(gl as RendererInfo));
}

let installed = false;

/** On a software WebGL context, puts Loopbench's filter and max-pool gradients in place of tfjs's; once. */
export async function useSoftwareWebGlKernels(): Promise<void> {
  if (installed || !softwareWebGl(tf.backend())) return;
  // Loaded here, not at the top: they import tfjs-backend-webgl's own modules, which have nothing to do in Node.
  const [{ im2colFilterGrad }, { disjointMaxPoolGrad }] = await Promise.all([
    import('./webgl-filter-grad'),
    import('./webgl-max-pool-grad'),
  ]);
  replaceKernels(WEBGL, [
    [tf.Conv2DBackpropFilter, im2colFilterGrad],
    [tf.MaxPoolGrad, disjointMaxPoolGrad],
  ]);
  installed = true;
}
