// Checks a sweep before any run is queued: every path must name a parameter of the base params, every axis must
// give values of that parameter's type, and the number of runs must stay under the limit.

import type { RunParams } from '../spec/types';
import { leafAt } from './paths';
import { SWEEP_LIMITS, type SweepAxis, type SweepProblem, type SweepSpec } from './types';

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function finite(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

function checkAxis(out: SweepProblem[], at: string, axis: SweepAxis, base: RunParams, method: SweepSpec['method']): void {
  const current = leafAt(base, axis.path);
  if (typeof axis.path !== 'string' || current === undefined) {
    out.push({ path: `${at}.path`, message: `${at}.path "${String(axis.path)}" is not a parameter of this model` });
    return;
  }
  if (axis.kind === 'values') {
    const { min, max } = SWEEP_LIMITS.valuesPerAxis;
    if (!Array.isArray(axis.values) || axis.values.length < min) {
      out.push({ path: `${at}.values`, message: `${at}.values is empty: give at least one value for ${axis.path}` });
      return;
    }
    if (axis.values.length > max) out.push({ path: `${at}.values`, message: `${at}.values has ${axis.values.length} values, more than ${max}` });
    const want = typeof current;
    axis.values.forEach((v, i) => {
      if (typeof v !== want || (want === 'number' && !finite(v))) {
        out.push({ path: `${at}.values[${i}]`, message: `${at}.values[${i}] must be a ${want === 'number' ? 'number' : 'text'} like ${axis.path}` });
      }
    });
    return;
  }
  if (method === 'grid') {
    out.push({ path: `${at}.kind`, message: `${at}.kind: a ${axis.kind} range needs random search; a grid lists values` });
    return;
  }
  if (typeof current !== 'number') {
    out.push({ path: `${at}.kind`, message: `${at}: ${axis.path} is not a number, so it takes a list of values, not a range` });
    return;
  }
  if (!finite(axis.min) || !finite(axis.max) || axis.min > axis.max) {
    out.push({ path: `${at}.min`, message: `${at}: the range needs numbers with min at most max` });
    return;
  }
  if (axis.kind === 'log-uniform' && axis.min <= 0) out.push({ path: `${at}.min`, message: `${at}.min must be above 0 for a log-uniform range` });
  if (axis.kind === 'integer' && (!Number.isInteger(axis.min) || !Number.isInteger(axis.max))) {
    out.push({ path: `${at}.min`, message: `${at}: an integer range needs whole numbers` });
  }
}

/** The number of runs a valid sweep queues: the grid's cartesian product, or maxRuns samples. */
export function sweepSize(spec: SweepSpec): number {
  if (spec.method === 'random') return spec.maxRuns;
  return spec.axes.reduce((n, a) => n * (a.kind === 'values' ? a.values.length : 0), 1);
}

/** Every problem of the sweep itself (the runs it expands to are checked by `expandSweep`); empty means it can run. */
export function validateSweep(spec: unknown): SweepProblem[] {
  if (!isRecord(spec)) return [{ path: '', message: 'the sweep must be an object' }];
  const out: SweepProblem[] = [];
  const s = spec as unknown as SweepSpec;
  if (!isRecord(s.base) || !isRecord(s.base.spec) || !isRecord(s.base.hyper)) {
    return [{ path: 'base', message: 'base must hold the model spec and hyperparameters ({spec, hyper})' }];
  }
  if (s.method !== 'grid' && s.method !== 'random') out.push({ path: 'method', message: 'method must be one of grid, random' });
  const { min, max } = SWEEP_LIMITS.maxRuns;
  if (!Number.isInteger(s.maxRuns) || s.maxRuns < min || s.maxRuns > max) {
    out.push({ path: 'maxRuns', message: `maxRuns must be an integer from ${min} to ${max}` });
  }
  if (!Number.isInteger(s.seed) || s.seed < 0 || s.seed > 2 ** 31 - 1) out.push({ path: 'seed', message: `seed must be an integer from 0 to ${2 ** 31 - 1}` });
  if (!Array.isArray(s.axes) || s.axes.length < SWEEP_LIMITS.axes.min) {
    out.push({ path: 'axes', message: 'axes is empty: choose at least one parameter to vary' });
    return out;
  }
  if (s.axes.length > SWEEP_LIMITS.axes.max) out.push({ path: 'axes', message: `axes: at most ${SWEEP_LIMITS.axes.max} parameters can vary at once` });
  const seen = new Set<string>();
  s.axes.forEach((axis, i) => {
    const at = `axes[${i}]`;
    if (!isRecord(axis)) {
      out.push({ path: at, message: `${at} must be an axis with a path and values or a range` });
      return;
    }
    if (seen.has(axis.path)) out.push({ path: `${at}.path`, message: `${at}.path: ${axis.path} is varied twice` });
    seen.add(axis.path);
    checkAxis(out, at, axis, s.base, s.method);
  });
  if (out.length === 0 && s.method === 'grid') {
    const size = sweepSize(s);
    if (size > s.maxRuns) out.push({ path: 'axes', message: `the grid has ${size} runs, more than the ${s.maxRuns} allowed (max runs)` });
  }
  return out;
}
