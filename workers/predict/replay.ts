// The traffic replayer's worker half: a version's rows become requests on a virtual clock (the core's request stream,
// with a built-in scenario bending them), each batch is scored through the one serving path, and every request is
// logged to the project's columnar request log as the chunks fill.

import type { Failure } from '../../src/core/contracts/outcomes';
import type { Prediction, ReplayEvent, ReplayRange, TrafficReplay, TrafficReplayResult } from '../../src/core/contracts/predict';
import { checkRetention, DEFAULT_RETENTION } from '../../src/core/monitor/log/retention';
import { scenarioById } from '../../src/core/monitor/scenarios/scenarios';
import { requestStream } from '../../src/core/monitor/scenarios/stream';
import type { ReplayRequest, StreamInput } from '../../src/core/monitor/scenarios/types';
import type { RawRow } from '../../src/core/shared/types';
import type { LoadedDataset } from '../../src/platform/repositories/datasets';
import type { DatasetRef } from '../../src/core/contracts/dataset';
import { ChunkSink, checkServedModel, labelFor, loggedRequest, ownerOf, type Answers } from './log-rows';
import type { LogStore } from './log-store';
import { replaySource } from './replay-source';
import { yieldToMessages } from './yield-to-messages';

export const DEFAULT_REPLAY_BATCH = 256;
/** At most about ten progress events a second: more would keep the page busy drawing a bar. */
export const REPLAY_PROGRESS_EVERY_MS = 100;

/** The loaded models, as the replay uses them. */
export interface Scorer {
  /** The one serving path (recipes, warnings, NaN → error): one model call for all rows. */
  predict(key: string, rows: RawRow[]): Promise<Prediction[]>;
  /** What the model under `key` answers; throws when none is loaded there. */
  answers(key: string): Answers;
}

export interface ReplayDeps {
  scorer: Scorer;
  read: (ref: DatasetRef) => Promise<LoadedDataset>;
  log: LogStore;
  /** Whether the job was asked to stop; checked between batches. */
  cancelled: () => boolean;
}

interface Side {
  key: string;
  answers: Answers;
  sink: ChunkSink;
}

