// The import half of the bench page: exposes one import measurement as a function for scripts/bench-import.mjs.

import type { ImportRequest, ImportResult } from './import-protocol';
import { importWithLoopbench, importWithPapa, type SideOutcome } from './import-side';
import { startProbes } from './page-probes';
import { message, withTimeout } from './side-common';

declare global {
  interface Window {
    runImportBench(request: ImportRequest): Promise<ImportResult>;
  }
}

window.runImportBench = async (request) => {
  // Fetching is not part of an import: the file is a Blob before the clock starts, as a picked file is.
  const blob = await (await fetch(request.url)).blob();
  const file = new File([blob], request.fileName);
  const probes = startProbes();
  const start = performance.now();
  let error: string | null = null;
  let outcome: SideOutcome | null = null;
  try {
    const work = request.side === 'loopbench' ? importWithLoopbench(file, request.target) : importWithPapa(file);
    // A timed-out import keeps running in its worker; scripts/bench-import.mjs closes the page, which ends it.
    outcome = await withTimeout(work, request.timeoutMs, `${request.side} import`);
  } catch (caught) {
    error = message(caught);
  }
  const totalMs = error === null ? performance.now() - start : null;
  const probed = await probes.stop();
  return {
    side: request.side,
    fileName: request.fileName,
    bytes: file.size,
    rows: outcome?.rows ?? 0,
    totalMs,
    phases: outcome?.phases ?? null,
    datasetId: outcome?.datasetId ?? null,
    peakPageHeapBytes: probed.peakHeapBytes,
    longestTaskMs: probed.longestTaskMs,
    longTaskCount: probed.longTaskCount,
    error,
  };
};
