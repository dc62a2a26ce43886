// The training loop shared by the trainer worker and the Node tests. Small models are bound by per-step overhead,
// so the data stays on the device for the whole run and values are read back once per epoch, never per batch.

import * as tf from '@tensorflow/tfjs';
import { classWeights } from '../../src/core/train/spec/class-weights';
import { initialEarlyStopping, stepEarlyStopping } from '../../src/core/train/spec/early-stopping';
import { prepareInput, type PreparedInput } from '../../src/core/train/spec/input';
import { parameterCount } from '../../src/core/train/spec/layers';
import { goalFromConfusion, goalFromErrors } from '../../src/core/train/spec/monitor';
import { learningRateAt } from '../../src/core/train/spec/schedule';
import { assertValidHyper } from '../../src/core/train/spec/check-hyper';
import { assertValidSpec } from '../../src/core/train/spec/check-spec';
import { higherIsBetter } from '../../src/core/evaluate/run-report';
import { rowsOf } from '../../src/core/train/preprocess';
import { mulberry32, shuffleInPlace } from '../../src/core/shared/rng';
import type { BackendName, ColumnSchema, GoalMetric, MetricPoint, Preprocessor, Table } from '../../src/core/shared/types';
import { SPLIT_TEST, SPLIT_TRAIN, SPLIT_VALIDATION } from '../../src/core/shared/types';
import type { TensorPack, TrainCheckpoint } from '../../src/core/contracts/model';
import type { TrainEvent, TrainRequest, TrainResult } from '../../src/core/contracts/train';
import type { Failure } from '../../src/core/contracts/outcomes';
import { exportModel } from './models/artifacts';
import { libraryVersions } from './library-versions';
import { BestWeights } from './models/best-weights';
import { EpochBatches } from './models/batches';
import { RunningSums } from './models/running-sums';
import { buildModel } from './models/build';
import { uploadSplit, type Split } from './models/data';
import { evaluateSplit, predictAll } from './models/evaluate';
import { dataLoss, goalInputs, metricOf } from './models/objective';
import { stepContext, trainStep } from './models/train-step';
import { disposeOptimizer, makeOptimizer, optimizerTensors, restoreOptimizer, setLearningRate } from './models/optimizer';
import { packGroups, unpackTensors } from './models/checkpoint';
import { dropoutLayers, seedDropout, unseedDropout } from './models/dropout-seed';
import { PROGRESS_EVERY_MS, ProgressReporter } from './models/progress';

function yieldToEventLoop(): Promise<void> {
  // A macrotask, not a microtask: comlink delivers stop() as a message event, which only runs between macrotasks.
  // A message rather than setTimeout(0), which browsers clamp to 4 ms once timeouts nest, as this loop's do.
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}

/** Sum of squared deviations of the validation targets from their mean, in target units (for R²). */
function totalSquares(pre: Preprocessor, split: Split): number {
  const y = split.targets;
  if (y.length === 0) return 0;
  let mean = 0;
  for (const v of y) mean += v;
  mean /= y.length;
  let sum = 0;
  for (const v of y) sum += (v - mean) ** 2;
  const std = pre.targetStd === 0 || !Number.isFinite(pre.targetStd) ? 1 : pre.targetStd;
  return sum * std * std;
}

/** The goal metric on the validation split from the values goalInputs() put in the epoch summary. */
function goalValue(pre: Preprocessor, goal: GoalMetric, extra: Float32Array, validation: Split, sst: number): number {
  if (pre.task === 'classification') {
    const k = pre.labels.length;
    const confusion = Array.from({ length: k }, (_, a) => Array.from(extra.subarray(a * k, (a + 1) * k)));
    return goalFromConfusion(goal, confusion, pre.labels);
  }
  return goalFromErrors(goal, { n: validation.rows.length, absolute: extra[0], squared: extra[1], total: sst });
}

