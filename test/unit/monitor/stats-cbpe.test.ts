import { describe, expect, it } from 'vitest';
import {
  argMaxClasses,
  calibrateProbabilities,
  estimateCbpe,
  fitCbpe,
  fitIsotonic,
  needsCalibration,
  predictIsotonic,
  realizedPerformance,
} from '../../../src/core/monitor/stats';
import { binIndexEdges, rocAuc } from '../../../src/core/monitor/stats/calibration';
import { mulberry32 } from '../../../src/core/shared/rng';
import { expectClose, fixtures } from './stats-fixtures';

describe('isotonic regression against scipy.optimize.isotonic_regression with sklearn’s tie handling', () => {
  it('knots, fitted values and clipped interpolation match every fixture', () => {
    for (const c of fixtures.isotonic) {
      const model = fitIsotonic(c.x, c.y);
      expect(model.x, c.name).toEqual(c.knots);
      model.y.forEach((v, i) => expectClose(v, c.fitted[i], 1e-12, 1e-15, `${c.name} fitted ${i}`));
      c.queries.forEach((q, i) => expectClose(predictIsotonic(model, q), c.predicted[i], 1e-12, 1e-15, `${c.name} at ${q}`));
    }
  });

  it('is non-decreasing and keeps the weighted mean of the targets', () => {
    const rand = mulberry32(3);
    const x = Array.from({ length: 300 }, () => rand());
    const y = x.map((v): number => (rand() < v ? 1 : 0));
    const m = fitIsotonic(x, y);
    for (let i = 1; i < m.y.length; i++) expect(m.y[i]).toBeGreaterThanOrEqual(m.y[i - 1]);
    const fittedMean = x.reduce((s, v) => s + predictIsotonic(m, v), 0) / x.length;
    expectClose(fittedMean, y.reduce((s, v) => s + v, 0) / y.length, 1e-12, 0, 'mean');
  });
});

describe('NannyML’s needs-calibration check', () => {
  it('says no for a single class and for a score that already separates the classes', () => {
    expect(needsCalibration([0.1, 0.4, 0.8], [1, 1, 1])).toBe(false);
    expect(needsCalibration([0.1, 0.2, 0.3, 0.7, 0.8, 0.9], [0, 0, 0, 1, 1, 1])).toBe(false);
    expect(rocAuc([0.1, 0.2, 0.3, 0.7], [0, 0, 1, 1])).toBe(1);
    expect(rocAuc([0.5, 0.5], [0, 1])).toBe(0.5);
  });

  it('says yes for an overconfident score', () => {
    const rand = mulberry32(11);
    const truth = Array.from({ length: 2000 }, () => rand());
    const targets = truth.map((p) => (rand() < p ? 1 : 0));
    const overconfident = truth.map((p) => (p > 0.5 ? 0.5 + (p - 0.5) ** 0.3 * 0.5 ** 0.7 : 0.5 - (0.5 - p) ** 0.3 * 0.5 ** 0.7));
    expect(needsCalibration(overconfident, targets)).toBe(true);
    // For an already calibrated score the answer is a coin toss between two noisy ECEs, so it is not asserted;
    // the CBPE tests below show the estimate is right either way.
  });

  it('splits like NannyML’s _get_bin_index_edges', () => {
    expect(binIndexEdges(20, 4)).toEqual([[0, 5], [5, 10], [10, 15], [15, 20]]);
    expect(binIndexEdges(25, 10)).toHaveLength(12);
    expect(() => binIndexEdges(3, 10)).toThrow(/at least 2/);
  });
});

/** Rows with true class probabilities softmax(z) and labels drawn from them; the model reports softmax(sharpness·z). */
function synthetic(seed: number, rows: number, classes: number, spread: number, sharpness: number) {
  const rand = mulberry32(seed);
  const gauss = (): number => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
  const probabilities = new Float64Array(rows * classes);
  const labels = new Int32Array(rows);
  for (let r = 0; r < rows; r++) {
    const z = Array.from({ length: classes }, () => gauss() * spread);
    const softmax = (k: number): number[] => {
      const e = z.map((v) => Math.exp(k * v));
      const s = e.reduce((a, b) => a + b, 0);
      return e.map((v) => v / s);
    };
    const truth = softmax(1);
    const reported = softmax(sharpness);
    let u = rand();
    let label = classes - 1;
    for (let c = 0; c < classes; c++) {
      if (u < truth[c]) {
        label = c;
        break;
      }
      u -= truth[c];
    }
    labels[r] = label;
    reported.forEach((p, c) => (probabilities[r * classes + c] = p));
  }
  return { probabilities, labels, classCount: classes };
}

