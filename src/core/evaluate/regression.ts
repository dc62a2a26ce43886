// Regression figures, as scikit-learn defines them except MAPE's guard against zero targets (see regressionFigures).

import type { RegressionFigures } from './types';

/**
 * MAE, RMSE and R² follow scikit-learn (R² with constant actual values: 1 for a perfect fit, else 0). MAPE differs
 * on purpose: scikit-learn divides by max(|y|, eps), which turns a zero target into an error of about 10^15; here
 * rows whose actual value is 0 are left out of MAPE and counted in `mapeSkipped`, and MAPE is NaN (undefined) when
 * every actual value is 0. MAPE is a fraction (0.1 = 10%). With no rows every figure is NaN.
 */
export function regressionFigures(actual: ArrayLike<number>, predicted: ArrayLike<number>): RegressionFigures {
  if (actual.length !== predicted.length) {
    throw new RangeError(`Got ${actual.length} actual values but ${predicted.length} predictions.`);
  }
  const n = actual.length;
  if (n === 0) return { task: 'regression', count: 0, mae: NaN, rmse: NaN, r2: NaN, mape: NaN, mapeSkipped: 0 };
  let mean = 0;
  for (let i = 0; i < n; i++) mean += actual[i];
  mean /= n;
  let absolute = 0;
  let ssRes = 0;
  let ssTot = 0;
  let percentage = 0;
  let mapeSkipped = 0;
  for (let i = 0; i < n; i++) {
    const err = actual[i] - predicted[i];
    absolute += Math.abs(err);
    ssRes += err * err;
    ssTot += (actual[i] - mean) ** 2;
    if (actual[i] === 0) mapeSkipped++;
    else percentage += Math.abs(err) / Math.abs(actual[i]);
  }
  const r2 = ssTot === 0 ? (ssRes === 0 ? 1 : 0) : 1 - ssRes / ssTot;
  const mape = mapeSkipped === n ? NaN : percentage / (n - mapeSkipped);
  return { task: 'regression', count: n, mae: absolute / n, rmse: Math.sqrt(ssRes / n), r2, mape, mapeSkipped };
}
