// Write paths of the request log, in the predict worker's code: one chunk appended, a stream of rows stored a chunk
// at a time (what a scored file or the one-row form does), and a traffic replay, failed, killed or stopped mid-way.

import { DEFAULT_SPLIT } from '../../../src/core/shared/defaults';
import type { DatasetRef } from '../../../src/core/contracts/dataset';
import type { Prediction, ServedModel, TrafficReplay } from '../../../src/core/contracts/predict';
import { ChunkBuilder } from '../../../src/core/monitor/log/chunk-builder';
import { chunkProblems } from '../../../src/core/monitor/log/check-chunk';
import type { RequestChunk } from '../../../src/core/monitor/log/types';
import type { RawRow } from '../../../src/core/shared/types';
import type { ChunkDataRecord, StoredChunkHead } from '../../../src/platform/db';
import { RequestLogRepo } from '../../../src/platform/repositories/request-log';
import { DatasetService } from '../../../workers/dataset/dataset-service';
import { ChunkSink } from '../../../workers/predict/log-rows';
import { LogStore } from '../../../workers/predict/log-store';
import { replayTraffic, type Scorer } from '../../../workers/predict/replay';
import { penguins } from '../../fixtures/tabular';
import { classifier, served } from '../../unit/monitor/log-fixtures';
import { DB, withDb } from './db';
import type { Open, StoppablePath, WritePath } from './sweep';

// --- request-log append (predict worker) ---

function chunksServed(first: number, count: number, capacity: number, role: 'serving' | 'shadow' = 'serving'): RequestChunk[] {
  const builder = new ChunkBuilder(classifier({ role }), capacity);
  const chunks: RequestChunk[] = [];
  for (let id = first; id < first + count; id++) {
    builder.append(served(id));
    if (builder.full) chunks.push(builder.seal());
  }
  if (builder.size > 0) chunks.push(builder.seal());
  return chunks;
}

async function seedLog(open: Open): Promise<void> {
  await withDb(open, async (db) => {
    const repo = new RequestLogRepo(db);
    for (const chunk of [...chunksServed(0, 300, 100), ...chunksServed(0, 120, 100, 'shadow')]) await repo.append(chunk);
  });
}

export const logAppendPath: WritePath = {
  name: 'log append',
  databaseName: DB,
  killable: true,
  seed: seedLog,
  write: async (open) => {
    const [chunk] = chunksServed(300, 100, 100);
    await new LogStore(open).append(DB, chunk);
  },
};

/**
 * What a log stream stopped mid-way may leave: whole chunks only. Each new head has its columns and each new columns
 * record its head, and the two make a valid chunk.
 */
export function wholeLogChunks(added: Map<string, unknown[]>): string[] {
  const problems: string[] = [];
  for (const store of added.keys()) if (store !== 'requestChunks' && store !== 'requestChunkData') problems.push(`left records in ${store}`);
  const heads = (added.get('requestChunks') ?? []) as StoredChunkHead[];
  const data = new Map(((added.get('requestChunkData') ?? []) as ChunkDataRecord[]).map((d) => [d.chunkId, d]));
  for (const head of heads) {
    const columns = data.get(head.id);
    if (!columns) {
      problems.push(`left request-log chunk ${head.id} without its columns`);
      continue;
    }
    data.delete(head.id);
    const chunk = { ...head, ...columns.columns } as RequestChunk;
    const wrong = chunkProblems(chunk);
    if (wrong.length > 0) problems.push(`left request-log chunk ${head.id} malformed: ${wrong.join(' ')}`);
  }
  for (const id of data.keys()) problems.push(`left the columns of request-log chunk ${id} without a head`);
  return problems;
}

export const logStreamPath: WritePath = {
  name: 'log stream',
  databaseName: DB,
  killable: true,
  seed: seedLog,
  // Rows of a replay or a scored file as the predictor logs them: a chunk stored each time one fills, the rest on flush.
  write: async (open) => {
    const sink = new ChunkSink(new LogStore(open), DB, classifier(), 50);
    for (let id = 300; id < 480; id++) await sink.add(served(id));
    await sink.flush();
  },
  checkAdded: wholeLogChunks,
};

// --- traffic replay (predict worker): scored batches logged as chunks fill, retention at the end ---

const CLASSES = [...(classifier().classes ?? [])];
const SERVED: ServedModel = { name: 'penguins', version: 1, task: 'classification', classes: CLASSES };
let replayRoot: DatasetRef | null = null;

/**
 * Answers by a rule on the row, the same every time: this sweep tests the replay's writes, so a model would only
 * slow it down. The replay's checks (classes, task) see what a loaded model would give.
 */
const ruleScorer: Scorer = {
  answers: () => ({ task: 'classification', classes: CLASSES }),
  predict: async (_key, rows: RawRow[]): Promise<Prediction[]> =>
    rows.map((row) => {
      const k = Math.abs(Math.round(Number(row['Body Mass (g)'] ?? 0) / 100)) % 3;
      const probabilities = [0.125, 0.125, 0.125];
      probabilities[k] = 0.75;
      return { ok: true, output: CLASSES[k], probabilities, warnings: [] };
    }),
};

/** Two serving chunks (4,096 requests and the rest) and as many shadow ones, in batches of 500. */
export const REPLAY_BATCH = 500;
const REPLAY_REQUESTS = 4_200;
export const REPLAY_BATCHES = Math.ceil(REPLAY_REQUESTS / REPLAY_BATCH);

function replayOf(open: Open, stopAfter: number): Promise<unknown> {
  if (!replayRoot) throw new Error('replay: the root version was not seeded');
  const datasets = new DatasetService(open);
  let batches = 0;
  const request: TrafficReplay = {
    jobId: 'faults',
    projectId: 'p1',
    databaseName: DB,
    model: SERVED,
    source: { root: replayRoot, recipes: [] },
    target: 'Species',
    stream: { rate: 10, start: 1_000_000, count: REPLAY_REQUESTS, seed: 3, order: 'shuffled', labelDelayMs: 5000 },
    shadow: { key: 'shadow', name: 'penguins', version: 2 },
    batchSize: REPLAY_BATCH,
  };
  // The page's cancel: the worker sees it between two batches.
  const cancelled = (): boolean => batches++ >= stopAfter;
  return replayTraffic({ scorer: ruleScorer, read: (ref) => datasets.read(ref), log: new LogStore(open), cancelled }, 'serving', request, () => {});
}

export const replayPath: StoppablePath = {
  name: 'log replay',
  databaseName: DB,
  killable: true,
  // Each trial scores 8,400 rows; the error's kind only changes what the replay rethrows (the log stream above sweeps
  // all three through the same sink), so one kind, the commonest in browsers, keeps this sweep to seconds.
  errors: ['abort-quota'],
  async seed(open) {
    const { version } = await new DatasetService(open).store(DB, await penguins(), {
      projectId: 'p1',
      name: 'penguins',
      createdAt: 1,
      source: { kind: 'file', fileName: 'penguins.json', byteLength: 1 },
      split: DEFAULT_SPLIT,
    });
    replayRoot = { databaseName: DB, versionId: version.id };
    await seedLog(open);
  },
  write: (open) => replayOf(open, Infinity),
  stop: (open, afterBatches) => replayOf(open, afterBatches),
  checkAdded: wholeLogChunks,
};
