// The measured side: Loopbench's real training worker, driven through its TrainerApi as the app drives it,
// with the main thread's long tasks recorded meanwhile.

import { proxy, transfer, wrap } from 'comlink';
import { columnBuffer } from '../../src/core/data/columns';
import { SPLIT_TRAIN, SPLIT_VALIDATION } from '../../src/core/shared/types';
import type { BackendName } from '../../src/core/shared/types';
import type { RunParams } from '../../src/core/train/spec/types';
import type { TrainEvent, TrainerApi } from '../../src/core/worker-api';
import type { SideResult } from './protocol';
import { message, side, withTimeout } from './side-common';
import type { BenchData } from './synthetic';

export interface LoopbenchOutcome {
  side: SideResult;
  longestTaskMs: number;
  longTaskCount: number;
}

export async function runLoopbench(data: BenchData, params: RunParams, backend: BackendName, timeoutMs: number): Promise<LoopbenchOutcome> {
  // The app transfers the table to its worker (TrainerClient): copied here, before the main thread is watched, so the
  // measured side does not pay for a structured clone the app never makes, and the data stays usable for the next side.
  const table = structuredClone(data.table);
  // The clone (and, on a first run, drawing the data set) make a long task of the bench's own: 69-71 ms for the
  // 100k-row table. A task is reported when it ends, to observers registered by then, so the observer starts in a
  // fresh task, after the setup's has ended.
  await new Promise((resolve) => setTimeout(resolve, 0));
  // Without this entry type the bench would report "no long tasks" while measuring nothing.
  if (!PerformanceObserver.supportedEntryTypes.includes('longtask')) throw new Error('this browser does not report long tasks');
  const longTasks: number[] = [];
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) longTasks.push(entry.duration);
  });
  observer.observe({ type: 'longtask' });

  // The last rows validate, the rest train: exactly the rows the plain fit trains on and validates with.
  const trainRows = data.table.rowCount - data.validationRows;
  const assignment = new Uint8Array(data.table.rowCount).fill(SPLIT_TRAIN).fill(SPLIT_VALIDATION, trainRows);
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
        transfer({
          runId: `bench-${params.spec.family}-${backend}`,
          task: 'classification',
          params,
          backend,
          schema: data.schema,
          table,
          assignment,
        }, [...table.columns.map(columnBuffer), assignment.buffer]),
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
