// Measures which backend trains a small model of the requested family fastest on this device. Measured, not assumed:
// a software WebGPU adapter is listed as WebGPU and trains many times slower than wasm, and a backend that wins on
// dense layers can lose on convolutions, so each family gets its own probe.

import * as tf from '@tensorflow/tfjs';
import type { BackendName } from '../../src/core/shared/types';
import type { Hyperparams, ModelFamily, ModelInput, ModelSpec } from '../../src/core/train/spec/types';
import { defaultHyper, defaultSpec } from '../../src/core/train/spec/defaults';
import { backendProblem } from '../../src/core/train/spec/backend';
import { chooseBackend } from '../../src/core/train/spec/probe-choice';
import type { ProbeEvent, ProbeMeasurement, ProbeResult } from '../../src/core/contracts/train';
import { useTunedBackend } from './kernels/tuned-backend';
import { buildModel } from './models/build';
import { makeOptimizer } from './models/optimizer';

const CLASSES = 3;
/** CPU-side backends first: an abandoned GPU warm-up may keep a software adapter busy for seconds afterwards. */
const MEASURE_ORDER: readonly BackendName[] = ['wasm', 'cpu', 'webgl', 'webgpu'];

/** A small model of the family on synthetic data shaped like a typical project's: a table or small images. */
interface ProbeSetup {
  spec: ModelSpec;
  input: ModelInput;
  rows: number;
  batch: number;
  warmupSteps: number;
  timedSteps: number;
  /** A backend this slow to warm up would lose anyway; skipping it keeps the probe short. */
  warmupBudgetMs: number;
}

const TABLE_STEPS = { rows: 2048, batch: 256, warmupSteps: 2, timedSteps: 8, warmupBudgetMs: 2500 };

function setupFor(family: ModelFamily): ProbeSetup {
  switch (family) {
    case 'linear':
      return { spec: { family: 'linear' }, input: { kind: 'tabular', features: 20 }, ...TABLE_STEPS };
    case 'mlp':
      return {
        spec: { family: 'mlp', layers: [{ units: 64, activation: 'relu' }, { units: 64, activation: 'relu' }], dropout: 0 },
        input: { kind: 'tabular', features: 20 },
        ...TABLE_STEPS,
      };
    case 'cnn':
      // The default CNN on small colour images: a convolution step costs tens of times a dense one, so fewer and
      // smaller steps keep the probe to seconds on the cpu backend while still ranking the backends on convolutions.
      return {
        spec: defaultSpec('cnn'),
        input: { kind: 'image', width: 16, height: 16, channels: 3 },
        rows: 64,
        batch: 16,
        warmupSteps: 1,
        timedSteps: 4,
        warmupBudgetMs: 8000,
      };
  }
}

function inputShape(input: ModelInput): number[] {
  return input.kind === 'image' ? [input.height, input.width, input.channels] : [input.features];
}

class TooSlow extends Error {}

/** Resolves with the read values, or rejects once `ms` have passed, leaving the device to finish on its own. */
function withDeadline<T>(work: Promise<T>, ms: number, message: () => string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TooSlow(message())), ms);
  });
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}

/** Milliseconds per training step on the current backend. */
async function timeSteps(setup: ProbeSetup): Promise<number> {
  const { spec, input, rows, batch, warmupSteps, timedSteps, warmupBudgetMs } = setup;
  const hyper: Hyperparams = { ...defaultHyper(spec.family), learningRate: 0.001, epochs: 1, batchSize: batch, seed: 1 };
  const model = buildModel(spec, input, CLASSES, 'classification', hyper.seed);
  const optimizer = makeOptimizer(hyper);
  const shape = inputShape(input);
  const x = tf.randomUniform([rows, ...shape], 0, 1, 'float32', 11);
  const y = tf.tidy(() => tf.oneHot(tf.randomUniform([rows], 0, CLASSES, 'int32', 12), CLASSES).toFloat());
  const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
  let lossSum: tf.Scalar = tf.scalar(0);
  const step = (i: number): void => {
    const previous = lossSum;
    lossSum = tf.tidy(() => {
      const start = (i * batch) % rows;
      const xb = tf.slice(x, [start, ...shape.map(() => 0)], [batch, ...shape]);
      const yb = tf.slice(y, [start, 0], [batch, CLASSES]);
      const cost = optimizer.minimize(() => {
        const p = tf.clipByValue(model.apply(xb, { training: true }) as tf.Tensor, 1e-7, 1);
        return tf.neg(tf.mean(tf.sum(tf.mul(yb, tf.log(p)), 1)));
      }, true, variables);
      return cost ? tf.add(previous, cost) : previous.clone();
    });
    previous.dispose();
  };
  try {
    // Shader compilation dominates a GPU backend's first steps; on a software adapter (SwiftShader) it takes 5-17 s.
    // Some backends compile while dispatching, others while running, so the budget is checked at both points.
    const warmStart = performance.now();
    const tooSlow = (): string => `warm-up took over ${warmupBudgetMs} ms (${Math.round(performance.now() - warmStart)} ms so far); skipped as too slow`;
    for (let i = 0; i < warmupSteps; i++) {
      step(i);
      if (performance.now() - warmStart > warmupBudgetMs) throw new TooSlow(tooSlow());
    }
    await withDeadline(lossSum.data(), warmupBudgetMs - (performance.now() - warmStart), tooSlow);
    const start = performance.now();
    for (let i = 0; i < timedSteps; i++) step(warmupSteps + i);
    await lossSum.data();
    return (performance.now() - start) / timedSteps;
  } finally {
    lossSum.dispose();
    x.dispose();
    y.dispose();
    optimizer.dispose();
    model.dispose();
  }
}

export async function probeBackends(family: ModelFamily, candidates: BackendName[], onEvent: (e: ProbeEvent) => void): Promise<ProbeResult> {
  const started = performance.now();
  const setup = setupFor(family);
  const measured = new Map<BackendName, ProbeMeasurement>();
  const order = [...new Set(candidates)].sort((a, b) => MEASURE_ORDER.indexOf(a) - MEASURE_ORDER.indexOf(b));
  for (const backend of order) {
    // A backend that cannot train the family is reported with the reason, not timed.
    const problem = backendProblem(family, backend);
    if (problem !== null) {
      measured.set(backend, { backend, ok: false, msPerStep: null, error: problem });
      continue;
    }
    onEvent({ type: 'probing', backend });
    try {
      await useTunedBackend(backend);
      const msPerStep = await timeSteps(setup);
      measured.set(backend, { backend, ok: true, msPerStep, error: null });
    } catch (e) {
      measured.set(backend, { backend, ok: false, msPerStep: null, error: e instanceof Error ? e.message : String(e) });
    }
  }
  const measurements = [...new Set(candidates)].map((b) => measured.get(b) as ProbeMeasurement);
  return {
    family,
    best: chooseBackend(family, measurements),
    measurements,
    measuredAt: Date.now(),
    durationMs: performance.now() - started,
  };
}
