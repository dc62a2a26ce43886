import { describe, expect, it } from 'vitest';
import { cellValue, runColumns } from '../../../src/core/evaluate/runs/columns';
import { EMPTY_FILTER, filterRuns, meetsCondition, type RunFilter } from '../../../src/core/evaluate/runs/filter';
import { sortRuns } from '../../../src/core/evaluate/runs/sort';
import { makeRun, point } from './fixtures';

const a = makeRun('run 2', {
  params: { units: 16, optimizer: 'adam', learningRate: 0.01 },
  metrics: { accuracy: 0.95, f1: 0.9 },
  history: [point('loss', 1, 0.8), point('loss', 2, 0.3), point('val_loss', 1, 0.9), point('val_loss', 2, 0.5)],
  tags: { sweep: 'lr', 'mlflow.note.content': 'baseline try' },
  startedAt: 10,
  endedAt: 5010,
});
const b = makeRun('run 10', {
  params: { units: 64, optimizer: 'sgd', learningRate: 0.1 },
  metrics: { accuracy: 0.88, f1: 0.85 },
  history: [point('loss', 1, 0.7), point('loss', 2, 0.6), point('val_loss', 1, 0.4), point('val_loss', 2, 0.8)],
  tags: { sweep: 'units' },
  datasetId: 'e'.repeat(64),
  startedAt: 20,
  endedAt: 1020,
});
const c = makeRun('run 3', { status: 'running', params: { units: 32, optimizer: 'adam' }, metrics: {}, startedAt: 30, endedAt: null });
const runs = [c, b, a];

describe('runColumns and cellValue', () => {
  it('discovers info, param, test metric, history and tag columns from the runs', () => {
    const ids = runColumns(runs).map((col) => col.id);
    expect(ids).toEqual([
      'info:name', 'info:status', 'info:dataset', 'info:backend', 'info:start', 'info:duration', 'info:note',
      'param:units', 'param:optimizer', 'param:learningRate',
      'metric:accuracy', 'metric:f1',
      'history:loss', 'history:val_loss',
      'tag:sweep',
    ]);
  });

  it('reads each kind of value, with the chosen history figure', () => {
    expect(cellValue(a, { kind: 'info', key: 'duration' }, 'last')).toBe(5000);
    expect(cellValue(c, { kind: 'info', key: 'duration' }, 'last')).toBeUndefined();
    expect(cellValue(a, { kind: 'info', key: 'note' }, 'last')).toBe('baseline try');
    expect(cellValue(a, { kind: 'param', key: 'learningRate' }, 'last')).toBe(0.01);
    expect(cellValue(c, { kind: 'param', key: 'learningRate' }, 'last')).toBeUndefined();
    expect(cellValue(b, { kind: 'metric', key: 'accuracy' }, 'last')).toBe(0.88);
    expect(cellValue(b, { kind: 'history', key: 'val_loss' }, 'last')).toBe(0.8);
    expect(cellValue(b, { kind: 'history', key: 'val_loss' }, 'best')).toBe(0.4);
    expect(cellValue(a, { kind: 'tag', key: 'sweep' }, 'last')).toBe('lr');
    expect(cellValue(a, { kind: 'param', key: 'toString' }, 'last')).toBeUndefined();
  });
});

describe('sortRuns', () => {
  const names = (list: typeof runs) => list.map((r) => r.name);

  it('sorts numbers both ways with missing values last either way', () => {
    expect(names(sortRuns(runs, { kind: 'metric', key: 'accuracy' }, 'descending', 'last'))).toEqual(['run 2', 'run 10', 'run 3']);
    expect(names(sortRuns(runs, { kind: 'metric', key: 'accuracy' }, 'ascending', 'last'))).toEqual(['run 10', 'run 2', 'run 3']);
    expect(names(sortRuns(runs, { kind: 'info', key: 'duration' }, 'ascending', 'last'))).toEqual(['run 10', 'run 2', 'run 3']);
  });

  it('sorts text naturally and history by the chosen figure', () => {
    expect(names(sortRuns(runs, { kind: 'info', key: 'name' }, 'ascending', 'last'))).toEqual(['run 2', 'run 3', 'run 10']);
    // Last val_loss: a 0.5, b 0.8; best (lowest): a 0.5, b 0.4.
    expect(names(sortRuns([a, b], { kind: 'history', key: 'val_loss' }, 'ascending', 'last'))).toEqual(['run 2', 'run 10']);
    expect(names(sortRuns([a, b], { kind: 'history', key: 'val_loss' }, 'ascending', 'best'))).toEqual(['run 10', 'run 2']);
  });

  it('keeps the given order on ties', () => {
    const x = makeRun('x', { params: { units: 8 } });
    const y = makeRun('y', { params: { units: 8 } });
    expect(names(sortRuns([y, x], { kind: 'param', key: 'units' }, 'ascending', 'last'))).toEqual(['y', 'x']);
    expect(names(sortRuns([y, x], { kind: 'param', key: 'units' }, 'descending', 'last'))).toEqual(['y', 'x']);
  });
});

describe('filterRuns', () => {
  const f = (over: Partial<RunFilter>) => filterRuns(runs, { ...EMPTY_FILTER, ...over }, 'last').map((r) => r.name);

  it('filters by status, dataset version, tag and text', () => {
    expect(f({})).toEqual(['run 3', 'run 10', 'run 2']);
    expect(f({ statuses: ['running'] })).toEqual(['run 3']);
    expect(f({ datasetId: 'e'.repeat(64) })).toEqual(['run 10']);
    expect(f({ tag: 'sweep' })).toEqual(['run 10', 'run 2']);
    expect(f({ tag: 'sweep = units' })).toEqual(['run 10']);
    expect(f({ text: 'SGD' })).toEqual(['run 10']);
    expect(f({ text: 'baseline' })).toEqual(['run 2']);
    expect(f({ text: 'units=32' })).toEqual(['run 3']);
  });

  it('applies metric and param conditions, and a missing value never passes', () => {
    expect(f({ conditions: [{ column: 'metric:accuracy', op: '>=', value: '0.9' }] })).toEqual(['run 2']);
    expect(f({ conditions: [{ column: 'metric:accuracy', op: '<', value: '0.9' }] })).toEqual(['run 10']);
    expect(f({ conditions: [{ column: 'param:units', op: '>', value: '16' }, { column: 'param:optimizer', op: '=', value: 'ADAM' }] })).toEqual(['run 3']);
    expect(f({ conditions: [{ column: 'param:optimizer', op: '!=', value: 'adam' }] })).toEqual(['run 10']);
    expect(f({ conditions: [{ column: 'tag:sweep', op: 'contains', value: 'UN' }] })).toEqual(['run 10']);
    expect(f({ conditions: [{ column: 'metric:accuracy', op: '!=', value: '0.5' }] })).toEqual(['run 10', 'run 2']);
  });

  it('compares history metrics at the chosen figure and text that is not a number as text', () => {
    const cond = { column: 'history:val_loss', op: '<=' as const, value: '0.45' };
    expect(meetsCondition(b, cond, 'last')).toBe(false);
    expect(meetsCondition(b, cond, 'best')).toBe(true);
    expect(meetsCondition(a, { column: 'metric:accuracy', op: '=', value: '0.95x' }, 'last')).toBe(false);
    expect(meetsCondition(a, { column: 'nonsense', op: '=', value: '1' }, 'last')).toBe(false);
  });
});
