// Whether this page reproduces the answers Loopbench gave (examples.json, carried in model.js): the same comparison,
// with the same tolerance, as the bundle's `node predict.mjs --verify`.

import type { Prediction } from '../../src/core/contracts/predict';
import type { BundleExample } from '../../src/core/deliver/export/bundle';

/** Probabilities and regression outputs may differ by this much between machines and backends (as predict.mjs). */
export const TOLERANCE = 1e-4;

/** Why an answer differs from an example's, or null when it matches. */
export function mismatch(answer: Prediction, want: BundleExample): string | null {
  if (!answer.ok) return `no prediction (${answer.error}), expected ${want.output}`;
  if (typeof want.output === 'number') {
    const diff = Math.abs(Number(answer.output) - want.output);
    return diff <= TOLERANCE * Math.max(1, Math.abs(want.output)) ? null : `output ${answer.output}, expected ${want.output}`;
  }
  if (answer.output !== want.output) return `output ${answer.output}, expected ${want.output}`;
  const p = answer.probabilities ?? [];
  const q = want.probabilities ?? [];
  if (p.length !== q.length) return `${p.length} probabilities, expected ${q.length}`;
  for (let i = 0; i < q.length; i++) {
    if (!(Math.abs((p[i] as number) - (q[i] as number)) <= TOLERANCE)) return `probability ${i} is ${p[i]}, expected ${q[i]}`;
  }
  return null;
}
