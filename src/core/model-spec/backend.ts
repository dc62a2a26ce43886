// Which backends can train which family, and the backend a run uses when the user leaves it to the probe.

import type { BackendName } from '../types';
import type { ModelFamily } from './types';

/** Why `backend` cannot train `family`, or null when it can. */
export function backendProblem(family: ModelFamily, backend: BackendName): string | null {
  if (family === 'cnn' && backend === 'wasm') {
    return 'The CNN cannot train on the wasm backend: tfjs-backend-wasm 4.22 has no Conv2DBackpropFilter. Choose webgl, webgpu or cpu.';
  }
  return null;
}

export interface ProbeRanking {
  best: BackendName;
  measurements: { backend: BackendName; ok: boolean; msPerStep: number | null }[];
}

/** The fastest measured backend that can train `family`; cpu when none of the measured ones can. */
export function fastestFor(family: ModelFamily, probe: ProbeRanking): BackendName {
  if (!backendProblem(family, probe.best)) return probe.best;
  const usable = probe.measurements
    .filter((m) => m.ok && m.msPerStep !== null && !backendProblem(family, m.backend))
    .sort((a, b) => (a.msPerStep ?? Infinity) - (b.msPerStep ?? Infinity));
  return usable[0]?.backend ?? 'cpu';
}
