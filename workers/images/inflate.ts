// Inflates one zip entry while counting what comes out: the declared size can lie, so an entry that
// inflates past it (or past what is left of the archive's budget) is stopped mid-stream, before the
// bytes exist in memory.

import { Inflate } from 'fflate';
import type { ZipEntry } from '../../src/core/data/images/zip';

/** Compressed bytes fed per step: one step inflates to at most ~1032x this (deflate's maximum ratio). */
const STEP = 16 * 1024;

export type Inflated = { ok: true; bytes: Uint8Array } | { ok: false; bomb: boolean; reason: string };

/** `budget`: bytes this entry may produce at most (its declared size, and what the archive has left). */
export function inflateEntry(entry: ZipEntry, data: Uint8Array, budget: number): Inflated {
  if (entry.method === 0) {
    if (data.length !== entry.size) return { ok: false, bomb: false, reason: 'the stored entry is truncated or corrupt' };
    return { ok: true, bytes: data };
  }
  const parts: Uint8Array[] = [];
  let produced = 0;
  let over = false;
  let finished = false;
  const inflater = new Inflate((chunk, final) => {
    produced += chunk.length;
    if (produced > budget) over = true;
    else parts.push(chunk);
    if (final) finished = true;
  });
  try {
    for (let at = 0; at < data.length && !over; at += STEP) {
      inflater.push(data.subarray(at, Math.min(data.length, at + STEP)), at + STEP >= data.length);
    }
  } catch (e) {
    return { ok: false, bomb: false, reason: `it does not inflate (${e instanceof Error ? e.message : String(e)})` };
  }
  if (over) {
    return {
      ok: false,
      bomb: true,
      reason: `it inflates to more than ${budget} bytes although it declares ${entry.size} (a zip bomb)`,
    };
  }
  if (!finished || produced !== entry.size) {
    return { ok: false, bomb: false, reason: `it inflates to ${produced} bytes but declares ${entry.size} (truncated or corrupt)` };
  }
  const bytes = new Uint8Array(produced);
  let at = 0;
  for (const part of parts) {
    bytes.set(part, at);
    at += part.length;
  }
  return { ok: true, bytes };
}
