import { describe, expect, it } from 'vitest';
import { runColumns } from '../../../src/core/evaluate/runs/columns';
import { paramRows, visibleParamRows } from '../../../src/core/evaluate/runs/compare';
import { runDeletionBlocker } from '../../../src/core/evaluate/runs/delete';
import { axisFor, axisPosition, niceTicks, parallelPlot, scatterPlot } from '../../../src/core/evaluate/runs/plot';
import { makeRun } from './fixtures';

const r1 = makeRun('r1', { params: { units: 16, optimizer: 'adam', lr: 0.1, seed: 7 }, metrics: { accuracy: 0.9 } });
const r2 = makeRun('r2', { params: { units: 64, optimizer: 'sgd', lr: 0.1, seed: 7 }, metrics: { accuracy: 0.8 } });
const r3 = makeRun('r3', { params: { units: 32, optimizer: 'adam', lr: 0.1, seed: 7, dropout: 0.2 }, metrics: {} });

describe('paramRows', () => {
  it('lines params up per run and marks the ones that differ', () => {
    expect(paramRows([r1, r2])).toEqual([
      { key: 'units', values: [16, 64], differs: true },
      { key: 'optimizer', values: ['adam', 'sgd'], differs: true },
      { key: 'lr', values: [0.1, 0.1], differs: false },
      { key: 'seed', values: [7, 7], differs: false },
    ]);
    expect(visibleParamRows([r1, r2], true).map((r) => r.key)).toEqual(['units', 'optimizer']);
  });

  it('counts a param one run lacks as a difference', () => {
    const rows = visibleParamRows([r1, r3], true);
    expect(rows.map((r) => r.key)).toEqual(['units', 'dropout']);
    expect(rows[1].values).toEqual([undefined, 0.2]);
  });
});

describe('niceTicks and axes', () => {
  it('picks round ticks', () => {
    expect(niceTicks(0, 1, 5)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(niceTicks(0.013, 0.087, 4)).toEqual([0.02, 0.04, 0.06, 0.08]);
    // (64 - 16) / 4 = 12 per tick: the next round step is 20.
    expect(niceTicks(16, 64, 4)).toEqual([20, 40, 60]);
    expect(niceTicks(3, 3)).toEqual([3]);
    expect(niceTicks(NaN, 1)).toEqual([]);
  });

  it('makes numeric or categorical axes and places values on them', () => {
    const num = axisFor([16, undefined, 64]);
    expect(num).toMatchObject({ kind: 'number', min: 16, max: 64 });
    expect(axisPosition(num!, 40)).toBe(0.5);
    expect(axisPosition(num!, undefined)).toBeNull();
    const cat = axisFor(['sgd', 'adam', 'rmsprop', 'adam']);
    expect(cat).toEqual({ kind: 'category', categories: ['adam', 'rmsprop', 'sgd'] });
    expect(axisPosition(cat!, 'rmsprop')).toBe(0.5);
    expect(axisPosition(axisFor([5])!, 5)).toBe(0.5);
    expect(axisFor([undefined])).toBeNull();
  });
});

describe('parallelPlot', () => {
  it('keeps params that vary and the goal last, with positions per run', () => {
    const cols = runColumns([r1, r2, r3]);
    const params = cols.filter((c) => c.kind === 'param');
    const goal = cols.find((c) => c.id === 'metric:accuracy')!;
    const plot = parallelPlot([r1, r2, r3], params, goal, 'last');
    expect(plot.axes.map((a) => a.column.id)).toEqual(['param:units', 'param:optimizer', 'param:dropout', 'metric:accuracy']);
    expect(plot.lines.map((l) => l.positions)).toEqual([
      [0, 0, null, 1],
      [1, 1, null, 0],
      [1 / 3, 0, 0.5, null],
    ]);
    expect(plot.lines.map((l) => l.goal)).toEqual([1, 0, null]);
  });
});

describe('scatterPlot', () => {
  it('places runs with both values and counts the others', () => {
    const cols = runColumns([r1, r2, r3]);
    const x = cols.find((c) => c.id === 'param:units')!;
    const y = cols.find((c) => c.id === 'metric:accuracy')!;
    const plot = scatterPlot([r1, r2, r3], x, y, 'last');
    expect(plot.points.map((p) => [p.runId, p.px, p.py])).toEqual([['r1', 0, 1], ['r2', 1, 0]]);
    expect(plot.missing).toBe(1);
    expect(plot.y).toMatchObject({ kind: 'number', min: 0.8, max: 0.9 });
  });
});

describe('runDeletionBlocker', () => {
  it('refuses a running run and one a registered model version uses, and says why', () => {
    expect(runDeletionBlocker({ ...r1, status: 'running' }, [])).toMatch(/still training/);
    const reason = runDeletionBlocker(r1, [{ name: 'penguins', version: 2, runId: 'r1' }, { name: 'other', version: 1, runId: 'r9' }]);
    expect(reason).toBe('"r1" cannot be deleted: the registered model penguins version 2 uses its weights, metrics and lineage.');
    expect(runDeletionBlocker(r2, [{ name: 'penguins', version: 2, runId: 'r1' }])).toBeNull();
  });
});
