// The trained model as plain data, shared by the trainer (which makes it), the predictor (which loads it) and storage
// (checkpoints and run artifacts). Types only.

import type { MetricPoint, WeightManifest } from '../shared/types';
import type { EarlyStoppingState } from '../train/spec/early-stopping';

/** Named tensors as plain data: shapes and dtypes, and all their values in one buffer, in order. */
export interface TensorPack {
  specs: { name: string; shape: number[]; dtype: 'float32' | 'int32' }[];
  data: ArrayBuffer;
}

/**
 * Everything needed to continue a run after `epoch` epochs as if it had never stopped. The shuffle order of epoch e is
 * drawn from mulberry32(seed + e), so the epoch is the whole RNG state.
 */
export interface TrainCheckpoint {
  epoch: number;
  /** Every model weight (trainable or not), in model.getWeights() order. */
  weights: TensorPack;
  /** optimizer.getWeights(): its iteration count, then its slots (moments, accumulators), in order. */
  optimizer: TensorPack;
  earlyStopping: EarlyStoppingState;
  /** The weights of the best epoch so far, when early stopping keeps them. */
  best: TensorPack | null;
  history: MetricPoint[];
  createdAt: number;
}

export interface TrainedModel {
  topology: unknown;
  weightSpecs: WeightManifest['weightSpecs'];
  weights: ArrayBuffer;
}
