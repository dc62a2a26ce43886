// Helpers both measured sides share.

import { steadyMs, type SideResult } from './protocol';

export function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Rejects after `ms` so a hung backend shows up as an error row instead of stalling the whole bench. */
export function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${Math.round(ms / 1000)} s`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

export function side(backendUsed: string | null, epochMs: number[], error: string | null): SideResult {
  const rounded = epochMs.map((ms) => Math.round(ms * 10) / 10);
  return { backendUsed, epochMs: rounded, steadyMs: error === null ? steadyMs(rounded) : null, error };
}

/**
 * One side's two runs as one result: every epoch kept, the steady figure the median of both runs' epochs after their
 * first (each run's first carries its warm-up). The first error wins: a side that failed once is not averaged in.
 */
export function pairOf(first: SideResult, second: SideResult): SideResult {
  const error = first.error ?? second.error;
  const steady = [...first.epochMs.slice(1), ...second.epochMs.slice(1)];
  // steadyMs() drops the first entry of what it is given: hand it a placeholder for it.
  const median = error === null && steady.length > 0 ? steadyMs([0, ...steady]) : null;
  return { backendUsed: first.backendUsed ?? second.backendUsed, epochMs: [...first.epochMs, ...second.epochMs], steadyMs: median, error };
}
