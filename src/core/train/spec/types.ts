// Model families as declarative specs (plain JSON: stored with every run, validated before anything is built) and
// the hyperparameters that train them. The workers build tfjs models from these; core counts their parameters.

import type { Activation, GoalMetric, OptimizerName } from '../../shared/types';

export type ModelFamily = 'linear' | 'mlp' | 'cnn';

export interface DenseLayerSpec {
  units: number;
  activation: Activation;
}

export interface ConvBlockSpec {
  filters: number;
  /** Square kernel side; 'same' padding, so only pooling shrinks the feature map. */
  kernel: number;
  /** Max-pool window and stride after the convolution; 1 means no pooling. */
  pool: number;
  activation: Activation;
}

/** Linear regression (regression) or softmax regression over the classes (classification; logistic for two). */
export interface LinearSpec {
  family: 'linear';
}

export interface MlpSpec {
  family: 'mlp';
  layers: DenseLayerSpec[];
  /** Dropout rate after every hidden layer while training; 0 leaves dropout out. */
  dropout: number;
}

export interface CnnSpec {
  family: 'cnn';
  conv: ConvBlockSpec[];
  /** Dense layers between the flattened feature maps and the output. */
  dense: DenseLayerSpec[];
  /** Dropout rate before every dense layer (after the flatten) while training; 0 leaves dropout out. */
  dropout: number;
}

export type ModelSpec = LinearSpec | MlpSpec | CnnSpec;

/** What the model reads: encoded tabular inputs, or images (height x width x channels, scaled to 0-1). */
export type ModelInput =
  | { kind: 'tabular'; features: number }
  | { kind: 'image'; width: number; height: number; channels: 1 | 3 };

export type Schedule =
  | { kind: 'constant' }
  /** lr * factor^floor(epoch / every) */
  | { kind: 'step'; every: number; factor: number }
  /** lr * rate^epoch */
  | { kind: 'exponential'; rate: number }
  /** From lr down to minLearningRate over the planned epochs, half a cosine wave. */
  | { kind: 'cosine'; minLearningRate: number };

export type ScheduleKind = Schedule['kind'];

export type ClassWeightMode = 'none' | 'balanced';

export interface EarlyStoppingConfig {
  enabled: boolean;
  /** The validation loss, or the project's goal metric measured on the validation split. */
  monitor: 'val_loss' | 'goal';
  /** Epochs without an improvement of more than minDelta before training stops. */
  patience: number;
  minDelta: number;
  /** At the end, put back the weights of the best epoch. */
  restoreBest: boolean;
}

export interface Hyperparams {
  optimizer: OptimizerName;
  /** SGD only: 0 is plain SGD. */
  momentum: number;
  learningRate: number;
  schedule: Schedule;
  batchSize: number;
  epochs: number;
  /** L2 penalty on every kernel (not biases): loss + l2 * sum(w^2), as Keras' l2 regulariser. */
  l2: number;
  classWeights: ClassWeightMode;
  earlyStopping: EarlyStoppingConfig;
  seed: number;
}

/** What a run records about its model: the spec and the hyperparameters (Run.params). */
export interface RunParams {
  spec: ModelSpec;
  hyper: Hyperparams;
}

/** A validation problem, located by its path in the JSON ("layers[1].units"); the message names the path too. */
export interface SpecProblem {
  path: string;
  message: string;
}

export type { GoalMetric };
