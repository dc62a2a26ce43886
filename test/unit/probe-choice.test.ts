import { describe, expect, it } from 'vitest';
import { backendAfterLoss, chooseBackend, type ProbeTiming } from '../../src/core/train/spec/probe-choice';
import { fastestFor } from '../../src/core/train/spec/backend';

const t = (backend: ProbeTiming['backend'], msPerStep: number | null, ok = msPerStep !== null): ProbeTiming => ({ backend, ok, msPerStep });

describe('chooseBackend', () => {
  it('picks the lowest ms/step among the backends that trained', () => {
    expect(chooseBackend('mlp', [t('webgpu', 40), t('webgl', 12), t('wasm', 3.5), t('cpu', 9)])).toBe('wasm');
    expect(chooseBackend('mlp', [t('webgpu', 2), t('webgl', 12), t('wasm', 3.5), t('cpu', 9)])).toBe('webgpu');
  });

  it('ignores failed backends even when they carry a time, and non-finite times', () => {
    expect(chooseBackend('mlp', [t('webgl', 1, false), t('cpu', 9)])).toBe('cpu');
    expect(chooseBackend('mlp', [t('webgl', Number.NaN, true), t('wasm', Number.POSITIVE_INFINITY, true), t('cpu', 9)])).toBe('cpu');
  });

  it('never picks a backend that cannot train the family', () => {
    // wasm has no Conv2DBackpropFilter: fastest on paper, unusable for the CNN.
    expect(chooseBackend('cnn', [t('wasm', 1), t('webgl', 30), t('cpu', 50)])).toBe('webgl');
    expect(chooseBackend('mlp', [t('wasm', 1), t('webgl', 30), t('cpu', 50)])).toBe('wasm');
  });

  it('breaks ties towards the backends that cannot lose a GPU device, in a fixed order', () => {
    expect(chooseBackend('mlp', [t('webgpu', 5), t('webgl', 5), t('cpu', 5), t('wasm', 5)])).toBe('wasm');
    expect(chooseBackend('mlp', [t('webgpu', 5), t('webgl', 5), t('cpu', 5)])).toBe('cpu');
    expect(chooseBackend('cnn', [t('webgpu', 5), t('webgl', 5)])).toBe('webgl');
    // The order of the measurements does not matter.
    expect(chooseBackend('cnn', [t('webgl', 5), t('webgpu', 5)])).toBe('webgl');
  });

  it('falls back to cpu when every backend failed or nothing was measured', () => {
    expect(chooseBackend('mlp', [t('webgpu', null), t('webgl', null), t('wasm', null), t('cpu', null)])).toBe('cpu');
    expect(chooseBackend('cnn', [])).toBe('cpu');
    expect(chooseBackend('cnn', [t('wasm', 1)])).toBe('cpu');
  });

  it('is what fastestFor uses, whatever the stored best says', () => {
    // A stale or foreign `best` (an MLP probe's wasm) is not followed for the CNN.
    expect(fastestFor('cnn', { best: 'wasm', measurements: [t('wasm', 1), t('webgpu', 8), t('webgl', 4)] })).toBe('webgl');
    expect(fastestFor('mlp', { best: 'cpu', measurements: [t('wasm', 1), t('cpu', 4)] })).toBe('wasm');
  });
});

describe('backendAfterLoss', () => {
  it('moves to the fastest measured CPU-side backend, never to the other GPU backend', () => {
    const probe = [t('webgpu', 1), t('webgl', 2), t('cpu', 9), t('wasm', 4)];
    expect(backendAfterLoss('mlp', probe, ['webgpu'])).toBe('wasm');
    expect(backendAfterLoss('mlp', [t('webgpu', 1), t('cpu', 3), t('wasm', 4)], ['webgpu'])).toBe('cpu');
  });

  it('skips backends already tried and those that cannot train the family', () => {
    expect(backendAfterLoss('mlp', [t('wasm', 4), t('cpu', 9)], ['webgl', 'wasm'])).toBe('cpu');
    expect(backendAfterLoss('cnn', [t('wasm', 1), t('cpu', 9)], ['webgl'])).toBe('cpu');
    expect(backendAfterLoss('mlp', null, ['webgpu', 'wasm', 'cpu'])).toBeNull();
  });

  it('falls back to the fixed order when nothing was measured or a backend failed its probe', () => {
    expect(backendAfterLoss('mlp', null, ['webgpu'])).toBe('wasm');
    expect(backendAfterLoss('mlp', [t('wasm', null, false), t('cpu', 9)], ['webgl'])).toBe('cpu');
  });
});
