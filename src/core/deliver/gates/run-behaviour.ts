// Runs behavioural tests against any model through one function, `predict(rows)`: the app passes its predictor
// worker, a test passes a stub. Each test predicts its original and changed rows in one call, so a suite costs a few
// batched calls, not one per row.

import type { Prediction } from '../../contracts/predict';
import type { RawRow } from '../../shared/types';
import type { BehaviourExample, BehaviourResult, BehaviourTest, DirectionalTest, InvarianceTest, MinimumTest } from './behaviour-types';
import { atMost, fmt } from './compare';

export type Predict = (rows: RawRow[]) => Promise<Prediction[]>;

export interface BehaviourOptions {
  /** Classification: labels in the order of each prediction's probabilities; null for regression. */
  labels: readonly string[] | null;
  /** Offending rows kept per test (default 5). */
  examples?: number;
}

const DEFAULT_MAX_ROWS = 200;

type Ok = Extract<Prediction, { ok: true }>;

function outputOf(p: Prediction | undefined): string | number | null {
  return p?.ok ? p.output : null;
}

/** Largest move between two answers: any class probability, or the output itself; a changed class is always a move. */
function moveBetween(a: Ok, b: Ok): { size: number; labelChanged: boolean } {
  const labelChanged = typeof a.output === 'string' && a.output !== b.output;
  if (a.probabilities && b.probabilities) {
    let size = 0;
    for (let k = 0; k < a.probabilities.length; k++) {
      // A probability missing or NaN on either side is an unbounded move: it never passes.
      const d = Math.abs(a.probabilities[k] - (b.probabilities[k] ?? NaN));
      size = Number.isNaN(d) ? Infinity : Math.max(size, d);
    }
    return { size, labelChanged };
  }
  if (typeof a.output === 'number' && typeof b.output === 'number') return { size: Math.abs(a.output - b.output), labelChanged };
  return { size: 0, labelChanged };
}

class Tally {
  tested = 0;
  failed = 0;
  skipped = 0;
  examples: BehaviourExample[] = [];
  constructor(private readonly keep: number) {}
  fail(example: BehaviourExample): void {
    this.failed++;
    if (this.examples.length < this.keep) this.examples.push(example);
  }
  result(t: BehaviourTest, summary: string): BehaviourResult {
    const passed = this.failed === 0 && this.tested > 0;
    const reason =
      this.tested === 0 ? `nothing to test: ${summary}` : `${this.failed} of ${this.tested} ${summary}${this.skipped > 0 ? ` (${this.skipped} rows skipped)` : ''}`;
    return { name: t.name, kind: t.kind, passed, tested: this.tested, failed: this.failed, skipped: this.skipped, examples: this.examples, reason };
  }
}

function notAnswered(p: Prediction | undefined): string | null {
  if (!p) return 'no prediction came back';
  return p.ok ? null : `the model could not answer: ${p.error}`;
}

async function runInvariance(t: InvarianceTest, rows: readonly RawRow[], predict: Predict, keep: number): Promise<BehaviourResult> {
  const tally = new Tally(keep);
  const base = rows.slice(0, t.maxRows ?? DEFAULT_MAX_ROWS);
  const pairs: { row: number; changed: RawRow }[] = [];
  base.forEach((row, i) => {
    for (const v of t.replacements) if (row[t.column] !== v) pairs.push({ row: i, changed: { ...row, [t.column]: v } });
  });
  const answers = await predict([...base, ...pairs.map((p) => p.changed)]);
  pairs.forEach((pair, j) => {
    tally.tested++;
    const before = answers[pair.row];
    const after = answers[base.length + j];
    const example = { row: pair.row, input: base[pair.row], changed: pair.changed, before: outputOf(before), after: outputOf(after) };
    const problem = notAnswered(before) ?? notAnswered(after);
    if (problem !== null) return tally.fail({ ...example, message: problem });
    const { size, labelChanged } = moveBetween(before as Ok, after as Ok);
    if (labelChanged) tally.fail({ ...example, message: `the prediction changed from ${example.before} to ${example.after}` });
    else if (!atMost(size, t.tolerance)) tally.fail({ ...example, message: `the prediction moved by ${fmt(size)}, more than the ${fmt(t.tolerance)} allowed` });
  });
  return tally.result(t, `changes of ${t.column} moved a prediction`);
}

function scoreOf(p: Ok, t: DirectionalTest, labels: readonly string[] | null): number | null {
  if (t.class === undefined) return typeof p.output === 'number' ? p.output : null;
  const k = labels ? labels.indexOf(t.class) : -1;
  return k >= 0 && p.probabilities ? (p.probabilities[k] ?? null) : null;
}

