// Class weights for imbalanced classes, computed from the training split only.

import type { ClassWeightMode } from './types';

/**
 * 'balanced' is scikit-learn's n / (classes * count_c), classes counting those present in the training rows, so
 * every class contributes equally to the loss in total; a class absent from the training rows gets weight 1 (it never
 * appears in the loss, the value only has to be finite).
 * 'none' is all ones. `classes` holds the class index of every training row.
 */
export function classWeights(mode: ClassWeightMode, classes: ArrayLike<number>, k: number): Float32Array {
  const weights = new Float32Array(k).fill(1);
  if (mode === 'none' || classes.length === 0) return weights;
  const counts = new Array<number>(k).fill(0);
  for (let i = 0; i < classes.length; i++) counts[classes[i]]++;
  const n = classes.length;
  const present = counts.filter((c) => c > 0).length;
  for (let c = 0; c < k; c++) if (counts[c] > 0) weights[c] = n / (present * counts[c]);
  return weights;
}
