// The data stage's tests as declarative JSON: leakage between the training rows and the held-out ones, and class
// balance limits on the training rows. Checked by path like every other definition, then run on column arrays and
// the split assignment (codes from src/core/shared/types: SPLIT_TRAIN, SPLIT_VALIDATION, SPLIT_TEST).

import { SPLIT_TRAIN } from '../../shared/types';
import { isRecord } from '../../train/spec/checkers';
import { checkClassBalance, type ClassBalanceResult } from './class-balance';
import { findLeakage, type LeakageResult } from './leakage';
import type { NamedColumn } from './row-key';
import type { GateProblem } from './types';

export interface LeakageTest {
  kind: 'leakage';
  /** Columns compared (default: every column given, so a duplicated row with another id is not a leak). */
  columns?: string[];
  /** Largest share of a held-out split that may repeat training rows (default 0). */
  maxShare?: number;
}

export interface ClassBalanceTest {
  kind: 'classBalance';
  /** Smallest share of the labelled training rows each class must have. */
  minShare: number;
}

export type DataTest = LeakageTest | ClassBalanceTest;

export type DataTestResult = { test: LeakageTest; result: LeakageResult } | { test: ClassBalanceTest; result: ClassBalanceResult };

function share(out: GateProblem[], path: string, v: unknown, required: boolean): void {
  if (v === undefined && !required) return;
  if (!(typeof v === 'number' && v >= 0 && v <= 1)) out.push({ path, message: `${path} must be a share from 0 to 1` });
}

/** Every problem of a list of data tests, located by path; `columns` are the version's column names when known. */
export function validateDataTests(tests: unknown, columns?: readonly string[]): GateProblem[] {
  if (!Array.isArray(tests)) return [{ path: '', message: 'the data tests must be a list' }];
  const out: GateProblem[] = [];
  tests.forEach((t, i) => {
    const path = `[${i}]`;
    if (!isRecord(t)) out.push({ path, message: `${path} must be a test with a kind` });
    else if (t.kind === 'leakage') {
      share(out, `${path}.maxShare`, t.maxShare, false);
      if (t.columns !== undefined) {
        if (!Array.isArray(t.columns) || t.columns.length === 0 || !t.columns.every((c) => typeof c === 'string')) {
          out.push({ path: `${path}.columns`, message: `${path}.columns must be a list of column names` });
        } else if (columns) {
          t.columns.forEach((c, k) => {
            if (!columns.includes(c as string)) out.push({ path: `${path}.columns[${k}]`, message: `${path}.columns[${k}]: the version has no column ${c}` });
          });
        }
      }
    } else if (t.kind === 'classBalance') {
      share(out, `${path}.minShare`, t.minShare, true);
    } else {
      out.push({ path: `${path}.kind`, message: `${path}.kind must be one of leakage, classBalance` });
    }
  });
  return out;
}

/** Runs each test: leakage over `columns`, class balance over the `target` column's training rows. */
export function runDataTests(tests: readonly DataTest[], columns: readonly NamedColumn[], assignment: ArrayLike<number>, target: string): DataTestResult[] {
  return tests.map((test): DataTestResult => {
    if (test.kind === 'leakage') {
      const compared = test.columns ? columns.filter((c) => test.columns?.includes(c.name)) : columns;
      return { test, result: findLeakage(compared, assignment, { maxShare: test.maxShare }) };
    }
    const labels = columns.find((c) => c.name === target);
    const train: number[] = [];
    for (let r = 0; r < assignment.length; r++) if (assignment[r] === SPLIT_TRAIN) train.push(r);
    const result = labels
      ? checkClassBalance(labels.values, test.minShare, { rows: train })
      : { passed: false, counted: 0, unlabelled: 0, classes: [], reason: `no target column ${target} among the columns given` };
    return { test, result };
  });
}
