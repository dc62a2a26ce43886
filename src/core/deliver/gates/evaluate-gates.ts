// The gate itself: every threshold of a definition against the candidate's figures and the baseline's, with the
// evidence for each and the overall blessing (TFX's Evaluator "blessing": only a blessed model may be promoted).

import { checkChangeThreshold } from './change-gate';
import { checkSliceThreshold } from './slice-gate';
import type { GateDecision, GateDefinition, GateFigures, Threshold, ThresholdEvidence } from './types';
import { checkValueThreshold } from './value-gate';

/** Why two sets of figures cannot be compared, or null when they were computed on the same rows. */
export function rowsMismatch(candidate: GateFigures, baseline: GateFigures): string | null {
  if (candidate.rows === baseline.rows) return null;
  return (
    `the candidate was scored on rows ${candidate.rows} and the baseline on rows ${baseline.rows}: ` +
    'figures of different rows cannot be compared; score the baseline on the candidate’s rows'
  );
}

function unmet(t: Threshold, index: number, candidate: GateFigures, passed: boolean, skipped: boolean, reason: string): ThresholdEvidence {
  const value = t.kind === 'slices' ? null : (candidate.metrics[t.metric] ?? null);
  return { index, kind: t.kind, metric: t.metric, slice: null, candidate: value, baseline: null, threshold: t, passed, skipped, reason };
}

/**
 * Judges `candidate` by `def`. Without a baseline (`null`), change and slice thresholds are skipped or failed by
 * `def.missingBaseline`, with the reason. With a baseline scored on other rows, every comparison fails with the
 * refusal, and value thresholds are still reported. Blessed only when nothing failed.
 */
export function evaluateGates(def: GateDefinition, candidate: GateFigures, baseline: GateFigures | null): GateDecision {
  const refused = baseline === null ? null : rowsMismatch(candidate, baseline);
  const evidence: ThresholdEvidence[] = [];
  def.thresholds.forEach((t, i) => {
    if (t.kind === 'value') {
      evidence.push(checkValueThreshold(t, i, candidate));
    } else if (baseline === null) {
      const skip = def.missingBaseline === 'skip';
      const reason = skip
        ? 'no baseline model to compare with: skipped (the first model of a project has nothing to beat)'
        : 'no baseline model to compare with, and this gate requires one';
      evidence.push(unmet(t, i, candidate, skip, skip, reason));
    } else if (refused !== null) {
      evidence.push(unmet(t, i, candidate, false, false, refused));
    } else if (t.kind === 'change') {
      evidence.push(checkChangeThreshold(t, i, candidate, baseline));
    } else {
      evidence.push(...checkSliceThreshold(t, i, candidate, baseline));
    }
  });
  return { blessed: refused === null && evidence.every((e) => e.passed), evidence, rows: candidate.rows, refused };
}
