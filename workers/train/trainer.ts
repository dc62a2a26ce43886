// The trainer worker's API, separate from the entry point so it can be exercised without a worker.

import { transfer } from 'comlink';
import type { BackendName, Task } from '../../src/core/shared/types';
import type { ModelFamily } from '../../src/core/train/spec/types';
import type { DatasetRef } from '../../src/core/contracts/dataset';
import type { InputSummary, ProbeEvent, ProbeResult, SmokeRequest, SmokeResult, TrainerApi, TrainEvent, TrainRequest, TrainResult } from '../../src/core/contracts/train';
import { prepareInput, type PreparedInput } from '../../src/core/train/spec/input';
import { backendProblem } from '../../src/core/train/spec/backend';
import { useTunedBackend } from './kernels/tuned-backend';
import { probeBackends } from './probe';
import { trainModel } from './train-loop';
import { smokeTest } from './smoke';
import { summarizeInput } from './input-summary';
import { DatasetService } from '../dataset/dataset-service';
import { watchDevice } from './device-loss';
import { readEnvironment } from '../shared/environment';
import { GPU_BACKENDS } from '../../src/core/train/spec/probe-choice';
import type { Failure } from '../../src/core/contracts/outcomes';
import { failureOf } from '../../src/core/shared/failure';

/** How long a failed GPU run waits for the device-loss report that may explain the failure. */
const LOSS_GRACE_MS = 500;
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** `datasets` reads the versions it trains on (tests hand in one over fake-indexeddb). */
export function createTrainer(datasets = new DatasetService()): TrainerApi {
  /**
   * The input fitted on a version's training rows, per version and task: the Train screen's summary and the runs on
   * that version share one fit. Versions are immutable, so it never goes stale; only the newest is kept.
   */
  let fitted: { key: string; prepared: Promise<PreparedInput> } | null = null;
  async function prepare(dataset: DatasetRef, task: Task) {
    const loaded = await datasets.read(dataset);
    const key = `${dataset.databaseName}\n${dataset.versionId}\n${task}`;
    if (fitted?.key !== key) {
      const prepared = Promise.resolve().then(() => prepareInput(task, loaded.meta.schema, loaded.table, loaded.assignment));
      prepared.catch(() => {
        if (fitted?.prepared === prepared) fitted = null;
      });
      fitted = { key, prepared };
    }
    return { loaded, prepared: await fitted.prepared };
  }
  const stopRequested = new Set<string>();
  const pauseRequested = new Set<string>();
  const killRequested = new Set<string>();
  return {
    probe(family: ModelFamily, candidates: BackendName[], onEvent: (e: ProbeEvent) => void): Promise<ProbeResult> {
      return probeBackends(family, candidates, onEvent);
    },
    async train(request: TrainRequest, onEvent: (e: TrainEvent) => void): Promise<TrainResult> {
      try {
        // Refused before any backend switch: wasm would fail only at the first gradient, after the data is uploaded.
        const problem = backendProblem(request.params.spec.family, request.backend);
        if (problem) throw { kind: 'failed', message: problem } satisfies Failure;
        const { loaded, prepared } = await prepare(request.dataset, request.task);
        const backend = await useTunedBackend(request.backend);
        // Events travel on the callback's own port, the result on the call's: without waiting for the last event's
        // reply, the page could take the result first and then append an epoch (or save a checkpoint) of a run it
        // has already finished. Replies on one port come back in order, so the last one covers them all.
        let delivered: Promise<unknown> = Promise.resolve();
        const deliver = (e: TrainEvent) => {
          delivered = Promise.resolve(onEvent(e) as unknown).catch(() => undefined);
        };
        deliver({ type: 'backend', backend, environment: readEnvironment(backend) });
        const { runId } = request;
        // Checkpoint buffers move to the main thread instead of being copied (the worker keeps no reference).
        const send = (e: TrainEvent) => {
          if (e.type !== 'checkpoint') return deliver(e);
          const { weights, optimizer, best } = e.checkpoint;
          deliver(transfer(e, [weights.data, optimizer.data, ...(best ? [best.data] : [])]));
        };
        const watch = watchDevice(backend);
        try {
          const loadedRequest = { ...request, schema: loaded.meta.schema, table: loaded.table, assignment: loaded.assignment, prepared };
          const training = trainModel(loadedRequest, send, () => stopRequested.has(runId), {
            paused: () => pauseRequested.has(runId),
            killed: () => killRequested.has(runId),
          });
          const result = await Promise.race([training, watch.lost]);
          await delivered;
          // The weights move to the caller instead of being copied.
          return transfer(result, [result.model.weights]);
        } catch (e) {
          // tfjs may fail on the dead device (a rejected readback) a moment before the loss itself is reported.
          if (watch.loss === null && GPU_BACKENDS.includes(backend)) await Promise.race([watch.lost.catch(() => undefined), sleep(LOSS_GRACE_MS)]);
          await delivered;
          if (watch.loss !== null) throw watch.loss;
          throw e;
        } finally {
          watch.stop();
        }
      } catch (e) {
        throw failureOf(e);
      } finally {
        stopRequested.delete(request.runId);
        pauseRequested.delete(request.runId);
        killRequested.delete(request.runId);
      }
    },
    async describeInput(dataset: DatasetRef, task: Task): Promise<InputSummary> {
      return summarizeInput((await prepare(dataset, task)).prepared);
    },
    async smoke(request: SmokeRequest): Promise<SmokeResult> {
      try {
        // Checked as train checks it, before any backend switch.
        const problem = backendProblem(request.params.spec.family, request.backend);
        if (problem) throw { kind: 'failed', message: problem } satisfies Failure;
        const { loaded, prepared } = await prepare(request.dataset, request.task);
        await useTunedBackend(request.backend);
        const { task, params, rows, steps, ratio } = request;
        return await smokeTest({ task, params, rows, steps, ratio, schema: loaded.meta.schema, table: loaded.table, assignment: loaded.assignment, prepared });
      } catch (e) {
        throw failureOf(e);
      }
    },
    stop(runId: string): void {
      stopRequested.add(runId);
    },
    pause(runId: string, paused: boolean): void {
      if (paused) pauseRequested.add(runId);
      else pauseRequested.delete(runId);
    },
    kill(runId: string): void {
      killRequested.add(runId);
    },
  };
}
