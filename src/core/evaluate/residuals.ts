// Residuals of a regression evaluation's plotted rows, and the figures that say whether the errors lean one way.

export interface ResidualSummary {
  n: number;
  mean: number;
  /** Population standard deviation. */
  std: number;
  min: number;
  max: number;
}

/** actual − predicted, row by row. */
export function residualsOf(scatter: { actual: readonly number[]; predicted: readonly number[] }): number[] {
  return scatter.actual.map((a, i) => a - scatter.predicted[i]);
}

/** null with no rows: there is nothing to sum up. */
export function summarizeResiduals(residuals: readonly number[]): ResidualSummary | null {
  const n = residuals.length;
  if (n === 0) return null;
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  for (const r of residuals) {
    sum += r;
    if (r < min) min = r;
    if (r > max) max = r;
  }
  const mean = sum / n;
  let squares = 0;
  for (const r of residuals) squares += (r - mean) ** 2;
  return { n, mean, std: Math.sqrt(squares / n), min, max };
}
