// The tests of the training and serving stages, as declarative JSON like the others: a smoke test (the model overfits
// one small batch), reproducibility (the same seed and backend give the same figures), and serving parity (the
// exported bundle answers as the app does on the test rows).

import { isRecord } from '../../train/spec/checkers';
import type { GateProblem } from './types';

export interface SmokeTest {
  kind: 'smoke';
  /** Training rows in the batch (default 32). */
  rows?: number;
  /** Optimiser steps on it (default 60). */
  steps?: number;
  /** Passes when the loss after is at most this share of the loss before (default 0.5). */
  ratio?: number;
}

export interface ReproducibleTest {
  kind: 'reproducible';
  /** Largest allowed |original - replay| of every figure compared (default 1e-6). */
  tolerance?: number;
}

export interface ParityTest {
  kind: 'parity';
  /** Largest allowed difference of an output or probability (default 1e-6). */
  tolerance?: number;
}

export type PipelineCheck = SmokeTest | ReproducibleTest | ParityTest;

/** What a smoke test found (the training worker runs it: src/core/contracts/train.ts). */
export interface SmokeResult {
  rows: number;
  steps: number;
  /** Loss on the batch before the first step and after the last. */
  lossBefore: number;
  lossAfter: number;
  /** lossAfter ≤ ratio × lossBefore, both finite. */
  passed: boolean;
  /** One sentence with both numbers, for the stage's log. */
  reason: string;
  durationMs: number;
}

export const SMOKE_DEFAULTS = { rows: 32, steps: 60, ratio: 0.5 } as const;
export const DEFAULT_TOLERANCE = 1e-6;

function bounded(out: GateProblem[], path: string, v: unknown, min: number, max: number, integer: boolean): void {
  if (v === undefined) return;
  const ok = typeof v === 'number' && Number.isFinite(v) && v >= min && v <= max && (!integer || Number.isInteger(v));
  if (!ok) out.push({ path, message: `${path} must be ${integer ? 'a whole number' : 'a number'} from ${min} to ${max}` });
}

function extra(out: GateProblem[], path: string, t: Record<string, unknown>, allowed: readonly string[]): void {
  for (const key of Object.keys(t)) if (!allowed.includes(key)) out.push({ path: `${path}.${key}`, message: `${path}: unknown field "${key}"` });
}

/** Every problem of one check object, located under `path`. */
export function validatePipelineCheck(t: unknown, path: string): GateProblem[] {
  const out: GateProblem[] = [];
  if (!isRecord(t)) return [{ path, message: `${path} must be a test object` }];
  if (t.kind === 'smoke') {
    extra(out, path, t, ['kind', 'rows', 'steps', 'ratio']);
    bounded(out, `${path}.rows`, t.rows, 2, 1024, true);
    bounded(out, `${path}.steps`, t.steps, 1, 1000, true);
    bounded(out, `${path}.ratio`, t.ratio, 0, 1, false);
  } else if (t.kind === 'reproducible' || t.kind === 'parity') {
    extra(out, path, t, ['kind', 'tolerance']);
    bounded(out, `${path}.tolerance`, t.tolerance, 0, 1, false);
  } else {
    out.push({ path: `${path}.kind`, message: `${path}.kind must be smoke, reproducible or parity` });
  }
  return out;
}
