// Small hand-made runs for the runs-table, compare and export tests.
import type { MetricPoint, Run } from '../../../src/core/shared/types';

export function point(key: string, step: number, value: number, timestamp = 1000 + step): MetricPoint {
  return { key, step, value, timestamp };
}

/**
 * `params` takes any shape: the runs table reads params only through flattenParams, so these tests
 * also hold for older or future params shapes than the current RunParams.
 */
export function makeRun(id: string, over: Omit<Partial<Run>, 'params'> & { params?: unknown } = {}): Run {
  const { params, ...rest } = over;
  return {
    id,
    projectId: 'p1',
    datasetId: 'd'.repeat(64),
    name: id,
    status: 'finished',
    params: (params ?? {
      spec: { family: 'mlp', layers: [{ units: 16, activation: 'relu' }], dropout: 0 },
      hyper: { optimizer: 'adam', learningRate: 0.01, epochs: 3, batchSize: 32, seed: 7 },
    }) as Run['params'],
    backend: 'wasm',
    versions: { tfjs: '4.22.0' },
    startedAt: 1_700_000_000_000,
    endedAt: 1_700_000_004_000,
    history: [],
    metrics: {},
    evaluation: null,
    preprocessor: null,
    model: null,
    note: '',
    tags: {},
    ...rest,
  };
}
