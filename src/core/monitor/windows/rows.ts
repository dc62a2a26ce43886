// One pass over a window's row-level columns (errors, latency, outputs, probabilities, labels): everything the
// system, output and performance signals need, gathered into typed arrays in window order.

import type { RequestChunk } from '../log/types';
import { eachSlice, type ChunkList } from './live-columns';
import type { LogWindow } from './windows';

/**
 * The serving path turns a NaN or infinite model output into an error with this message
 * (src/core/serving/check.js predictionOf), so the log keeps no NaN output: such rows are found by their error.
 */
const NON_FINITE_OUTPUT = /^The model's output is (NaN|-?Infinity),/;

export function isNonFiniteOutputError(message: string): boolean {
  return NON_FINITE_OUTPUT.test(message);
}

export interface RowScan {
  readonly requests: number;
  readonly errors: number;
  /** Error rows whose model output was NaN or infinite. */
  readonly nanOutputs: number;
  readonly latency: Float64Array;
  /** Classification: class index per row, -1 for an error; null for regression. */
  readonly outputCodes: Int32Array | null;
  /** Regression: value per row, NaN for an error; null for classification. */
  readonly outputValues: Float64Array | null;
  /** Rows that answered (no error). */
  readonly answered: number;
  /** Classification rows that answered with a full row of finite probabilities: their probabilities (rows × K) and class. */
  readonly scored: { readonly rows: number; readonly probabilities: Float64Array; readonly predicted: Int32Array };
  /** Answered rows whose label was known at `asOf`: true and predicted class index, or value. */
  readonly labelled: { readonly rows: number; readonly truth: Float64Array; readonly predicted: Float64Array };
}

function checkChunk(chunk: RequestChunk, task: RequestChunk['task'], classes: readonly string[]): void {
  if (chunk.task !== task) throw new Error(`A window mixes ${task} and ${chunk.task} requests (chunk of ${chunk.modelName} v${chunk.modelVersion}).`);
  if (chunk.classes.length !== classes.length || chunk.classes.some((c, i) => c !== classes[i])) {
    throw new Error(`Chunk of ${chunk.modelName} v${chunk.modelVersion} has classes [${chunk.classes.join(', ')}], not the reference's [${classes.join(', ')}].`);
  }
}

export function scanRows(window: LogWindow, chunks: ChunkList, task: RequestChunk['task'], classes: readonly string[], asOf: number): RowScan {
  const n = window.requests;
  const K = classes.length;
  const latency = new Float64Array(n);
  const outputCodes = task === 'classification' ? new Int32Array(n) : null;
  const outputValues = task === 'regression' ? new Float64Array(n) : null;
  const probabilities = new Float64Array(task === 'classification' ? n * K : 0);
  const scoredClass = new Int32Array(task === 'classification' ? n : 0);
  const truth = new Float64Array(n);
  const predicted = new Float64Array(n);
  let errors = 0;
  let nanOutputs = 0;
  let scored = 0;
  let labelled = 0;
  eachSlice(window, chunks, (chunk, from, to, at) => {
    checkChunk(chunk, task, classes);
    latency.set(chunk.latencyMs.subarray(from, to), at);
    const nonFinite = chunk.errors.map((m) => isNonFiniteOutputError(m));
    for (let r = from; r < to; r++) {
      const code = chunk.error[r];
      if (code === 0) continue;
      errors++;
      if (nonFinite[code - 1]) nanOutputs++;
    }
    for (let r = from; r < to; r++) {
      const k = at + r - from;
      const answered = chunk.error[r] === 0;
      let output: number;
      if (chunk.task === 'classification') {
        output = chunk.output[r];
        outputCodes![k] = answered ? output : -1;
        const p = chunk.probabilities;
        if (answered && p) {
          let finite = true;
          for (let c = 0; c < K; c++) if (!Number.isFinite(p[r * K + c])) finite = false;
          if (finite) {
            for (let c = 0; c < K; c++) probabilities[scored * K + c] = p[r * K + c];
            scoredClass[scored++] = output;
          }
        }
      } else {
        output = chunk.output[r];
        outputValues![k] = answered ? output : NaN;
      }
      const known = chunk.labelAt[r];
      if (answered && known <= asOf) {
        truth[labelled] = chunk.labels[r];
        predicted[labelled++] = output;
      }
    }
  });
  return {
    requests: n,
    errors,
    nanOutputs,
    latency,
    outputCodes,
    outputValues,
    answered: n - errors,
    scored: { rows: scored, probabilities: probabilities.subarray(0, scored * K), predicted: scoredClass.subarray(0, scored) },
    labelled: { rows: labelled, truth: truth.subarray(0, labelled), predicted: predicted.subarray(0, labelled) },
  };
}
