// The gate a move of `champion` must pass when the project defines none: the goal metric must reach the project's bar,
// and must be no worse than the current champion's on the same rows (TFX's default "blessing" for a pusher).

import type { ClassificationEvaluation, RegressionEvaluation } from '../../evaluate/types';
import type { Goal, GoalMetric } from '../../shared/types';
import { knownDirection, type GateDecision, type GateDefinition, type ThresholdEvidence } from '../gates';

export function defaultGate(goal: Goal): GateDefinition {
  const lower = knownDirection(goal.metric) === 'lower';
  return {
    thresholds: [
      lower ? { kind: 'value', metric: goal.metric, upper: goal.bar } : { kind: 'value', metric: goal.metric, lower: goal.bar },
      { kind: 'change', metric: goal.metric, absolute: 0 },
    ],
    missingBaseline: 'skip',
  };
}

/** The goal metric of an evaluation, with the same definitions the trainer's early stopping uses (macro averages). */
export function goalValue(metric: GoalMetric, result: ClassificationEvaluation | RegressionEvaluation): number {
  const f = result.figures;
  if (f.task === 'classification') {
    if (metric === 'accuracy') return f.accuracy;
    if (metric === 'precision' || metric === 'recall' || metric === 'f1') return f.macro[metric];
  } else if (metric === 'mae' || metric === 'rmse' || metric === 'r2') {
    return f[metric];
  }
  throw new Error(`${metric} is not a figure of a ${f.task} evaluation`);
}

/** Replaces the generic "no baseline" reason of change thresholds with why the baseline could not be scored. */
export function withBaselineReason(decision: GateDecision, reason: string): GateDecision {
  const evidence = decision.evidence.map((e): ThresholdEvidence => (e.kind === 'value' ? e : { ...e, reason }));
  return { ...decision, evidence };
}

function fmt(v: number | null): string {
  return v === null || !Number.isFinite(v) ? '—' : v.toFixed(4);
}

/** The decision as one line of the audit log: every threshold with both numbers and its outcome. */
export function summarizeDecision(decision: GateDecision): string {
  const parts = decision.evidence.map((e) => {
    const outcome = e.skipped ? 'skipped' : e.passed ? 'passed' : 'failed';
    return `${e.kind} ${e.metric}: candidate ${fmt(e.candidate)}, baseline ${fmt(e.baseline)} ${outcome}`;
  });
  return `${decision.blessed ? 'blessed' : 'not blessed'} on rows ${decision.rows} (${parts.join('; ')})`;
}
