// Switching the tfjs backend, and refusing to pretend it worked: tfjs logs a failed initialisation and then quietly
// runs on whatever backend it likes best, which would make every measurement and run record a lie.

import * as tf from '@tensorflow/tfjs';
import type { BackendName } from '../../src/core/shared/types';

export class BackendUnavailableError extends Error {
  constructor(
    readonly backend: BackendName,
    reason: string,
  ) {
    super(`The ${backend} backend is not available here: ${reason}`);
    this.name = 'BackendUnavailableError';
  }
}

export async function useBackend(name: BackendName): Promise<BackendName> {
  if (tf.findBackendFactory(name) === null) {
    throw new BackendUnavailableError(name, 'it is not registered in this context (not supported by the browser or not loaded)');
  }
  const engine = tf.engine();
  const initialised = (b: string | null): boolean => b !== null && engine.registry[b] !== undefined;
  const current = tf.getBackend() ?? null;
  // The name alone is not enough: after a failed switch tfjs keeps the failed name with no backend behind it.
  if (current === name && initialised(name)) return name;
  const previous = initialised(current) ? current : null;
  let ok = false;
  let reason = 'initialisation failed (see the console for the library message)';
  try {
    ok = await tf.setBackend(name);
    await tf.ready();
  } catch (e) {
    ok = false;
    reason = e instanceof Error ? e.message : String(e);
  }
  if (ok && tf.getBackend() === name) return name;
  // A failed switch leaves the engine pointing at a backend with no instance; go back to a working one so the
  // next call does not initialise something we never asked for.
  if (previous && previous !== name) {
    try {
      await tf.setBackend(previous);
    } catch {
      // Nothing better to do: the error below is the one worth reporting.
    }
  }
  if (ok) reason = `tfjs is running on ${tf.getBackend()} instead`;
  throw new BackendUnavailableError(name, reason);
}

export function currentBackend(): BackendName {
  return tf.getBackend() as BackendName;
}
