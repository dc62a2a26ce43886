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
