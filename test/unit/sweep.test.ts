import { describe, expect, it } from 'vitest';
import { defaultHyper, defaultSpec } from '../../src/core/train/spec/defaults';
import type { RunParams } from '../../src/core/train/spec/types';
import { bestRun, expandSweep, leafAt, sweepSize, validateSweep, type SweepSpec } from '../../src/core/train/sweep';
import { makeRun } from './runs/fixtures';

const base: RunParams = { spec: defaultSpec('mlp'), hyper: defaultHyper('mlp') };

function sweep(over: Partial<SweepSpec> = {}): SweepSpec {
  return {
    base,
    method: 'grid',
    axes: [
      { path: 'hyper.learningRate', kind: 'values', values: [0.01, 0.1] },
      { path: 'hyper.epochs', kind: 'values', values: [2, 3, 4] },
    ],
    maxRuns: 20,
    seed: 1,
    ...over,
  };
}

describe('grid', () => {
  it('expands to the cartesian product, first axis slowest, each run a full copy of the base', () => {
    const { points, problems } = expandSweep(sweep());
    expect(problems).toEqual([]);
    expect(sweepSize(sweep())).toBe(6);
    expect(points.map((p) => [p.params.hyper.learningRate, p.params.hyper.epochs])).toEqual([
      [0.01, 2], [0.01, 3], [0.01, 4], [0.1, 2], [0.1, 3], [0.1, 4],
    ]);
    expect(points[0].values).toEqual({ 'hyper.learningRate': 0.01, 'hyper.epochs': 2 });
    // The base is never mutated and runs share no objects.
    expect(base.hyper.learningRate).toBe(0.01);
    expect(base.hyper.epochs).toBe(40);
    expect(points[0].params.spec).not.toBe(points[1].params.spec);
  });

  it('reaches into layers by the runs-table keys', () => {
    const { points } = expandSweep(sweep({ axes: [{ path: 'spec.layers.0.units', kind: 'values', values: [4, 8] }] }));
    expect(points.map((p) => (p.params.spec.family === 'mlp' ? p.params.spec.layers[0].units : null))).toEqual([4, 8]);
  });

  it('refuses a grid larger than max runs, and ranges in a grid', () => {
    expect(validateSweep(sweep({ maxRuns: 5 }))).toEqual([{ path: 'axes', message: 'the grid has 6 runs, more than the 5 allowed (max runs)' }]);
    const ranged = validateSweep(sweep({ axes: [{ path: 'hyper.learningRate', kind: 'uniform', min: 0.01, max: 0.1 }] }));
    expect(ranged.map((p) => p.path)).toEqual(['axes[0].kind']);
  });
});

describe('validation', () => {
  it('locates unknown paths, empty axes, wrong value types and repeats', () => {
    const problems = validateSweep(
      sweep({
        axes: [
          { path: 'hyper.nope', kind: 'values', values: [1] },
          { path: 'hyper.epochs', kind: 'values', values: [] },
          { path: 'hyper.optimizer', kind: 'values', values: ['sgd', 3] },
          { path: 'hyper.constructor', kind: 'values', values: [1] },
          { path: 'hyper.epochs', kind: 'values', values: [2] },
        ],
      }),
    );
    expect(problems.map((p) => p.path)).toEqual(['axes[0].path', 'axes[1].values', 'axes[2].values[1]', 'axes[3].path', 'axes[4].path']);
    expect(problems[0].message).toContain('hyper.nope');
    expect(validateSweep(sweep({ axes: [] }))[0]).toEqual({ path: 'axes', message: 'axes is empty: choose at least one parameter to vary' });
    expect(validateSweep(sweep({ maxRuns: 0 })).map((p) => p.path)).toEqual(['maxRuns']);
  });

  it('refuses combinations the spec or hyperparameter validators refuse, naming the run', () => {
    const { points, problems } = expandSweep(sweep({ axes: [{ path: 'hyper.learningRate', kind: 'values', values: [0.01, -1] }] }));
    expect(points).toEqual([]);
    expect(problems).toHaveLength(1);
    expect(problems[0].path).toBe('runs[1]');
    expect(problems[0].message).toMatch(/^run 2 \(hyper.learningRate=-1\): learningRate must be/);
    const dropout = expandSweep(sweep({ axes: [{ path: 'spec.dropout', kind: 'values', values: [0.95] }] }));
    expect(dropout.problems[0].message).toContain('dropout');
  });

  it('refuses a log-uniform range that reaches 0 and a range over text', () => {
    const random = (axes: SweepSpec['axes']) => validateSweep(sweep({ method: 'random', axes }));
    expect(random([{ path: 'hyper.learningRate', kind: 'log-uniform', min: 0, max: 1 }]).map((p) => p.path)).toEqual(['axes[0].min']);
    expect(random([{ path: 'hyper.optimizer', kind: 'uniform', min: 0, max: 1 }]).map((p) => p.path)).toEqual(['axes[0].kind']);
    expect(random([{ path: 'hyper.epochs', kind: 'integer', min: 5, max: 2 }]).map((p) => p.path)).toEqual(['axes[0].min']);
  });
});

