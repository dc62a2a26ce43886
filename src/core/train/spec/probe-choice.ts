// Choosing a backend from the probe's measurements: pure, so the rule is tested without a device.

import type { BackendName } from '../../shared/types';
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

/** Backends whose device (GPU process, context) can be lost under a run. */
export const GPU_BACKENDS: readonly BackendName[] = ['webgpu', 'webgl'];

/**
 * Where a run goes when its GPU device was lost: the fastest measured CPU-side backend that can train `family` and
 * was not tried yet (by TIE_ORDER when nothing was measured). Not the other GPU backend: a lost device usually means
 * the GPU process crashed or was reset, which takes every GPU context with it, and a second loss would cost another
 * epoch. Null when nothing is left.
 */
export function backendAfterLoss(family: ModelFamily, timings: readonly ProbeTiming[] | null, tried: readonly BackendName[]): BackendName | null {
  const measured = (b: BackendName): number => {
    const t = timings?.find((m) => m.backend === b);
    return t?.ok && t.msPerStep !== null && Number.isFinite(t.msPerStep) ? t.msPerStep : Number.POSITIVE_INFINITY;
  };
  const candidates = TIE_ORDER.filter((b) => !GPU_BACKENDS.includes(b) && !tried.includes(b) && backendProblem(family, b) === null);
  candidates.sort((a, b) => measured(a) - measured(b) || TIE_ORDER.indexOf(a) - TIE_ORDER.indexOf(b));
  return candidates[0] ?? null;
}
