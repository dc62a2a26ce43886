// Drift of one column between the reference (training split) and a current window, and the dataset-level verdict.
// Missing values (NaN/±Infinity in numeric columns, code -1 in categorical ones) are left out of every statistic
// and counted, as Evidently drops them before testing. Where Evidently raises on a column left empty, this returns
// status 'empty-reference' or 'empty-current' with no statistic and drifted = false — a blank column is a data
// quality failure (missing share), not a drift verdict — and datasetDrift leaves such columns out of the share.

import { alignCategoryCounts, alignValueCounts, PER_VALUE_BIN_LIMIT, sturgesShares, toShares, type AlignedCounts } from './binning';
import { chiSquareTest } from './chi-square';
import { isDrift, resolveDriftTest, type DriftOverride, type DriftTestName } from './choose-test';
import { cleanNumeric, countCategories, distinctSorted, distinctUnion, type CategoricalValues, type ColumnKind } from './columns';
import { jensenShannonDistance } from './jensen-shannon';
import { ksTwoSampleSorted } from './ks';
import { psiOfCounts, psiOfNumeric } from './psi';
import { wassersteinNormed } from './wasserstein';
import { zTest } from './z-test';

export type ColumnDriftStatus = 'ok' | 'empty-reference' | 'empty-current';

export interface ColumnDrift {
  readonly column?: string;
  readonly kind: ColumnKind;
  readonly test: DriftTestName;
  readonly threshold: number;
  /** ks: D; chisquare: χ²; z: z; wasserstein: normed distance; jensenshannon: distance; psi: PSI. */
  readonly statistic: number | null;
  /** For the p-value tests (ks, chisquare, z); null for distances. */
  readonly pValue: number | null;
  /** What the threshold is compared with: the p-value, or the statistic for distance tests. */
  readonly score: number | null;
  readonly drifted: boolean;
  /** PSI with the DESIGN.md binning, computed whatever the test. */
  readonly psi: number | null;
  readonly rows: { readonly reference: number; readonly current: number };
  readonly missing: { readonly reference: number; readonly current: number };
  readonly status: ColumnDriftStatus;
  /** Test-specific extras: the KS method used, the Wasserstein distance in column units, chi-square's df. */
  readonly detail?: { readonly ksMethod?: 'exact' | 'asymp'; readonly rawDistance?: number; readonly degreesOfFreedom?: number };
}

interface Outcome {
  statistic: number;
  pValue: number | null;
  detail?: ColumnDrift['detail'];
}

function countsOutcome(test: DriftTestName, counts: AlignedCounts): Outcome {
  switch (test) {
    case 'chisquare': {
      const r = chiSquareTest(counts);
      return { statistic: r.statistic, pValue: r.pValue, detail: { degreesOfFreedom: r.degreesOfFreedom } };
    }
    case 'z': {
      const r = zTest(counts);
      return { statistic: r.statistic, pValue: r.pValue };
    }
    case 'jensenshannon': {
      const sum = (a: Float64Array): number => a.reduce((s, x) => s + x, 0);
      const ref = toShares(counts.reference, sum(counts.reference));
      const cur = toShares(counts.current, sum(counts.current));
      return { statistic: jensenShannonDistance(ref, cur), pValue: null };
    }
    case 'psi':
      return { statistic: psiOfCounts(counts), pValue: null };
    default:
      throw new Error(`the ${test} test needs numeric values, not counts`);
  }
}

function numericOutcome(test: DriftTestName, reference: Float64Array, current: Float64Array): Outcome {
  switch (test) {
    case 'ks': {
      const r = ksTwoSampleSorted(reference, current);
      return { statistic: r.statistic, pValue: r.pValue, detail: { ksMethod: r.method } };
    }
    case 'wasserstein': {
      const r = wassersteinNormed(reference, current);
      return { statistic: r.normed, pValue: null, detail: { rawDistance: r.distance } };
    }
    case 'jensenshannon': {
      if (distinctSorted(reference) <= PER_VALUE_BIN_LIMIT) return countsOutcome(test, alignValueCounts(reference, current));
      const shares = sturgesShares(reference, current);
      return { statistic: jensenShannonDistance(shares.reference, shares.current), pValue: null };
    }
    case 'psi':
      return { statistic: psiOfNumeric(reference, current), pValue: null };
    default:
      return countsOutcome(test, alignValueCounts(reference, current));
  }
}

