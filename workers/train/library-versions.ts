// The library versions a run records: every package whose version can change the numbers it trains to. Read at run
// time from the libraries themselves (not from package.json) so the record says what actually ran.

import * as tf from '@tensorflow/tfjs';
// The version modules only: importing the packages themselves would register their backends as a side effect.
import { version as wasmVersion } from '@tensorflow/tfjs-backend-wasm/dist/version';
import { version as webgpuVersion } from '@tensorflow/tfjs-backend-webgpu/dist/version';
import { version as loopbenchVersion } from '../../package.json';
import { libraryRecord } from '../../src/core/evaluate/runs/reproduce';
import type { BackendName } from '../../src/core/shared/types';

export function libraryVersions(backend: BackendName): Record<string, string> {
  return libraryRecord(backend, {
    loopbench: loopbenchVersion,
    tfjs: tf.version.tfjs,
    'tfjs-core': tf.version['tfjs-core'],
    'tfjs-layers': tf.version['tfjs-layers'],
    backends: {
      cpu: tf.version['tfjs-backend-cpu'],
      webgl: tf.version['tfjs-backend-webgl'],
      wasm: wasmVersion,
      webgpu: webgpuVersion,
    },
  });
}