async function runDirectional(t: DirectionalTest, rows: readonly RawRow[], predict: Predict, opts: BehaviourOptions, keep: number): Promise<BehaviourResult> {
  const tally = new Tally(keep);
  const tolerance = t.tolerance ?? 0;
  const picked: { row: number; changed: RawRow }[] = [];
  rows.slice(0, t.maxRows ?? DEFAULT_MAX_ROWS).forEach((row, i) => {
    const v = row[t.column];
    if (typeof v === 'number' && Number.isFinite(v)) picked.push({ row: i, changed: { ...row, [t.column]: v + t.delta } });
    else tally.skipped++;
  });
  const answers = picked.length === 0 ? [] : await predict([...picked.map((p) => rows[p.row]), ...picked.map((p) => p.changed)]);
  const what = t.class === undefined ? 'the output' : `P(${t.class})`;
  picked.forEach((pick, j) => {
    tally.tested++;
    const before = answers[j];
    const after = answers[picked.length + j];
    const problem = notAnswered(before) ?? notAnswered(after);
    const a = problem === null ? scoreOf(before as Ok, t, opts.labels) : null;
    const b = problem === null ? scoreOf(after as Ok, t, opts.labels) : null;
    const example = { row: pick.row, input: rows[pick.row], changed: pick.changed, before: a, after: b };
    if (problem !== null) return tally.fail({ ...example, message: problem });
    if (a === null || b === null || Number.isNaN(a) || Number.isNaN(b)) return tally.fail({ ...example, message: `the model gave no ${what}` });
    const wrongWay = t.expect === 'up' ? a - b : b - a;
    if (!atMost(wrongWay, tolerance)) {
      tally.fail({ ...example, message: `${what} went ${t.expect === 'up' ? 'down' : 'up'} from ${fmt(a)} to ${fmt(b)} when ${t.column} changed by ${fmt(t.delta)}` });
    }
  });
  return tally.result(t, `rows moved ${what} against the expected ${t.expect}`);
}

async function runMinimum(t: MinimumTest, predict: Predict, opts: BehaviourOptions, keep: number): Promise<BehaviourResult> {
  const tally = new Tally(keep);
  const answers = await predict(t.cases.map((c) => c.row));
  t.cases.forEach((c, i) => {
    tally.tested++;
    const p = answers[i];
    const example = { row: i, input: c.row, changed: null, before: null, after: outputOf(p) };
    const problem = notAnswered(p);
    if (problem !== null) return tally.fail({ ...example, message: problem });
    const out = (p as Ok).output;
    if (opts.labels === null) {
      const tolerance = t.tolerance ?? 0;
      const miss = typeof out === 'number' ? Math.abs(out - Number(c.label)) : NaN;
      if (!atMost(miss, tolerance)) tally.fail({ ...example, message: `expected ${c.label} ± ${fmt(tolerance)}, got ${out}` });
    } else if (String(out) !== String(c.label)) {
      tally.fail({ ...example, message: `expected ${c.label}, got ${out}` });
    }
  });
  return tally.result(t, 'cases got the wrong answer');
}

async function runOne(t: BehaviourTest, rows: readonly RawRow[], predict: Predict, opts: BehaviourOptions): Promise<BehaviourResult> {
  const keep = opts.examples ?? 5;
  try {
    if (t.kind === 'invariance') return await runInvariance(t, rows, predict, keep);
    if (t.kind === 'directional') return await runDirectional(t, rows, predict, opts, keep);
    return await runMinimum(t, predict, opts, keep);
  } catch (e) {
    // One broken call fails its own test with the reason; the rest of the suite still runs.
    const message = e instanceof Error ? e.message : String(e);
    return { name: t.name, kind: t.kind, passed: false, tested: 0, failed: 0, skipped: 0, examples: [], reason: `predict failed: ${message}` };
  }
}

/**
 * Every test of the suite, in order, on `rows` (raw rows, e.g. the test split; minimum functionality brings its own).
 * A test passes when it tested at least one row and none failed.
 */
export async function runBehaviourTests(
  tests: readonly BehaviourTest[],
  rows: readonly RawRow[],
  predict: Predict,
  options: BehaviourOptions = { labels: null },
): Promise<BehaviourResult[]> {
  const results: BehaviourResult[] = [];
  for (const t of tests) results.push(await runOne(t, rows, predict, options));
  return results;
}
