import { describe, expect, it } from 'vitest';
import { calibrationCurve, logLoss, rowLogLosses } from '../../src/core/evaluate/probability';

describe('logLoss', () => {
  it('matches scikit-learn log_loss documented example', () => {
    // log_loss(["spam", "ham", "ham", "spam"], [[.1, .9], [.9, .1], [.8, .2], [.35, .65]]) == 0.21616...
    // Labels sort as ham = 0, spam = 1.
    const value = logLoss([1, 0, 0, 1], [0.1, 0.9, 0.9, 0.1, 0.8, 0.2, 0.35, 0.65], 2);
    expect(value).toBeCloseTo(0.21616187468057912, 12);
  });

  it('clips a zero probability so a confident mistake stays finite', () => {
    const [loss] = rowLogLosses([1], [1, 0], 2);
    expect(loss).toBeCloseTo(-Math.log(1e-15), 6);
    expect(Number.isFinite(loss)).toBe(true);
  });

  it('renormalises rows that do not sum to 1, as scikit-learn does', () => {
    // [0.2, 0.2] -> [0.5, 0.5]
    expect(logLoss([0], [0.2, 0.2], 2)).toBeCloseTo(Math.log(2), 12);
    expect(logLoss([], [], 3)).toBeNaN();
  });
});

describe('calibrationCurve', () => {
  it('matches scikit-learn calibration_curve documented example (3 uniform bins)', () => {
    // y_true = [0, 0, 0, 0, 1, 1, 1, 1, 1], y_pred = [0.1, 0.2, 0.3, 0.4, 0.65, 0.7, 0.8, 0.9, 1.]
    // prob_true [0, 0.5, 1], prob_pred [0.2, 0.525, 0.85]
    const c = calibrationCurve([0.1, 0.2, 0.3, 0.4, 0.65, 0.7, 0.8, 0.9, 1], [0, 0, 0, 0, 1, 1, 1, 1, 1].map(Boolean), 3);
    expect(c.bins.map((b) => b.fractionPositive)).toEqual([0, 0.5, 1]);
    expect(c.bins[0].meanPredicted).toBeCloseTo(0.2, 12);
    expect(c.bins[1].meanPredicted).toBeCloseTo(0.525, 12);
    expect(c.bins[2].meanPredicted).toBeCloseTo(0.85, 12);
    expect(c.bins.map((b) => b.count)).toEqual([3, 2, 4]);
    // ECE by hand: 3/9 * 0.2 + 2/9 * 0.025 + 4/9 * 0.15
    expect(c.ece).toBeCloseTo((3 / 9) * 0.2 + (2 / 9) * 0.025 + (4 / 9) * 0.15, 12);
  });

  it('leaves empty bins out and puts a value on an inner edge in the upper bin', () => {
    const c = calibrationCurve([0.5, 0.5], [true, false], 2);
    expect(c.bins).toEqual([{ lower: 0.5, upper: 1, count: 2, meanPredicted: 0.5, fractionPositive: 0.5 }]);
    expect(c.ece).toBe(0);
    expect(calibrationCurve([], [], 10)).toEqual({ bins: [], ece: NaN });
  });
});