export async function replayTraffic(deps: ReplayDeps, key: string, request: TrafficReplay, onEvent: (e: ReplayEvent) => void): Promise<TrafficReplayResult> {
  const started = performance.now();
  const { projectId, databaseName, model, source, target, stream, shadow } = request;
  const batchSize = request.batchSize ?? DEFAULT_REPLAY_BATCH;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error(`Replay: batchSize must be a whole number ≥ 1 (got ${batchSize}).`);
  const retention = request.retention ?? DEFAULT_RETENTION;
  const problems = checkRetention(retention);
  if (problems.length > 0) throw new Error(`Replay: the retention rule is not valid: ${problems.join(' ')}`);
  if (projectId === '') throw new Error('Replay: projectId is empty.');

  const servingAnswers = deps.scorer.answers(key);
  checkServedModel(model, servingAnswers, key);
  const shadowAnswers = shadow ? deps.scorer.answers(shadow.key) : null;
  if (shadow && (!Number.isInteger(shadow.version) || shadow.version < 1)) {
    throw new Error(`Replay: the shadow model "${shadow.name}" has version ${shadow.version}, not 1, 2, ...`);
  }

  const { scenario, range: asked, ...clock } = stream;
  const range = checkRange(asked, stream.count);
  const total = range.to - range.from;
  const { rows, clockOnly } = replaySource(await deps.read(source.root), source.recipes, target, stream.dateColumn);
  const input: StreamInput = { ...clock, rows, target, ...(scenario ? { scenario: scenarioById(scenario).apply } : {}) };
  // Checks the stream's settings at once, before any id is taken or anything is written.
  const requests = inRange(requestStream(input), range);

  const firstId = await deps.log.reserve(databaseName, projectId, total);
  const serving: Side = { key, answers: servingAnswers, sink: new ChunkSink(deps.log, databaseName, ownerOf(projectId, model, 'serving', servingAnswers)) };
  const shadowSide: Side | null =
    shadow && shadowAnswers ? { key: shadow.key, answers: shadowAnswers, sink: new ChunkSink(deps.log, databaseName, ownerOf(projectId, shadow, 'shadow', shadowAnswers)) } : null;
  const sides = shadowSide ? [serving, shadowSide] : [serving];

  let done = 0;
  let labelsDropped = 0;
  let firstAt: number | null = null;
  let lastAt: number | null = null;
  let lastEvent = -Infinity;
  try {
    for (const batch of batchesOf(requests, batchSize)) {
      await yieldToMessages();
      if (deps.cancelled()) throw { kind: 'cancelled' } satisfies Failure;
      const inputs = batch.map((r) => (clockOnly === null ? r.input : without(r.input, clockOnly)));
      for (const side of sides) {
        const t0 = performance.now();
        const predictions = await deps.scorer.predict(side.key, inputs);
        // One model call for the batch: each request is charged an equal share of it.
        const latencyMs = (performance.now() - t0) / batch.length;
        for (let i = 0; i < batch.length; i++) {
          const { seq, at, label: raw, labelAt } = batch[i];
          // A label that never arrives (no delay set) is not the truth known at request time: it is not logged.
          const { label, dropped } = labelFor(side.answers, labelAt === null ? null : raw);
          if (dropped && side === serving) labelsDropped++;
          await side.sink.add(loggedRequest({ id: firstId + seq - range.from, at, inputs: inputs[i], prediction: predictions[i], latencyMs, label, labelAt }));
        }
      }
      done += batch.length;
      firstAt ??= batch[0].at;
      lastAt = batch[batch.length - 1].at;
      const now = performance.now();
      if (done === batch.length || done === total || now - lastEvent >= REPLAY_PROGRESS_EVERY_MS) {
        lastEvent = now;
        onEvent({ type: 'progress', done, total, virtualAt: lastAt });
      }
    }
  } catch (stopped) {
    // What was scored is logged, also when the replay stops early; a failure to store it must not hide why it stopped.
    for (const side of sides) await side.sink.flush().catch(() => 0);
    throw stopped;
  }
  for (const side of sides) await side.sink.flush();
  const dropped = await deps.log.use(databaseName, (repo) => repo.applyRetention(projectId, retention));
  const durationMs = performance.now() - started;
  return {
    requests: done,
    chunks: sides.reduce((n, side) => n + side.sink.stored, 0),
    firstId: done === 0 ? null : firstId,
    lastId: done === 0 ? null : firstId + done - 1,
    firstAt,
    lastAt,
    labelsDropped,
    durationMs,
    requestsPerSecond: durationMs > 0 ? (done * 1000) / durationMs : 0,
    retention: dropped,
  };
}

/** The whole stream when no range is asked for; else the range, checked against the stream's size. */
function checkRange(range: ReplayRange | undefined, count: number): ReplayRange {
  if (range === undefined) return { from: 0, to: count };
  const { from, to } = range;
  if (!Number.isInteger(from) || !Number.isInteger(to) || from < 0 || to < from || to > count) {
    throw new Error(`Replay: the range [${String(from)}, ${String(to)}) is not within the stream's ${count} requests (whole numbers, 0 ≤ from ≤ to ≤ count).`);
  }
  return range;
}

/** The requests with from <= seq < to; the stream is left unread beyond the range. */
function* inRange(requests: Iterable<ReplayRequest>, { from, to }: ReplayRange): Generator<ReplayRequest, void, undefined> {
  if (from === to) return;
  for (const request of requests) {
    if (request.seq < from) continue;
    yield request;
    if (request.seq >= to - 1) return;
  }
}

function* batchesOf(requests: Iterable<ReplayRequest>, size: number): Generator<ReplayRequest[], void, undefined> {
  let batch: ReplayRequest[] = [];
  for (const request of requests) {
    batch.push(request);
    if (batch.length === size) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

function without(row: RawRow, column: string): RawRow {
  const { [column]: _clock, ...rest } = row;
  return rest;
}
