// A value threshold (TFMA's GenericValueThreshold): the candidate's metric within [lower, upper], both inclusive, as
// the project goal reads "accuracy ≥ 0.9". Needs no baseline.

import { atLeast, atMost, fmt, readFigure } from './compare';
import type { GateFigures, ThresholdEvidence, ValueThreshold } from './types';

export function checkValueThreshold(t: ValueThreshold, index: number, candidate: GateFigures): ThresholdEvidence {
  const { value, problem } = readFigure(candidate.metrics, t.metric, 'candidate');
  const base = { index, kind: t.kind, metric: t.metric, slice: null, candidate: value, baseline: null, threshold: t, skipped: false };
  if (problem !== null || value === null) return { ...base, passed: false, reason: problem ?? '' };
  const misses: string[] = [];
  if (t.lower !== undefined && !atLeast(value, t.lower)) misses.push(`below the lower bound ${fmt(t.lower)}`);
  if (t.upper !== undefined && !atMost(value, t.upper)) misses.push(`above the upper bound ${fmt(t.upper)}`);
  const bounds = [t.lower !== undefined ? `≥ ${fmt(t.lower)}` : null, t.upper !== undefined ? `≤ ${fmt(t.upper)}` : null]
    .filter((b) => b !== null)
    .join(' and ');
  return misses.length === 0
    ? { ...base, passed: true, reason: `${t.metric} ${fmt(value)} is ${bounds}` }
    : { ...base, passed: false, reason: `${t.metric} ${fmt(value)} is ${misses.join(' and ')}` };
}