/** Pause and kill, read between batches (stop is the third argument of trainModel). */
export interface LoopControl {
  paused(): boolean;
  killed(): boolean;
  /** Minimum time between 'progress' events (default PROGRESS_EVERY_MS); 0 sends one after every batch, for tests. */
  progressEveryMs?: number;
}

const NO_CONTROL: LoopControl = { paused: () => false, killed: () => false };
/** How often a long epoch lets control messages in (a per-batch macrotask would slow small models down). */
const YIELD_EVERY_MS = 200;
const PAUSE_POLL_MS = 50;

/** The end-of-epoch checkpoint: weights and optimizer slots read back once, with the loop's own state. */
async function checkpointOf(
  model: tf.LayersModel,
  optimizer: tf.Optimizer,
  best: BestWeights,
  epoch: number,
  earlyStopping: TrainCheckpoint['earlyStopping'],
  history: MetricPoint[],
): Promise<TrainCheckpoint> {
  const slots = await optimizerTensors(optimizer);
  let packs: TensorPack[];
  try {
    packs = await packGroups([
      model.weights.map((w) => ({ name: w.originalName, tensor: w.read() })),
      slots.named,
      ...(best.held ? [best.tensors.map((tensor, i) => ({ name: `best_${i}`, tensor }))] : []),
    ]);
  } finally {
    slots.release();
  }
  const [weights, packedOptimizer, bestPack = null] = packs;
  return { epoch, weights, optimizer: packedOptimizer, earlyStopping: { ...earlyStopping }, best: bestPack, history: history.slice(), createdAt: Date.now() };
}

async function restoreCheckpoint(model: tf.LayersModel, optimizer: tf.Optimizer, best: BestWeights, checkpoint: TrainCheckpoint): Promise<void> {
  const weights = unpackTensors(checkpoint.weights);
  if (weights.length !== model.weights.length) {
    for (const w of weights) w.tensor.dispose();
    throw new Error(`the checkpoint holds ${weights.length} weights, the model ${model.weights.length}`);
  }
  try {
    model.setWeights(weights.map((w) => w.tensor));
  } finally {
    for (const w of weights) w.tensor.dispose();
  }
  await restoreOptimizer(optimizer, checkpoint.optimizer);
  if (checkpoint.best) best.adopt(unpackTensors(checkpoint.best).map((w) => w.tensor));
}

/**
 * A request with its version read: the trainer worker reads the table by id (workers/dataset/), tests hand one in.
 * `prepared`: the input already fitted on this version's training rows (for the Train screen), so it is not fitted twice.
 */
export type LoadedTrainRequest = Omit<TrainRequest, 'dataset'> & {
  schema: ColumnSchema[];
  table: Table;
  assignment: Uint8Array;
  prepared?: PreparedInput;
};

