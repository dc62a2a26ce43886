// Requests for the request-log tests: penguin-like inputs, values exact in float32 so round trips compare exactly.

import type { ChunkOwner, LoggedRequest } from '../../../src/core/monitor/log/types';

export const CLASSES = ['Adelie', 'Chinstrap', 'Gentoo'];

export const classifier = (overrides: Partial<ChunkOwner> = {}): ChunkOwner => ({
  projectId: 'p1',
  modelName: 'penguins',
  modelVersion: 1,
  role: 'serving',
  task: 'classification',
  classes: CLASSES,
  ...overrides,
});

export const regressor = (overrides: Partial<ChunkOwner> = {}): ChunkOwner => ({
  projectId: 'p1',
  modelName: 'cars',
  modelVersion: 2,
  role: 'serving',
  task: 'regression',
  ...overrides,
});

/** Request `id` at time 1000 + 10·id, answered with class id mod 3 and a probability row exact in float32. */
export function served(id: number, overrides: Partial<LoggedRequest> = {}): LoggedRequest {
  const k = id % 3;
  const probabilities = [0.125, 0.125, 0.125];
  probabilities[k] = 0.75;
  return {
    id,
    at: 1000 + 10 * id,
    inputs: { bill_length_mm: 30 + (id % 20) * 0.5, island: ['Biscoe', 'Dream', 'Torgersen'][id % 3], sex: id % 4 === 0 ? null : 'female' },
    output: CLASSES[k],
    probabilities,
    latencyMs: 0.5 + (id % 4),
    warnings: [],
    ...overrides,
  };
}

/** What `rowOf` gives back for a request: absent inputs as null, no label as null. */
export function asRead(request: LoggedRequest, columns: readonly string[]): LoggedRequest {
  const inputs: LoggedRequest['inputs'] = {};
  for (const name of columns) {
    const v = request.inputs[name];
    inputs[name] = v === undefined || (typeof v === 'number' && Number.isNaN(v)) ? null : v;
  }
  const label = request.label ?? null;
  return { ...request, inputs, label, labelAt: label === null ? null : (request.labelAt ?? request.at) };
}
