// Classification figures from class indices, defined as scikit-learn defines them so they can be checked against it.

import type { Averages, ClassFigures, ClassificationFigures } from './types';

/** scikit-learn's zero_division=0: an undefined ratio counts as 0. */
export function ratio(num: number, den: number): number {
  return den === 0 ? 0 : num / den;
}

/** confusion[actual][predicted] counts; throws on an index outside the labels or mismatched lengths. */
export function confusionMatrix(actual: ArrayLike<number>, predicted: ArrayLike<number>, k: number): number[][] {
  if (actual.length !== predicted.length) {
    throw new RangeError(`Got ${actual.length} actual values but ${predicted.length} predictions.`);
  }
  const confusion = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  for (let i = 0; i < actual.length; i++) {
    const a = actual[i];
    const p = predicted[i];
    if (!(a >= 0 && a < k && p >= 0 && p < k && Number.isInteger(a) && Number.isInteger(p))) {
      throw new RangeError(`Row ${i}: class index ${a} or ${p} is not one of the ${k} labels.`);
    }
    confusion[a][p]++;
  }
  return confusion;
}

/** Each row divided by its sum (the share of each actual class predicted as each class); an empty row stays 0. */
export function normalizeRows(matrix: readonly (readonly number[])[]): number[][] {
  return matrix.map((row) => {
    const total = row.reduce((s, x) => s + x, 0);
    return row.map((x) => ratio(x, total));
  });
}

/**
 * Figures from a confusion matrix. Macro averages are taken over the classes present in the truth or the
 * predictions (scikit-learn's default without `labels=`), weighted averages by support; balanced accuracy is the
 * mean recall over the classes present in the truth. With no rows every overall figure is NaN.
 */
export function figuresFromConfusion(confusion: readonly (readonly number[])[], labels: readonly string[]): ClassificationFigures {
  const k = labels.length;
  let n = 0;
  let correct = 0;
  const perClass: ClassFigures[] = labels.map((label, c) => {
    const row = confusion[c];
    const tp = row[c];
    const support = row.reduce((s, x) => s + x, 0);
    let predicted = 0;
    for (let a = 0; a < k; a++) predicted += confusion[a][c];
    n += support;
    correct += tp;
    const precision = ratio(tp, predicted);
    const recall = ratio(tp, support);
    return { label, precision, recall, f1: ratio(2 * precision * recall, precision + recall), support, predicted };
  });
  const present = perClass.filter((c) => c.support > 0 || c.predicted > 0);
  const inTruth = perClass.filter((c) => c.support > 0);
  const mean = (list: ClassFigures[], pick: (c: ClassFigures) => number) =>
    list.length === 0 ? NaN : list.reduce((s, c) => s + pick(c), 0) / list.length;
  const weightedMean = (pick: (c: ClassFigures) => number) =>
    n === 0 ? NaN : perClass.reduce((s, c) => s + pick(c) * c.support, 0) / n;
  const macro: Averages = { precision: mean(present, (c) => c.precision), recall: mean(present, (c) => c.recall), f1: mean(present, (c) => c.f1) };
  const weighted: Averages = {
    precision: weightedMean((c) => c.precision),
    recall: weightedMean((c) => c.recall),
    f1: weightedMean((c) => c.f1),
  };
  return {
    task: 'classification',
    count: n,
    accuracy: n === 0 ? NaN : correct / n,
    balancedAccuracy: mean(inTruth, (c) => c.recall),
    macro,
    weighted,
    perClass,
    labels: [...labels],
    confusion: confusion.map((row) => [...row]),
  };
}

/** `actual` and `predicted` hold class indices into `labels`. */
export function classificationFigures(
  actual: ArrayLike<number>,
  predicted: ArrayLike<number>,
  labels: readonly string[],
): ClassificationFigures {
  return figuresFromConfusion(confusionMatrix(actual, predicted, labels.length), labels);
}
