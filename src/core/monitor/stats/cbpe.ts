// Confidence-based performance estimation (NannyML's CBPE) for classifiers whose labels arrive late.
//
// Fit, on a labelled reference (the model's outputs on data it was not trained on, with the true labels):
//   * binary (K = 2): one isotonic calibrator maps the class-1 score to Pr(label = 1); calibrated p₀ = 1 - p₁.
//   * multiclass (K > 2): one isotonic calibrator per class, one-vs-rest, each used only if needsCalibration says
//     it helps (otherwise the raw score passes through); each row's calibrated scores are renormalised to sum to 1
//     (uniform 1/K if they sum to 0).
//   * sampling-error components from the reference: σ_acc = std(1[ŷ = y]) (population std), and per class c the
//     variance v_c of the row-level F1 outcomes (TP → 1, FP → 0, FN → 0) and the share f_c of rows that are TP, FP
//     or FN for c.
// Estimate, on a window of n unlabelled rows with predicted classes ŷᵢ and calibrated probabilities pᵢ:
//   accuracy  = (1/n) Σᵢ pᵢ[ŷᵢ]                    — expected share of correct predictions
//   F1_c      = TP_c / (TP_c + ½(FP_c + FN_c)), TP_c = Σ_{ŷᵢ=c} pᵢ[c], FP_c = Σ_{ŷᵢ=c} (1 - pᵢ[c]), FN_c = Σ_{ŷᵢ≠c} pᵢ[c]
//   macro F1  = mean_c F1_c (NannyML's multiclass estimate; for K = 2 NannyML reports the class-1 F1 instead — here
//               it is the macro average for every K, to match the realized figure the Monitor shows)
//   standard error: accuracy σ_acc / √n; macro F1 √(Σ_c v_c / (n f_c)) / K (classes with f_c = 0 contribute 0)
//   band: estimate ± 3 standard errors, clipped to [0, 1] (NannyML's SAMPLING_ERROR_RANGE = 3).
// Probabilities are row-major Float64Array (n × K); predicted classes default to the arg-max of the raw scores.

import { needsCalibration } from './calibration';
import { fitIsotonic, predictIsotonic, type IsotonicModel } from './isotonic';

export const SAMPLING_ERROR_RANGE = 3;

export interface CbpeReference {
  /** n × K class probabilities, row-major. */
  readonly probabilities: Float64Array;
  /** True class index per row, 0 … K-1. */
  readonly labels: Int32Array;
  readonly classCount: number;
  /** Predicted class per row; defaults to the arg-max of `probabilities`. */
  readonly predicted?: Int32Array;
}

export interface CbpeModel {
  readonly classCount: number;
  readonly mode: 'binary' | 'multiclass';
  /** Binary: one calibrator for class 1. Multiclass: one per class; null where calibration did not help. */
  readonly calibrators: ReadonlyArray<IsotonicModel | null>;
  readonly referenceRows: number;
  readonly accuracyStd: number;
  readonly f1Components: ReadonlyArray<{ readonly variance: number; readonly share: number }>;
}

export interface Estimate {
  readonly value: number;
  readonly standardError: number;
  readonly lower: number;
  readonly upper: number;
}

export interface CbpeEstimate {
  readonly rows: number;
  readonly accuracy: Estimate;
  readonly macroF1: Estimate;
}

function checkShape(probabilities: Float64Array, classCount: number, what: string): number {
  if (!Number.isInteger(classCount) || classCount < 2) throw new Error(`${what}: CBPE needs at least 2 classes, got ${classCount}`);
  if (probabilities.length % classCount !== 0) {
    throw new Error(`${what}: ${probabilities.length} probabilities do not split into rows of ${classCount} classes`);
  }
  const rows = probabilities.length / classCount;
  for (let i = 0; i < probabilities.length; i++) {
    if (!Number.isFinite(probabilities[i])) {
      throw new Error(`${what}: probability of class ${i % classCount} in row ${Math.floor(i / classCount)} is not a finite number`);
    }
  }
  return rows;
}

