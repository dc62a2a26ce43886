import { describe, expect, it } from 'vitest';
import {
  classificationReport,
  flattenReport,
  higherIsBetter,
  meetsGoal,
  regressionReport,
} from '../../src/core/evaluate/run-report';

describe('classificationReport', () => {
  it('matches scikit-learn on its documented macro example', () => {
    // sklearn.metrics.precision_recall_fscore_support(y_true, y_pred, average='macro')
    const r = classificationReport([0, 1, 2, 0, 1, 2], [0, 2, 1, 0, 0, 1], ['a', 'b', 'c']);
    expect(r.precision).toBeCloseTo(0.2222222222222222, 12);
    expect(r.recall).toBeCloseTo(0.3333333333333333, 12);
    expect(r.f1).toBeCloseTo(0.26666666666666666, 12);
    expect(r.accuracy).toBeCloseTo(1 / 3, 12);
    expect(r.count).toBe(6);
  });

  it('builds the confusion matrix as [actual][predicted] with per-class figures', () => {
    // 3 classes, hand-counted:
    //            predicted a  b  c
    //   actual a           2  1  0
    //   actual b           0  3  1
    //   actual c           1  0  2
    const actual = [0, 0, 0, 1, 1, 1, 1, 2, 2, 2];
    const predicted = [0, 0, 1, 1, 1, 1, 2, 0, 2, 2];
    const r = classificationReport(actual, predicted, ['a', 'b', 'c']);
    expect(r.confusion).toEqual([
      [2, 1, 0],
      [0, 3, 1],
      [1, 0, 2],
    ]);
    expect(r.accuracy).toBeCloseTo(0.7, 12);
    const [a, b, c] = r.perClass;
    expect(a).toMatchObject({ label: 'a', support: 3 });
    expect(a.precision).toBeCloseTo(2 / 3, 12);
    expect(a.recall).toBeCloseTo(2 / 3, 12);
    expect(b.precision).toBeCloseTo(3 / 4, 12);
    expect(b.recall).toBeCloseTo(3 / 4, 12);
    expect(c.precision).toBeCloseTo(2 / 3, 12);
    expect(c.recall).toBeCloseTo(2 / 3, 12);
    expect(c.f1).toBeCloseTo(2 / 3, 12);
    expect(r.precision).toBeCloseTo((2 / 3 + 3 / 4 + 2 / 3) / 3, 12);
  });

  it('scores a class that is never predicted as 0 precision, not NaN', () => {
    const r = classificationReport([0, 1, 1], [0, 0, 0], ['x', 'y']);
    expect(r.perClass[1]).toEqual({ label: 'y', precision: 0, recall: 0, f1: 0, support: 2 });
    expect(r.perClass[0].precision).toBeCloseTo(1 / 3, 12);
    expect(r.perClass[0].recall).toBe(1);
    expect(r.perClass[0].f1).toBeCloseTo(0.5, 12);
    expect(r.precision).toBeCloseTo(1 / 6, 12);
  });

  it('averages only over classes that occur, as scikit-learn does without labels=', () => {
    const r = classificationReport([0, 0, 1], [0, 0, 1], ['x', 'y', 'z']);
    expect(r.perClass[2]).toEqual({ label: 'z', precision: 0, recall: 0, f1: 0, support: 0 });
    expect(r.precision).toBe(1);
    expect(r.f1).toBe(1);
  });

  it('handles a single class and empty input', () => {
    const one = classificationReport([0, 0], [0, 0], ['only']);
    expect(one).toMatchObject({ accuracy: 1, precision: 1, recall: 1, f1: 1, confusion: [[2]] });
    const empty = classificationReport([], [], ['x', 'y']);
    expect(empty.count).toBe(0);
    expect(empty.confusion).toEqual([
      [0, 0],
      [0, 0],
    ]);
    expect([empty.accuracy, empty.precision, empty.recall, empty.f1].every(Number.isNaN)).toBe(true);
  });

  it('rejects class indices outside the labels and mismatched lengths', () => {
    expect(() => classificationReport([0, 3], [0, 1], ['x', 'y'])).toThrow(RangeError);
    expect(() => classificationReport([0, 1], [0], ['x', 'y'])).toThrow(RangeError);
  });
});

describe('regressionReport', () => {
  it('matches scikit-learn on its documented example', () => {
    const r = regressionReport([3, -0.5, 2, 7], [2.5, 0.0, 2, 8]);
    expect(r.mae).toBeCloseTo(0.5, 12);
    expect(r.rmse).toBeCloseTo(Math.sqrt(0.375), 12);
    expect(r.r2).toBeCloseTo(0.9486081370449679, 12);
    expect(r.count).toBe(4);
  });

  it('follows scikit-learn when the actual values are constant', () => {
    expect(regressionReport([2, 2], [2, 2]).r2).toBe(1);
    expect(regressionReport([2, 2], [2, 3]).r2).toBe(0);
  });

  it('can give a negative R² for a model worse than the mean', () => {
    expect(regressionReport([1, 2, 3], [3, 2, 1]).r2).toBeCloseTo(-3, 12);
  });

  it('reports NaN for empty input', () => {
    const r = regressionReport([], []);
    expect(r.count).toBe(0);
    expect([r.mae, r.rmse, r.r2].every(Number.isNaN)).toBe(true);
  });
});

describe('flattenReport and goals', () => {
  it('flattens each kind of report to its headline metrics', () => {
    const c = classificationReport([0, 1], [0, 1], ['x', 'y']);
    expect(flattenReport(c)).toEqual({ accuracy: 1, precision: 1, recall: 1, f1: 1 });
    const r = regressionReport([3, -0.5, 2, 7], [2.5, 0.0, 2, 8]);
    expect(Object.keys(flattenReport(r))).toEqual(['mae', 'rmse', 'r2']);
    expect(flattenReport(r).mae).toBeCloseTo(0.5, 12);
  });

  it('knows which metrics are errors', () => {
    expect(higherIsBetter('accuracy')).toBe(true);
    expect(higherIsBetter('f1')).toBe(true);
    expect(higherIsBetter('r2')).toBe(true);
    expect(higherIsBetter('mae')).toBe(false);
    expect(higherIsBetter('rmse')).toBe(false);
  });

  it('checks the bar in the right direction, inclusive', () => {
    expect(meetsGoal({ accuracy: 0.9 }, { metric: 'accuracy', bar: 0.9 })).toBe(true);
    expect(meetsGoal({ accuracy: 0.89 }, { metric: 'accuracy', bar: 0.9 })).toBe(false);
    expect(meetsGoal({ rmse: 2 }, { metric: 'rmse', bar: 2 })).toBe(true);
    expect(meetsGoal({ rmse: 2.1 }, { metric: 'rmse', bar: 2 })).toBe(false);
    expect(meetsGoal({ accuracy: 1 }, { metric: 'f1', bar: 0.5 })).toBe(false);
    expect(meetsGoal({ mae: NaN }, { metric: 'mae', bar: 10 })).toBe(false);
  });
});
