import { describe, expect, it } from 'vitest';
import { classificationFigures, confusionMatrix, normalizeRows } from '../../src/core/evaluate/classification';

describe('classificationFigures', () => {
  it('matches scikit-learn balanced_accuracy_score documented example', () => {
    // balanced_accuracy_score([0, 1, 0, 0, 1, 0], [0, 1, 0, 0, 0, 1]) == 0.625
    const f = classificationFigures([0, 1, 0, 0, 1, 0], [0, 1, 0, 0, 0, 1], ['0', '1']);
    expect(f.balancedAccuracy).toBeCloseTo(0.625, 12);
    expect(f.accuracy).toBeCloseTo(4 / 6, 12);
  });

  it('matches scikit-learn precision_recall_fscore_support macro and weighted example', () => {
    // y_true = [cat, dog, pig, cat, dog, pig], y_pred = [cat, pig, dog, cat, cat, dog]:
    // macro (0.2222, 0.3333, 0.2666), weighted (0.2222, 0.3333, 0.2666)
    const labels = ['cat', 'dog', 'pig'];
    const f = classificationFigures([0, 1, 2, 0, 1, 2], [0, 2, 1, 0, 0, 1], labels);
    expect(f.macro.precision).toBeCloseTo(0.2222222222222222, 12);
    expect(f.macro.recall).toBeCloseTo(0.3333333333333333, 12);
    expect(f.macro.f1).toBeCloseTo(0.26666666666666666, 12);
    expect(f.weighted.precision).toBeCloseTo(0.2222222222222222, 12);
    expect(f.weighted.recall).toBeCloseTo(0.3333333333333333, 12);
    expect(f.weighted.f1).toBeCloseTo(0.26666666666666666, 12);
  });

  it('weights by support, computed by hand', () => {
    //            predicted a  b  c
    //   actual a           2  1  0   support 3, precision 2/3, recall 2/3
    //   actual b           0  3  1   support 4, precision 3/4, recall 3/4
    //   actual c           1  0  2   support 3, precision 2/3, recall 2/3
    const f = classificationFigures([0, 0, 0, 1, 1, 1, 1, 2, 2, 2], [0, 0, 1, 1, 1, 1, 2, 0, 2, 2], ['a', 'b', 'c']);
    expect(f.weighted.precision).toBeCloseTo((3 * (2 / 3) + 4 * (3 / 4) + 3 * (2 / 3)) / 10, 12);
    expect(f.weighted.recall).toBeCloseTo(0.7, 12);
    expect(f.balancedAccuracy).toBeCloseTo((2 / 3 + 3 / 4 + 2 / 3) / 3, 12);
    expect(f.perClass.map((c) => c.predicted)).toEqual([3, 4, 3]);
  });

  it('with a single class in the truth, balanced accuracy is that class recall and the macro counts predicted classes', () => {
    const f = classificationFigures([0, 0, 0], [0, 0, 1], ['a', 'b']);
    expect(f.balancedAccuracy).toBeCloseTo(2 / 3, 12);
    // a: precision 1, recall 2/3; b: predicted once, never true -> 0 and 0.
    expect(f.macro.precision).toBeCloseTo(0.5, 12);
    expect(f.macro.recall).toBeCloseTo(1 / 3, 12);
    expect(f.weighted.recall).toBeCloseTo(2 / 3, 12);
  });

  it('gives NaN overall figures with no rows', () => {
    const f = classificationFigures([], [], ['a', 'b']);
    expect(f.count).toBe(0);
    expect([f.accuracy, f.balancedAccuracy, f.macro.f1, f.weighted.f1].every(Number.isNaN)).toBe(true);
  });
});

describe('confusion matrix', () => {
  it('counts and row-normalises as scikit-learn confusion_matrix(normalize="true")', () => {
    // y_true = [2, 0, 2, 2, 0, 1], y_pred = [0, 0, 2, 2, 0, 2]
    const m = confusionMatrix([2, 0, 2, 2, 0, 1], [0, 0, 2, 2, 0, 2], 3);
    expect(m).toEqual([
      [2, 0, 0],
      [0, 0, 1],
      [1, 0, 2],
    ]);
    const n = normalizeRows(m);
    expect(n[0]).toEqual([1, 0, 0]);
    expect(n[1]).toEqual([0, 0, 1]);
    expect(n[2][0]).toBeCloseTo(1 / 3, 12);
    expect(n[2][2]).toBeCloseTo(2 / 3, 12);
  });

  it('leaves a class with no rows at zero when normalising, and rejects bad indices', () => {
    expect(normalizeRows([[0, 0], [1, 3]])).toEqual([[0, 0], [0.25, 0.75]]);
    expect(() => confusionMatrix([0, 2], [0, 1], 2)).toThrow(RangeError);
    expect(() => confusionMatrix([0], [0, 1], 2)).toThrow(RangeError);
  });
});
