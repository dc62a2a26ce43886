// A sweep as plain JSON: the params every run starts from, the parameters to vary and how, and how many runs.

import type { RunParams } from '../spec/types';

/** The tag that marks a sweep's runs (`sweep=<id>`), so the runs table can filter by it. */
export const SWEEP_TAG = 'sweep';

export type SweepMethod = 'grid' | 'random';
export type SweepValue = number | string;

/**
 * One parameter to vary, by its dotted path in the run params (`hyper.learningRate`, `spec.layers.0.units`, the
 * same keys the runs table shows). `values` lists the values (every one in a grid, one picked per run at random);
 * the ranges are for random search only.
 */
export type SweepAxis =
  | { path: string; kind: 'values'; values: SweepValue[] }
  | { path: string; kind: 'uniform'; min: number; max: number }
  | { path: string; kind: 'log-uniform'; min: number; max: number }
  | { path: string; kind: 'integer'; min: number; max: number };

export type SweepAxisKind = SweepAxis['kind'];

export interface SweepSpec {
  base: RunParams;
  method: SweepMethod;
  axes: SweepAxis[];
  /** Random: the number of samples. Grid: a cap the cartesian product may not exceed. */
  maxRuns: number;
  /** Seeds the random samples (not the training, which keeps `hyper.seed`). */
  seed: number;
}

/** A problem located by its path in the sweep JSON ("axes[1].values"); the message names the path too. */
export interface SweepProblem {
  path: string;
  message: string;
}

export const SWEEP_LIMITS = {
  /** A queue longer than this would run for hours on a laptop: split it into several sweeps. */
  maxRuns: { min: 1, max: 100 },
  axes: { min: 1, max: 8 },
  valuesPerAxis: { min: 1, max: 50 },
} as const;
