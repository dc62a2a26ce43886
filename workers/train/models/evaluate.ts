// The test-split report and per-row predictions of a trained model.

import * as tf from '@tensorflow/tfjs';
import { classificationReport, regressionReport } from '../../../src/core/evaluate/run-report';
import { targetValues } from '../../../src/core/train/preprocess';
import { decodeOutput } from '../../../src/core/serving/transform.js';
import type { ColumnSchema, EvaluationReport, Preprocessor, Table } from '../../../src/core/shared/types';
import type { TestPrediction } from '../../../src/core/contracts/train';
import type { Split } from './data';

/** Rows per forward pass when predicting a whole split: big enough to amortise overhead, small enough for memory. */
export const PREDICT_BATCH = 4096;

export function predictAll(model: tf.LayersModel, x: tf.Tensor): tf.Tensor {
  return model.predict(x, { batchSize: PREDICT_BATCH }) as tf.Tensor;
}

export async function evaluateSplit(
  pre: Preprocessor,
  schema: ColumnSchema[],
  table: Table,
  model: tf.LayersModel,
  test: Split,
): Promise<{ evaluation: EvaluationReport; testPredictions: TestPrediction[] }> {
  const n = test.rows.length;
  const width = pre.task === 'classification' ? pre.labels.length : 1;
  let values: Float32Array = new Float32Array(0);
  if (n > 0) {
    const out = tf.tidy(() => predictAll(model, test.x));
    values = Float32Array.from(await out.data());
    out.dispose();
  }
  const testPredictions: TestPrediction[] = [];
  const predicted = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const decoded = decodeOutput(pre, values.subarray(i * width, (i + 1) * width));
    testPredictions.push({ row: test.rows[i], output: decoded.output, probabilities: decoded.probabilities });
    predicted[i] = pre.task === 'classification' ? pre.labels.indexOf(String(decoded.output)) : Number(decoded.output);
  }
  const actual = targetValues(pre, schema, table, test.rows);
  const evaluation =
    pre.task === 'classification' ? classificationReport(actual, predicted, pre.labels) : regressionReport(actual, predicted);
  return { evaluation, testPredictions };
}
