// The training stage's smoke test: the run's model, built and fed as training builds and feeds it, fitted on one
// small batch of training rows. A model that cannot overfit a handful of rows will not learn from thousands (a wrong
// target, a dead learning rate, a broken preprocessor), and this finds out in seconds instead of after a run. Nothing
// is stored: the model lives only for the call.

import * as tf from '@tensorflow/tfjs';
import { classWeights } from '../../src/core/train/spec/class-weights';
import { prepareInput, type PreparedInput } from '../../src/core/train/spec/input';
import { validateHyper } from '../../src/core/train/spec/check-hyper';
import { assertValidSpec } from '../../src/core/train/spec/check-spec';
import type { Hyperparams } from '../../src/core/train/spec/types';
import { rowsOf } from '../../src/core/train/preprocess';
import { SMOKE_DEFAULTS } from '../../src/core/deliver/gates/pipeline-checks';
import { fmt } from '../../src/core/deliver/gates/compare';
import { SPLIT_TRAIN, type ColumnSchema, type Table } from '../../src/core/shared/types';
import type { SmokeRequest, SmokeResult } from '../../src/core/contracts/train';
import { buildModel } from './models/build';
import { uploadSplit } from './models/data';
import { dataLoss } from './models/objective';
import { stepContext, trainStep } from './models/train-step';
import { disposeOptimizer, makeOptimizer } from './models/optimizer';
import { dropoutLayers, seedDropout } from './models/dropout-seed';

/** A smoke request with its version read (the trainer worker reads it by id; tests may hand one in). */
export type LoadedSmokeRequest = Omit<SmokeRequest, 'dataset' | 'jobId' | 'backend'> & {
  schema: ColumnSchema[];
  table: Table;
  assignment: Uint8Array;
  /** The input already fitted on this version's training rows, shared with training so the batch is encoded alike. */
  prepared?: PreparedInput;
};

/**
 * The hyperparameters as training checks them, except that a learning rate of 0 is let through: training refuses
 * it, but a dead learning rate is what this test exists to report, as a failed test with its numbers.
 */
function smokeHyper(hyper: Hyperparams): Hyperparams {
  const problems = validateHyper(hyper).filter((p) => !(p.path === 'learningRate' && hyper.learningRate === 0));
  if (problems.length > 0) throw new Error(`The hyperparameters are not valid: ${problems.map((p) => p.message).join('; ')}`);
  return hyper;
}

function wholeNumber(name: string, v: number, min: number): number {
  if (!Number.isInteger(v) || v < min) throw new Error(`the smoke test's ${name} must be a whole number of at least ${min}, not ${v}`);
  return v;
}

/** Passes when both losses are finite and after ≤ ratio × before; the reason carries both numbers. */
function verdict(before: number, after: number, ratio: number, steps: number, rows: number): { passed: boolean; reason: string } {
  const where = `in ${steps} step${steps === 1 ? '' : 's'} on ${rows} training row${rows === 1 ? '' : 's'}`;
  const span = `from ${fmt(before)} to ${fmt(after)}`;
  if (!Number.isFinite(before) || !Number.isFinite(after)) return { passed: false, reason: `the loss was not finite (${span}) ${where}` };
  const passed = after <= ratio * before;
  if (after < before) {
    return passed
      ? { passed, reason: `loss fell ${span} ${where}` }
      : { passed, reason: `the loss fell only ${span} ${where}, not to ${fmt(ratio * 100)}% of where it started` };
  }
  // Only a ratio of 1 lets a loss that did not fall pass.
  return { passed, reason: `the loss did not fall (${span}) ${where}` };
}

/**
 * Builds the model of `request.params` (seeded by hyper.seed), measures the data loss on the first `rows` training
 * rows, trains `steps` steps on exactly that batch with the run's optimiser, learning rate, L2 and class weights,
 * and measures the loss again. The losses are the plain data loss (no L2, no class weights, no dropout), as the
 * validation loss of a run is, so the two numbers compare whatever the settings.
 */
export async function smokeTest(request: LoadedSmokeRequest): Promise<SmokeResult> {
  const started = performance.now();
  const { task } = request;
  const hyper = smokeHyper(request.params.hyper);
  const wanted = wholeNumber('rows', request.rows ?? SMOKE_DEFAULTS.rows, 1);
  const steps = wholeNumber('steps', request.steps ?? SMOKE_DEFAULTS.steps, 1);
  const ratio = request.ratio ?? SMOKE_DEFAULTS.ratio;
  if (!(ratio >= 0 && ratio <= 1)) throw new Error(`the smoke test's ratio must be a share from 0 to 1, not ${ratio}`);
  const { input, outputs, preprocessor: pre } = request.prepared ?? prepareInput(task, request.schema, request.table, request.assignment);
  const spec = assertValidSpec(request.params.spec, input);
  const rows = rowsOf(request.assignment, SPLIT_TRAIN).slice(0, wanted);
  if (rows.length === 0) throw new Error('the version has no training rows to run the smoke test on');

  const tensors: tf.Tensor[] = [];
  const model = buildModel(spec, input, outputs, task, hyper.seed);
  const optimizer = makeOptimizer(hyper);
  try {
    const batch = uploadSplit(pre, request.schema, request.table, rows, tensors);
    const weights =
      task === 'classification' && hyper.classWeights !== 'none' ? tf.tensor1d(classWeights(hyper.classWeights, batch.targets, outputs)) : null;
    if (weights) tensors.push(weights);
    const context = stepContext(model, optimizer, pre, weights, hyper.l2);
    const dropouts = dropoutLayers(model);
    const loss = () => tf.tidy(() => dataLoss(task, model.apply(batch.x, { training: false }) as tf.Tensor, batch.y));
    const before = loss();
    tensors.push(before);
    for (let step = 0; step < steps; step++) {
      // Each step its own dropout mask from the seed, as in training, so the same request gives the same numbers.
      if (dropouts.length > 0) seedDropout(dropouts, hyper.seed, step);
      const { cost, metric } = trainStep(context, batch.x, batch.y);
      cost.dispose();
      metric.dispose();
    }
    const after = loss();
    tensors.push(after);
    // One readback for both numbers, after the last step.
    const both = tf.stack([before, after]);
    tensors.push(both);
    const [lossBefore, lossAfter] = await both.data();
    return { rows: rows.length, steps, lossBefore, lossAfter, ...verdict(lossBefore, lossAfter, ratio, steps, rows.length), durationMs: performance.now() - started };
  } finally {
    for (const t of tensors) t.dispose();
    // model.dispose() leaves the optimizer's slot variables (e.g. Adam's moments) alive.
    disposeOptimizer(optimizer);
    model.dispose();
  }
}
