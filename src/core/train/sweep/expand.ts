// A valid sweep as the concrete params of each run: the grid's cartesian product (first axis slowest, as nested
// loops), or seeded random samples. Every run is checked with the same validators a single run passes.

import { mulberry32 } from '../../shared/rng';
import { validateHyper } from '../spec/check-hyper';
import { validateSpec } from '../spec/check-spec';
import type { ModelInput, RunParams } from '../spec/types';
import { withLeaf } from './paths';
import type { SweepAxis, SweepProblem, SweepSpec, SweepValue } from './types';
import { validateSweep } from './check-sweep';

export interface SweepPoint {
  /** The varied values by path, for the results table. */
  values: Record<string, SweepValue>;
  params: RunParams;
}

export interface SweepExpansion {
  points: SweepPoint[];
  problems: SweepProblem[];
}

/** Sampled numbers keep 4 significant digits: 0.003172 reads better in a runs table than 0.0031718826... */
function tidy(v: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, Number(v.toPrecision(4))));
}

export function sampleAxis(axis: SweepAxis, rand: () => number): SweepValue {
  const r = rand();
  switch (axis.kind) {
    case 'values':
      return axis.values[Math.min(axis.values.length - 1, Math.floor(r * axis.values.length))];
    case 'uniform':
      return tidy(axis.min + r * (axis.max - axis.min), axis.min, axis.max);
    case 'log-uniform': {
      const lo = Math.log(axis.min);
      return tidy(Math.exp(lo + r * (Math.log(axis.max) - lo)), axis.min, axis.max);
    }
    case 'integer':
      return Math.min(axis.max, axis.min + Math.floor(r * (axis.max - axis.min + 1)));
  }
}

function gridValues(axes: SweepAxis[]): Record<string, SweepValue>[] {
  let combos: Record<string, SweepValue>[] = [{}];
  for (const axis of axes) {
    if (axis.kind !== 'values') return [];
    combos = combos.flatMap((c) => axis.values.map((v) => ({ ...c, [axis.path]: v })));
  }
  return combos;
}

function randomValues(spec: SweepSpec): Record<string, SweepValue>[] {
  const rand = mulberry32(spec.seed);
  return Array.from({ length: spec.maxRuns }, () => Object.fromEntries(spec.axes.map((a) => [a.path, sampleAxis(a, rand)])));
}

/** Every run of the sweep; a sweep with any problem, or any run whose params do not validate, expands to none. */
export function expandSweep(spec: SweepSpec, input: ModelInput | null = null): SweepExpansion {
  const problems = validateSweep(spec);
  if (problems.length > 0) return { points: [], problems };
  const combos = spec.method === 'grid' ? gridValues(spec.axes) : randomValues(spec);
  const points: SweepPoint[] = [];
  combos.forEach((values, i) => {
    const params = Object.entries(values).reduce((p, [path, v]) => withLeaf(p, path, v), spec.base);
    const found = [...validateSpec(params.spec, input), ...validateHyper(params.hyper)];
    const label = Object.entries(values).map(([k, v]) => `${k}=${v}`).join(', ');
    for (const p of found) problems.push({ path: `runs[${i}]`, message: `run ${i + 1} (${label}): ${p.message}` });
    points.push({ values, params });
  });
  return problems.length > 0 ? { points: [], problems } : { points, problems };
}
