// A random stream per request, keyed by (seed, seq) rather than drawn from one running generator: a request's draws
// are the same whether the replay is read whole or in batches, and whatever other requests used.

import { mulberry32 } from '../../shared/rng';

/** Uniform numbers in [0, 1) for request `seq` of a replay seeded with `seed`; `salt` separates independent uses. */
export function requestRand(seed: number, seq: number, salt = 0): () => number {
  // MurmurHash3's finaliser over the three keys: nearby seqs give unrelated generator states.
  let h = Math.imul((seed >>> 0) ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(seq + 1, 0xc2b2ae35) ^ Math.imul(salt + 1, 0x27d4eb2f);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return mulberry32(h >>> 0);
}
