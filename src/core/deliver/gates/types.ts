// Shapes of the performance gates: declarative thresholds (JSON a user edits or a pipeline stores), the figures a
// gate reads, and the evidence it leaves. Follows TensorFlow Model Analysis: a value threshold bounds a metric; a change
// threshold compares the candidate with the baseline on the same rows, in the direction that is better for the metric.

export type Direction = 'higher' | 'lower';

/** A located problem in a definition: `path` names the field ('thresholds[2].relative'). */
export interface GateProblem {
  path: string;
  message: string;
}

/** The metric must lie within [lower, upper] (either bound may be absent). */
export interface ValueThreshold {
  kind: 'value';
  metric: string;
  lower?: number;
  upper?: number;
}

/**
 * Candidate against baseline: `absolute` bounds v_c - v_b, `relative` bounds v_c / v_b, both read in the better
 * direction (higher: change ≥ bound; lower: change ≤ bound). Non-strict unless `strict`, so a tie passes
 * `absolute: 0` and `relative: 1` ("no worse than the baseline").
 */
export interface ChangeThreshold {
  kind: 'change';
  metric: string;
  absolute?: number;
  relative?: number;
  strict?: boolean;
  /** Needed only for a metric whose direction Loopbench does not know (see directions.ts). */
  direction?: Direction;
}

/** No slice of `column` (every column when absent) may be worse than the baseline's same slice by more than `maxDrop`. */
export interface SliceThreshold {
  kind: 'slices';
  metric: string;
  maxDrop: number;
  column?: string;
  /** Slices with fewer rows are skipped as noise (default 1: every slice counts). */
  minRows?: number;
  direction?: Direction;
}

export type Threshold = ValueThreshold | ChangeThreshold | SliceThreshold;

/**
 * What change and slice thresholds do without a baseline (the first model of a project): 'skip' them with the reason,
 * as TFMA does on its first run, or 'fail' them, for a pipeline that must never promote without a comparison.
 */
export type MissingBaselineRule = 'skip' | 'fail';

export interface GateDefinition {
  thresholds: Threshold[];
  missingBaseline: MissingBaselineRule;
}

/** One slice's figures: rows whose `column` has `value`. */
export interface SliceFigures {
  column: string;
  value: string;
  count: number;
  metrics: Record<string, number>;
}

/** A model's figures on a set of rows; `rows` is that set's fingerprint (see fingerprint.ts). */
export interface GateFigures {
  rows: string;
  metrics: Record<string, number>;
  slices?: SliceFigures[];
}

/** Why a threshold passed, failed or was skipped, with both numbers: what the UI shows and the audit log keeps. */
export interface ThresholdEvidence {
  /** Index in the definition's thresholds. */
  index: number;
  kind: Threshold['kind'];
  metric: string;
  /** The slice, for slice thresholds ('sex = F'); null for the whole set. */
  slice: string | null;
  candidate: number | null;
  baseline: number | null;
  threshold: Threshold;
  /** False only when this threshold blocks the blessing; a skipped threshold does not. */
  passed: boolean;
  skipped: boolean;
  reason: string;
}

export interface GateDecision {
  /** Every threshold held (skipped ones aside) and the figures were comparable. */
  blessed: boolean;
  evidence: ThresholdEvidence[];
  /** The rows the candidate was scored on (and the baseline too, unless refused). */
  rows: string;
  /** Set when the figures could not be compared at all (different rows): the gate fails with this reason. */
  refused: string | null;
}
