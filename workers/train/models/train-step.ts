// One optimisation step on one batch: the work every batch of a run repeats, so its kernel count is the loop's
// per-step cost (test/integration/train-step-kernels.test.ts holds it below model.fit's). Nothing here reads back.

import * as tf from '@tensorflow/tfjs';
import type { Preprocessor } from '../../../src/core/shared/types';
import { kernelsOf } from './build';
import { batchMetricSum, dataLoss, l2Penalty } from './objective';

/** What every step of a run shares. */
export interface StepContext {
  model: tf.LayersModel;
  optimizer: tf.Optimizer;
  /**
   * The variables to train. Passing them explicitly matters: by default minimize() trains every trainable variable
   * in the engine, including those of any other model alive in this thread.
   */
  variables: tf.Variable[];
  /** The kernels the L2 penalty covers. */
  kernels: tf.Variable[];
  pre: Preprocessor;
  /** Per-class loss weights (classification), or null. */
  classWeights: tf.Tensor1D | null;
  l2: number;
}

export function stepContext(
  model: tf.LayersModel,
  optimizer: tf.Optimizer,
  pre: Preprocessor,
  classWeights: tf.Tensor1D | null,
  l2: number,
): StepContext {
  return { model, optimizer, variables: model.trainableWeights.map((w) => w.read() as tf.Variable), kernels: kernelsOf(model), pre, classWeights, l2 };
}

/**
 * Trains `x`/`y` one step. Returns the batch's mean loss (with the L2 penalty) and its metric summed over the rows,
 * measured on the predictions the step trained on (as Keras reports them): both the caller's to dispose.
 */
export function trainStep(step: StepContext, x: tf.Tensor, y: tf.Tensor): { cost: tf.Scalar; metric: tf.Scalar } {
  const held: { metric: tf.Scalar | null } = { metric: null };
  const cost = tf.tidy(() => {
    const value = step.optimizer.minimize(
      () => {
        const predicted = step.model.apply(x, { training: true }) as tf.Tensor;
        held.metric = tf.keep(batchMetricSum(step.pre, predicted, y));
        const loss = dataLoss(step.pre.task, predicted, y, step.classWeights);
        const penalty = l2Penalty(step.kernels, step.l2);
        return penalty ? tf.add(loss, penalty) : loss;
      },
      true,
      step.variables,
    );
    if (!value) throw new Error('the optimizer returned no loss');
    return value;
  });
  if (!held.metric) throw new Error('the training step measured no metric');
  return { cost, metric: held.metric };
}
