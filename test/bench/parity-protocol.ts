// What the backend parity check exchanges, and how it compares one backend's gradients with cpu's. Pure.

import type { BackendName } from '../../src/core/shared/types';
import type { ModelFamily } from '../../src/core/train/spec/types';

export interface ParityGradients {
  /** tf.getBackend() after the step: tfjs falls back silently, so this is what really computed the gradients. */
  backendUsed: string;
  loss: number;
  /** One per trainable weight, in the model's order, with its name for the report. */
  grads: { name: string; values: Float32Array }[];
}

export interface ParityWorkerApi {
  gradients(family: ModelFamily, backend: BackendName): Promise<ParityGradients>;
}

export interface ParityRow {
  family: ModelFamily;
  backend: BackendName;
  /** 'ran': computed on this backend; 'unavailable': the device or build lacks it; 'cannot-train': known limit. */
  status: 'ran' | 'unavailable' | 'cannot-train';
  backendUsed: string | null;
  loss: number | null;
  /** Largest relative difference from cpu over the weights (see relativeDifference); 0 for cpu itself. */
  maxRelativeDifference: number | null;
  /** The weight with that difference. */
  worstWeight: string | null;
  reason: string | null;
}

/**
 * max|a - b| / max|b| for one weight's gradient: relative to the gradient's scale rather than per element, so a
 * near-zero element (common in ReLU nets) cannot blow up the figure while real disagreement still shows.
 */
export function relativeDifference(values: Float32Array, reference: Float32Array): number {
  if (values.length !== reference.length) return Number.POSITIVE_INFINITY;
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < reference.length; i++) {
    const d = Math.abs(values[i] - reference[i]);
    // NaN on either side must count as a mismatch, never compare as "not greater".
    if (Number.isNaN(d)) return Number.POSITIVE_INFINITY;
    diff = Math.max(diff, d);
    scale = Math.max(scale, Math.abs(reference[i]));
  }
  return diff / Math.max(scale, 1e-12);
}

/** The worst weight of `run` against `cpu`, with the loss difference counted as one more "weight". */
export function compareWithCpu(run: ParityGradients, cpu: ParityGradients): { max: number; worst: string } {
  let max = Math.abs(run.loss - cpu.loss) / Math.max(Math.abs(cpu.loss), 1e-12);
  let worst = 'loss';
  if (Number.isNaN(max)) max = Number.POSITIVE_INFINITY;
  if (run.grads.length !== cpu.grads.length) return { max: Number.POSITIVE_INFINITY, worst: 'weight count' };
  run.grads.forEach((g, i) => {
    const d = relativeDifference(g.values, cpu.grads[i].values);
    if (d > max) {
      max = d;
      worst = g.name;
    }
  });
  return { max, worst };
}