/** Spec and hyperparameters are checked here, once: the page's form only shows problems, the model builder trusts these. */
export async function trainModel(
  request: LoadedTrainRequest,
  onEvent: (e: TrainEvent) => void,
  shouldStop: () => boolean,
  control: LoopControl = NO_CONTROL,
): Promise<TrainResult> {
  const { task } = request;
  const hyper = assertValidHyper(request.params.hyper);
  const goal: GoalMetric = request.goal ?? (task === 'classification' ? 'accuracy' : 'r2');
  const { input, outputs, preprocessor: pre } = request.prepared ?? prepareInput(task, request.schema, request.table, request.assignment);
  const spec = assertValidSpec(request.params.spec, input);
  const backend = tf.getBackend() as BackendName;
  const tensors: tf.Tensor[] = [];
  const model = buildModel(spec, input, outputs, task, hyper.seed);
  const optimizer = makeOptimizer(hyper);
  const best = new BestWeights();
  try {
    const upload = (code: number) => uploadSplit(pre, request.schema, request.table, rowsOf(request.assignment, code), tensors);
    const train = upload(SPLIT_TRAIN);
    const validation = upload(SPLIT_VALIDATION);
    const test = upload(SPLIT_TEST);
    const n = train.rows.length;
    const count = parameterCount(spec, input, outputs, task);
    if (count !== model.countParams()) throw new Error(`the built model has ${model.countParams()} parameters, the spec ${count}`);
    onEvent({ type: 'prepared', trainRows: n, validationRows: validation.rows.length, testRows: test.rows.length, inputSize: pre.inputSize, parameterCount: count });

    const weights =
      task === 'classification' && hyper.classWeights !== 'none'
        ? tf.tensor1d(classWeights(hyper.classWeights, train.targets, outputs))
        : null;
    if (weights) tensors.push(weights);
    const context = stepContext(model, optimizer, pre, weights, hyper.l2);
    const hasValidation = validation.rows.length > 0;
    const stopping = hyper.earlyStopping;
    // Without validation rows early stopping can only watch the training loss.
    const monitorGoal = stopping.enabled && stopping.monitor === 'goal' && hasValidation;
    const goalKey = `val_${goal}`;
    const sst = monitorGoal && task === 'regression' ? totalSquares(pre, validation) : 0;
    const metricKey = task === 'classification' ? 'accuracy' : 'mae';
    const history: MetricPoint[] = [];
    const order = new Int32Array(n);
    const batches = Math.ceil(n / hyper.batchSize);
    const dropouts = dropoutLayers(model);
    const progress = new ProgressReporter(control.progressEveryMs ?? PROGRESS_EVERY_MS, onEvent);
    let epochsCompleted = 0;
    let stoppedEarly = false;
    let state = initialEarlyStopping();
    let earlyStopAt: number | null = null;
    const resume = request.resume;
    if (resume) {
      await restoreCheckpoint(model, optimizer, best, resume);
      history.push(...resume.history);
      epochsCompleted = resume.epoch;
      state = { ...resume.earlyStopping };
      // Checkpointed after the epoch that triggered early stopping: only the evaluation was left.
      if (state.stop) earlyStopAt = resume.epoch;
    }
    let lastYield = performance.now();
    const interrupted = () => shouldStop() || control.killed();

    for (let epoch = epochsCompleted; epoch < hyper.epochs && !state.stop; epoch++) {
      if (interrupted()) {
        stoppedEarly = true;
        break;
      }
      const learningRate = learningRateAt(hyper.schedule, hyper.learningRate, epoch, hyper.epochs);
      setLearningRate(optimizer, learningRate);
      for (let i = 0; i < n; i++) order[i] = i;
      shuffleInPlace(order, mulberry32(hyper.seed + epoch));
      const epochBatches = new EpochBatches(train, order);
      // Running sums over the epoch's batches, kept on the device: loss and the training metric are
      // measured on each batch as it trains (as Keras reports them), so no extra pass over the data.
      const sums = new RunningSums();
      progress.startEpoch();
      try {
        for (let batch = 0, start = 0; start < n; batch++, start += hyper.batchSize) {
          const size = Math.min(hyper.batchSize, n - start);
          // Each step its own mask, derived from the seed and the global step, so replays and resumes repeat it.
          if (dropouts.length > 0) seedDropout(dropouts, hyper.seed, epoch * batches + batch);
          const { cost, metric } = tf.tidy(() => {
            const [xb, yb] = epochBatches.batch(start, size);
            return trainStep(context, xb, yb);
          });
          sums.add(cost, metric, size);
          progress.batchDone(epoch + 1, batch + 1, batches, () => sums.sums(), start + size);
          if (performance.now() - lastYield > YIELD_EVERY_MS || control.paused()) {
            await yieldToEventLoop();
            lastYield = performance.now();
          }
          if (control.paused() && !interrupted()) {
            onEvent({ type: 'paused', paused: true });
            while (control.paused() && !interrupted()) await new Promise((resolve) => setTimeout(resolve, PAUSE_POLL_MS));
            onEvent({ type: 'paused', paused: false });
          }
          if (interrupted()) {
            stoppedEarly = true;
            break;
          }
        }
        if (stoppedEarly) break;

        // Everything this epoch reports, computed on the device and read back in one transfer. The validation loss
        // is the plain data loss (no L2 penalty, no class weights), so runs with different settings compare.
        const [lossSum, metricSum] = sums.sums();
        const summary = tf.tidy(() => {
          const parts: tf.Tensor1D[] = [tf.stack([tf.div(lossSum, Math.max(n, 1)), tf.div(metricSum, Math.max(n, 1))]) as tf.Tensor1D];
          if (hasValidation) {
            const p = predictAll(model, validation.x);
            parts.push(tf.stack([dataLoss(task, p, validation.y), metricOf(pre, p, validation)]) as tf.Tensor1D);
            const extra = monitorGoal ? goalInputs(pre, goal, p, validation) : null;
            if (extra) parts.push(extra);
          }
          return tf.concat(parts);
        });
        const values = await summary.data();
        summary.dispose();
        // The epoch's progress reads were queued before the summary's, so they are done; their events go first.
        await progress.flush();
        const timestamp = Date.now();
        const step = epoch + 1;
        const points: MetricPoint[] = [
          { key: 'loss', value: values[0], step, timestamp },
          { key: metricKey, value: values[1], step, timestamp },
        ];
        if (hasValidation) {
          points.push({ key: 'val_loss', value: values[2], step, timestamp }, { key: `val_${metricKey}`, value: values[3], step, timestamp });
          if (monitorGoal && goal !== metricKey) {
            points.push({ key: goalKey, value: goalValue(pre, goal, values.subarray(4) as Float32Array, validation, sst), step, timestamp });
          }
        }
        history.push(...points);
        epochsCompleted = step;
        onEvent({ type: 'epoch', epoch: step, epochs: hyper.epochs, points, learningRate });

        if (stopping.enabled) {
          const watched = monitorGoal ? goalKey : hasValidation ? 'val_loss' : 'loss';
          const value = points.find((p) => p.key === watched)?.value ?? NaN;
          state = stepEarlyStopping(stopping, state, value, step, monitorGoal ? higherIsBetter(goal) : false);
          if (state.improved && stopping.restoreBest) best.keep(model);
          if (state.stop) earlyStopAt = step;
        }
        const checkpoint = await checkpointOf(model, optimizer, best, step, state, history);
        onEvent({ type: 'checkpoint', checkpoint });
        if (state.stop) break;
      } finally {
        sums.dispose();
        epochBatches.dispose();
        // A stopped or failed epoch may leave progress reads in flight: no tensor may outlive the run.
        await progress.settle();
      }
      await yieldToEventLoop();
      lastYield = performance.now();
    }
    if (control.killed()) throw { kind: 'killed' } satisfies Failure;

    // Restored whenever a better epoch than the last one trained was kept, whether training stopped early or not.
    const restored = stopping.enabled && stopping.restoreBest && best.held && state.bestEpoch !== epochsCompleted;
    if (restored) best.restore(model);
    if (earlyStopAt !== null) onEvent({ type: 'early-stop', epoch: earlyStopAt, bestEpoch: state.bestEpoch, restored });

    onEvent({ type: 'evaluating' });
    const { evaluation, testPredictions } = await evaluateSplit(pre, request.schema, request.table, model, test);
    unseedDropout(dropouts);
    const trained = await exportModel(model);
    return {
      backend,
      history,
      epochsCompleted,
      stoppedEarly,
      earlyStopping: stopping.enabled ? { stoppedAt: earlyStopAt, bestEpoch: state.bestEpoch, restored } : null,
      preprocessor: pre,
      evaluation,
      model: trained,
      testPredictions,
      versions: libraryVersions(backend),
    };
  } finally {
    best.dispose();
    for (const t of tensors) t.dispose();
    // model.dispose() leaves the optimizer's slot variables (e.g. Adam's moments) alive.
    disposeOptimizer(optimizer);
    model.dispose();
  }
}
