// Noticing a lost GPU device during a run. tfjs does not watch for it: after a WebGPU device is lost or a WebGL
// context is lost, its readbacks may reject with an unrelated message or never settle, so the trainer races the
// training against this watch and the page moves the run to another backend from its last checkpoint.

import * as tf from '@tensorflow/tfjs';
import type { BackendName } from '../../src/core/shared/types';
import type { Failure } from '../../src/core/contracts/outcomes';

/** The parts of tfjs's webgpu and webgl backends a loss shows up on (typed structurally: they are not exported). */
interface WebGpuLike {
  device?: { lost: Promise<{ reason?: string; message?: string }> };
}
interface WebGlLike {
  gpgpu?: { gl?: { canvas: unknown; isContextLost(): boolean } };
}

export interface DeviceWatch {
  /** Rejects with the loss (a Failure of kind 'device-lost') once the device is lost; never settles otherwise. */
  readonly lost: Promise<never>;
  /** The loss, once lost. */
  readonly loss: Failure | null;
  stop(): void;
}

const isEventTarget = (x: unknown): x is EventTarget => typeof x === 'object' && x !== null && 'addEventListener' in x;

/** Watches the current tfjs backend's device until stop(); CPU-side backends cannot lose one. */
export function watchDevice(backend: BackendName): DeviceWatch {
  let reject: (e: Failure) => void = () => {};
  const lost = new Promise<never>((_, r) => (reject = r));
  // Nobody may be racing it when it fires (between runs): that must not become an unhandled rejection.
  lost.catch(() => undefined);
  let stopped = false;
  let loss: Failure | null = null;
  const onLost = (detail: string) => {
    if (stopped || loss !== null) return;
    loss = { kind: 'device-lost', backend, detail };
    reject(loss);
  };
  let cleanup = () => {};
  if (backend === 'webgpu') {
    const device = (tf.backend() as unknown as WebGpuLike).device;
    void device?.lost.then((info) => onLost(info.message || info.reason || 'no reason given'));
  } else if (backend === 'webgl') {
    const gl = (tf.backend() as unknown as WebGlLike).gpgpu?.gl;
    const canvas = gl?.canvas;
    if (gl?.isContextLost()) onLost('the WebGL context was already lost');
    if (isEventTarget(canvas)) {
      const listener = () => onLost('the WebGL context was lost');
      canvas.addEventListener('webglcontextlost', listener);
      cleanup = () => canvas.removeEventListener('webglcontextlost', listener);
    }
  }
  return {
    lost,
    get loss() {
      return loss;
    },
    stop() {
      stopped = true;
      cleanup();
    },
  };
}
