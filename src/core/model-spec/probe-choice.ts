// Choosing a backend from the probe's measurements: pure, so the rule is tested without a device.

import type { BackendName } from '../types';
import type { ModelFamily } from './types';
import { backendProblem } from './backend';

export interface ProbeTiming {
  backend: BackendName;
  ok: boolean;
  msPerStep: number | null;
}

/**
 * On a tie, the backend that cannot lose its device wins: wasm and cpu run on the CPU, so a run there is never cut
 * short by a lost GPU, and wasm is the faster of the two in every build we measured.
 */
const TIE_ORDER: readonly BackendName[] = ['wasm', 'cpu', 'webgl', 'webgpu'];

/**
 * The backend with the lowest measured ms/step among those that trained and can train `family`; ties go by
 * TIE_ORDER. cpu when none qualifies: tfjs always has it, and it is the honest fallback when nothing was measured.
 */
export function chooseBackend(family: ModelFamily, timings: readonly ProbeTiming[]): BackendName {
  const usable = timings.filter(
    (t): t is ProbeTiming & { msPerStep: number } =>
      t.ok && t.msPerStep !== null && Number.isFinite(t.msPerStep) && backendProblem(family, t.backend) === null,
  );
  usable.sort((a, b) => a.msPerStep - b.msPerStep || TIE_ORDER.indexOf(a.backend) - TIE_ORDER.indexOf(b.backend));
  return usable[0]?.backend ?? 'cpu';
}
