import { describe, expect, it } from 'vitest';
import { prCurve, rocCurve, thinCurve, trapezoid } from '../../src/core/evaluate/curves';

const positive = (ys: number[]) => ys.map((y) => y === 1);

describe('rocCurve', () => {
  it('matches scikit-learn roc_curve and roc_auc_score documented example', () => {
    // roc_auc_score([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]) == 0.75
    const roc = rocCurve([0.1, 0.4, 0.35, 0.8], positive([0, 0, 1, 1]));
    expect(roc.auc).toBeCloseTo(0.75, 12);
    expect(roc.fpr).toEqual([0, 0, 0.5, 0.5, 1]);
    expect(roc.tpr).toEqual([0, 0.5, 0.5, 1, 1]);
  });

  it('gives tied scores half credit, as counting pairs by hand does', () => {
    // Pairs (positive, negative): both 0.6 positives beat the 0.2 negative (2), and tie the 0.6 negative (2 x 0.5).
    const roc = rocCurve([0.2, 0.6, 0.6, 0.6], positive([0, 1, 1, 0]));
    expect(roc.auc).toBeCloseTo(3 / 4, 12);
    expect(roc.fpr).toEqual([0, 0.5, 1]);
    expect(roc.tpr).toEqual([0, 1, 1]);
    expect(rocCurve([0.5, 0.5, 0.5, 0.5], positive([0, 1, 0, 1])).auc).toBeCloseTo(0.5, 12);
  });

  it('is undefined with a single class present', () => {
    const roc = rocCurve([0.1, 0.9], positive([1, 1]));
    expect(roc.auc).toBeNaN();
    expect(roc.fpr).toEqual([]);
    expect(rocCurve([0.1, 0.9], positive([0, 0])).auc).toBeNaN();
  });

  it('scores a perfect and an inverted ranking 1 and 0', () => {
    expect(rocCurve([0.1, 0.2, 0.8, 0.9], positive([0, 0, 1, 1])).auc).toBe(1);
    expect(rocCurve([0.9, 0.8, 0.2, 0.1], positive([0, 0, 1, 1])).auc).toBe(0);
  });
});

describe('prCurve', () => {
  it('matches scikit-learn precision_recall_curve and average_precision_score documented example', () => {
    // average_precision_score([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]) == 0.8333...
    // precision_recall_curve: precision [0.5, 0.667, 0.5, 1, 1], recall [1, 1, 0.5, 0.5, 0] (loosest first)
    const pr = prCurve([0.1, 0.4, 0.35, 0.8], positive([0, 0, 1, 1]));
    expect(pr.averagePrecision).toBeCloseTo(0.8333333333333333, 12);
    expect(pr.recall).toEqual([0, 0.5, 0.5, 1, 1]);
    expect(pr.precision.map((p) => Number(p.toFixed(6)))).toEqual([1, 1, 0.5, 0.666667, 0.5]);
  });

  it('takes tied scores as one threshold', () => {
    // One threshold at 0.6 reaches recall 1 with precision 2/3; AP = (1 - 0) * 2/3.
    const pr = prCurve([0.2, 0.6, 0.6, 0.6], positive([0, 1, 1, 0]));
    expect(pr.averagePrecision).toBeCloseTo(2 / 3, 12);
    expect(pr.recall).toEqual([0, 1, 1]);
  });

  it('is undefined without positives', () => {
    expect(prCurve([0.3, 0.7], positive([0, 0])).averagePrecision).toBeNaN();
  });
});

describe('curve helpers', () => {
  it('integrates by the trapezoidal rule', () => {
    expect(trapezoid([0, 1, 2], [0, 1, 1])).toBeCloseTo(1.5, 12);
  });

  it('thins a long curve keeping its ends', () => {
    const long = { x: Array.from({ length: 1001 }, (_, i) => i), y: Array.from({ length: 1001 }, (_, i) => 2 * i) };
    const thin = thinCurve(long, ['x', 'y'], 11);
    expect(thin.x).toEqual([0, 100, 200, 300, 400, 500, 600, 700, 800, 900, 1000]);
    expect(thin.y).toEqual(thin.x.map((x) => 2 * x));
    expect(thinCurve({ x: [1, 2], y: [3, 4] }, ['x', 'y'], 11)).toEqual({ x: [1, 2], y: [3, 4] });
  });
});
