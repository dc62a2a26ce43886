import { describe, expect, it } from 'vitest';
import { metricDirection } from '../../../src/core/evaluate/runs/direction';
import { alignHistories, historyKeys, historySeries, pickHistory } from '../../../src/core/evaluate/runs/history';
import { point } from './fixtures';

describe('metricDirection', () => {
  it('knows losses and errors go down and scores go up', () => {
    for (const k of ['loss', 'val_loss', 'mae', 'val_mae', 'test_rmse', 'log_loss', 'mse']) expect(metricDirection(k)).toBe('min');
    for (const k of ['accuracy', 'val_accuracy', 'r2', 'f1', 'test_precision', 'auc', 'balanced_accuracy']) expect(metricDirection(k)).toBe('max');
  });
});

describe('pickHistory', () => {
  const history = [point('loss', 1, 0.9), point('loss', 2, 0.4), point('loss', 3, 0.5), point('accuracy', 1, 0.6), point('accuracy', 2, 0.8), point('accuracy', 3, 0.7)];

  it('picks the last, lowest, highest and best value', () => {
    expect(pickHistory(history, 'loss', 'last')).toBe(0.5);
    expect(pickHistory(history, 'loss', 'min')).toBe(0.4);
    expect(pickHistory(history, 'loss', 'max')).toBe(0.9);
    expect(pickHistory(history, 'loss', 'best')).toBe(0.4);
    expect(pickHistory(history, 'accuracy', 'best')).toBe(0.8);
    expect(pickHistory(history, 'accuracy', 'last')).toBe(0.7);
  });

  it('takes last by step (the later point on a tie), skips NaN, and is undefined without values', () => {
    const h = [point('m', 5, 1), point('m', 2, 9), point('m', 5, 2), point('m', 6, NaN)];
    expect(pickHistory(h, 'm', 'last')).toBe(2);
    expect(pickHistory(h, 'm', 'max')).toBe(9);
    expect(pickHistory([point('m', 1, NaN)], 'm', 'min')).toBeUndefined();
    expect(pickHistory(h, 'absent', 'last')).toBeUndefined();
  });

  it('lists keys in first-logged order and series sorted by step', () => {
    expect(historyKeys(history)).toEqual(['loss', 'accuracy']);
    expect(historySeries([point('m', 3, 3), point('m', 1, 1), point('x', 2, 0)], 'm')).toEqual([{ step: 1, value: 1 }, { step: 3, value: 3 }]);
  });
});

describe('alignHistories', () => {
  it('puts every run on the steps any of them logged, with gaps where a run has no finite value', () => {
    const short = [point('val_loss', 2, 0.5), point('val_loss', 1, 0.8), point('loss', 1, 0.7)];
    const long = [point('val_loss', 1, 0.9), point('val_loss', 2, NaN), point('val_loss', 3, 0.4)];
    expect(alignHistories([short, long, []], 'val_loss')).toEqual({
      steps: [1, 2, 3],
      values: [
        [0.8, 0.5, null],
        [0.9, null, 0.4],
        [null, null, null],
      ],
    });
    expect(alignHistories([short], 'absent')).toEqual({ steps: [], values: [[]] });
  });
});
