import { describe, expect, it } from 'vitest';
import { classWeights } from '../../src/core/train/spec/class-weights';
import { initialEarlyStopping, stepEarlyStopping, type EarlyStoppingState } from '../../src/core/train/spec/early-stopping';
import { goalFromConfusion, goalFromErrors } from '../../src/core/train/spec/monitor';
import { defaultSchedule, learningRateAt } from '../../src/core/train/spec/schedule';

describe('learningRateAt', () => {
  it('keeps a constant rate', () => {
    expect([0, 1, 50].map((e) => learningRateAt({ kind: 'constant' }, 0.1, e, 100))).toEqual([0.1, 0.1, 0.1]);
  });

  it('steps down by the factor every N epochs', () => {
    const s = { kind: 'step' as const, every: 10, factor: 0.5 };
    expect([0, 9, 10, 19, 20, 35].map((e) => learningRateAt(s, 0.1, e, 100))).toEqual([0.1, 0.1, 0.05, 0.05, 0.025, 0.0125]);
  });

  it('decays exponentially per epoch', () => {
    const s = { kind: 'exponential' as const, rate: 0.9 };
    expect(learningRateAt(s, 1, 0, 10)).toBe(1);
    expect(learningRateAt(s, 1, 1, 10)).toBeCloseTo(0.9, 12);
    expect(learningRateAt(s, 1, 3, 10)).toBeCloseTo(0.729, 12);
  });

  it('follows half a cosine from the base rate to the final rate at the last epoch', () => {
    const s = { kind: 'cosine' as const, minLearningRate: 0.01 };
    expect(learningRateAt(s, 0.11, 0, 11)).toBeCloseTo(0.11, 12);
    expect(learningRateAt(s, 0.11, 5, 11)).toBeCloseTo(0.06, 12);
    expect(learningRateAt(s, 0.11, 10, 11)).toBeCloseTo(0.01, 12);
    expect(learningRateAt(s, 0.11, 0, 1)).toBeCloseTo(0.11, 12);
    const rates = Array.from({ length: 11 }, (_, e) => learningRateAt(s, 0.11, e, 11));
    expect(rates.every((r, i) => i === 0 || r < rates[i - 1])).toBe(true);
  });

  it('has defaults for every kind', () => {
    expect(defaultSchedule('cosine', 0.01)).toEqual({ kind: 'cosine', minLearningRate: 0.0001 });
    expect(defaultSchedule('step', 0.01)).toEqual({ kind: 'step', every: 10, factor: 0.5 });
  });
});

function run(values: number[], config = { patience: 2, minDelta: 0.1 }, higher = false): EarlyStoppingState[] {
  const states: EarlyStoppingState[] = [];
  let s = initialEarlyStopping();
  values.forEach((v, i) => {
    s = stepEarlyStopping(config, s, v, i + 1, higher);
    states.push(s);
  });
  return states;
}

describe('early stopping', () => {
  it('stops after `patience` epochs without an improvement larger than minDelta, remembering the best epoch', () => {
    const states = run([1.0, 0.8, 0.75, 0.74, 0.5, 0.45, 0.44]);
    expect(states.map((s) => s.improved)).toEqual([true, true, false, false, true, false, false]);
    expect(states.map((s) => s.stop)).toEqual([false, false, false, true, false, false, true]);
    expect(states[3]).toMatchObject({ best: 0.8, bestEpoch: 2, wait: 2 });
    expect(states[6]).toMatchObject({ best: 0.5, bestEpoch: 5 });
  });

  it('watches a higher-is-better metric the other way', () => {
    const states = run([0.5, 0.7, 0.65, 0.75], { patience: 1, minDelta: 0 }, true);
    expect(states.map((s) => [s.improved, s.stop])).toEqual([[true, false], [true, false], [false, true], [true, false]]);
  });

  it('never counts NaN as an improvement', () => {
    const states = run([NaN, NaN], { patience: 2, minDelta: 0 });
    expect(states.map((s) => s.improved)).toEqual([false, false]);
    expect(states[1].stop).toBe(true);
    expect(states[1].bestEpoch).toBe(0);
  });
});

describe('classWeights', () => {
  it('balanced is n / (classes x count), like scikit-learn', () => {
    // 6 rows: class 0 x4, class 1 x1, class 2 x1 -> 6/(3*4), 6/(3*1), 6/(3*1)
    expect(Array.from(classWeights('balanced', [0, 0, 0, 0, 1, 2], 3))).toEqual([0.5, 2, 2]);
    expect(Array.from(classWeights('none', [0, 0, 0, 0, 1, 2], 3))).toEqual([1, 1, 1]);
  });

  it('gives an absent class weight 1 and counts only the classes present', () => {
    expect(Array.from(classWeights('balanced', [0, 0, 0, 2], 3))).toEqual([Math.fround(4 / 6), 1, 2]);
    expect(Array.from(classWeights('balanced', [], 2))).toEqual([1, 1]);
  });
});

describe('goal metric from validation sums', () => {
  it('computes macro F1 from a confusion matrix as the Evaluate stage does', () => {
    const confusion = [
      [3, 1],
      [0, 2],
    ];
    // class a: p=1, r=.75, f1=6/7; class b: p=2/3, r=1, f1=.8
    expect(goalFromConfusion('f1', confusion, ['a', 'b'])).toBeCloseTo((6 / 7 + 0.8) / 2, 12);
    expect(goalFromConfusion('accuracy', confusion, ['a', 'b'])).toBeCloseTo(5 / 6, 12);
    expect(() => goalFromConfusion('r2', confusion, ['a', 'b'])).toThrow(/regression metric/);
  });

  it('computes MAE, RMSE and R² from error sums', () => {
    const sums = { n: 4, absolute: 4, squared: 8, total: 16 };
    expect(goalFromErrors('mae', sums)).toBe(1);
    expect(goalFromErrors('rmse', sums)).toBeCloseTo(Math.SQRT2, 12);
    expect(goalFromErrors('r2', sums)).toBe(0.5);
    expect(goalFromErrors('r2', { n: 2, absolute: 0, squared: 0, total: 0 })).toBe(1);
    expect(goalFromErrors('mae', { n: 0, absolute: 0, squared: 0, total: 0 })).toBeNaN();
  });
});
