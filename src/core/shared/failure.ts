// Reading and wording a Failure (src/core/contracts/outcomes.ts). Whatever a worker call rejects with becomes a
// Failure here, so the page decides on `kind` and never on the text of a message.

import type { Failure } from '../contracts/outcomes';
import { isOurMessage, storageFailureText } from './storage-room';

const KINDS = new Set<string>(['killed', 'device-lost', 'cancelled', 'failed']);

export function isFailure(x: unknown): x is Failure {
  return typeof x === 'object' && x !== null && 'kind' in x && typeof x.kind === 'string' && KINDS.has(x.kind);
}

/**
 * The failure a rejection stands for: a Failure as it is; anything else (an Error, a crashed worker) is 'failed'. A full
 * disk, however it arrived (raw, inside Dexie's AbortError, or flattened to text by a worker), reads as one clear
 * sentence instead of the browser's QuotaExceededError.
 */
export function failureOf(error: unknown): Failure {
  if (isFailure(error)) {
    if (error.kind !== 'failed' || isOurMessage(error.message)) return error;
    const full = storageFailureText(error.message, null);
    return full ? { ...error, message: full } : error;
  }
  const full = storageFailureText(error, null);
  return { kind: 'failed', message: full ?? (error instanceof Error ? error.message : String(error)) };
}

/** What the user reads. `cancelled` names what was cancelled ("The evaluation"), since the call does not know it. */
export function failureMessage(failure: Failure, what = 'The job'): string {
  switch (failure.kind) {
    case 'killed':
      return 'The run was killed.';
    case 'device-lost':
      return `The GPU device was lost (${failure.backend}: ${failure.detail}).`;
    case 'cancelled':
      return `${what} was cancelled.`;
    case 'failed':
      return failure.message;
  }
}
