// The compare view's scatter starts on the parameter the runs differ in, against the goal metric.
import { describe, expect, it } from 'vitest';
import { runColumns } from '../../../src/core/evaluate/runs/columns';
import { scatterAxes } from '../../../src/core/evaluate/runs/scatter-axes';
import { makeRun } from './fixtures';

const hyper = (learningRate: number) => ({
  spec: { family: 'mlp', layers: [{ units: 16, activation: 'relu' }], dropout: 0 },
  hyper: { optimizer: 'adam', learningRate, epochs: 3, batchSize: 32, seed: 7 },
});
const runs = [
  makeRun('a', { params: hyper(0.01), metrics: { accuracy: 0.8, f1: 0.7 } }),
  makeRun('b', { params: hyper(0.1), metrics: { accuracy: 0.9, f1: 0.85 } }),
];
const columns = runColumns(runs);

describe('scatterAxes', () => {
  it('defaults to the first parameter that differs, against the goal metric', () => {
    const axes = scatterAxes(columns, runs, 'last', 'metric:f1', { x: '', y: '' });
    expect(axes.x?.kind).toBe('param');
    expect(axes.x?.key).toMatch(/learningRate/);
    expect(axes.y?.id).toBe('metric:f1');
    expect(axes.yChoices.every((c) => c.kind === 'metric' || c.kind === 'history')).toBe(true);
    expect(axes.xChoices.some((c) => c.kind === 'param')).toBe(true);
  });

  it("keeps the user's choice while it is offered, and falls back when it is not", () => {
    const chosen = scatterAxes(columns, runs, 'last', 'metric:f1', { x: 'metric:accuracy', y: 'metric:accuracy' });
    expect([chosen.x?.id, chosen.y?.id]).toEqual(['metric:accuracy', 'metric:accuracy']);
    const gone = scatterAxes(columns, runs, 'last', 'metric:absent', { x: 'param:nothing', y: 'metric:nothing' });
    expect(gone.y).toBe(gone.yChoices[0]);
    expect(gone.x?.key).toMatch(/learningRate/);
  });
});