function finish(
  base: Omit<ColumnDrift, 'statistic' | 'pValue' | 'score' | 'drifted' | 'detail'>,
  outcome: Outcome | null,
): ColumnDrift {
  if (!outcome) return { ...base, statistic: null, pValue: null, score: null, drifted: false };
  const score = outcome.pValue ?? outcome.statistic;
  return {
    ...base,
    statistic: outcome.statistic,
    pValue: outcome.pValue,
    score,
    drifted: isDrift(base.test, score, base.threshold),
    ...(outcome.detail ? { detail: outcome.detail } : {}),
  };
}

function sameDictionary(a: readonly string[], b: readonly string[]): boolean {
  if (a === b) return true;
  return a.length === b.length && a.every((c, i) => c === b[i]);
}

/** Drift of a numeric column: Float64Array samples with NaN for missing. */
export function driftOfColumn(
  reference: Float64Array,
  current: Float64Array,
  kind: 'numeric',
  override?: DriftOverride,
  column?: string,
): ColumnDrift;
/** Drift of a categorical column: codes against one shared dictionary, -1 for missing. */
export function driftOfColumn(
  reference: CategoricalValues,
  current: CategoricalValues,
  kind: 'categorical',
  override?: DriftOverride,
  column?: string,
): ColumnDrift;
export function driftOfColumn(
  reference: Float64Array | CategoricalValues,
  current: Float64Array | CategoricalValues,
  kind: ColumnKind,
  override?: DriftOverride,
  column?: string,
): ColumnDrift {
  const name = column ?? 'column';
  if (kind === 'numeric') {
    if (!(reference instanceof Float64Array) || !(current instanceof Float64Array)) {
      throw new Error(`${name}: a numeric column takes Float64Array samples`);
    }
    const ref = cleanNumeric(reference);
    const cur = cleanNumeric(current);
    const distinct = distinctUnion(ref.sorted, cur.sorted);
    const { test, threshold } = resolveDriftTest(kind, ref.sorted.length, distinct, override, name);
    const status: ColumnDriftStatus =
      ref.sorted.length === 0 ? 'empty-reference' : cur.sorted.length === 0 ? 'empty-current' : 'ok';
    const base = {
      ...(column === undefined ? {} : { column }),
      kind,
      test,
      threshold,
      psi: status === 'ok' ? psiOfNumeric(ref.sorted, cur.sorted) : null,
      rows: { reference: ref.sorted.length, current: cur.sorted.length },
      missing: { reference: ref.missing, current: cur.missing },
      status,
    };
    return finish(base, status === 'ok' ? numericOutcome(test, ref.sorted, cur.sorted) : null);
  }
  if (reference instanceof Float64Array || current instanceof Float64Array) {
    throw new Error(`${name}: a categorical column takes { codes, categories } samples`);
  }
  if (!sameDictionary(reference.categories, current.categories)) {
    throw new Error(`${name}: reference and current codes must refer to the same category dictionary`);
  }
  const refCounts = countCategories(reference, `${name} reference`);
  const curCounts = countCategories(current, `${name} current`);
  const counts = alignCategoryCounts(reference.categories, refCounts, curCounts);
  const { test, threshold } = resolveDriftTest(kind, refCounts.total, counts.keys.length, override, name);
  const status: ColumnDriftStatus = refCounts.total === 0 ? 'empty-reference' : curCounts.total === 0 ? 'empty-current' : 'ok';
  const base = {
    ...(column === undefined ? {} : { column }),
    kind,
    test,
    threshold,
    psi: status === 'ok' ? psiOfCounts(counts) : null,
    rows: { reference: refCounts.total, current: curCounts.total },
    missing: { reference: refCounts.missing, current: curCounts.missing },
    status,
  };
  return finish(base, status === 'ok' ? countsOutcome(test, counts) : null);
}

export interface DatasetDrift {
  /** Columns that were tested (status 'ok'). */
  readonly columns: number;
  readonly driftedColumns: number;
  /** driftedColumns / columns; 0 when nothing was tested. */
  readonly share: number;
  readonly threshold: number;
  /** share ≥ threshold (Evidently's get_dataset_drift), false when nothing was tested. */
  readonly drifted: boolean;
  /** Columns left out because one side had no values. */
  readonly skipped: number;
}

export function datasetDrift(results: readonly ColumnDrift[], share = 0.5): DatasetDrift {
  if (!(share > 0 && share <= 1)) throw new Error(`dataset drift share must be in (0, 1], got ${share}`);
  const tested = results.filter((r) => r.status === 'ok');
  const driftedColumns = tested.filter((r) => r.drifted).length;
  const ratio = tested.length === 0 ? 0 : driftedColumns / tested.length;
  return {
    columns: tested.length,
    driftedColumns,
    share: ratio,
    threshold: share,
    drifted: tested.length > 0 && ratio >= share,
    skipped: results.length - tested.length,
  };
}
