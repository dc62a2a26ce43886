// The environment a model runs in, read inside the trainer (for a run) or the predictor (for an evaluation) once its
// backend is set: the same model, data and seed can give other figures on another browser, backend or GPU, so runs
// and stored evaluations record where they ran.

import * as tf from '@tensorflow/tfjs';
import type { BackendName, Environment } from '../../src/core/shared/types';

/** What the browser may tell about itself (User-Agent Client Hints; Chromium only, absent from the TS libraries). */
interface NavigatorLike {
  userAgent?: string;
  hardwareConcurrency?: number;
  userAgentData?: { brands?: { brand: string; version: string }[]; platform?: string };
}

/** The parts of tfjs's webgpu and webgl backends that name the device (typed structurally: they are not exported). */
interface WebGpuLike {
  device?: { adapterInfo?: Partial<Record<'vendor' | 'architecture' | 'device' | 'description', string>> };
  adapterInfo?: { vendor?: string; architecture?: string };
}
interface WebGlLike {
  gpgpu?: { gl?: { RENDERER: number; getExtension(name: string): unknown; getParameter(name: number): unknown } };
}

export function readEnvironment(backend: BackendName): Environment {
  const nav = (globalThis as { navigator?: NavigatorLike }).navigator;
  const cores = nav?.hardwareConcurrency;
  return {
    browser: browserOf(nav),
    backend,
    device: deviceOf(backend),
    tfjs: tf.version.tfjs,
    cores: typeof cores === 'number' && cores > 0 ? cores : null,
  };
}

function browserOf(nav: NavigatorLike | undefined): string {
  // Brands include a deliberately meaningless "Not A Brand" entry; a named browser comes before plain Chromium.
  const brands = (nav?.userAgentData?.brands ?? []).filter((b) => !/not.?a.?brand/i.test(b.brand));
  const brand = brands.find((b) => b.brand !== 'Chromium') ?? brands[0];
  const platform = nav?.userAgentData?.platform;
  if (brand) return `${brand.brand} ${brand.version}${platform ? ` on ${platform}` : ''}`;
  return nav?.userAgent || 'unknown';
}

function deviceOf(backend: BackendName): string | null {
  try {
    if (backend === 'webgpu') {
      const gpu = tf.backend() as unknown as WebGpuLike;
      // tfjs keeps only the vendor and architecture; newer browsers give the device's full adapter info.
      const info = { ...gpu.adapterInfo, ...gpu.device?.adapterInfo };
      const parts = [info.description, info.vendor, info.architecture, info.device].filter((p): p is string => Boolean(p));
      return parts.length > 0 ? [...new Set(parts)].join(' · ') : null;
    }
    if (backend === 'webgl') {
      const gl = (tf.backend() as unknown as WebGlLike).gpgpu?.gl;
      if (!gl) return null;
      // Chromium now answers RENDERER unmasked and deprecates the debug extension; others still need the extension.
      const debug = gl.getExtension('WEBGL_debug_renderer_info') as { UNMASKED_RENDERER_WEBGL: number } | null;
      const renderer = gl.getParameter(debug ? debug.UNMASKED_RENDERER_WEBGL : gl.RENDERER);
      return typeof renderer === 'string' && renderer !== '' ? renderer : null;
    }
  } catch {
    // Naming the device is a courtesy: a browser that refuses must not stop the run.
  }
  return null;
}
