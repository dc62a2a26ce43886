// Checks a gate definition (JSON from a form, a pipeline file or storage) before any model is judged by it: every
// problem located by path, the way the model spec checker does it, so the editor can point at the field.

import { checkOneOf, isRecord } from '../../train/spec/checkers';
import { directionOf } from './directions';
import type { GateDefinition, GateProblem } from './types';

const KINDS = ['value', 'change', 'slices'] as const;
const DIRECTIONS = ['higher', 'lower'] as const;
const RULES = ['skip', 'fail'] as const;
const MAX_THRESHOLDS = 100;

function finite(out: GateProblem[], path: string, v: unknown): v is number {
  if (typeof v === 'number' && Number.isFinite(v)) return true;
  out.push({ path, message: `${path} must be a finite number` });
  return false;
}

function checkMetric(out: GateProblem[], path: string, t: Record<string, unknown>, needsDirection: boolean): void {
  if (typeof t.metric !== 'string' || t.metric.trim() === '') {
    out.push({ path: `${path}.metric`, message: `${path}.metric must name a metric` });
    return;
  }
  if (t.direction !== undefined) checkOneOf(out, `${path}.direction`, t.direction, DIRECTIONS);
  else if (needsDirection && directionOf(t.metric, undefined) === null) {
    out.push({
      path: `${path}.direction`,
      message: `${path}.direction is needed: Loopbench does not know whether higher or lower ${t.metric} is better`,
    });
  }
}

function checkValue(out: GateProblem[], path: string, t: Record<string, unknown>): void {
  checkMetric(out, path, t, false);
  const hasLower = t.lower !== undefined && finite(out, `${path}.lower`, t.lower);
  const hasUpper = t.upper !== undefined && finite(out, `${path}.upper`, t.upper);
  if (t.lower === undefined && t.upper === undefined) {
    out.push({ path, message: `${path} needs a lower or an upper bound` });
  }
  if (hasLower && hasUpper && (t.lower as number) > (t.upper as number)) {
    out.push({ path: `${path}.upper`, message: `${path}.upper must not be below ${path}.lower` });
  }
}

function checkChange(out: GateProblem[], path: string, t: Record<string, unknown>): void {
  checkMetric(out, path, t, true);
  if (t.absolute !== undefined) finite(out, `${path}.absolute`, t.absolute);
  if (t.relative !== undefined && finite(out, `${path}.relative`, t.relative) && t.relative <= 0) {
    out.push({ path: `${path}.relative`, message: `${path}.relative is a ratio v_c / v_b and must be above 0 (1 = no worse)` });
  }
  if (t.absolute === undefined && t.relative === undefined) {
    out.push({ path, message: `${path} needs an absolute or a relative bound` });
  }
  if (t.strict !== undefined && typeof t.strict !== 'boolean') {
    out.push({ path: `${path}.strict`, message: `${path}.strict must be true or false` });
  }
}

function checkSlices(out: GateProblem[], path: string, t: Record<string, unknown>): void {
  checkMetric(out, path, t, true);
  if (finite(out, `${path}.maxDrop`, t.maxDrop) && t.maxDrop < 0) {
    out.push({ path: `${path}.maxDrop`, message: `${path}.maxDrop must be 0 or more` });
  }
  if (t.column !== undefined && (typeof t.column !== 'string' || t.column === '')) {
    out.push({ path: `${path}.column`, message: `${path}.column must name a column` });
  }
  if (t.minRows !== undefined && !(typeof t.minRows === 'number' && Number.isInteger(t.minRows) && t.minRows >= 1)) {
    out.push({ path: `${path}.minRows`, message: `${path}.minRows must be an integer of 1 or more` });
  }
}

/** Every problem of `def`, located by path; an empty list means it can gate a model. */
export function validateGates(def: unknown): GateProblem[] {
  const out: GateProblem[] = [];
  if (!isRecord(def)) return [{ path: '', message: 'the gate definition must be an object with thresholds' }];
  checkOneOf(out, 'missingBaseline', def.missingBaseline, RULES);
  if (!Array.isArray(def.thresholds) || def.thresholds.length > MAX_THRESHOLDS) {
    out.push({ path: 'thresholds', message: `thresholds must be a list of at most ${MAX_THRESHOLDS} thresholds` });
    return out;
  }
  def.thresholds.forEach((t, i) => {
    const path = `thresholds[${i}]`;
    if (!isRecord(t)) {
      out.push({ path, message: `${path} must be a threshold with a kind and a metric` });
      return;
    }
    if (!checkOneOf(out, `${path}.kind`, t.kind, KINDS)) return;
    if (t.kind === 'value') checkValue(out, path, t);
    else if (t.kind === 'change') checkChange(out, path, t);
    else checkSlices(out, path, t);
  });
  return out;
}

/** The definition, once it has no problems; throws the located messages otherwise. */
export function assertValidGates(def: unknown): GateDefinition {
  const problems = validateGates(def);
  if (problems.length > 0) throw new Error(`The gate definition is not valid: ${problems.map((p) => p.message).join('; ')}`);
  return def as GateDefinition;
}
