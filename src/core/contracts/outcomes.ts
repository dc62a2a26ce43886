// How a worker call ends when it does not succeed, as data the page switches on (src/core/shared/failure.ts has the
// helpers). Worker calls reject with a Failure itself: a plain object, which comlink passes whole (an Error crosses
// as its name and message only, so its kind would have to be recovered from text). Types only.

import type { BackendName } from '../shared/types';

export type Failure =
  /** The user killed the run: nothing of it is kept but what it already reported. */
  | { kind: 'killed' }
  /** The GPU device (WebGPU device or WebGL context) was lost: the run can continue from a checkpoint elsewhere. */
  | { kind: 'device-lost'; backend: BackendName; detail: string }
  /** The caller aborted the call; nothing was written. */
  | { kind: 'cancelled' }
  /** Anything else: `message` is for the user; `cause` is the underlying error's text, when there was one. */
  | { kind: 'failed'; message: string; cause?: string };

export type FailureKind = Failure['kind'];
