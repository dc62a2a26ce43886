// A change threshold (TFMA's GenericChangeThreshold): candidate against baseline on the same rows. Absolute change is
// v_c - v_b, relative change v_c / v_b; for a higher-is-better metric the change must be ≥ the bound, for a
// lower-is-better one ≤ it. So `absolute: 0` or `relative: 1` means "no worse than the baseline" and a tie passes
// (unless `strict`); `absolute: -0.01` on accuracy tolerates a drop of one point.

import { atLeast, atMost, fmt, readFigure } from './compare';
import { directionOf } from './directions';
import type { ChangeThreshold, Direction, GateFigures, ThresholdEvidence } from './types';

function meets(direction: Direction, change: number, bound: number, strict: boolean): boolean {
  return direction === 'higher' ? atLeast(change, bound, strict) : atMost(change, bound, strict);
}

function sign(direction: Direction, strict: boolean): string {
  return direction === 'higher' ? (strict ? '>' : '≥') : strict ? '<' : '≤';
}

/**
 * The ratio v_c / v_b, or why it is undefined. A zero baseline gives a ratio only when the candidate is 0 too (a tie,
 * ratio 1); a negative baseline (R² can be) flips the ratio's meaning, so it is refused rather than misread.
 */
export function relativeChange(candidate: number, baseline: number): { ratio: number | null; problem: string | null } {
  if (baseline === 0) {
    return candidate === 0
      ? { ratio: 1, problem: null }
      : { ratio: null, problem: 'the relative change against a baseline of 0 is undefined: use an absolute threshold' };
  }
  if (baseline < 0) return { ratio: null, problem: `the relative change against a negative baseline (${fmt(baseline)}) has no direction: use an absolute threshold` };
  return { ratio: candidate / baseline, problem: null };
}

export function checkChangeThreshold(t: ChangeThreshold, index: number, candidate: GateFigures, baseline: GateFigures): ThresholdEvidence {
  const c = readFigure(candidate.metrics, t.metric, 'candidate');
  const b = readFigure(baseline.metrics, t.metric, 'baseline');
  const base = { index, kind: t.kind, metric: t.metric, slice: null, candidate: c.value, baseline: b.value, threshold: t, skipped: false };
  const problem = c.problem ?? b.problem;
  if (problem !== null || c.value === null || b.value === null) return { ...base, passed: false, reason: problem ?? '' };
  const direction = directionOf(t.metric, t.direction);
  if (direction === null) return { ...base, passed: false, reason: `${t.metric} has no known direction: state one` };
  const strict = t.strict === true;
  const held: string[] = [];
  const missed: string[] = [];
  if (t.absolute !== undefined) {
    const diff = c.value - b.value;
    const line = `v_c - v_b = ${fmt(c.value)} - ${fmt(b.value)} = ${fmt(diff)}, needs ${sign(direction, strict)} ${fmt(t.absolute)}`;
    (meets(direction, diff, t.absolute, strict) ? held : missed).push(line);
  }
  if (t.relative !== undefined) {
    const { ratio, problem: undefinedRatio } = relativeChange(c.value, b.value);
    if (ratio === null) missed.push(undefinedRatio ?? '');
    else {
      const line = `v_c / v_b = ${fmt(c.value)} / ${fmt(b.value)} = ${fmt(ratio)}, needs ${sign(direction, strict)} ${fmt(t.relative)}`;
      (meets(direction, ratio, t.relative, strict) ? held : missed).push(line);
    }
  }
  return missed.length === 0
    ? { ...base, passed: true, reason: `${t.metric} (${direction} is better): ${held.join('; ')}` }
    : { ...base, passed: false, reason: `${t.metric} (${direction} is better): ${missed.join('; ')}` };
}
