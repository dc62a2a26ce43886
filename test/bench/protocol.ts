// What the bench page, its plain-fit worker and scripts/bench.mjs exchange. Types and pure helpers only.

import type { BackendName } from '../../src/core/shared/types';
import type { ModelInput, ModelSpec } from '../../src/core/train/spec/types';
import type { ProbeMeasurement } from '../../src/core/contracts/train';

/** The two models the bench trains: the MLP on a table, the CNN on the shapes image sample. */
export type BenchModel = 'mlp' | 'cnn';

export interface PlainFitRequest {
  backend: BackendName;
  /** The same spec Loopbench trains; the plain side builds it with the same layers and initialisers. */
  spec: ModelSpec;
  input: ModelInput;
  /** Row-major inputs, already scaled as Loopbench scales them (images: pixels / 255, HWC). */
  features: Float32Array;
  labels: Int32Array;
  classCount: number;
  /**
   * The last `validationRows` rows are held out as validation data, as Loopbench's validation split: fit evaluates
   * them every epoch (validationData) as Loopbench does, and reports training accuracy as Loopbench's curves do.
   */
  validationRows: number;
  learningRate: number;
  epochs: number;
  batchSize: number;
  seed: number;
}

export interface PlainFitResult {
  /** tf.getBackend() after the model trained: tfjs falls back silently, so this is what really ran. */
  backend: string;
  epochMs: number[];
  finalLoss: number;
}

export interface PlainFitApi {
  fit(request: PlainFitRequest): Promise<PlainFitResult>;
}

/** One side of the comparison; `error` set means it did not train on the requested backend. */
export interface SideResult {
  backendUsed: string | null;
  epochMs: number[];
  steadyMs: number | null;
  error: string | null;
}

export interface BackendBench {
  model: BenchModel;
  backend: BackendName;
  epochs: number;
  rows: number;
  loopbench: SideResult;
  plain: SideResult;
  /** loopbench.steadyMs / plain.steadyMs */
  ratio: number | null;
  /** Longest main-thread long task (>= 50 ms) while Loopbench's worker trained; 0 when there was none. */
  longestTaskMs: number;
  longTaskCount: number;
}

/** How long the backend probe of one family took in the app's training worker, and what it measured. */
export interface ProbeBench {
  family: 'linear' | BenchModel;
  durationMs: number | null;
  best: BackendName | null;
  measurements: ProbeMeasurement[];
  error: string | null;
}

/** Median of the epochs after the first: the first carries shader compilation, wasm start-up and warm-up. */
export function steadyMs(epochMs: number[]): number | null {
  const steady = epochMs.slice(1).sort((a, b) => a - b);
  if (steady.length === 0) return null;
  const mid = Math.floor(steady.length / 2);
  return steady.length % 2 === 1 ? steady[mid] : (steady[mid - 1] + steady[mid]) / 2;
}
