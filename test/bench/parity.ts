// Registers window.runParity: one training step of a tiny model per family on each backend, in a fresh worker
// per backend, with every backend's gradients compared with cpu's. Driven by test/e2e/backend-parity.test.ts.

import { wrap } from 'comlink';
import type { BackendName } from '../../src/core/shared/types';
import type { ModelFamily } from '../../src/core/train/spec/types';
import { backendProblem } from '../../src/core/train/spec/backend';
import { compareWithCpu, type ParityGradients, type ParityRow, type ParityWorkerApi } from './parity-protocol';
import { message, withTimeout } from './side-common';

declare global {
  interface Window {
    runParity(families: ModelFamily[], backends: BackendName[], timeoutMs: number): Promise<ParityRow[]>;
  }
}

async function gradientsOn(family: ModelFamily, backend: BackendName, timeoutMs: number): Promise<ParityGradients> {
  const worker = new Worker(new URL('./parity.worker.ts', import.meta.url), { type: 'module' });
  try {
    return await withTimeout(wrap<ParityWorkerApi>(worker).gradients(family, backend), timeoutMs, `${family} on ${backend}`);
  } finally {
    worker.terminate();
  }
}

window.runParity = async (families, backends, timeoutMs) => {
  const rows: ParityRow[] = [];
  for (const family of families) {
    // cpu first: it is the reference every other backend is compared with, so it must run.
    const cpu = await gradientsOn(family, 'cpu', timeoutMs);
    for (const backend of backends) {
      const base = { family, backend, backendUsed: null, loss: null, maxRelativeDifference: null, worstWeight: null };
      const problem = backendProblem(family, backend);
      if (problem !== null) {
        rows.push({ ...base, status: 'cannot-train', reason: problem });
        continue;
      }
      let run: ParityGradients;
      try {
        run = backend === 'cpu' ? cpu : await gradientsOn(family, backend, timeoutMs);
      } catch (e) {
        rows.push({ ...base, status: 'unavailable', reason: message(e) });
        continue;
      }
      const { max, worst } = compareWithCpu(run, cpu);
      rows.push({ ...base, status: 'ran', backendUsed: run.backendUsed, loss: run.loss, maxRelativeDifference: max, worstWeight: worst, reason: null });
    }
  }
  return rows;
};
