import { describe, expect, it } from 'vitest';
import { compareWithCpu, relativeDifference } from '../bench/parity-protocol';

const f = (...v: number[]): Float32Array => Float32Array.from(v);

describe('backend parity comparison', () => {
  it('measures the largest difference relative to the gradient scale', () => {
    expect(relativeDifference(f(1, 2, -4), f(1, 2, -4))).toBe(0);
    expect(relativeDifference(f(1.004, 2, -4), f(1, 2, -4))).toBeCloseTo(0.001, 6);
    // A tiny element off by a tiny amount does not dominate.
    expect(relativeDifference(f(1e-9, 2), f(0, 2))).toBeLessThan(1e-8);
  });

  it('treats NaN, a length mismatch and a wrong weight count as failures', () => {
    expect(relativeDifference(f(Number.NaN, 1), f(0, 1))).toBe(Number.POSITIVE_INFINITY);
    expect(relativeDifference(f(1), f(1, 2))).toBe(Number.POSITIVE_INFINITY);
    const cpu = { backendUsed: 'cpu', loss: 1, grads: [{ name: 'a', values: f(1, 2) }] };
    expect(compareWithCpu({ ...cpu, grads: [] }, cpu).max).toBe(Number.POSITIVE_INFINITY);
    expect(compareWithCpu({ ...cpu, loss: Number.NaN }, cpu).max).toBe(Number.POSITIVE_INFINITY);
  });

  it('names the worst weight, counting the loss too', () => {
    const cpu = { backendUsed: 'cpu', loss: 1, grads: [{ name: 'a', values: f(1, 2) }, { name: 'b', values: f(4) }] };
    expect(compareWithCpu({ ...cpu, backendUsed: 'webgl', grads: [cpu.grads[0], { name: 'b', values: f(4.4) }] }, cpu)).toEqual({ max: expect.closeTo(0.1, 5), worst: 'b' });
    expect(compareWithCpu({ ...cpu, loss: 1.5 }, cpu)).toEqual({ max: 0.5, worst: 'loss' });
  });
});
