import { describe, expect, it } from 'vitest';
import { bestRun } from '../../../src/core/evaluate/run-report';
import type { WeightManifest } from '../../../src/core/shared/types';
import { makeRun } from './fixtures';

const model: WeightManifest = { topology: null, weightSpecs: [], byteLength: 1, sha256: 'x', chunkCount: 1 };

describe('bestRun', () => {
  it('takes the best figure in the goal metric direction, among finished runs with a model', () => {
    const runs = [
      makeRun('a', { metrics: { accuracy: 0.8 }, model }),
      makeRun('b', { metrics: { accuracy: 0.95 }, model, status: 'killed' }),
      makeRun('c', { metrics: { accuracy: 0.9 }, model }),
      makeRun('d', { metrics: { accuracy: 0.99 } }),
    ];
    expect(bestRun(runs, { metric: 'accuracy', bar: 0.99 })?.id).toBe('c');
    const errors = [makeRun('a', { metrics: { rmse: 3 }, model }), makeRun('b', { metrics: { rmse: 2 }, model })];
    expect(bestRun(errors, { metric: 'rmse', bar: 1 })?.id).toBe('b');
  });

  it('never picks a run whose figure is missing or NaN, even when it comes first', () => {
    const runs = [makeRun('nan', { metrics: { accuracy: NaN }, model }), makeRun('none', { model }), makeRun('ok', { metrics: { accuracy: 0.5 }, model })];
    expect(bestRun(runs, { metric: 'accuracy', bar: 0.9 })?.id).toBe('ok');
    expect(bestRun(runs.slice(0, 2), { metric: 'accuracy', bar: 0.9 })).toBeNull();
  });
});