describe('random', () => {
  const spec = sweep({
    method: 'random',
    maxRuns: 50,
    seed: 42,
    axes: [
      { path: 'hyper.learningRate', kind: 'log-uniform', min: 1e-4, max: 1e-1 },
      { path: 'hyper.batchSize', kind: 'integer', min: 8, max: 12 },
      { path: 'spec.dropout', kind: 'uniform', min: 0, max: 0.5 },
      { path: 'hyper.optimizer', kind: 'values', values: ['adam', 'sgd'] },
    ],
  });

  it('gives the same runs for the same seed and different ones for another', () => {
    const a = expandSweep(spec).points.map((p) => p.values);
    expect(a).toHaveLength(50);
    expect(expandSweep(spec).points.map((p) => p.values)).toEqual(a);
    expect(expandSweep({ ...spec, seed: 43 }).points.map((p) => p.values)).not.toEqual(a);
  });

  it('keeps samples inside their ranges and spreads log-uniform over the decades', () => {
    const points = expandSweep(spec).points;
    const rates = points.map((p) => p.params.hyper.learningRate);
    expect(Math.min(...rates)).toBeGreaterThanOrEqual(1e-4);
    expect(Math.max(...rates)).toBeLessThanOrEqual(1e-1);
    // Log-uniform: about a third of the samples in each decade, so some fall below 1e-3 (uniform would put ~1% there).
    expect(rates.filter((r) => r < 1e-3).length).toBeGreaterThan(5);
    const batches = new Set(points.map((p) => p.params.hyper.batchSize));
    expect([...batches].every((b) => Number.isInteger(b) && b >= 8 && b <= 12)).toBe(true);
    expect(batches.size).toBe(5);
    expect(new Set(points.map((p) => p.params.hyper.optimizer))).toEqual(new Set(['adam', 'sgd']));
    expect(points.every((p) => leafAt(p.params, 'spec.dropout') as number <= 0.5)).toBe(true);
  });
});

describe('best run', () => {
  it('follows the goal metric direction and skips unfinished runs', () => {
    const runs = [
      makeRun('a', { metrics: { accuracy: 0.8, mae: 3 } }),
      makeRun('b', { metrics: { accuracy: 0.9, mae: 2 } }),
      makeRun('c', { status: 'failed', metrics: { accuracy: 0.99, mae: 0.1 } }),
      makeRun('d', { metrics: { accuracy: 0.9, mae: 1 } }),
      makeRun('e', { metrics: { accuracy: Number.NaN } }),
    ];
    expect(bestRun(runs, 'accuracy')?.id).toBe('b');
    expect(bestRun(runs, 'mae')?.id).toBe('d');
    expect(bestRun(runs, 'r2')).toBeNull();
  });
});
