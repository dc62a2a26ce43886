// The baseline: the same model trained by an ordinary tfjs `model.fit`, nothing Loopbench-specific in the loop,
// so the bench can tell what Loopbench's own training loop costs on top of tfjs. The model is built by the app's
// builder so both sides train exactly the same layers from the same initial weights; it is a plain tf.Sequential.

import * as tf from '@tensorflow/tfjs';
import { expose } from 'comlink';
// The same registration and the same checked switch as Loopbench's worker, so both sides get identical backends.
import '../../workers/register-backends';
import { useBackend } from '../../workers/backends';
import { buildModel } from '../../workers/models/build';
import type { PlainFitApi, PlainFitRequest, PlainFitResult } from './protocol';

async function fit(request: PlainFitRequest): Promise<PlainFitResult> {
  // useBackend throws unless tf.getBackend() really is the requested backend afterwards.
  await useBackend(request.backend);

  const rows = request.labels.length;
  const { input } = request;
  const shape = input.kind === 'image' ? [input.height, input.width, input.channels] : [input.features];
  const x = tf.tensor(request.features, [rows, ...shape]);
  const y = tf.tidy(() => tf.oneHot(tf.tensor1d(request.labels, 'int32'), request.classCount).toFloat());
  const model = buildModel(request.spec, input, request.classCount, 'classification', request.seed);
  model.compile({ optimizer: tf.train.adam(request.learningRate), loss: 'categoricalCrossentropy' });

  const epochMs: number[] = [];
  let finalLoss = Number.NaN;
  let last = performance.now();
  try {
    await model.fit(x, y, {
      batchSize: request.batchSize,
      epochs: request.epochs,
      shuffle: true,
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
    x.dispose();
    y.dispose();
  }
}

const api: PlainFitApi = { fit };
expose(api);
