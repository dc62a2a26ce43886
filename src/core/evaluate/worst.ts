// Error analysis: the rows a model got most wrong, ranked by their own loss.

/** Squared error per row: the regression loss the model was trained on. */
export function squaredErrors(actual: ArrayLike<number>, predicted: ArrayLike<number>): Float64Array {
  return Float64Array.from({ length: actual.length }, (_, i) => (actual[i] - predicted[i]) ** 2);
}

/** Positions of the `n` highest losses, highest first; equal losses keep row order, so the ranking is stable. */
export function worstIndices(losses: ArrayLike<number>, n: number): number[] {
  const order = Array.from({ length: losses.length }, (_, i) => i);
  order.sort((a, b) => losses[b] - losses[a] || a - b);
  return order.slice(0, Math.max(0, n));
}
