// Registers the wasm backend with its binaries served by Vite (`?url`), so it works offline from the PWA cache.
// Imported only by worker entry points: Node tests never load it.

import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import plain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import simd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';

// The threaded build needs cross-origin isolation, hangs in a minified worker build and gains nothing on two cores.
tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
setWasmPaths({
  'tfjs-backend-wasm.wasm': plain,
  'tfjs-backend-wasm-simd.wasm': simd,
  // Never fetched (threads are off above), but setWasmPaths insists on all three names; pointing it at the simd
  // file keeps the unused threaded binary out of the build.
  'tfjs-backend-wasm-threaded-simd.wasm': simd,
});
