// A small reference (20 training rows of penguin-like inputs, 4 test rows that must not count) and helpers to log
// windows of requests against it, for the windows and signals tests.

import { chunksOf } from '../../../src/core/monitor/log/chunk-builder';
import type { LoggedRequest, RequestChunk } from '../../../src/core/monitor/log/types';
import { keptRows } from '../../../src/core/monitor/windows/reference-rows';
import { referenceProfile, type ReferencePredictions, type ReferenceProfile } from '../../../src/core/monitor/windows/reference';
import { splitWindows, type LogWindow } from '../../../src/core/monitor/windows/windows';
import { SPLIT_TEST, SPLIT_TRAIN } from '../../../src/core/shared/types';
import { build } from '../../fixtures/recipe-tables';
import { CLASSES, classifier, served } from './log-fixtures';

export { CLASSES };

const ISLANDS = ['Biscoe', 'Dream', 'Torgersen'];
export const TRAIN_ROWS = 20;

/** Training rows: bill 30, 31, ..., 49; islands in turn; sex alternating. Test rows: far-off values. */
export const reference = build([
  { name: 'bill_length_mm', values: [...Array.from({ length: TRAIN_ROWS }, (_, i) => 30 + i), 500, 501, 502, 503] },
  { name: 'island', values: [...Array.from({ length: TRAIN_ROWS }, (_, i) => ISLANDS[i % 3]), 'Mars', 'Mars', 'Mars', 'Mars'] },
  { name: 'sex', values: [...Array.from({ length: TRAIN_ROWS }, (_, i) => (i % 2 === 0 ? 'female' : 'male')), 'x', 'x', 'x', 'x'] },
  { name: 'species', role: 'target', values: Array.from({ length: TRAIN_ROWS + 4 }, (_, i) => CLASSES[i % 3]) },
]);
export const assignment = Uint8Array.from({ length: TRAIN_ROWS + 4 }, (_, i) => (i < TRAIN_ROWS ? SPLIT_TRAIN : SPLIT_TEST));

/** The model's answers on the training rows: class i mod 3 with 0.75, right on all but two rows. */
export function referencePredictions(): ReferencePredictions {
  const probabilities = new Float64Array(TRAIN_ROWS * 3).fill(0.125);
  const predicted = new Float64Array(TRAIN_ROWS);
  const truth = new Float64Array(TRAIN_ROWS);
  for (let i = 0; i < TRAIN_ROWS; i++) {
    predicted[i] = i % 3;
    probabilities[i * 3 + (i % 3)] = 0.75;
    truth[i] = i === 4 || i === 11 ? (i + 1) % 3 : i % 3;
  }
  return { predicted, probabilities, truth };
}

export function classifierReference(predictions: ReferencePredictions | null = referencePredictions()): ReferenceProfile {
  return referenceProfile({
    schema: reference.schema,
    table: reference.table,
    rows: keptRows(reference.table, assignment, []),
    task: 'classification',
    classes: CLASSES,
    predictions,
  });
}

/**
 * Request `id` like the reference rows (bill 30 + id mod 20, islands and sex in turn), answered with class id mod 3;
 * `overrides` change any field.
 */
export function request(id: number, overrides: Partial<LoggedRequest> = {}): LoggedRequest {
  return served(id, {
    inputs: { bill_length_mm: 30 + (id % TRAIN_ROWS), island: ISLANDS[id % 3], sex: id % 2 === 0 ? 'female' : 'male' },
    ...overrides,
  });
}

/** The requests as chunks of `capacity` and their count windows of `size`. */
export function windowsOf(requests: LoggedRequest[], size: number, capacity = 16): { chunks: RequestChunk[]; windows: LogWindow[] } {
  const chunks = chunksOf(classifier(), requests, capacity);
  return { chunks, windows: splitWindows(chunks, { kind: 'count', size }) };
}

/** One window holding all the requests. */
export function oneWindow(requests: LoggedRequest[]): { chunks: RequestChunk[]; window: LogWindow } {
  const { chunks, windows } = windowsOf(requests, requests.length);
  return { chunks, window: windows[0] };
}
