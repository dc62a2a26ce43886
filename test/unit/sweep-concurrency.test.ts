import { describe, expect, it } from 'vitest';
import { sweepConcurrency, SWEEP_MAX_WORKERS, SWEEP_SWEET_SPOT } from '../../src/core/train/sweep';

describe('sweepConcurrency', () => {
  it('trains one run at a time on the GPU backends, whatever the cores', () => {
    expect(sweepConcurrency({ backend: 'webgl', cores: 16, runsLeft: 10 })).toBe(1);
    expect(sweepConcurrency({ backend: 'webgpu', cores: 16, runsLeft: 10 })).toBe(1);
  });

  it('runs up to the measured sweet spot on wasm and cpu when the cores allow it', () => {
    // The 2-core test machine (and the e2e sweep on it) trains two at once.
    expect(sweepConcurrency({ backend: 'wasm', cores: 2, runsLeft: 4 })).toBe(2);
    expect(sweepConcurrency({ backend: 'cpu', cores: 2, runsLeft: 4 })).toBe(2);
    expect(sweepConcurrency({ backend: 'wasm', cores: 2, runsLeft: 2 })).toBe(2);
    expect(sweepConcurrency({ backend: 'wasm', cores: 64, runsLeft: 100 })).toBe(Math.min(SWEEP_MAX_WORKERS, SWEEP_SWEET_SPOT));
    expect(SWEEP_SWEET_SPOT).toBeGreaterThanOrEqual(1);
    expect(SWEEP_SWEET_SPOT).toBeLessThanOrEqual(SWEEP_MAX_WORKERS);
  });

  it('never uses more workers than cores', () => {
    expect(sweepConcurrency({ backend: 'wasm', cores: 1, runsLeft: 8 })).toBe(1);
  });

  it('never starts more workers than runs are left', () => {
    expect(sweepConcurrency({ backend: 'cpu', cores: 8, runsLeft: 1 })).toBe(1);
    expect(sweepConcurrency({ backend: 'cpu', cores: 8, runsLeft: 0 })).toBe(1);
  });

  it('treats an unknown or nonsense core count as one core', () => {
    expect(sweepConcurrency({ backend: 'wasm', cores: 0, runsLeft: 8 })).toBe(1);
    expect(sweepConcurrency({ backend: 'wasm', cores: Number.NaN, runsLeft: 8 })).toBe(1);
    expect(sweepConcurrency({ backend: 'wasm', cores: -3, runsLeft: 8 })).toBe(1);
  });
});
