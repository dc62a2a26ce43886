// The drift row's worker (BENCH_ONLY=monitor): runs the analysis worker's own bench path, benchMonitorSignals (the
// signals the Monitor computes, over a synthetic columnar log), in a real browser worker, so the figure is the
// browser's JIT and memory rather than Node's.

import { expose } from 'comlink';
import { benchMonitorSignals, type MonitorBenchOptions, type MonitorBenchResult } from '../../workers/analysis/monitor-bench';

export interface MonitorDriftApi {
  signals(options: MonitorBenchOptions): MonitorBenchResult;
}

expose({ signals: (options: MonitorBenchOptions) => benchMonitorSignals(options) } satisfies MonitorDriftApi);
