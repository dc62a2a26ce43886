// The training loop shared by the trainer worker and the Node tests. Small models are bound by per-step overhead,
// so the data stays on the device for the whole run and values are read back once per epoch, never per batch.

import * as tf from '@tensorflow/tfjs';
import { classificationReport, regressionReport } from '../src/core/metrics';
import { encodeRows, fitPreprocessor, rowsOf, targetValues } from '../src/core/preprocess';
import { mulberry32, shuffleInPlace } from '../src/core/rng';
import { decodeOutput } from '../src/core/serving/transform.js';
import type { BackendName, EvaluationReport, MetricPoint, Preprocessor } from '../src/core/types';
import { SPLIT_TEST, SPLIT_TRAIN, SPLIT_VALIDATION } from '../src/core/types';
import type { TestPrediction, TrainedModel, TrainEvent, TrainRequest, TrainResult } from '../src/core/worker-api';
import { buildMlp, makeOptimizer, parameterCount } from './mlp';

/** Rows per forward pass when predicting a whole split: big enough to amortise overhead, small enough for memory. */
const PREDICT_BATCH = 4096;

interface Split {
  rows: Int32Array;
  x: tf.Tensor2D;
  /** One-hot float targets (classification) or standardised targets [n, 1] (regression). */
  y: tf.Tensor2D;
  /** Class indices, for accuracy (classification only). */
  classes: tf.Tensor1D | null;
}

function uploadSplit(pre: Preprocessor, request: TrainRequest, rows: Int32Array, keep: tf.Tensor[]): Split {
  const { x, y } = encodeRows(pre, request.schema, request.table, rows);
  const n = rows.length;
  const xt = tf.tensor2d(x, [n, pre.inputSize]);
  keep.push(xt);
  if (pre.task === 'classification') {
    const k = pre.labels.length;
    const oneHot = new Float32Array(n * k);
    for (let i = 0; i < n; i++) oneHot[i * k + y[i]] = 1;
    const yt = tf.tensor2d(oneHot, [n, k]);
    const classes = tf.tensor1d(y as Int32Array, 'int32');
    keep.push(yt, classes);
    return { rows, x: xt, y: yt, classes };
  }
  const yt = tf.tensor2d(y as Float32Array, [n, 1]);
  keep.push(yt);
  return { rows, x: xt, y: yt, classes: null };
}

function lossOf(task: TrainRequest['task'], predicted: tf.Tensor, actual: tf.Tensor): tf.Scalar {
  if (task === 'classification') {
    // The model ends in softmax, so this is cross-entropy on probabilities; the clip keeps log() finite.
    const p = tf.clipByValue(predicted, 1e-7, 1 - 1e-7);
    return tf.neg(tf.mean(tf.sum(tf.mul(actual, tf.log(p)), 1)));
  }
  return tf.mean(tf.squaredDifference(predicted, actual));
}

/** Accuracy (classification) or mean absolute error in the target's own units (regression). */
function metricOf(pre: Preprocessor, predicted: tf.Tensor, split: Split): tf.Scalar {
  if (split.classes) return tf.mean(tf.cast(tf.equal(tf.argMax(predicted, 1), split.classes), 'float32'));
  const std = pre.targetStd === 0 || !Number.isFinite(pre.targetStd) ? 1 : pre.targetStd;
  return tf.mul(tf.mean(tf.abs(tf.sub(predicted, split.y))), std);
}

/** The batch's number of correct answers (classification) or sum of absolute errors in target units (regression). */
function batchMetricSum(pre: Preprocessor, predicted: tf.Tensor, actual: tf.Tensor): tf.Scalar {
  if (pre.task === 'classification') return tf.sum(tf.cast(tf.equal(tf.argMax(predicted, 1), tf.argMax(actual, 1)), 'float32'));
  const std = pre.targetStd === 0 || !Number.isFinite(pre.targetStd) ? 1 : pre.targetStd;
  return tf.mul(tf.sum(tf.abs(tf.sub(predicted, actual))), std);
}

function predictAll(model: tf.LayersModel, x: tf.Tensor): tf.Tensor {
  return model.predict(x, { batchSize: PREDICT_BATCH }) as tf.Tensor;
}

function yieldToEventLoop(): Promise<void> {
  // A macrotask, not a microtask: comlink delivers stop() as a message event, which only runs between macrotasks.
  return new Promise((resolve) => setTimeout(resolve, 0));
}

async function exportModel(model: tf.LayersModel): Promise<TrainedModel> {
  let saved: tf.io.ModelArtifacts | null = null;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      saved = artifacts;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  const artifacts = saved as tf.io.ModelArtifacts | null;
  if (!artifacts?.modelTopology || !artifacts.weightSpecs || !artifacts.weightData) {
    throw new Error('tfjs did not hand over the model topology and weights');
  }
  const weightSpecs = artifacts.weightSpecs.map((s) => {
    if (s.dtype !== 'float32' && s.dtype !== 'int32' && s.dtype !== 'bool') {
      throw new Error(`weight ${s.name} has unsupported dtype ${s.dtype}`);
    }
    return { name: s.name, shape: s.shape.slice(), dtype: s.dtype };
  });
  return {
    topology: artifacts.modelTopology,
    weightSpecs,
    weights: tf.io.CompositeArrayBuffer.join(artifacts.weightData),
  };
}

