// NannyML's test of whether a score benefits from isotonic calibration (nannyml/calibration.py,
// needs_calibration): no when the targets hold one class or the score already ranks them almost perfectly
// (ROC AUC > 0.999); otherwise fit the calibrator on 90% of the rows and calibrate the other 10%, ten times over
// stratified shuffle splits, pool the held-out rows, and calibrate only if the pooled expected calibration error
// (10 equal-count bins over the sorted scores) goes down. The splits here are drawn with the core's seeded
// generator (seed 42, like NannyML's random_state), so they are reproducible but not sklearn's exact rows.

import { mulberry32, shuffleInPlace } from '../../shared/rng';
import { fitIsotonic, predictIsotonic } from './isotonic';

const SPLITS = 10;
const TEST_SHARE = 0.1;
const BINS = 10;

/** Area under the ROC curve of a score for 0/1 targets (ties count one half), by the rank-sum formula. */
export function rocAuc(scores: ArrayLike<number>, targets: ArrayLike<number>): number {
  const n = scores.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[a] - scores[b]);
  let positives = 0;
  let rankSum = 0;
  for (let i = 0; i < n; ) {
    let j = i;
    while (j < n && scores[order[j]] === scores[order[i]]) j++;
    const averageRank = (i + 1 + j) / 2;
    for (let k = i; k < j; k++) {
      if (targets[order[k]] === 1) {
        positives++;
        rankSum += averageRank;
      }
    }
    i = j;
  }
  const negatives = n - positives;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/** NannyML's _get_bin_index_edges: equal-count bins over a sorted vector. */
export function binIndexEdges(length: number, binCount: number): Array<[number, number]> {
  let count = binCount;
  if (length <= 2 * count) {
    count = Math.floor(length / 2);
    if (count < 2) throw new Error(`cannot split ${length} rows into at least 2 calibration bins`);
  }
  const width = Math.floor(length / count);
  const edges: number[] = [];
  for (let e = 0; e <= length; e += width) edges.push(e);
  edges[edges.length - 1] = length;
  return edges.slice(0, -1).map((left, i) => [left, edges[i + 1]]);
}

/** Expected calibration error over equal-count bins of the sorted scores. */
export function expectedCalibrationError(scores: ArrayLike<number>, targets: ArrayLike<number>, binCount = BINS): number {
  const n = scores.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[a] - scores[b]);
  let ece = 0;
  for (const [left, right] of binIndexEdges(n, binCount)) {
    let s = 0;
    let t = 0;
    for (let k = left; k < right; k++) {
      s += scores[order[k]];
      t += targets[order[k]];
    }
    const size = right - left;
    ece += (size / n) * Math.abs(s / size - t / size);
  }
  return ece;
}

/** Stratified shuffle splits: about TEST_SHARE of each class held out per split. */
function stratifiedTestSets(targets: ArrayLike<number>, rand: () => number): number[][] {
  const n = targets.length;
  const byClass = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    const list = byClass.get(targets[i]) ?? [];
    list.push(i);
    byClass.set(targets[i], list);
  }
  const testSize = Math.ceil(TEST_SHARE * n);
  const classes = [...byClass.keys()].sort((a, b) => a - b);
  // Largest-remainder allocation of the test rows to the classes.
  const exact = classes.map((c) => ((byClass.get(c) as number[]).length * testSize) / n);
  const take = exact.map(Math.floor);
  let left = testSize - take.reduce((s, x) => s + x, 0);
  const byRemainder = classes.map((_, k) => k).sort((a, b) => exact[b] - take[b] - (exact[a] - take[a]));
  for (const k of byRemainder) {
    if (left === 0) break;
    take[k]++;
    left--;
  }
  const sets: number[][] = [];
  for (let s = 0; s < SPLITS; s++) {
    const test: number[] = [];
    classes.forEach((c, k) => {
      const rows = [...(byClass.get(c) as number[])];
      shuffleInPlace(rows, rand);
      test.push(...rows.slice(0, take[k]));
    });
    sets.push(test);
  }
  return sets;
}

/** Whether isotonic calibration lowers the held-out calibration error of `scores` for 0/1 `targets`. */
export function needsCalibration(scores: ArrayLike<number>, targets: ArrayLike<number>, seed = 42): boolean {
  const n = scores.length;
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(scores[i])) throw new Error(`calibration: score in row ${i} is not a finite number`);
    if (targets[i] !== 0 && targets[i] !== 1) throw new Error(`calibration: target in row ${i} is not 0 or 1`);
  }
  let ones = 0;
  for (let i = 0; i < n; i++) ones += targets[i];
  if (ones === 0 || ones === n) return false;
  if (rocAuc(scores, targets) > 0.999) return false;
  const rand = mulberry32(seed);
  const heldScores: number[] = [];
  const heldTargets: number[] = [];
  const heldCalibrated: number[] = [];
  for (const test of stratifiedTestSets(targets, rand)) {
    const isTest = new Uint8Array(n);
    for (const i of test) isTest[i] = 1;
    const trainScores: number[] = [];
    const trainTargets: number[] = [];
    for (let i = 0; i < n; i++) {
      if (!isTest[i]) {
        trainScores.push(scores[i]);
        trainTargets.push(targets[i]);
      }
    }
    const model = fitIsotonic(trainScores, trainTargets);
    for (const i of test) {
      heldScores.push(scores[i]);
      heldTargets.push(targets[i]);
      heldCalibrated.push(predictIsotonic(model, scores[i]));
    }
  }
  return expectedCalibrationError(heldScores, heldTargets) > expectedCalibrationError(heldCalibrated, heldTargets);
}