/** Arg-max class per row (first on ties). */
export function argMaxClasses(probabilities: Float64Array, classCount: number): Int32Array {
  const rows = probabilities.length / classCount;
  const out = new Int32Array(rows);
  for (let r = 0; r < rows; r++) {
    let best = 0;
    for (let c = 1; c < classCount; c++) if (probabilities[r * classCount + c] > probabilities[r * classCount + best]) best = c;
    out[r] = best;
  }
  return out;
}

function predictedOrArgMax(probabilities: Float64Array, classCount: number, predicted: Int32Array | undefined, rows: number, what: string): Int32Array {
  if (!predicted) return argMaxClasses(probabilities, classCount);
  if (predicted.length !== rows) throw new Error(`${what}: ${predicted.length} predicted classes for ${rows} rows`);
  for (let i = 0; i < rows; i++) {
    if (predicted[i] < 0 || predicted[i] >= classCount) throw new Error(`${what}: predicted class ${predicted[i]} in row ${i} is out of range`);
  }
  return predicted;
}

function column(probabilities: Float64Array, classCount: number, c: number): Float64Array {
  const rows = probabilities.length / classCount;
  const out = new Float64Array(rows);
  for (let r = 0; r < rows; r++) out[r] = probabilities[r * classCount + c];
  return out;
}

/** Fit CBPE's calibrators and sampling-error components on a labelled reference. */
export function fitCbpe(reference: CbpeReference): CbpeModel {
  const { probabilities, labels, classCount } = reference;
  const rows = checkShape(probabilities, classCount, 'CBPE reference');
  if (labels.length !== rows) throw new Error(`CBPE reference: ${labels.length} labels for ${rows} rows`);
  for (let i = 0; i < rows; i++) {
    if (labels[i] < 0 || labels[i] >= classCount) throw new Error(`CBPE reference: label ${labels[i]} in row ${i} is out of range`);
  }
  if (rows < 2) throw new Error('CBPE reference needs at least 2 labelled rows');
  const predicted = predictedOrArgMax(probabilities, classCount, reference.predicted, rows, 'CBPE reference');
  const fitClass = (c: number): IsotonicModel | null => {
    const scores = column(probabilities, classCount, c);
    const targets = Float64Array.from(labels, (l) => (l === c ? 1 : 0));
    return needsCalibration(scores, targets) ? fitIsotonic(scores, targets) : null;
  };
  const mode = classCount === 2 ? 'binary' : 'multiclass';
  const calibrators = mode === 'binary' ? [fitClass(1)] : Array.from({ length: classCount }, (_, c) => fitClass(c));

  let correct = 0;
  for (let i = 0; i < rows; i++) if (predicted[i] === labels[i]) correct++;
  const accuracy = correct / rows;
  const accuracyStd = Math.sqrt(accuracy * (1 - accuracy));
  const f1Components = Array.from({ length: classCount }, (_, c) => {
    let tp = 0;
    let relevant = 0;
    for (let i = 0; i < rows; i++) {
      const isPred = predicted[i] === c;
      const isTrue = labels[i] === c;
      if (isPred && isTrue) tp++;
      if (isPred || isTrue) relevant++;
    }
    const mean = relevant === 0 ? 0 : tp / relevant;
    return { variance: relevant === 0 ? 0 : mean * (1 - mean), share: relevant / rows };
  });
  return { classCount, mode, calibrators, referenceRows: rows, accuracyStd, f1Components };
}

