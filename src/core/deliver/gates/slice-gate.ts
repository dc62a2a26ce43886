// "No slice worse than the baseline by more than x": each slice of the candidate against the baseline's same slice
// (same column and value, so the same rows when both were scored on the same set). A drop is measured in the
// metric's better direction, so a rise in MAE is a drop too.

import { atMost, fmt, readFigure } from './compare';
import { directionOf } from './directions';
import type { GateFigures, SliceFigures, SliceThreshold, ThresholdEvidence } from './types';

function sliceName(s: SliceFigures): string {
  return `${s.column} = ${s.value}`;
}

export function checkSliceThreshold(t: SliceThreshold, index: number, candidate: GateFigures, baseline: GateFigures): ThresholdEvidence[] {
  const base = { index, kind: t.kind, metric: t.metric, threshold: t };
  const slices = (candidate.slices ?? []).filter((s) => t.column === undefined || s.column === t.column);
  if (slices.length === 0) {
    // A gate that silently checks nothing would bless anything: no slices is a failure, with the reason.
    const where = t.column === undefined ? 'any column' : `column ${t.column}`;
    return [{ ...base, slice: null, candidate: null, baseline: null, passed: false, skipped: false, reason: `the candidate has no slices of ${where} to compare` }];
  }
  const direction = directionOf(t.metric, t.direction);
  const minRows = t.minRows ?? 1;
  const byKey = new Map((baseline.slices ?? []).map((s) => [`${s.column}\u0000${s.value}`, s]));
  return slices.map((s): ThresholdEvidence => {
    const at = { ...base, slice: sliceName(s) };
    const other = byKey.get(`${s.column}\u0000${s.value}`);
    const c = readFigure(s.metrics, t.metric, 'candidate');
    if (s.count < minRows) {
      return { ...at, candidate: c.value, baseline: null, passed: true, skipped: true, reason: `${s.count} rows, fewer than the ${minRows} a slice needs to count` };
    }
    if (other === undefined) {
      return { ...at, candidate: c.value, baseline: null, passed: true, skipped: true, reason: 'the baseline has no rows in this slice' };
    }
    const b = readFigure(other.metrics, t.metric, 'baseline');
    const problem = c.problem ?? b.problem;
    if (problem !== null || c.value === null || b.value === null) {
      return { ...at, candidate: c.value, baseline: b.value, passed: false, skipped: false, reason: problem ?? '' };
    }
    if (direction === null) {
      return { ...at, candidate: c.value, baseline: b.value, passed: false, skipped: false, reason: `${t.metric} has no known direction: state one` };
    }
    const drop = direction === 'higher' ? b.value - c.value : c.value - b.value;
    const passed = atMost(drop, t.maxDrop);
    const reason = `${t.metric} ${fmt(b.value)} → ${fmt(c.value)} (${direction} is better): worse by ${fmt(Math.max(0, drop))}, allowed ${fmt(t.maxDrop)}`;
    return { ...at, candidate: c.value, baseline: b.value, passed, skipped: false, reason };
  });
}
