import { describe, expect, it } from 'vitest';
import { regressionFigures } from '../../src/core/evaluate/regression';

describe('regressionFigures', () => {
  it('matches scikit-learn documented examples for MAE, RMSE, R² and MAPE', () => {
    const f = regressionFigures([3, -0.5, 2, 7], [2.5, 0.0, 2, 8]);
    expect(f.mae).toBeCloseTo(0.5, 12);
    expect(f.rmse).toBeCloseTo(Math.sqrt(0.375), 12);
    expect(f.r2).toBeCloseTo(0.9486081370449679, 12);
    // mean_absolute_percentage_error([3, -0.5, 2, 7], [2.5, 0.0, 2, 8]) == 0.3273809523809524
    expect(f.mape).toBeCloseTo(0.3273809523809524, 12);
    expect(f.mapeSkipped).toBe(0);
  });

  it('skips zero targets in MAPE and counts them', () => {
    // Rows 2 and 3: |2-1|/2 = 0.5 and |4-5|/4 = 0.25; the zero target is left out.
    const f = regressionFigures([0, 2, 4], [1, 1, 5]);
    expect(f.mape).toBeCloseTo(0.375, 12);
    expect(f.mapeSkipped).toBe(1);
    expect(f.mae).toBeCloseTo(1, 12);
  });

  it('leaves MAPE undefined when every target is zero', () => {
    const f = regressionFigures([0, 0], [1, -1]);
    expect(f.mape).toBeNaN();
    expect(f.mapeSkipped).toBe(2);
    expect(f.mae).toBe(1);
    expect(f.r2).toBe(0);
  });

  it('reports NaN for empty input', () => {
    const f = regressionFigures([], []);
    expect([f.mae, f.rmse, f.r2, f.mape].every(Number.isNaN)).toBe(true);
  });
});
