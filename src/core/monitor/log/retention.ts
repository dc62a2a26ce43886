// How much request log a project keeps. Chunks are dropped whole, oldest first, and only once every request in them
// is beyond the limit (as Prometheus drops whole blocks): the log keeps at least the newest `maxRequests` requests and
// everything younger than `maxAgeMs`, and exceeds a limit by less than one chunk.

import type { ChunkHead } from './types';

export interface RetentionRule {
  /** Rows kept across the project's log (serving and shadow rows alike). */
  maxRequests?: number;
  /** Age, in ms before `now`, beyond which requests go. */
  maxAgeMs?: number;
}

/** A million requests, no age limit. */
export const DEFAULT_RETENTION: Readonly<RetentionRule> = Object.freeze({ maxRequests: 1_000_000 });

/** Problems with a rule, each naming the field; empty when it is valid. */
export function checkRetention(rule: RetentionRule): string[] {
  const problems: string[] = [];
  const { maxRequests, maxAgeMs } = rule;
  if (maxRequests !== undefined && (!Number.isSafeInteger(maxRequests) || maxRequests < 1)) {
    problems.push(`maxRequests: ${String(maxRequests)} is not a whole number of at least 1.`);
  }
  if (maxAgeMs !== undefined && (typeof maxAgeMs !== 'number' || !Number.isFinite(maxAgeMs) || maxAgeMs <= 0)) {
    problems.push(`maxAgeMs: ${String(maxAgeMs)} is not a positive number of milliseconds.`);
  }
  return problems;
}

/** A chunk as retention sees it: its place in time and its size, and a key to name it by. */
export type RetainedChunk<K> = Pick<ChunkHead, 'rows' | 'firstAt' | 'lastAt'> & { key: K };

/**
 * The keys of the chunks to drop, oldest first. `now` is the time ages are measured from: on a replay's virtual
 * clock it is the newest logged time rather than the wall clock.
 */
export function chunksToDrop<K>(chunks: readonly RetainedChunk<K>[], rule: RetentionRule, now: number): K[] {
  const problems = checkRetention(rule);
  if (problems.length > 0) throw new Error(`The retention rule is not valid: ${problems.join(' ')}`);
  // Newest first by the newest request of each chunk; among equals, the chunk that started later counts as newer.
  const newestFirst = chunks
    .map((chunk, index) => ({ chunk, index }))
    .sort((a, b) => b.chunk.lastAt - a.chunk.lastAt || b.chunk.firstAt - a.chunk.firstAt || b.index - a.index);
  const cutoff = rule.maxAgeMs === undefined ? -Infinity : now - rule.maxAgeMs;
  const dropped: K[] = [];
  let newer = 0;
  for (const { chunk } of newestFirst) {
    const beyondCount = rule.maxRequests !== undefined && newer >= rule.maxRequests;
    const beyondAge = chunk.lastAt < cutoff;
    if (beyondCount || beyondAge) dropped.push(chunk.key);
    newer += chunk.rows;
  }
  return dropped.reverse();
}
