// Serving parity: the answers a deployed copy of the bundle gives against the ones the app gave for the same rows.
// Any difference beyond the tolerance is a mismatch; NaN or a missing answer never counts as close.

import type { ParityCheck } from '../pipeline/run-outputs';

/** An answer the app recorded (a bundle example) or the bundle gave (`ok: false` when it had none). */
export type ParityAnswer =
  | { ok?: true; output: string | number; probabilities: number[] | null }
  | { ok: false; error: string };

/** Rows quoted in the check, enough to see the pattern without flooding the evidence. */
const QUOTED = 5;

function show(v: string | number): string {
  return typeof v === 'number' ? (Number.isFinite(v) ? String(Number(v.toPrecision(6))) : String(v)) : JSON.stringify(v);
}

/** |a - b|, infinite when either is not a finite number (so NaN fails every tolerance). */
function distance(a: number, b: number): number {
  return Number.isFinite(a) && Number.isFinite(b) ? Math.abs(a - b) : Number.POSITIVE_INFINITY;
}

/** Why one row differs and by how much, or null when it matches. */
function differs(app: ParityAnswer | undefined, bundle: ParityAnswer | undefined, tolerance: number): { why: string; by: number } | null {
  if (!app || app.ok === false) return { why: `app ${app ? `no answer (${app.error})` : 'no row'}`, by: Number.POSITIVE_INFINITY };
  if (!bundle || bundle.ok === false) return { why: `app ${show(app.output)}, bundle ${bundle ? `no answer (${bundle.error})` : 'no row'}`, by: Number.POSITIVE_INFINITY };
  let worst: { why: string; by: number } | null = null;
  const note = (why: string, by: number) => {
    if (!worst || by > worst.by) worst = { why, by };
  };
  if (typeof app.output === 'number' || typeof bundle.output === 'number') {
    const by = typeof app.output === 'number' && typeof bundle.output === 'number' ? distance(app.output, bundle.output) : Number.POSITIVE_INFINITY;
    if (!(by <= tolerance)) note(`app ${show(app.output)}, bundle ${show(bundle.output)}`, by);
  } else if (app.output !== bundle.output) {
    note(`app ${show(app.output)}, bundle ${show(bundle.output)}`, Number.POSITIVE_INFINITY);
  }
  const p = app.probabilities ?? [];
  const q = bundle.probabilities ?? [];
  if ((app.probabilities === null) !== (bundle.probabilities === null) || p.length !== q.length) {
    note(`app ${p.length} probabilities, bundle ${q.length}`, Number.POSITIVE_INFINITY);
  } else {
    p.forEach((v, k) => {
      const by = distance(v, q[k] as number);
      if (!(by <= tolerance)) note(`probability ${k + 1}: app ${show(v)}, bundle ${show(q[k] as number)}`, by);
    });
  }
  return worst;
}

/** The largest difference of a matching row (values and probabilities), so a passing check still says how close. */
function closeness(app: ParityAnswer, bundle: ParityAnswer): number {
  if (app.ok === false || bundle.ok === false) return 0;
  let max = typeof app.output === 'number' && typeof bundle.output === 'number' ? distance(app.output, bundle.output) : 0;
  const q = bundle.probabilities ?? [];
  (app.probabilities ?? []).forEach((v, k) => {
    max = Math.max(max, distance(v, q[k] as number));
  });
  return max;
}

/**
 * Compares the app's answers with the bundle's, row by row: another class, or a value or any probability further
 * apart than `tolerance`, is a mismatch. No rows at all is a failure: it would prove nothing.
 */
export function compareAnswers(app: readonly ParityAnswer[], bundle: readonly ParityAnswer[], tolerance: number): ParityCheck {
  if (!(tolerance >= 0)) throw new Error(`the parity tolerance must be a number of at least 0, not ${tolerance}`);
  const rows = Math.max(app.length, bundle.length);
  let mismatches = 0;
  let maxDifference = 0;
  const examples: string[] = [];
  for (let i = 0; i < rows; i++) {
    const d = differs(app[i], bundle[i], tolerance);
    if (d) {
      mismatches++;
      maxDifference = Math.max(maxDifference, d.by);
      if (examples.length < QUOTED) examples.push(`row ${i + 1}: ${d.why}`);
    } else {
      maxDifference = Math.max(maxDifference, closeness(app[i] as ParityAnswer, bundle[i] as ParityAnswer));
    }
  }
  if (app.length !== bundle.length) examples.unshift(`the app answered ${app.length} rows, the bundle ${bundle.length}`);
  if (rows === 0) examples.push('no example rows to compare');
  return { rows, mismatches, maxDifference, tolerance, passed: rows > 0 && mismatches === 0, examples };
}
