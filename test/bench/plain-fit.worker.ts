// The baseline: the same model trained by an ordinary tfjs `model.fit`, nothing Loopbench-specific in the loop,
// so the bench can tell what Loopbench's own training loop costs on top of tfjs. The model is built by the app's
// builder so both sides train exactly the same layers from the same initial weights; it is a plain tf.Sequential.

import * as tf from '@tensorflow/tfjs';
import { expose } from 'comlink';
// The same registration and the same checked switch as Loopbench's worker, so both sides get identical backends.
import '../../workers/backend/register-backends';
import { useBackend } from '../../workers/backend/backends';
import { buildModel } from '../../workers/train/models/build';
import type { PlainFitApi, PlainFitRequest, PlainFitResult } from './protocol';

async function fit(request: PlainFitRequest): Promise<PlainFitResult> {
  // useBackend throws unless tf.getBackend() really is the requested backend afterwards.
  await useBackend(request.backend);

  const rows = request.labels.length;
  const trainRows = rows - request.validationRows;
  const { input } = request;
  const shape = input.kind === 'image' ? [input.height, input.width, input.channels] : [input.features];
  const width = shape.reduce((a, b) => a * b, 1);
  const tensors = (from: number, to: number): [tf.Tensor, tf.Tensor] => [
    tf.tensor(request.features.subarray(from * width, to * width), [to - from, ...shape]),
    tf.tidy(() => tf.oneHot(tf.tensor1d(request.labels.subarray(from, to), 'int32'), request.classCount).toFloat()),
  ];
  const [x, y] = tensors(0, trainRows);
  const [xValidation, yValidation] = tensors(trainRows, rows);
  const model = buildModel(request.spec, input, request.classCount, 'classification', request.seed);
  // The same work per epoch as Loopbench: training accuracy per batch, loss and accuracy on the validation rows.
  model.compile({ optimizer: tf.train.adam(request.learningRate), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });

  const epochMs: number[] = [];
  let finalLoss = Number.NaN;
  let last = performance.now();
  try {
    await model.fit(x, y, {
      batchSize: request.batchSize,
      epochs: request.epochs,
      shuffle: true,
      validationData: request.validationRows > 0 ? [xValidation, yValidation] : undefined,
      verbose: 0,
      callbacks: {
        onEpochEnd: (_epoch, logs) => {
          const now = performance.now();
          epochMs.push(now - last);
          last = now;
          finalLoss = logs?.loss ?? Number.NaN;
        },
      },
    });
    return { backend: tf.getBackend(), epochMs, finalLoss };
  } finally {
    model.optimizer.dispose();
    model.dispose();
    for (const t of [x, y, xValidation, yValidation]) t.dispose();
  }
}

const api: PlainFitApi = { fit };
expose(api);
