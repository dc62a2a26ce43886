// The comparisons every gate shares: reading a figure (missing and NaN never pass), bounds with a rounding allowance,
// and numbers printed short enough for a reason line.

/** Rounding allowance: 0.9 - 0.8 must meet an absolute bound of 0.1, and equal values must tie. */
const EPS = 1e-9;

export function slack(bound: number): number {
  return EPS * Math.max(1, Math.abs(bound));
}

/** `value` meets `bound` from above (≥, or > when strict), forgiving rounding error only for the non-strict form. */
export function atLeast(value: number, bound: number, strict = false): boolean {
  return strict ? value > bound + slack(bound) : value >= bound - slack(bound);
}

export function atMost(value: number, bound: number, strict = false): boolean {
  return strict ? value < bound - slack(bound) : value <= bound + slack(bound);
}

/** A figure for `metric`, or why there is none usable (absent, or NaN because it is undefined on these rows). */
export function readFigure(metrics: Record<string, number>, metric: string, whose: string): { value: number | null; problem: string | null } {
  if (!Object.prototype.hasOwnProperty.call(metrics, metric) || typeof metrics[metric] !== 'number') {
    return { value: null, problem: `the ${whose} has no ${metric}` };
  }
  const value = metrics[metric];
  if (Number.isNaN(value)) return { value, problem: `the ${whose}'s ${metric} is NaN (undefined on these rows), which never passes` };
  return { value, problem: null };
}

export function fmt(n: number | null): string {
  if (n === null) return '—';
  if (!Number.isFinite(n)) return String(n);
  return String(Number(n.toPrecision(6)));
}
