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
  // Where the longest task fell (parse, build or save), so a regression points at its phase.
  const tasks: { start: number; duration: number }[] = [];
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) tasks.push({ start: entry.startTime, duration: entry.duration });
  });
  observer.observe({ type: 'longtask' });
  const start = performance.now();
  let error: string | null = null;
  let outcome: SideOutcome | null = null;
  try {
    const work = request.side === 'loopbench' ? importWithLoopbench(file, request.target, request.task) : importWithPapa(file);
    // A timed-out import keeps running in its worker; scripts/bench-import.mjs closes the page, which ends it.
    outcome = await withTimeout(work, request.timeoutMs, `${request.side} import`);
  } catch (caught) {
    error = message(caught);
  }
  // Up to the stored version: deleting the bench's database afterwards is not part of an import.
  const totalMs = error === null && outcome !== null ? outcome.doneAt - start : null;
  const probed = await probes.stop();
  for (const entry of observer.takeRecords()) tasks.push({ start: entry.startTime, duration: entry.duration });
  observer.disconnect();
  const longest = tasks.reduce<{ start: number; duration: number } | null>((a, t) => (a === null || t.duration > a.duration ? t : a), null);
  const marks = outcome?.marks ?? null;
  const longestTaskPhase =
    longest === null || marks === null
      ? null
      : longest.start < marks.parsed
        ? 'parse'
        : longest.start < marks.saved
          ? 'store'
          : 'after';
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
    longestTaskPhase,
    error,
  };
};