/** Calibrated n × K probabilities for a window under a fitted model. */
export function calibrateProbabilities(model: CbpeModel, probabilities: Float64Array): Float64Array {
  const K = model.classCount;
  const rows = checkShape(probabilities, K, 'CBPE window');
  const out = new Float64Array(probabilities.length);
  if (model.mode === 'binary') {
    const cal = model.calibrators[0];
    for (let r = 0; r < rows; r++) {
      const p1 = cal ? predictIsotonic(cal, probabilities[r * 2 + 1]) : probabilities[r * 2 + 1];
      out[r * 2] = 1 - p1;
      out[r * 2 + 1] = p1;
    }
    return out;
  }
  for (let r = 0; r < rows; r++) {
    let sum = 0;
    for (let c = 0; c < K; c++) {
      const cal = model.calibrators[c];
      const raw = probabilities[r * K + c];
      const v = cal ? predictIsotonic(cal, raw) : raw;
      out[r * K + c] = v;
      sum += v;
    }
    for (let c = 0; c < K; c++) out[r * K + c] = sum === 0 ? 1 / K : out[r * K + c] / sum;
  }
  return out;
}

function band(value: number, standardError: number): Estimate {
  return {
    value,
    standardError,
    lower: Math.max(0, value - SAMPLING_ERROR_RANGE * standardError),
    upper: Math.min(1, value + SAMPLING_ERROR_RANGE * standardError),
  };
}

/** Estimated accuracy and macro F1 of an unlabelled window, with NannyML's sampling-error band. */
export function estimateCbpe(model: CbpeModel, probabilities: Float64Array, predicted?: Int32Array): CbpeEstimate {
  const K = model.classCount;
  const rows = checkShape(probabilities, K, 'CBPE window');
  if (rows === 0) throw new Error('CBPE window has no rows to estimate from');
  const pred = predictedOrArgMax(probabilities, K, predicted, rows, 'CBPE window');
  const calibrated = calibrateProbabilities(model, probabilities);
  let expectedCorrect = 0;
  const tp = new Float64Array(K);
  const fp = new Float64Array(K);
  const fn = new Float64Array(K);
  for (let r = 0; r < rows; r++) {
    const yhat = pred[r];
    expectedCorrect += calibrated[r * K + yhat];
    for (let c = 0; c < K; c++) {
      const p = calibrated[r * K + c];
      if (c === yhat) {
        tp[c] += p;
        fp[c] += 1 - p;
      } else {
        fn[c] += p;
      }
    }
  }
  let f1Sum = 0;
  let varianceSum = 0;
  for (let c = 0; c < K; c++) {
    const denominator = tp[c] + 0.5 * (fp[c] + fn[c]);
    f1Sum += denominator === 0 ? 0 : tp[c] / denominator;
    const { variance, share } = model.f1Components[c];
    if (share > 0) varianceSum += variance / (rows * share);
  }
  return {
    rows,
    accuracy: band(expectedCorrect / rows, model.accuracyStd / Math.sqrt(rows)),
    macroF1: band(f1Sum / K, Math.sqrt(varianceSum) / K),
  };
}

/** Realized accuracy and macro F1 (sklearn's f1_score(average='macro') over all K classes, 0 for an absent class). */
export function realizedPerformance(labels: Int32Array, predicted: Int32Array, classCount: number): { accuracy: number; macroF1: number } {
  if (labels.length !== predicted.length || labels.length === 0) {
    throw new Error(`realized performance needs equally many labels and predictions (got ${labels.length} and ${predicted.length})`);
  }
  let correct = 0;
  const tp = new Float64Array(classCount);
  const fp = new Float64Array(classCount);
  const fn = new Float64Array(classCount);
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] === predicted[i]) {
      correct++;
      tp[labels[i]]++;
    } else {
      fp[predicted[i]]++;
      fn[labels[i]]++;
    }
  }
  let f1 = 0;
  for (let c = 0; c < classCount; c++) {
    const d = 2 * tp[c] + fp[c] + fn[c];
    f1 += d === 0 ? 0 : (2 * tp[c]) / d;
  }
  return { accuracy: correct / labels.length, macroF1: f1 / classCount };
}
