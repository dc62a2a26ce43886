// What training minimises and what each epoch reports, as device ops (nothing here reads values back).

import * as tf from '@tensorflow/tfjs';
import type { GoalMetric, Preprocessor, Task } from '../../../src/core/shared/types';
import type { Split } from './data';

/** Targets' std in their own units (1 when degenerate), to report regression errors in those units. */
function targetScale(pre: Preprocessor): number {
  return pre.targetStd === 0 || !Number.isFinite(pre.targetStd) ? 1 : pre.targetStd;
}

/**
 * Cross-entropy on softmax probabilities (classification; the clip keeps log() finite) or mean squared error
 * (regression). With `classWeights`, each row's loss is scaled by its class's weight, as Keras' class_weight.
 */
export function dataLoss(task: Task, predicted: tf.Tensor, actual: tf.Tensor, classWeights: tf.Tensor1D | null = null): tf.Scalar {
  if (task === 'classification') {
    const p = tf.clipByValue(predicted, 1e-7, 1 - 1e-7);
    const perRow = tf.neg(tf.sum(tf.mul(actual, tf.log(p)), 1));
    if (!classWeights) return tf.mean(perRow);
    return tf.mean(tf.mul(perRow, tf.sum(tf.mul(actual, classWeights), 1)));
  }
  return tf.mean(tf.squaredDifference(predicted, actual));
}

/** l2 * sum of squared kernel weights (Keras' l2 regulariser summed over layers). */
export function l2Penalty(kernels: readonly tf.Variable[], l2: number): tf.Scalar | null {
  if (l2 <= 0 || kernels.length === 0) return null;
  return tf.mul(tf.addN(kernels.map((k) => tf.sum(tf.square(k)))), l2) as tf.Scalar;
}

/** Accuracy (classification) or mean absolute error in the target's own units (regression). */
export function metricOf(pre: Preprocessor, predicted: tf.Tensor, split: Split): tf.Scalar {
  if (split.classes) return tf.mean(tf.cast(tf.equal(tf.argMax(predicted, 1), split.classes), 'float32'));
  return tf.mul(tf.mean(tf.abs(tf.sub(predicted, split.y))), targetScale(pre));
}

/** The batch's number of correct answers (classification) or sum of absolute errors in target units (regression). */
export function batchMetricSum(pre: Preprocessor, predicted: tf.Tensor, actual: tf.Tensor): tf.Scalar {
  if (pre.task === 'classification') return tf.sum(tf.cast(tf.equal(tf.argMax(predicted, 1), tf.argMax(actual, 1)), 'float32'));
  return tf.mul(tf.sum(tf.abs(tf.sub(predicted, actual))), targetScale(pre));
}

/**
 * What the goal metric needs from the validation predictions, flattened: the confusion matrix [actual][predicted]
 * (classification) or [sum |error|, sum error²] in target units (regression). Null when the per-epoch metric already
 * is the goal (accuracy, MAE), so nothing extra is computed.
 */
export function goalInputs(pre: Preprocessor, goal: GoalMetric, predicted: tf.Tensor, split: Split): tf.Tensor1D | null {
  if (goal === 'accuracy' || goal === 'mae') return null;
  if (pre.task === 'classification') {
    const k = pre.labels.length;
    const guessed = tf.oneHot(tf.argMax(predicted, 1), k).toFloat();
    return tf.reshape(tf.matMul(split.y, guessed, true, false), [k * k]) as tf.Tensor1D;
  }
  const error = tf.mul(tf.sub(predicted, split.y), targetScale(pre));
  return tf.stack([tf.sum(tf.abs(error)), tf.sum(tf.square(error))]) as tf.Tensor1D;
}