async function evaluate(
  pre: Preprocessor,
  request: TrainRequest,
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
  const actual = targetValues(pre, request.schema, request.table, test.rows);
  const evaluation =
    pre.task === 'classification' ? classificationReport(actual, predicted, pre.labels) : regressionReport(actual, predicted);
  return { evaluation, testPredictions };
}

export async function trainMlp(
  request: TrainRequest,
  onEvent: (e: TrainEvent) => void,
  shouldStop: () => boolean,
): Promise<TrainResult> {
  const { task, params } = request;
  const pre = fitPreprocessor(task, request.schema, request.table, request.assignment);
  const backend = tf.getBackend() as BackendName;
  const tensors: tf.Tensor[] = [];
  const model = buildMlp(pre.inputSize, task === 'classification' ? pre.labels.length : 1, task, params);
  const optimizer = makeOptimizer(params);
  try {
    const train = uploadSplit(pre, request, rowsOf(request.assignment, SPLIT_TRAIN), tensors);
    const validation = uploadSplit(pre, request, rowsOf(request.assignment, SPLIT_VALIDATION), tensors);
    const test = uploadSplit(pre, request, rowsOf(request.assignment, SPLIT_TEST), tensors);
    const n = train.rows.length;
    onEvent({
      type: 'prepared',
      trainRows: n,
      validationRows: validation.rows.length,
      testRows: test.rows.length,
      inputSize: pre.inputSize,
      parameterCount: parameterCount(model),
    });

    // Passing the variables explicitly matters: by default minimize() trains every trainable variable in the engine,
    // including those of any other model alive in this thread.
    const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
    const metricKey = task === 'classification' ? 'accuracy' : 'mae';
    const batchSize = Math.max(1, Math.floor(params.batchSize));
    const history: MetricPoint[] = [];
    const order = new Int32Array(n);
    let epochsCompleted = 0;
    let stoppedEarly = false;

    for (let epoch = 0; epoch < params.epochs; epoch++) {
      if (shouldStop()) {
        stoppedEarly = true;
        break;
      }
      for (let i = 0; i < n; i++) order[i] = i;
      shuffleInPlace(order, mulberry32(params.seed + epoch));
      const permutation = tf.tensor1d(order, 'int32');
      // Running sums over the epoch's batches, kept on the device: loss and the training metric are
      // measured on each batch as it trains (as Keras reports them), so no extra pass over the data.
      let lossSum: tf.Scalar = tf.scalar(0);
      let metricSum: tf.Scalar = tf.scalar(0);
      try {
        for (let start = 0; start < n; start += batchSize) {
          const size = Math.min(batchSize, n - start);
          const [previousLoss, previousMetric] = [lossSum, metricSum];
          let batchMetric: tf.Scalar | null = null;
          [lossSum, metricSum] = tf.tidy(() => {
            const index = tf.slice(permutation, start, size);
            const xb = tf.gather(train.x, index);
            const yb = tf.gather(train.y, index);
            const cost = optimizer.minimize(
              () => {
                const predicted = model.apply(xb, { training: true }) as tf.Tensor;
                batchMetric = tf.keep(batchMetricSum(pre, predicted, yb));
                return lossOf(task, predicted, yb);
              },
              true,
              variables,
            );
            if (!cost || !batchMetric) throw new Error('the optimizer returned no loss');
            return [tf.add(previousLoss, tf.mul(cost, size)), tf.add(previousMetric, batchMetric)] as [tf.Scalar, tf.Scalar];
          });
          (batchMetric as tf.Scalar | null)?.dispose();
          previousLoss.dispose();
          previousMetric.dispose();
          if (shouldStop()) {
            stoppedEarly = true;
            break;
          }
        }
        if (stoppedEarly) break;

        // Everything this epoch reports, computed on the device and read back in one transfer.
        const summary = tf.tidy(() => {
          const parts: tf.Scalar[] = [tf.div(lossSum, Math.max(n, 1)), tf.div(metricSum, Math.max(n, 1))];
          if (validation.rows.length > 0) {
            const p = predictAll(model, validation.x);
            parts.push(lossOf(task, p, validation.y), metricOf(pre, p, validation));
          }
          return tf.stack(parts);
        });
        const values = await summary.data();
        summary.dispose();
        const timestamp = Date.now();
        const step = epoch + 1;
        const points: MetricPoint[] = [
          { key: 'loss', value: values[0], step, timestamp },
          { key: metricKey, value: values[1], step, timestamp },
        ];
        if (validation.rows.length > 0) {
          points.push({ key: 'val_loss', value: values[2], step, timestamp }, { key: `val_${metricKey}`, value: values[3], step, timestamp });
        }
        history.push(...points);
        epochsCompleted = step;
        onEvent({ type: 'epoch', epoch: step, epochs: params.epochs, points });
      } finally {
        lossSum.dispose();
        metricSum.dispose();
        permutation.dispose();
      }
      await yieldToEventLoop();
    }

    onEvent({ type: 'evaluating' });
    const { evaluation, testPredictions } = await evaluate(pre, request, model, test);
    const trained = await exportModel(model);
    return {
      backend,
      history,
      epochsCompleted,
      stoppedEarly,
      preprocessor: pre,
      evaluation,
      model: trained,
      testPredictions,
      versions: { tfjs: tf.version.tfjs, backend },
    };
  } finally {
    for (const t of tensors) t.dispose();
    // model.dispose() leaves the optimizer's slot variables (e.g. Adam's moments) alive.
    optimizer.dispose();
    model.dispose();
  }
}
