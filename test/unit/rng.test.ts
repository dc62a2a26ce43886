import { describe, expect, it } from 'vitest';
import { mulberry32, shuffleInPlace } from '../../src/core/shared/rng';

describe('mulberry32', () => {
  it('repeats for a seed and differs between seeds', () => {
    const a = mulberry32(42);
    const b = mulberry32(42);
    const c = mulberry32(43);
    const xs = Array.from({ length: 5 }, () => a());
    expect(Array.from({ length: 5 }, () => b())).toEqual(xs);
    expect(Array.from({ length: 5 }, () => c())).not.toEqual(xs);
  });

  it('matches the reference mulberry32 output', () => {
    // The widely published first output of mulberry32 for seed 0.
    expect(mulberry32(0)()).toBe(0.26642920868471265);
  });

  it('is uniform on [0, 1)', () => {
    const rand = mulberry32(7);
    const bins = new Array<number>(10).fill(0);
    let outside = 0;
    for (let i = 0; i < 100_000; i++) {
      const x = rand();
      if (!(x >= 0 && x < 1)) outside++;
      else bins[Math.floor(x * 10)]++;
    }
    expect(outside).toBe(0);
    for (const count of bins) expect(Math.abs(count - 10_000)).toBeLessThan(500);
  });
});

describe('shuffleInPlace', () => {
  it('permutes deterministically for a seed', () => {
    const a = Array.from({ length: 50 }, (_, i) => i);
    const b = Int32Array.from(a);
    shuffleInPlace(a, mulberry32(1));
    shuffleInPlace(b, mulberry32(1));
    expect(Array.from(b)).toEqual(a);
    expect(a).not.toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect([...a].sort((x, y) => x - y)).toEqual(Array.from({ length: 50 }, (_, i) => i));
  });

  it('reaches every permutation of three about equally often', () => {
    const rand = mulberry32(3);
    const counts = new Map<string, number>();
    for (let i = 0; i < 60_000; i++) {
      const a = [0, 1, 2];
      shuffleInPlace(a, rand);
      counts.set(a.join(''), (counts.get(a.join('')) ?? 0) + 1);
    }
    expect(counts.size).toBe(6);
    for (const n of counts.values()) expect(Math.abs(n - 10_000)).toBeLessThan(500);
  });
});
