// The drift half of the monitor bench (BENCH_ONLY=monitor): drift over a synthetic log of `requests` × `features`,
// computed in one fresh browser worker per window size. Each size runs `repeats` times in that worker: the first run
// is cold (the worker's code not yet optimised), the others show the steady cost.

import { wrap } from 'comlink';
import type { MonitorBenchResult } from '../../workers/analysis/monitor-bench';
import type { MonitorDriftApi } from './monitor-drift.worker';
import { message, withTimeout } from './side-common';

export interface MonitorDriftRow {
  requests: number;
  features: number;
  windowSize: number;
  windows: number | null;
  /** Signals of every window, per run, in ms (building the log excluded). */
  signalsMs: number[];
  /** Building the synthetic log and its reference, per run, in ms (not in signalsMs). */
  buildMs: number[];
  driftedWindows: number | null;
  error: string | null;
}

declare global {
  interface Window {
    runMonitorDriftBench(requests: number, features: number, windowSizes: number[], repeats: number, timeoutMs: number): Promise<MonitorDriftRow[]>;
  }
}

async function oneSize(requests: number, features: number, windowSize: number, repeats: number, timeoutMs: number): Promise<MonitorDriftRow> {
  const row: MonitorDriftRow = { requests, features, windowSize, windows: null, signalsMs: [], buildMs: [], driftedWindows: null, error: null };
  const worker = new Worker(new URL('./monitor-drift.worker.ts', import.meta.url), { type: 'module', name: 'monitor-drift' });
  try {
    const api = wrap<MonitorDriftApi>(worker);
    for (let run = 0; run < repeats; run++) {
      const result: MonitorBenchResult = await withTimeout(
        api.signals({ requests, features, window: { kind: 'count', size: windowSize } }),
        timeoutMs,
        `drift over ${requests} requests in windows of ${windowSize}`,
      );
      row.windows = result.windows;
      row.driftedWindows = result.driftedWindows;
      row.signalsMs.push(result.signalsMs);
      row.buildMs.push(result.buildMs);
    }
  } catch (e) {
    row.error = message(e);
  } finally {
    worker.terminate();
  }
  return row;
}

window.runMonitorDriftBench = async (requests, features, windowSizes, repeats, timeoutMs) => {
  const rows: MonitorDriftRow[] = [];
  for (const size of windowSizes) rows.push(await oneSize(requests, features, size, repeats, timeoutMs));
  return rows;
};
