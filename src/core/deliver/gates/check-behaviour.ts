// Checks a behavioural test suite (JSON) before it is run, every problem located by path. With the model's columns
// and labels, also checks that each test names a column the model reads and a class it predicts.

import { isRecord } from '../../train/spec/checkers';
import type { BehaviourSuite } from './behaviour-types';
import type { GateProblem } from './types';

const MAX_TESTS = 100;
const MAX_REPLACEMENTS = 50;
const MAX_CASES = 500;

function isCell(v: unknown): boolean {
  return v === null || typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v));
}

interface Known {
  columns?: readonly string[];
  /** Classification labels; null for a regression model. */
  labels?: readonly string[] | null;
}

function checkColumn(out: GateProblem[], path: string, v: unknown, known: Known): void {
  if (typeof v !== 'string' || v === '') out.push({ path, message: `${path} must name a column` });
  else if (known.columns && !known.columns.includes(v)) out.push({ path, message: `${path}: the model reads no column ${v}` });
}

function checkTolerance(out: GateProblem[], path: string, v: unknown, required: boolean): void {
  if (v === undefined && !required) return;
  if (!(typeof v === 'number' && Number.isFinite(v) && v >= 0)) out.push({ path, message: `${path} must be a number of 0 or more` });
}

function checkMaxRows(out: GateProblem[], path: string, v: unknown): void {
  if (v !== undefined && !(typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= 100_000)) {
    out.push({ path, message: `${path} must be an integer from 1 to 100000` });
  }
}

function checkTest(out: GateProblem[], path: string, t: Record<string, unknown>, known: Known): void {
  if (typeof t.name !== 'string' || t.name.trim() === '') out.push({ path: `${path}.name`, message: `${path}.name must say what the test checks` });
  if (t.kind === 'invariance') {
    checkColumn(out, `${path}.column`, t.column, known);
    if (!Array.isArray(t.replacements) || t.replacements.length < 1 || t.replacements.length > MAX_REPLACEMENTS) {
      out.push({ path: `${path}.replacements`, message: `${path}.replacements must be a list of 1 to ${MAX_REPLACEMENTS} values` });
    } else {
      t.replacements.forEach((v, i) => {
        if (!isCell(v)) out.push({ path: `${path}.replacements[${i}]`, message: `${path}.replacements[${i}] must be text, a number or null` });
      });
    }
    checkTolerance(out, `${path}.tolerance`, t.tolerance, true);
    checkMaxRows(out, `${path}.maxRows`, t.maxRows);
  } else if (t.kind === 'directional') {
    checkColumn(out, `${path}.column`, t.column, known);
    if (!(typeof t.delta === 'number' && Number.isFinite(t.delta) && t.delta !== 0)) {
      out.push({ path: `${path}.delta`, message: `${path}.delta must be a number other than 0` });
    }
    if (t.expect !== 'up' && t.expect !== 'down') out.push({ path: `${path}.expect`, message: `${path}.expect must be one of up, down` });
    if (t.class !== undefined && typeof t.class !== 'string') out.push({ path: `${path}.class`, message: `${path}.class must name a class` });
    if (known.labels && t.class === undefined) {
      out.push({ path: `${path}.class`, message: `${path}.class is needed: a classifier's score is one class's probability` });
    } else if (known.labels && typeof t.class === 'string' && !known.labels.includes(t.class)) {
      out.push({ path: `${path}.class`, message: `${path}.class: the model predicts no class ${t.class}` });
    } else if (known.labels === null && t.class !== undefined) {
      out.push({ path: `${path}.class`, message: `${path}.class applies to classifiers only: a regression's score is its output` });
    }
    checkTolerance(out, `${path}.tolerance`, t.tolerance, false);
    checkMaxRows(out, `${path}.maxRows`, t.maxRows);
  } else if (t.kind === 'minimum') {
    if (!Array.isArray(t.cases) || t.cases.length < 1 || t.cases.length > MAX_CASES) {
      out.push({ path: `${path}.cases`, message: `${path}.cases must be a list of 1 to ${MAX_CASES} rows with labels` });
    } else {
      t.cases.forEach((c, i) => {
        const at = `${path}.cases[${i}]`;
        if (!isRecord(c) || !isRecord(c.row) || !Object.values(c.row).every(isCell)) {
          out.push({ path: `${at}.row`, message: `${at}.row must be a row of text, numbers or nulls` });
        }
        const label = isRecord(c) ? c.label : undefined;
        if (!(typeof label === 'string' || (typeof label === 'number' && Number.isFinite(label)))) {
          out.push({ path: `${at}.label`, message: `${at}.label must be the expected class or value` });
        } else if (known.labels && !known.labels.includes(String(label))) {
          out.push({ path: `${at}.label`, message: `${at}.label: the model predicts no class ${String(label)}` });
        }
      });
    }
    checkTolerance(out, `${path}.tolerance`, t.tolerance, false);
  } else {
    out.push({ path: `${path}.kind`, message: `${path}.kind must be one of invariance, directional, minimum` });
  }
}

/** Every problem of `suite`, located by path; an empty list means it can run. */
export function validateBehaviourSuite(suite: unknown, known: Known = {}): GateProblem[] {
  const out: GateProblem[] = [];
  if (!isRecord(suite)) return [{ path: '', message: 'the behavioural tests must be an object with tests' }];
  if (!Array.isArray(suite.tests) || suite.tests.length > MAX_TESTS) {
    return [{ path: 'tests', message: `tests must be a list of at most ${MAX_TESTS} tests` }];
  }
  const names = new Set<string>();
  suite.tests.forEach((t, i) => {
    const path = `tests[${i}]`;
    if (!isRecord(t)) {
      out.push({ path, message: `${path} must be a test with a kind and a name` });
      return;
    }
    checkTest(out, path, t, known);
    // Results are shown and stored by name, so two tests with one name would hide each other.
    if (typeof t.name === 'string') {
      if (names.has(t.name)) out.push({ path: `${path}.name`, message: `${path}.name repeats the test name ${t.name}` });
      names.add(t.name);
    }
  });
  return out;
}

export function assertValidBehaviourSuite(suite: unknown, known: Known = {}): BehaviourSuite {
  const problems = validateBehaviourSuite(suite, known);
  if (problems.length > 0) throw new Error(`The behavioural tests are not valid: ${problems.map((p) => p.message).join('; ')}`);
  return suite as BehaviourSuite;
}
