// How a worker call's failure reaches the page: as data whose kind survives the worker boundary, never as a message
// whose text decides what happened.

import { describe, expect, it } from 'vitest';
import type { Failure, FailureKind } from '../../src/core/contracts/outcomes';
import { failureMessage, failureOf, isFailure } from '../../src/core/shared/failure';

const EVERY_KIND: Record<FailureKind, Failure> = {
  killed: { kind: 'killed' },
  'device-lost': { kind: 'device-lost', backend: 'webgpu', detail: 'the device was destroyed' },
  cancelled: { kind: 'cancelled' },
  failed: { kind: 'failed', message: 'The spec has no layers.', cause: 'TypeError: x is undefined' },
};

describe('failures', () => {
  it('cross a worker boundary whole (structured clone) and are read back as the same kind', () => {
    for (const failure of Object.values(EVERY_KIND)) {
      const received = failureOf(structuredClone(failure));
      expect(received).toEqual(failure);
    }
  });

  it('each kind has its own message; the device loss names its backend and what happened', () => {
    const messages = Object.values(EVERY_KIND).map((f) => failureMessage(f, 'The evaluation'));
    expect(new Set(messages).size).toBe(messages.length);
    expect(failureMessage(EVERY_KIND.killed)).toBe('The run was killed.');
    expect(failureMessage(EVERY_KIND['device-lost'])).toBe('The GPU device was lost (webgpu: the device was destroyed).');
    expect(failureMessage(EVERY_KIND.cancelled, 'The evaluation')).toBe('The evaluation was cancelled.');
    expect(failureMessage(EVERY_KIND.failed)).toBe('The spec has no layers.');
  });

  it('an error is a plain failure, whatever its text says: nothing is recognised by its message', () => {
    for (const text of ['The run was killed.', 'The GPU device was lost (webgl: gone).', 'The evaluation was cancelled.']) {
      expect(failureOf(new Error(text))).toEqual({ kind: 'failed', message: text });
    }
    expect(failureOf('a string')).toEqual({ kind: 'failed', message: 'a string' });
  });

  it('only objects of a known kind count as failures', () => {
    expect(isFailure({ kind: 'killed' })).toBe(true);
    expect(isFailure({ kind: 'exploded' })).toBe(false);
    expect(isFailure(null)).toBe(false);
    expect(isFailure(new Error('killed'))).toBe(false);
  });
});
