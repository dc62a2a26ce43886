// Which drift test a column gets, its threshold, and which side of the threshold means drift — Evidently's
// defaults (legacy/calculations/stattests/registry.py, _get_default_stattest), as DESIGN.md summarises them:
//
//   reference rows (non-missing) ≤ 1000:
//     numeric, > 5 distinct values (reference ∪ current)  → ks           drift when p ≤ 0.05
//     numeric with 3–5 values, categorical with > 2       → chisquare    drift when p < 0.05
//     ≤ 2 values (either kind)                            → z            drift when p < 0.05
//   reference rows > 1000:
//     numeric, > 5 distinct values                        → wasserstein  drift when normed distance ≥ 0.1
//     numeric with ≤ 5 values, and categorical            → jensenshannon drift when distance ≥ 0.1
//
// The distinct count is over both samples together, as Evidently counts it. DESIGN.md's summary says "numeric ->
// Wasserstein" for large references; Evidently's code sends numeric columns with ≤ 5 values to Jensen–Shannon,
// and that is what is done here. PSI as an explicit test drifts when ≥ 0.1.

import type { ColumnKind } from './columns';

export type DriftTestName = 'ks' | 'chisquare' | 'z' | 'wasserstein' | 'jensenshannon' | 'psi';

export interface DriftTestInfo {
  /** What the threshold is compared with. */
  readonly score: 'p-value' | 'distance';
  readonly defaultThreshold: number;
  /** Drift when score ≤ threshold ('le'), < threshold ('lt') or ≥ threshold ('ge'). */
  readonly driftWhen: 'le' | 'lt' | 'ge';
  readonly kinds: readonly ColumnKind[];
  readonly label: string;
}

export const DRIFT_TESTS: Readonly<Record<DriftTestName, DriftTestInfo>> = {
  ks: { score: 'p-value', defaultThreshold: 0.05, driftWhen: 'le', kinds: ['numeric'], label: 'K-S p-value' },
  chisquare: {
    score: 'p-value',
    defaultThreshold: 0.05,
    driftWhen: 'lt',
    kinds: ['numeric', 'categorical'],
    label: 'chi-square p-value',
  },
  z: { score: 'p-value', defaultThreshold: 0.05, driftWhen: 'lt', kinds: ['numeric', 'categorical'], label: 'Z-test p-value' },
  wasserstein: {
    score: 'distance',
    defaultThreshold: 0.1,
    driftWhen: 'ge',
    kinds: ['numeric'],
    label: 'Wasserstein distance (normed)',
  },
  jensenshannon: {
    score: 'distance',
    defaultThreshold: 0.1,
    driftWhen: 'ge',
    kinds: ['numeric', 'categorical'],
    label: 'Jensen-Shannon distance',
  },
  psi: { score: 'distance', defaultThreshold: 0.1, driftWhen: 'ge', kinds: ['numeric', 'categorical'], label: 'PSI' },
};

export const DRIFT_TEST_NAMES = Object.keys(DRIFT_TESTS) as DriftTestName[];

/** Reference sizes up to this use the p-value tests; above it, the distances. */
export const SMALL_REFERENCE_LIMIT = 1000;

/** A per-column replacement of the default test, its threshold, or both. */
export interface DriftOverride {
  readonly test?: DriftTestName;
  readonly threshold?: number;
}

/** Evidently's default test for a column. */
export function defaultDriftTest(kind: ColumnKind, referenceRows: number, distinctValues: number): DriftTestName {
  if (referenceRows <= SMALL_REFERENCE_LIMIT) {
    if (kind === 'numeric' && distinctValues > 5) return 'ks';
    return distinctValues > 2 ? 'chisquare' : 'z';
  }
  return kind === 'numeric' && distinctValues > 5 ? 'wasserstein' : 'jensenshannon';
}

/** Whether a score is on the drift side of a threshold for a test. */
export function isDrift(test: DriftTestName, score: number, threshold: number): boolean {
  switch (DRIFT_TESTS[test].driftWhen) {
    case 'le':
      return score <= threshold;
    case 'lt':
      return score < threshold;
    case 'ge':
      return score >= threshold;
  }
}

/** The test and threshold a column runs with: the override where given, Evidently's default otherwise. */
export function resolveDriftTest(
  kind: ColumnKind,
  referenceRows: number,
  distinctValues: number,
  override: DriftOverride | undefined,
  column = 'column',
): { test: DriftTestName; threshold: number } {
  const test = override?.test ?? defaultDriftTest(kind, referenceRows, distinctValues);
  if (!(test in DRIFT_TESTS)) throw new Error(`${column}: unknown drift test "${String(test)}"; use one of ${DRIFT_TEST_NAMES.join(', ')}`);
  const info = DRIFT_TESTS[test];
  if (!info.kinds.includes(kind)) throw new Error(`${column}: the ${test} test does not apply to a ${kind} column`);
  const threshold = override?.threshold ?? info.defaultThreshold;
  if (!Number.isFinite(threshold) || threshold <= 0 || (info.score === 'p-value' && threshold > 1)) {
    throw new Error(
      `${column}: threshold ${threshold} is not valid for ${test} (${info.score === 'p-value' ? 'a p-value in (0, 1]' : 'a positive distance'})`,
    );
  }
  return { test, threshold };
}
