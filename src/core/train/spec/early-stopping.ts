// Early stopping as a pure state machine (Keras' EarlyStopping semantics): one step per epoch with the monitored value.

import type { EarlyStoppingConfig } from './types';

export interface EarlyStoppingState {
  /** Best monitored value so far (null before the first epoch). */
  best: number | null;
  /** 1-based epoch of the best value; 0 before the first epoch. */
  bestEpoch: number;
  /** Epochs since the last improvement. */
  wait: number;
  /** This epoch improved on the best: the trainer keeps a copy of its weights. */
  improved: boolean;
  /** Training should end after this epoch. */
  stop: boolean;
}

export function initialEarlyStopping(): EarlyStoppingState {
  return { best: null, bestEpoch: 0, wait: 0, improved: false, stop: false };
}

/**
 * Feeds one epoch's monitored value. An improvement is a change of more than `minDelta` in the better direction;
 * `patience` epochs without one stop training. A NaN value never improves (a diverged run stops after `patience`).
 */
export function stepEarlyStopping(
  config: Pick<EarlyStoppingConfig, 'patience' | 'minDelta'>,
  state: EarlyStoppingState,
  value: number,
  epoch: number,
  higherIsBetter: boolean,
): EarlyStoppingState {
  const sign = higherIsBetter ? 1 : -1;
  const improved =
    Number.isFinite(value) && (state.best === null || sign * (value - state.best) > config.minDelta);
  if (improved) return { best: value, bestEpoch: epoch, wait: 0, improved: true, stop: false };
  const wait = state.wait + 1;
  return { ...state, wait, improved: false, stop: wait >= config.patience };
}
