// The measured side: Loopbench's real training worker, driven through its TrainerApi as the app drives it,
// with the main thread's long tasks recorded meanwhile.

import { proxy, wrap } from 'comlink';
import { SPLIT_TRAIN, SPLIT_VALIDATION } from '../../src/core/shared/types';
import type { BackendName } from '../../src/core/shared/types';
import type { RunParams } from '../../src/core/train/spec/types';
import type { TrainEvent, TrainerApi } from '../../src/core/contracts/train';
import type { SideResult } from './protocol';
import { message, side, withTimeout } from './side-common';
import type { BenchData } from './synthetic';
import { storeBenchVersion } from './bench-store';

export interface LoopbenchOutcome {
  side: SideResult;
  longestTaskMs: number;
  longTaskCount: number;
}

export async function runLoopbench(data: BenchData, params: RunParams, backend: BackendName, timeoutMs: number): Promise<LoopbenchOutcome> {
  // The last rows validate, the rest train: exactly the rows the plain fit trains on and validates with.
  const trainRows = data.table.rowCount - data.validationRows;
  const assignment = new Uint8Array(data.table.rowCount).fill(SPLIT_TRAIN).fill(SPLIT_VALIDATION, trainRows);
  // The worker reads the version by id, as in the app: stored here first, before the main thread is watched.
  const dataset = await storeBenchVersion(`train-${data.schema.length}x${data.table.rowCount}-${data.validationRows}`, data.schema, data.table, assignment);
  // Storing (and, on a first run, drawing the data set) make long tasks of the bench's own. A task is reported when it
  // ends, to observers registered by then, so the observer starts in a fresh task, after the setup's has ended.
  await new Promise((resolve) => setTimeout(resolve, 0));
  // Without this entry type the bench would report "no long tasks" while measuring nothing.
  if (!PerformanceObserver.supportedEntryTypes.includes('longtask')) throw new Error('this browser does not report long tasks');
  const longTasks: number[] = [];
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) longTasks.push(entry.duration);
  });
  observer.observe({ type: 'longtask' });

  const epochEnds: number[] = [];
  let backendUsed: string | null = null;
  let start = 0;
  let error: string | null = null;
  const onEvent = (event: TrainEvent): void => {
    if (event.type === 'backend') backendUsed = event.backend;
    // Timing starts once the data is prepared, as the plain fit's starts with its tensors built.
    else if (event.type === 'prepared') {
      start = performance.now();
      if (event.trainRows !== trainRows || event.validationRows !== data.validationRows) {
        error = `split ${event.trainRows}/${event.validationRows} rows, expected ${trainRows}/${data.validationRows}`;
      }
    } else if (event.type === 'epoch') epochEnds.push(performance.now());
  };

  const worker = new Worker(new URL('../../workers/train.worker.ts', import.meta.url), { type: 'module' });
  try {
    const api = wrap<TrainerApi>(worker);
    const result = await withTimeout(
      api.train(
        { runId: `bench-${params.spec.family}-${backend}`, task: 'classification', params, backend, dataset },
        proxy(onEvent),
      ),
      timeoutMs,
      'Loopbench training',
    );
    backendUsed = result.backend;
    if (result.backend !== backend) error = `ran on ${result.backend}`;
    else if (error === null && result.epochsCompleted !== params.hyper.epochs) error = `completed ${result.epochsCompleted} of ${params.hyper.epochs} epochs`;
  } catch (caught) {
    error = message(caught);
  } finally {
    worker.terminate();
    // Long tasks are reported after they end: give the last one a moment to arrive.
    await new Promise((resolve) => setTimeout(resolve, 100));
    for (const entry of observer.takeRecords()) longTasks.push(entry.duration);
    observer.disconnect();
  }
  const epochMs = epochEnds.map((end, i) => end - (i === 0 ? start : epochEnds[i - 1]));
  return {
    side: side(backendUsed, epochMs, error),
    longestTaskMs: longTasks.length === 0 ? 0 : Math.max(...longTasks),
    longTaskCount: longTasks.length,
  };
}
