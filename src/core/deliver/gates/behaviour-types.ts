// Behavioural tests of a model, as the CheckList paper names them: invariance (a change that must not matter moves no
// prediction beyond a tolerance), directional expectation (raising a column moves the score the stated way, or not
// the other way) and minimum functionality (given rows get given labels). Declarative JSON, never code.

import type { RawRow, RawValue } from '../../shared/types';

export interface InvarianceTest {
  kind: 'invariance';
  name: string;
  column: string;
  /** Each row is tried with each of these values in `column` (a value equal to the row's own is not a change). */
  replacements: RawValue[];
  /** Largest allowed move of a class probability (classification) or of the output (regression). */
  tolerance: number;
  /** The first this many rows are perturbed (default 200), so a test stays a few predict calls. */
  maxRows?: number;
}

export interface DirectionalTest {
  kind: 'directional';
  name: string;
  column: string;
  /** Added to the column's number; rows whose cell is not a finite number are skipped. */
  delta: number;
  /** 'up': the score must not fall; 'down': it must not rise (CheckList's monotonic expectation). */
  expect: 'up' | 'down';
  /** Classification: the class whose probability is the score. Regression: absent, the output is the score. */
  class?: string;
  /** A move the wrong way up to this size is forgiven (default 0). */
  tolerance?: number;
  maxRows?: number;
}

export interface MinimumCase {
  row: RawRow;
  /** The class the row must get, or for regression the value it must be within `tolerance` of. */
  label: string | number;
}

export interface MinimumTest {
  kind: 'minimum';
  name: string;
  cases: MinimumCase[];
  /** Regression only: the largest allowed |output - label| (default 0). */
  tolerance?: number;
}

export type BehaviourTest = InvarianceTest | DirectionalTest | MinimumTest;

export interface BehaviourSuite {
  tests: BehaviourTest[];
}

/** One offending row: what went in, what came out before and after, and why it fails. */
export interface BehaviourExample {
  /** Row index in the rows given to the runner, or the case index for minimum functionality. */
  row: number;
  input: RawRow;
  changed: RawRow | null;
  before: string | number | null;
  after: string | number | null;
  message: string;
}

export interface BehaviourResult {
  name: string;
  kind: BehaviourTest['kind'];
  passed: boolean;
  /** Comparisons made (row × replacement for invariance). */
  tested: number;
  failed: number;
  /** Rows the test could not apply to (a directional column that is not a number). */
  skipped: number;
  /** The first few offending rows. */
  examples: BehaviourExample[];
  reason: string;
}