describe('CBPE estimates accuracy and macro F1 without labels', () => {
  // Bound: every window's estimate lies within 4 of NannyML's standard errors of the realized value (the band the
  // Monitor draws is 3), and across windows the mean absolute gap stays near the 0.8 SE that pure sampling noise gives.
  const check = (classes: number, sharpness: number, spread: number, windowSpread = spread) => {
    const model = fitCbpe(synthetic(1, 4000, classes, spread, sharpness));
    const gaps: number[] = [];
    let rawGap = 0;
    for (let seed = 100; seed < 110; seed++) {
      const w = synthetic(seed, 1000, classes, windowSpread, sharpness);
      const est = estimateCbpe(model, w.probabilities);
      const real = realizedPerformance(w.labels, argMaxClasses(w.probabilities, classes), classes);
      const acc = Math.abs(est.accuracy.value - real.accuracy);
      expect(acc, `accuracy window ${seed}`).toBeLessThan(4 * est.accuracy.standardError);
      expect(Math.abs(est.macroF1.value - real.macroF1), `F1 window ${seed}`).toBeLessThan(4 * est.macroF1.standardError);
      gaps.push(acc / est.accuracy.standardError);
      let rawConfidence = 0;
      for (let r = 0; r < 1000; r++) rawConfidence += Math.max(...w.probabilities.subarray(r * classes, (r + 1) * classes));
      rawGap += Math.abs(rawConfidence / 1000 - real.accuracy) / 10;
    }
    // |N(0,1)| averages 0.8; 1.25 leaves room for the ten-window mean to wander without hiding a bias.
    expect(gaps.reduce((a, b) => a + b, 0) / gaps.length).toBeLessThan(1.25);
    return { model, rawGap };
  };

  it('a perfectly calibrated 3-class model: the estimate tracks the realized figures', () => {
    const { rawGap } = check(3, 1, 1.5);
    expect(rawGap).toBeLessThan(0.03);
  });

  it('an overconfident 3-class model: raw confidence is far off, the calibrated estimate is not', () => {
    const { model, rawGap } = check(3, 3, 1.2);
    expect(rawGap).toBeGreaterThan(0.1);
    expect(model.calibrators.every((c) => c !== null)).toBe(true);
  });

  it('follows a window whose inputs got harder (covariate shift), not the reference accuracy', () => {
    const model = fitCbpe(synthetic(1, 4000, 3, 1.5, 3));
    const easy = synthetic(7, 1000, 3, 1.5, 3);
    const hard = synthetic(8, 1000, 3, 0.6, 3);
    const estEasy = estimateCbpe(model, easy.probabilities).accuracy.value;
    const estHard = estimateCbpe(model, hard.probabilities);
    const realHard = realizedPerformance(hard.labels, argMaxClasses(hard.probabilities, 3), 3).accuracy;
    expect(estEasy - estHard.accuracy.value).toBeGreaterThan(0.1);
    expect(Math.abs(estHard.accuracy.value - realHard)).toBeLessThan(4 * estHard.accuracy.standardError);
  });

  it('binary models use one calibrator on the class-1 score', () => {
    const { model } = check(2, 2.5, 1.5);
    expect(model.mode).toBe('binary');
    expect(model.calibrators).toHaveLength(1);
  });

  it('computes NannyML’s sampling error from the reference and clips the band to [0, 1]', () => {
    const ref = synthetic(5, 500, 3, 1.5, 1);
    const model = fitCbpe(ref);
    const real = realizedPerformance(ref.labels, argMaxClasses(ref.probabilities, 3), 3);
    expectClose(model.accuracyStd, Math.sqrt(real.accuracy * (1 - real.accuracy)), 1e-12, 0, 'σ');
    const w = synthetic(6, 400, 3, 1.5, 1);
    const est = estimateCbpe(model, w.probabilities);
    expectClose(est.accuracy.standardError, model.accuracyStd / 20, 1e-12, 0, 'SE');
    expectClose(est.accuracy.upper, Math.min(1, est.accuracy.value + 3 * est.accuracy.standardError), 1e-12, 0, 'upper');
    // Macro F1: per class, the variance of the row outcomes TP → 1, FP/FN → 0 over the share of rows involved.
    const predicted = argMaxClasses(ref.probabilities, 3);
    let sum = 0;
    for (let c = 0; c < 3; c++) {
      const outcomes: number[] = [];
      ref.labels.forEach((label, i) => {
        if (predicted[i] === c || label === c) outcomes.push(predicted[i] === c && label === c ? 1 : 0);
      });
      const mean = outcomes.reduce((a, b) => a + b, 0) / outcomes.length;
      const variance = outcomes.reduce((a, b) => a + (b - mean) ** 2, 0) / outcomes.length;
      sum += variance / (400 * (outcomes.length / 500));
    }
    expectClose(est.macroF1.standardError, Math.sqrt(sum) / 3, 1e-12, 0, 'F1 SE');
    const sure = fitCbpe({ probabilities: Float64Array.from([1, 0, 0, 1, 1, 0, 0, 1]), labels: Int32Array.from([0, 1, 0, 1]), classCount: 2 });
    const one = estimateCbpe(sure, Float64Array.from([1, 0]));
    expect(one.accuracy).toMatchObject({ value: 1, standardError: 0, lower: 1, upper: 1 });
  });

  it('calibrated rows sum to 1: binary p₀ = 1 - calibrated p₁, multiclass renormalised', () => {
    const binary = fitCbpe(synthetic(1, 2000, 2, 1.5, 2.5));
    const w2 = synthetic(2, 50, 2, 1.5, 2.5);
    const cal2 = calibrateProbabilities(binary, w2.probabilities);
    for (let r = 0; r < 50; r++) {
      expectClose(cal2[r * 2 + 1], predictIsotonic(binary.calibrators[0] as NonNullable<(typeof binary.calibrators)[0]>, w2.probabilities[r * 2 + 1]), 1e-15, 1e-15, `p1 row ${r}`);
      expectClose(cal2[r * 2] + cal2[r * 2 + 1], 1, 1e-15, 0, `sum row ${r}`);
    }
    const multi = fitCbpe(synthetic(1, 2000, 4, 1.5, 2.5));
    const w4 = synthetic(2, 50, 4, 1.5, 2.5);
    const cal4 = calibrateProbabilities(multi, w4.probabilities);
    for (let r = 0; r < 50; r++) {
      const raw = [0, 1, 2, 3].map((c) => {
        const m = multi.calibrators[c];
        return m ? predictIsotonic(m, w4.probabilities[r * 4 + c]) : w4.probabilities[r * 4 + c];
      });
      const total = raw.reduce((a, b) => a + b, 0);
      for (let c = 0; c < 4; c++) expectClose(cal4[r * 4 + c], raw[c] / total, 1e-14, 0, `row ${r} class ${c}`);
    }
  });

  it('the fitted model is plain data that survives JSON', () => {
    const model = fitCbpe(synthetic(1, 600, 3, 1.5, 2));
    const copy = JSON.parse(JSON.stringify(model)) as typeof model;
    const w = synthetic(2, 100, 3, 1.5, 2);
    expect(estimateCbpe(copy, w.probabilities)).toEqual(estimateCbpe(model, w.probabilities));
  });

  it('names what is wrong with its inputs', () => {
    expect(() => fitCbpe({ probabilities: new Float64Array(5), labels: new Int32Array(2), classCount: 2 })).toThrow(/do not split into rows of 2/);
    expect(() => fitCbpe({ probabilities: Float64Array.from([0.5, 0.5, 0.2, 0.8]), labels: Int32Array.from([0, 3]), classCount: 2 })).toThrow(/label 3 in row 1/);
    const model = fitCbpe({ probabilities: Float64Array.from([0.9, 0.1, 0.2, 0.8, 0.6, 0.4]), labels: Int32Array.from([0, 1, 1]), classCount: 2 });
    expect(() => estimateCbpe(model, Float64Array.from([0.5, Number.NaN]))).toThrow(/class 1 in row 0 is not a finite number/);
    expect(() => estimateCbpe(model, new Float64Array(0))).toThrow(/no rows/);
  });
});
