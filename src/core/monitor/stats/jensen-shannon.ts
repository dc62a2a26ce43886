// Jensen–Shannon distance between two discrete distributions, as scipy.spatial.distance.jensenshannon with the
// default natural logarithm (Evidently passes base=None): √((KL(p‖m) + KL(q‖m)) / 2) with m = (p + q)/2, after
// each side is normalised to sum to 1. It lies in [0, √ln 2 ≈ 0.8326]. Evidently bins the columns first without
// filling empty bins (see binning.ts), so an empty bin simply contributes 0.

export function jensenShannonDistance(p: ArrayLike<number>, q: ArrayLike<number>): number {
  if (p.length !== q.length) throw new Error(`Jensen–Shannon distance needs aligned bins (got ${p.length} and ${q.length})`);
  let sp = 0;
  let sq = 0;
  for (let i = 0; i < p.length; i++) {
    sp += p[i];
    sq += q[i];
  }
  if (!(sp > 0 && sq > 0)) throw new Error('Jensen–Shannon distance needs two non-empty distributions');
  let left = 0;
  let right = 0;
  for (let i = 0; i < p.length; i++) {
    const a = p[i] / sp;
    const b = q[i] / sq;
    const m = (a + b) / 2;
    if (a > 0) left += a * Math.log(a / m);
    if (b > 0) right += b * Math.log(b / m);
  }
  const js = Math.max(left + right, 0);
  return Math.sqrt(js / 2);
}
