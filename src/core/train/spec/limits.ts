// The bounds every spec and hyperparameter is checked against, in one place so the form and the messages agree.

import type { Activation, OptimizerName } from '../../shared/types';
import type { ModelFamily, ScheduleKind } from './types';

export const FAMILIES: readonly ModelFamily[] = ['linear', 'mlp', 'cnn'];
export const ACTIVATIONS: readonly Activation[] = ['relu', 'tanh', 'sigmoid', 'elu'];
export const OPTIMIZERS: readonly OptimizerName[] = ['adam', 'sgd', 'rmsprop'];
export const SCHEDULES: readonly ScheduleKind[] = ['constant', 'step', 'exponential', 'cosine'];

export const LIMITS = {
  hiddenLayers: { min: 1, max: 8 },
  units: { min: 1, max: 4096 },
  convBlocks: { min: 1, max: 4 },
  denseLayers: { min: 0, max: 4 },
  filters: { min: 1, max: 256 },
  kernel: { min: 1, max: 7 },
  pool: { min: 1, max: 4 },
  /** Dropout below 1: a rate of 1 would drop every unit. */
  dropout: { min: 0, max: 0.9 },
  learningRate: { min: 0, max: 10 },
  momentum: { min: 0, max: 0.999 },
  batchSize: { min: 1, max: 65536 },
  epochs: { min: 1, max: 10000 },
  l2: { min: 0, max: 1 },
  patience: { min: 1, max: 1000 },
  minDelta: { min: 0, max: 1e6 },
  scheduleEvery: { min: 1, max: 10000 },
  seed: { min: 0, max: 2 ** 31 - 1 },
} as const;

export const FAMILY_NAMES: Record<ModelFamily, string> = {
  linear: 'Linear / logistic',
  mlp: 'MLP',
  cnn: 'CNN',
};
