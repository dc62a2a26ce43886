// Sensible starting points per family: small enough to train in seconds on the samples, large enough to learn them.

import type { EarlyStoppingConfig, Hyperparams, ModelFamily, ModelInput, ModelSpec } from './types';

export const DEFAULT_EARLY_STOPPING: EarlyStoppingConfig = {
  enabled: false,
  monitor: 'val_loss',
  patience: 5,
  minDelta: 0,
  restoreBest: true,
};

export function defaultSpec(family: ModelFamily): ModelSpec {
  switch (family) {
    case 'linear':
      return { family };
    case 'mlp':
      return { family, layers: [{ units: 16, activation: 'relu' }], dropout: 0 };
    case 'cnn':
      return {
        family,
        conv: [
          { filters: 8, kernel: 3, pool: 2, activation: 'relu' },
          { filters: 16, kernel: 3, pool: 2, activation: 'relu' },
        ],
        dense: [{ units: 32, activation: 'relu' }],
        dropout: 0,
      };
  }
}

const TRAINING: Record<ModelFamily, Pick<Hyperparams, 'learningRate' | 'epochs' | 'batchSize'>> = {
  // A linear model has one layer to fit: a larger rate converges in the same number of epochs.
  linear: { learningRate: 0.05, epochs: 40, batchSize: 32 },
  mlp: { learningRate: 0.01, epochs: 40, batchSize: 32 },
  // Convolutions cost far more per row: fewer epochs, a smaller rate for stability.
  cnn: { learningRate: 0.003, epochs: 10, batchSize: 32 },
};

export function defaultHyper(family: ModelFamily): Hyperparams {
  return {
    optimizer: 'adam',
    momentum: 0.9,
    ...TRAINING[family],
    schedule: { kind: 'constant' },
    l2: 0,
    classWeights: 'none',
    earlyStopping: { ...DEFAULT_EARLY_STOPPING },
    seed: 7,
  };
}

/** The family a new run starts with for this input: the CNN for images, the MLP for tables. */
export function defaultFamily(input: ModelInput | null): ModelFamily {
  return input?.kind === 'image' ? 'cnn' : 'mlp';
}

/** Families that can read this input, for the family choice. */
export function familiesFor(input: ModelInput | null): ModelFamily[] {
  if (!input) return ['linear', 'mlp'];
  return input.kind === 'image' ? ['cnn'] : ['linear', 'mlp'];
}
