import { describe, expect, it } from 'vitest';
import { checkRetention, chunksToDrop, DEFAULT_RETENTION, type RetainedChunk } from '../../../src/core/monitor/log/retention';

/** Five chunks of 100 requests, each spanning 10 ms, starting at 0, 100, ... 400; keyed by their start. */
const five = (): RetainedChunk<string>[] =>
  [0, 100, 200, 300, 400].map((start) => ({ key: `c${start}`, rows: 100, firstAt: start, lastAt: start + 10 }));

describe('chunksToDrop', () => {
  it('drops whole chunks, oldest first, once every request in them is beyond maxRequests', () => {
    // The newest 250 requests live in the three newest chunks; the two older ones hold only older requests.
    expect(chunksToDrop(five(), { maxRequests: 250 }, 0)).toEqual(['c0', 'c100']);
    // A limit on a chunk boundary keeps exactly that many.
    expect(chunksToDrop(five(), { maxRequests: 300 }, 0)).toEqual(['c0', 'c100']);
    expect(chunksToDrop(five(), { maxRequests: 301 }, 0)).toEqual(['c0']);
    // Never the chunk that holds the newest requests, even when it alone passes the limit.
    expect(chunksToDrop(five(), { maxRequests: 1 }, 0)).toEqual(['c0', 'c100', 'c200', 'c300']);
  });

  it('drops chunks whose newest request is older than maxAgeMs before now, keeping one that straddles the cutoff', () => {
    expect(chunksToDrop(five(), { maxAgeMs: 200 }, 305)).toEqual(['c0']);
    expect(chunksToDrop(five(), { maxAgeMs: 200 }, 311)).toEqual(['c0', 'c100']);
    // Both limits: whichever reaches further.
    expect(chunksToDrop(five(), { maxAgeMs: 1000, maxRequests: 200 }, 410)).toEqual(['c0', 'c100', 'c200']);
  });

  it('orders by time, not by the order given, and keeps everything without limits', () => {
    const shuffled = [five()[3], five()[0], five()[4], five()[1], five()[2]];
    expect(chunksToDrop(shuffled, { maxRequests: 250 }, 0)).toEqual(['c0', 'c100']);
    expect(chunksToDrop(five(), {}, 1e12)).toEqual([]);
    expect(chunksToDrop([], { maxRequests: 1 }, 0)).toEqual([]);
  });

  it('keeps a million requests by default', () => {
    const chunks = Array.from({ length: 300 }, (_, i) => ({ key: i, rows: 4096, firstAt: i * 10, lastAt: i * 10 + 9 }));
    expect(DEFAULT_RETENTION).toEqual({ maxRequests: 1_000_000 });
    // 245 chunks of 4,096 hold the newest 1,003,520 ≥ 1,000,000; the 55 before them go.
    expect(chunksToDrop(chunks, DEFAULT_RETENTION, 0)).toEqual(Array.from({ length: 55 }, (_, i) => i));
  });

  it('refuses an invalid rule, naming each field', () => {
    expect(checkRetention({ maxRequests: 0, maxAgeMs: -5 })).toEqual([
      'maxRequests: 0 is not a whole number of at least 1.',
      'maxAgeMs: -5 is not a positive number of milliseconds.',
    ]);
    expect(checkRetention({ maxRequests: 2.5 })).toHaveLength(1);
    expect(checkRetention({ maxRequests: 10, maxAgeMs: 60_000 })).toEqual([]);
    expect(() => chunksToDrop(five(), { maxAgeMs: NaN }, 0)).toThrow('The retention rule is not valid: maxAgeMs: NaN is not a positive number');
  });
});
