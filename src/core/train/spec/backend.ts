// Which backends can train which family, and the backend a run uses when the user leaves it to the probe.

import type { BackendName } from '../../shared/types';
import type { ModelFamily } from './types';
import { chooseBackend, type ProbeTiming } from './probe-choice';

/** Why `backend` cannot train `family`, or null when it can. */
export function backendProblem(family: ModelFamily, backend: BackendName): string | null {
  if (family === 'cnn' && backend === 'wasm') {
    return 'The CNN cannot train on the wasm backend: tfjs-backend-wasm 4.22 has no Conv2DBackpropFilter. Choose webgl, webgpu or cpu.';
  }
  return null;
}

export interface ProbeRanking {
  best: BackendName;
  measurements: ProbeTiming[];
}

/**
 * The fastest measured backend that can train `family`; cpu when none of the measured ones can. Recomputed from
 * the measurements rather than trusting `best`, so a probe of another family (or an old cached one) is never
 * followed onto a backend that cannot train this one.
 */
export function fastestFor(family: ModelFamily, probe: ProbeRanking): BackendName {
  return chooseBackend(family, probe.measurements);
}
