// The per-task tables the screens draw from: goal metrics, the curves of a run, an evaluation's headline figure,
// a goal's relation, and a history's series aligned on one epoch axis.
import { describe, expect, it } from 'vitest';
import { alignKeys, GOAL_METRICS, goalRelation, headlineFigure, trainingCurves } from '../../src/core/evaluate/task-metrics';
import { residualsOf, summarizeResiduals } from '../../src/core/evaluate/residuals';
import type { ClassificationEvaluation, RegressionEvaluation } from '../../src/core/evaluate/types';
import { point } from './runs/fixtures';

describe('per-task metrics', () => {
  it('offers goals on the metrics each task reports', () => {
    expect(GOAL_METRICS.classification).toEqual(['accuracy', 'precision', 'recall', 'f1']);
    expect(GOAL_METRICS.regression).toEqual(['r2', 'mae', 'rmse']);
  });

  it('charts the loss, then accuracy for classification and the mean absolute error for regression', () => {
    expect(trainingCurves('classification')).toEqual([
      { title: 'Loss', keys: ['loss', 'val_loss'] },
      { title: 'Accuracy', keys: ['accuracy', 'val_accuracy'] },
    ]);
    expect(trainingCurves('regression')[1]).toEqual({ title: 'Mean absolute error', keys: ['mae', 'val_mae'] });
  });

  it('reads errors as "at most" and every other goal as "at least"', () => {
    expect(GOAL_METRICS.regression.map(goalRelation)).toEqual(['≥', '≤', '≤']);
    expect(GOAL_METRICS.classification.every((m) => goalRelation(m) === '≥')).toBe(true);
  });

  it('sums an evaluation up by its accuracy or its mean absolute error', () => {
    const classification = { task: 'classification', figures: { accuracy: 0.93 } } as ClassificationEvaluation;
    const regression = { task: 'regression', figures: { mae: 1.5 } } as RegressionEvaluation;
    expect(headlineFigure(classification)).toEqual({ label: 'accuracy', value: 0.93 });
    expect(headlineFigure(regression)).toEqual({ label: 'MAE', value: 1.5 });
  });
});

describe('alignKeys', () => {
  it('puts training and validation on the steps either logged, with gaps where one has no finite value', () => {
    const history = [
      point('loss', 0.5, 0.9),
      point('loss', 1, 0.7),
      point('val_loss', 1, 0.8),
      point('accuracy', 1, 0.6),
      point('loss', 2, NaN),
      point('val_loss', 2, 0.75),
    ];
    expect(alignKeys(history, ['loss', 'val_loss'])).toEqual({
      steps: [0.5, 1, 2],
      values: [
        [0.9, 0.7, null],
        [null, 0.8, 0.75],
      ],
    });
    expect(alignKeys([], ['loss'])).toEqual({ steps: [], values: [[]] });
  });
});

describe('residuals', () => {
  it('are actual minus predicted, summed up by mean, population deviation and range', () => {
    const residuals = residualsOf({ actual: [3, 5, 10], predicted: [1, 5, 12] });
    expect(residuals).toEqual([2, 0, -2]);
    const summary = summarizeResiduals(residuals)!;
    expect(summary).toMatchObject({ n: 3, mean: 0, min: -2, max: 2 });
    expect(summary.std).toBeCloseTo(Math.sqrt(8 / 3), 12);
    expect(summarizeResiduals([])).toBeNull();
  });
});
