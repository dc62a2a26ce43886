// How many of a sweep's runs train at once. Pure: the state layer passes the backend the runs train on, the
// device's core count (navigator.hardwareConcurrency) and the runs the queue holds.

import type { BackendName } from '../../shared/types';
import { GPU_BACKENDS } from '../spec/probe-choice';

/**
 * The most runs worth training at once on a CPU backend (wasm, cpu), each in its own single-threaded worker.
 * Measured with `BENCH_ONLY=sweep npm run bench` (four MLP runs back to back in one worker, then two and three workers
 * at once, in one page; README "Sweeps") on the 2-core test machine with nothing else running (load 1.8-3.8): two
 * workers took 0.68-0.72x (wasm) and 0.76-0.80x (cpu) the wall time of one; three took 0.80-0.95x (wasm) and
 * 0.66-0.84x (cpu), no better than two and with a third copy of tfjs and the data. Two workers cost 1.0-1.1x the CPU
 * seconds of one (each extra worker loads tfjs and its backend). Hence two; more cores were not measured.
 */
export const SWEEP_SWEET_SPOT = 2;

/** Never more workers than this, however many cores: each holds tfjs, a backend and a copy of the data. */
export const SWEEP_MAX_WORKERS = 4;

export interface ConcurrencyInput {
  backend: BackendName;
  /** Logical cores (navigator.hardwareConcurrency); unknown or nonsense counts as one. */
  cores: number;
  /** Runs still to start. */
  runsLeft: number;
}

/**
 * Runs to train at once: one on a GPU backend (webgl and webgpu share the one device, and a worker each would only
 * add contention and memory), else min(cores, SWEEP_MAX_WORKERS, SWEEP_SWEET_SPOT) single-threaded workers; never
 * more than the runs left, never fewer than one.
 */
export function sweepConcurrency({ backend, cores, runsLeft }: ConcurrencyInput): number {
  const left = Number.isFinite(runsLeft) ? Math.floor(runsLeft) : 0;
  if (left <= 1) return 1;
  // webgl and webgpu share one GPU device: two runs there only take turns on it.
  if (GPU_BACKENDS.includes(backend)) return 1;
  const usable = Number.isFinite(cores) && cores >= 1 ? Math.floor(cores) : 1;
  return Math.max(1, Math.min(usable, SWEEP_MAX_WORKERS, SWEEP_SWEET_SPOT, left));
}
