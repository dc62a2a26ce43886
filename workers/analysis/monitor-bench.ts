// The bench hook for "drift over 100k logged requests × 20 features" (goal: under 1 s in the worker): a synthetic log
// built column by column, then every window's signals timed on it, as the analysis worker computes them for the
// Monitor. Only the signals are timed; building the log and its reference is reported apart.

import { splitWindows, syntheticLog, windowSignals, type WindowSpec } from '../../src/core/monitor/windows';

export interface MonitorBenchOptions {
  requests?: number;
  features?: number;
  /** 10 windows of 10,000 requests unless told otherwise. */
  window?: WindowSpec;
  referenceRows?: number;
  seed?: number;
}

export interface MonitorBenchResult {
  requests: number;
  features: number;
  windows: number;
  /** Building the synthetic log and its reference (not part of the measured path). */
  buildMs: number;
  /** Splitting the log into windows and computing every window's signals. */
  signalsMs: number;
  /** Windows whose dataset drifted: the second half of the log is shifted, so about half of them. */
  driftedWindows: number;
}

export function benchMonitorSignals(options: MonitorBenchOptions = {}): MonitorBenchResult {
  const { requests = 100_000, features = 20, window = { kind: 'count', size: 10_000 }, referenceRows, seed } = options;
  const built = performance.now();
  const log = syntheticLog({ requests, features, referenceRows, seed });
  const started = performance.now();
  const signals = splitWindows(log.chunks, window).map((w) => windowSignals(w, log.chunks, log.reference));
  const done = performance.now();
  return {
    requests,
    features,
    windows: signals.length,
    buildMs: started - built,
    signalsMs: done - started,
    driftedWindows: signals.filter((s) => s.datasetDrifted).length,
  };
}
