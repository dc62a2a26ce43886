// The sweep half of the bench page: the same small runs trained back to back in one training worker, or by several
// workers at once (a shared queue, as a parallel sweep would run them), timed by the wall clock. Whether several
// single-threaded wasm/cpu workers beat one depends on the cores actually free, so scripts/bench-sweep.mjs repeats it.

import { storeBenchVersion } from './bench-store';
import { proxy, wrap, type Remote } from 'comlink';
import { SPLIT_TRAIN, type BackendName } from '../../src/core/shared/types';
import type { RunParams } from '../../src/core/train/spec/types';
import { defaultHyper } from '../../src/core/train/spec/defaults';
import type { TrainerApi } from '../../src/core/contracts/train';
import { message, withTimeout } from './side-common';
import { makeSynthetic } from './synthetic';

export interface SweepBenchRequest {
  backend: BackendName;
  /** Runs in the queue; each trains the same model on the same data with its own seed. */
  runs: number;
  /** Workers training at once (1 = back to back in one worker, as a sequential sweep). */
  workers: number;
  rows: number;
  epochs: number;
  timeoutMs: number;
}

export interface SweepBenchResult {
  backend: BackendName;
  runs: number;
  workers: number;
  rows: number;
  epochs: number;
  /** From the first worker's start to the last run's end, worker start-up included (a sweep pays it too). */
  wallMs: number | null;
  /** Each run's own duration, in queue order. */
  runMs: number[];
  error: string | null;
}

declare global {
  interface Window {
    runSweepBench(request: SweepBenchRequest): Promise<SweepBenchResult>;
  }
}

const FEATURES = 20;
const SEED = 20_240_611;

function runParams(epochs: number, seed: number): RunParams {
  return {
    spec: { family: 'mlp', layers: [{ units: 32, activation: 'relu' }, { units: 32, activation: 'relu' }], dropout: 0 },
    hyper: { ...defaultHyper('mlp'), learningRate: 0.01, epochs, batchSize: 64, seed },
  };
}

window.runSweepBench = async (request) => {
  const { backend, runs, workers, rows, epochs, timeoutMs } = request;
  const data = makeSynthetic(rows, FEATURES, SEED);
  const assignment = new Uint8Array(rows).fill(SPLIT_TRAIN);
  const dataset = await storeBenchVersion(`sweep-${FEATURES}x${rows}`, data.schema, data.table, assignment);
  const runMs: number[] = new Array<number>(runs).fill(0);
  const spawned: Worker[] = [];
  let next = 0;
  // One worker's share of the queue: it takes the next run until none is left, as a sweep's worker does.
  const drain = async (api: Remote<TrainerApi>): Promise<void> => {
    while (next < runs) {
      const i = next++;
      const started = performance.now();
      const result = await api.train(
        { runId: `sweep-bench-${i}`, task: 'classification', params: runParams(epochs, SEED + i), backend, dataset },
        proxy(() => undefined),
      );
      if (result.backend !== backend) throw new Error(`run ${i + 1} ran on ${result.backend}`);
      if (result.epochsCompleted !== epochs) throw new Error(`run ${i + 1} completed ${result.epochsCompleted} of ${epochs} epochs`);
      runMs[i] = Math.round(performance.now() - started);
    }
  };
  const start = performance.now();
  try {
    const pool = Array.from({ length: Math.min(workers, runs) }, () => {
      const worker = new Worker(new URL('../../workers/train.worker.ts', import.meta.url), { type: 'module' });
      spawned.push(worker);
      return drain(wrap<TrainerApi>(worker));
    });
    await withTimeout(Promise.all(pool), timeoutMs, `${runs} runs on ${workers} ${backend} worker(s)`);
    return { backend, runs, workers, rows, epochs, wallMs: Math.round(performance.now() - start), runMs, error: null };
  } catch (e) {
    return { backend, runs, workers, rows, epochs, wallMs: null, runMs, error: message(e) };
  } finally {
    for (const worker of spawned) worker.terminate();
  }
};
