// Stored runs from before model specs kept flat MLP settings in Run.params. This turns such a record into the
// { spec, hyper } shape, keeping what was trained: the same layers, optimizer and schedule-free learning rate.
// Pure, so the Dexie upgrade (src/platform/db.ts) and the tests run the very same function.

import type { Activation, OptimizerName } from '../../shared/types';
import { DEFAULT_EARLY_STOPPING } from './defaults';
import { isRecord } from './checkers';
import type { ModelSpec, RunParams } from './types';

/** Run.params as Loopbench stored it up to storage schema 3. */
export interface LegacyMlpParams {
  hiddenLayers: number;
  units: number;
  activation: Activation;
  optimizer: OptimizerName;
  learningRate: number;
  epochs: number;
  batchSize: number;
  seed: number;
}

export function isLegacyParams(p: unknown): p is LegacyMlpParams {
  return isRecord(p) && !('spec' in p) && typeof p.hiddenLayers === 'number' && typeof p.units === 'number';
}

export function migrateRunParams(p: LegacyMlpParams): RunParams {
  // The old builder made a plain softmax/linear layer when there were no hidden layers: that is the linear family.
  const spec: ModelSpec =
    p.hiddenLayers > 0
      ? { family: 'mlp', layers: Array.from({ length: p.hiddenLayers }, () => ({ units: p.units, activation: p.activation })), dropout: 0 }
      : { family: 'linear' };
  return {
    spec,
    hyper: {
      optimizer: p.optimizer,
      // The old 'sgd' was plain SGD.
      momentum: 0,
      learningRate: p.learningRate,
      schedule: { kind: 'constant' },
      batchSize: p.batchSize,
      epochs: p.epochs,
      l2: 0,
      classWeights: 'none',
      earlyStopping: { ...DEFAULT_EARLY_STOPPING },
      seed: p.seed,
    },
  };
}

/** A stored run record in the current shape; records already migrated come back unchanged (same object). */
export function migrateRunRecord<T extends { params: unknown }>(run: T): T {
  if (!isLegacyParams(run.params)) return run;
  return { ...run, params: migrateRunParams(run.params) };
}
