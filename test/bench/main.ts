// The bench page: exposes the per-backend measurements as functions for scripts/bench.mjs to call.

import { proxy, wrap } from 'comlink';
import { BACKENDS, type BackendName } from '../../src/core/shared/types';
import type { RunParams } from '../../src/core/train/spec/types';
import { defaultHyper, defaultSpec } from '../../src/core/train/spec/defaults';
import { backendProblem } from '../../src/core/train/spec/backend';
import type { TrainerApi } from '../../src/core/contracts/train';
import type { BackendBench, BenchModel, ProbeBench } from './protocol';
import { runLoopbench } from './loopbench-side';
import { runPlain } from './plain-side';
import { message, pairOf, withTimeout } from './side-common';
import { makeShapes } from './shapes-data';
import { makeSynthetic, type BenchData } from './synthetic';
// Registers window.runImportBench, the import half of the bench.
import './import-bench';
// Registers window.runParity, the backend gradient parity check (test/e2e/backend-parity.test.ts).
import './parity';
// Registers window.runSweepBench, one worker against several for a sweep's runs (BENCH_ONLY=sweep).
import './sweep-bench';
// Registers window.runDataPlaneBench, the page's long tasks and heap while workers work by id (BENCH_ONLY=dataplane).
import './data-plane-bench';
// Registers window.runMonitorDriftBench, drift over a synthetic request log in a worker (BENCH_ONLY=monitor).
import './monitor-bench';

const FEATURES = 20;
const SEED = 20_240_601;

declare global {
  interface Window {
    /** `rows`: table rows for the MLP, images for the CNN (a multiple of the four classes). */
    runBackendBench(model: BenchModel, backend: BackendName, epochs: number, rows: number, timeoutMs: number): Promise<BackendBench>;
    runProbeBench(family: ProbeBench['family'], timeoutMs: number): Promise<ProbeBench>;
  }
}

function benchData(model: BenchModel, rows: number): BenchData {
  return model === 'mlp' ? makeSynthetic(rows, FEATURES, SEED) : makeShapes(Math.max(1, Math.floor(rows / 4)));
}

/** Loopbench's spec and hyperparameters; the plain side trains the same spec with the same rate, batch and epochs. */
function benchParams(model: BenchModel, epochs: number): RunParams {
  if (model === 'mlp') {
    return {
      spec: { family: 'mlp', layers: [{ units: 64, activation: 'relu' }, { units: 64, activation: 'relu' }], dropout: 0 },
      hyper: { ...defaultHyper('mlp'), learningRate: 0.01, epochs, batchSize: 256, seed: SEED },
    };
  }
  // The default CNN as a user gets it for the Shapes sample, with its default rate and batch size.
  return { spec: defaultSpec('cnn'), hyper: { ...defaultHyper('cnn'), epochs, seed: SEED } };
}

/** tfjs only says "initialisation failed" when WebGPU has no adapter; asking directly gives the real reason. */
async function missingWebGpu(): Promise<string | null> {
  if (!('gpu' in navigator)) return 'navigator.gpu is missing (WebGPU not exposed in this browser)';
  const adapter = await navigator.gpu.requestAdapter();
  return adapter === null ? 'no WebGPU adapter (navigator.gpu.requestAdapter() returned null)' : null;
}

window.runBackendBench = async (model, backend, epochs, rows, timeoutMs) => {
  const data = benchData(model, rows);
  const params = benchParams(model, epochs);
  const base = { model, backend, epochs, rows: data.table.rowCount };
  // A known limit (wasm has no Conv2DBackpropFilter) is reported with its reason, not run to a failure.
  const missing = backendProblem(params.spec.family, backend) ?? (backend === 'webgpu' ? await missingWebGpu() : null);
  if (missing !== null) {
    const skipped = { backendUsed: null, epochMs: [], steadyMs: null, error: missing };
    return { ...base, loopbench: skipped, plain: skipped, ratio: null, longestTaskMs: 0, longTaskCount: 0 };
  }
  // One after the other, never together: on two cores they would slow each other down. Each side runs twice, in the
  // order Loopbench, plain, plain, Loopbench: whichever side ran second was ~10% faster in either order (cpu MLP:
  // 1.15 with Loopbench first, 0.95 with plain first, same build, quiet machine), so one order alone is biased.
  const loopbenchA = await runLoopbench(data, params, backend, timeoutMs);
  const plainA = await runPlain(data, params, backend, timeoutMs);
  const plainB = await runPlain(data, params, backend, timeoutMs);
  const loopbenchB = await runLoopbench(data, params, backend, timeoutMs);
  const plain = pairOf(plainA, plainB);
  const loopbench = {
    side: pairOf(loopbenchA.side, loopbenchB.side),
    longestTaskMs: Math.max(loopbenchA.longestTaskMs, loopbenchB.longestTaskMs),
    longTaskCount: loopbenchA.longTaskCount + loopbenchB.longTaskCount,
  };
  const ratio =
    loopbench.side.steadyMs !== null && plain.steadyMs !== null && plain.steadyMs > 0
      ? loopbench.side.steadyMs / plain.steadyMs
      : null;
  return { ...base, loopbench: loopbench.side, plain, ratio, longestTaskMs: loopbench.longestTaskMs, longTaskCount: loopbench.longTaskCount };
};

window.runProbeBench = async (family, timeoutMs) => {
  // The app's training worker, fresh, as the Train screen's Measure backends button uses it.
  const worker = new Worker(new URL('../../workers/train.worker.ts', import.meta.url), { type: 'module' });
  try {
    const api = wrap<TrainerApi>(worker);
    const result = await withTimeout(api.probe(family, [...BACKENDS], proxy(() => undefined)), timeoutMs, `${family} probe`);
    return { family, durationMs: result.durationMs, best: result.best, measurements: result.measurements, error: null };
  } catch (e) {
    return { family, durationMs: null, best: null, measurements: [], error: message(e) };
  } finally {
    worker.terminate();
  }
};
