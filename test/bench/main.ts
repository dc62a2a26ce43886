// The bench page: exposes the per-backend measurement as a function for scripts/bench.mjs to call.

import type { BackendName } from '../../src/core/types';
// The bench states its MLP in the flat form both sides understand; Loopbench's side turns it into a spec.
import type { LegacyMlpParams as MlpParams } from '../../src/core/model-spec/migrate-run';
import type { BackendBench } from './protocol';
import { runLoopbench } from './loopbench-side';
import { runPlain } from './plain-side';
import { makeSynthetic } from './synthetic';
// Registers window.runImportBench, the import half of the bench.
import './import-bench';

const ROWS = 10_000;
const FEATURES = 20;
const SEED = 20_240_601;

declare global {
  interface Window {
    runBackendBench(backend: BackendName, epochs: number, timeoutMs: number): Promise<BackendBench>;
  }
}

const data = makeSynthetic(ROWS, FEATURES, SEED);

/** tfjs only says "initialisation failed" when WebGPU has no adapter; asking directly gives the real reason. */
async function missingWebGpu(): Promise<string | null> {
  if (!('gpu' in navigator)) return 'navigator.gpu is missing (WebGPU not exposed in this browser)';
  const adapter = await navigator.gpu.requestAdapter();
  return adapter === null ? 'no WebGPU adapter (navigator.gpu.requestAdapter() returned null)' : null;
}

window.runBackendBench = async (backend, epochs, timeoutMs) => {
  const params: MlpParams = {
    hiddenLayers: 2,
    units: 64,
    activation: 'relu',
    optimizer: 'adam',
    learningRate: 0.01,
    epochs,
    batchSize: 256,
    seed: SEED,
  };
  const missing = backend === 'webgpu' ? await missingWebGpu() : null;
  if (missing !== null) {
    const skipped = { backendUsed: null, epochMs: [], steadyMs: null, error: missing };
    return { backend, epochs, rows: ROWS, loopbench: skipped, plain: skipped, ratio: null, longestTaskMs: 0, longTaskCount: 0 };
  }
  // One after the other, never together: on two cores they would slow each other down.
  const loopbench = await runLoopbench(data, params, backend, timeoutMs);
  const plain = await runPlain(data, params, backend, timeoutMs);
  const ratio =
    loopbench.side.steadyMs !== null && plain.steadyMs !== null && plain.steadyMs > 0
      ? loopbench.side.steadyMs / plain.steadyMs
      : null;
  return {
    backend,
    epochs,
    rows: ROWS,
    loopbench: loopbench.side,
    plain,
    ratio,
    longestTaskMs: loopbench.longestTaskMs,
    longTaskCount: loopbench.longTaskCount,
  };
};
