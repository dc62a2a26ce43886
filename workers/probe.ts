// Measures which backend trains a small MLP fastest on this device. Measured, not assumed: a software WebGPU
// adapter is listed as WebGPU and trains many times slower than wasm.

import * as tf from '@tensorflow/tfjs';
import type { BackendName } from '../src/core/types';
import type { Hyperparams, MlpSpec } from '../src/core/model-spec/types';
import { defaultHyper } from '../src/core/model-spec/defaults';
import type { ProbeEvent, ProbeMeasurement, ProbeResult } from '../src/core/worker-api';
import { useBackend } from './backends';
import { buildModel } from './models/build';
import { makeOptimizer } from './models/optimizer';

const ROWS = 2048;
const INPUTS = 20;
const CLASSES = 3;
const BATCH = 256;
const WARMUP_STEPS = 2;
const TIMED_STEPS = 8;
/** A backend this slow to warm up would lose anyway; skipping it keeps the probe short. */
const WARMUP_BUDGET_MS = 2500;
/** CPU-side backends first: an abandoned GPU warm-up may keep a software adapter busy for seconds afterwards. */
const MEASURE_ORDER: readonly BackendName[] = ['wasm', 'cpu', 'webgl', 'webgpu'];

const PROBE_SPEC: MlpSpec = {
  family: 'mlp',
  layers: [
    { units: 64, activation: 'relu' },
    { units: 64, activation: 'relu' },
  ],
  dropout: 0,
};
const PROBE_HYPER: Hyperparams = { ...defaultHyper('mlp'), learningRate: 0.001, epochs: 1, batchSize: BATCH, seed: 1 };

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
async function timeSteps(): Promise<number> {
  const model = buildModel(PROBE_SPEC, { kind: 'tabular', features: INPUTS }, CLASSES, 'classification', PROBE_HYPER.seed);
  const optimizer = makeOptimizer(PROBE_HYPER);
  const x = tf.randomUniform([ROWS, INPUTS], 0, 1, 'float32', 11);
  const y = tf.tidy(() => tf.oneHot(tf.randomUniform([ROWS], 0, CLASSES, 'int32', 12), CLASSES).toFloat());
  const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
  let lossSum: tf.Scalar = tf.scalar(0);
  const step = (i: number): void => {
    const previous = lossSum;
    lossSum = tf.tidy(() => {
      const start = (i * BATCH) % ROWS;
      const xb = tf.slice(x, [start, 0], [BATCH, INPUTS]);
      const yb = tf.slice(y, [start, 0], [BATCH, CLASSES]);
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
    const tooSlow = (): string => `warm-up took over ${WARMUP_BUDGET_MS} ms (${Math.round(performance.now() - warmStart)} ms so far); skipped as too slow`;
    for (let i = 0; i < WARMUP_STEPS; i++) {
      step(i);
      if (performance.now() - warmStart > WARMUP_BUDGET_MS) throw new TooSlow(tooSlow());
    }
    await withDeadline(lossSum.data(), WARMUP_BUDGET_MS - (performance.now() - warmStart), tooSlow);
    const start = performance.now();
    for (let i = 0; i < TIMED_STEPS; i++) step(WARMUP_STEPS + i);
    await lossSum.data();
    return (performance.now() - start) / TIMED_STEPS;
  } finally {
    lossSum.dispose();
    x.dispose();
    y.dispose();
    optimizer.dispose();
    model.dispose();
  }
}

export async function probeBackends(candidates: BackendName[], onEvent: (e: ProbeEvent) => void): Promise<ProbeResult> {
  const started = performance.now();
  const measured = new Map<BackendName, ProbeMeasurement>();
  const order = [...new Set(candidates)].sort((a, b) => MEASURE_ORDER.indexOf(a) - MEASURE_ORDER.indexOf(b));
  for (const backend of order) {
    onEvent({ type: 'probing', backend });
    try {
      await useBackend(backend);
      const msPerStep = await timeSteps();
      measured.set(backend, { backend, ok: true, msPerStep, error: null });
    } catch (e) {
      measured.set(backend, { backend, ok: false, msPerStep: null, error: e instanceof Error ? e.message : String(e) });
    }
  }
  const measurements = [...new Set(candidates)].map((b) => measured.get(b) as ProbeMeasurement);
  const working = measurements.filter((m) => m.ok && m.msPerStep !== null);
  working.sort((a, b) => (a.msPerStep ?? Infinity) - (b.msPerStep ?? Infinity));
  return {
    family: 'mlp',
    // cpu is always there in tfjs; it is the honest answer when nothing else could be measured.
    best: working[0]?.backend ?? 'cpu',
    measurements,
    measuredAt: Date.now(),
    durationMs: performance.now() - started,
  };
}
