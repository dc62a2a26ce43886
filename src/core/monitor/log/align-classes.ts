// Reading the log of several versions of one model as one series (a feedback loop serves a new version every few
// windows): each chunk stores class indexes into its own model's classes, so a retrained model that lost a class, or
// orders them differently, would be read as the wrong answers. Aligning re-indexes a chunk onto the reference model's
// classes; a class the reference model does not have cannot be placed and is refused.

import type { RequestChunk } from './types';

/**
 * The chunk with its outputs, labels and probabilities indexed by `classes` (the reference model's, in its order):
 * the probability of a class the chunk's model does not have is 0, a row without probabilities stays without. A
 * regression chunk, or one already in these classes, is returned as it is.
 */
export function alignClasses(chunk: RequestChunk, classes: readonly string[]): RequestChunk {
  if (chunk.task !== 'classification') return chunk;
  if (chunk.classes.length === classes.length && chunk.classes.every((c, i) => c === classes[i])) return chunk;
  const to = chunk.classes.map((c) => classes.indexOf(c));
  const lost = chunk.classes.filter((_, i) => to[i] < 0);
  if (lost.length > 0) {
    throw new Error(
      `${chunk.modelName} v${chunk.modelVersion} answers ${lost.map((c) => `"${c}"`).join(', ')}, which the reference model's classes ` +
        `[${classes.join(', ')}] do not hold: its log cannot be read in the reference's classes.`,
    );
  }
  const remap = (codes: Int16Array) => Int16Array.from(codes, (k) => (k < 0 ? k : to[k]));
  const from = chunk.classes.length;
  const K = classes.length;
  let probabilities: Float32Array | null = null;
  if (chunk.probabilities) {
    const source = chunk.probabilities;
    probabilities = new Float32Array(chunk.rows * K);
    for (let r = 0; r < chunk.rows; r++) {
      const row = source.subarray(r * from, (r + 1) * from);
      // A row of NaN is "no probabilities": it stays one.
      if (row.every(Number.isNaN)) {
        probabilities.fill(NaN, r * K, (r + 1) * K);
        continue;
      }
      for (let c = 0; c < from; c++) probabilities[r * K + to[c]] = row[c];
    }
  }
  return { ...chunk, classes: [...classes], output: remap(chunk.output), labels: remap(chunk.labels), probabilities };
}
