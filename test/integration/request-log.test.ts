import { Dexie } from 'dexie';
import { afterEach, describe, expect, it } from 'vitest';
import { ChunkBuilder, chunksOf } from '../../src/core/monitor/log/chunk-builder';
import { rowOf, rowOfId } from '../../src/core/monitor/log/chunk-read';
import { parseLabelsText } from '../../src/core/monitor/log/labels-file';
import type { RequestChunk } from '../../src/core/monitor/log/types';
import { FORMAT_VERSION } from '../../src/core/shared/storage-format';
import { FORMAT_KEY, SCHEMA_V1_STORES, SCHEMA_VERSION, type LoopbenchDb } from '../../src/platform/db';
import { PipelinesRepo } from '../../src/platform/repositories/pipelines';
import { RequestLogRepo } from '../../src/platform/repositories/request-log';
import { pipeline } from '../unit/deliver/pipeline-fixtures';
import { asRead, classifier, served } from '../unit/monitor/log-fixtures';
import { freshDeps, openFresh } from './storage-fixtures';

let db: LoopbenchDb;
afterEach(() => db?.close());

const COLUMNS = ['bill_length_mm', 'island', 'sex'];

/** Requests first..first+count-1 as chunks of 4,096 (the last one shorter). */
function chunksServed(first: number, count: number, owner = classifier()): RequestChunk[] {
  const builder = new ChunkBuilder(owner);
  const chunks: RequestChunk[] = [];
  for (let id = first; id < first + count; id++) {
    builder.append(served(id));
    if (builder.full) chunks.push(builder.seal());
  }
  if (builder.size > 0) chunks.push(builder.seal());
  return chunks;
}

describe('RequestLogRepo', () => {
  it('holds 250,000 requests in chunks and reads back counts, a time range and any row', async () => {
    db = await openFresh();
    const repo = new RequestLogRepo(db);
    const chunks = chunksServed(0, 250_000);
    expect(chunks).toHaveLength(62);
    for (const chunk of chunks) await repo.append(chunk);

    expect(await repo.count('p1')).toBe(250_000);
    expect(await repo.count('p2')).toBe(0);
    expect(await db.requestChunks.count()).toBe(62);
    expect(await repo.nextRequestId('p1')).toBe(250_000);

    const heads = await repo.heads('p1');
    expect(heads.map((h) => h.firstId)).toEqual(chunks.map((c) => c.firstId));
    expect(heads[61]).toMatchObject({ rows: 250_000 - 61 * 4096, lastId: 249_999, lastAt: 1000 + 10 * 249_999 });

    // Requests 123,456..123,460 are at 1,235,560..1,235,600: inside chunk 30 (ids 122,880..126,975).
    const window = await repo.chunks('p1', { from: 1000 + 10 * 123_456, to: 1000 + 10 * 123_460 });
    expect(window.map((c) => c.firstId)).toEqual([30 * 4096]);
    const chunk = window[0];
    expect(rowOf(chunk, rowOfId(chunk, 123_456))).toEqual(asRead(served(123_456), COLUMNS));
    expect(chunk.ids).toBeInstanceOf(Float64Array);

    // A range across a chunk boundary reads both chunks, in time order.
    const across = await repo.chunks('p1', { from: 1000 + 10 * 4095, to: 1000 + 10 * 4096 });
    expect(across.map((c) => c.firstId)).toEqual([0, 4096]);
    expect((await repo.chunk(heads[5].id))!.firstId).toBe(5 * 4096);
  });

  it('filters by role and model version, and keeps ids unique per role', async () => {
    db = await openFresh();
    const repo = new RequestLogRepo(db);
    for (const c of chunksServed(0, 100)) await repo.append(c);
    for (const c of chunksServed(100, 50, classifier({ modelVersion: 2 }))) await repo.append(c);
    // The challenger scores the same requests in shadow: the same ids are fine in the other role.
    for (const c of chunksServed(0, 150, classifier({ role: 'shadow', modelName: 'penguins-b' }))) await repo.append(c);

    expect(await repo.count('p1')).toBe(300);
    expect(await repo.count('p1', { role: 'serving' })).toBe(150);
    expect(await repo.count('p1', { modelName: 'penguins', modelVersion: 2 })).toBe(50);
    expect((await repo.heads('p1', { role: 'shadow' })).map((h) => h.modelName)).toEqual(['penguins-b']);

    await expect(repo.append(chunksServed(95, 10)[0])).rejects.toThrow('Request ids 95, 96, 97, 98, 99 are already in the serving log of project p1');
    await expect(repo.append({ ...chunksServed(500, 10)[0], lastAt: 0 })).rejects.toThrow(/The request-log chunk of project p1 is not valid: lastAt: the head says 0/);
    expect(await repo.count('p1')).toBe(300);
    expect(await db.requestChunkData.count()).toBe(await db.requestChunks.count());
  });

  it('applies retention in one go: oldest whole chunks go, with their columns', async () => {
    db = await openFresh();
    const repo = new RequestLogRepo(db);
    for (const c of chunksOf(classifier(), Array.from({ length: 1000 }, (_, i) => served(i)), 100)) await repo.append(c);

    expect(await repo.applyRetention('p1', { maxRequests: 350 })).toEqual({ droppedChunks: 6, droppedRequests: 600 });
    expect(await repo.count('p1')).toBe(400);
    expect((await repo.heads('p1'))[0].firstId).toBe(600);
    expect(await db.requestChunkData.count()).toBe(4);

    // Ages count back from the newest logged time (the virtual clock), here 1000 + 10·999 = 10,990.
    expect(await repo.applyRetention('p1', { maxAgeMs: 1500 })).toEqual({ droppedChunks: 2, droppedRequests: 200 });
    expect((await repo.heads('p1')).map((h) => h.firstId)).toEqual([800, 900]);
    // An explicit wall-clock time far later drops everything older than the age.
    expect(await repo.applyRetention('p1', { maxAgeMs: 1500 }, 1e9)).toEqual({ droppedChunks: 2, droppedRequests: 200 });
    expect(await repo.count('p1')).toBe(0);
    await expect(repo.applyRetention('p1', { maxRequests: -1 })).rejects.toThrow(/maxRequests: -1/);
  });

  it('joins late labels by request id, from a file, and reports the ones it could not use', async () => {
    db = await openFresh();
    const repo = new RequestLogRepo(db);
    for (const c of chunksServed(0, 10_000)) await repo.append(c);
    for (const c of chunksServed(0, 10_000, classifier({ role: 'shadow', modelVersion: 2 }))) await repo.append(c);

    const file = parseLabelsText('request_id,label\n5,Gentoo\n9000,Adelie\n123456,Adelie\n5,Adelie\n7,Emperor\n', 'late.csv', 77_000);
    const joined = await repo.joinLabels('p1', file.labels);
    expect(joined.counts).toEqual({ received: 5, joined: 2, alreadyLabelled: 0, conflicting: 0, unknownId: 1, duplicate: 1, unknownClass: 1, invalid: 0 });
    expect(joined.messages).toEqual([
      'line 5: request 5 was already given on line 2; the first label is used.',
      'line 4: request 123456 is not in the log.',
      'line 6: request 7: "Emperor" is not one of the model\'s classes.',
    ]);

    // Stored on both roles' rows, with the counts in the heads.
    for (const role of ['serving', 'shadow'] as const) {
      const [first] = await repo.chunks('p1', { role, to: 1000 });
      expect(rowOf(first, 5)).toMatchObject({ id: 5, label: 'Gentoo', labelAt: 77_000 });
    }
    const heads = await repo.heads('p1', { role: 'serving' });
    expect(heads.map((h) => h.labelled)).toEqual([1, 0, 1]);
    const third = (await repo.chunk(heads[2].id))!;
    expect(rowOf(third, rowOfId(third, 9000)).label).toBe('Adelie');

    // Loading the same file again changes nothing.
    const again = await repo.joinLabels('p1', file.labels);
    expect(again.counts).toMatchObject({ joined: 0, alreadyLabelled: 2 });
  });

  it('clears one project and leaves the others', async () => {
    db = await openFresh();
    const repo = new RequestLogRepo(db);
    for (const c of chunksServed(0, 5000)) await repo.append(c);
    for (const c of chunksServed(0, 10, classifier({ projectId: 'p2' }))) await repo.append(c);
    expect(await repo.clear('p1')).toBe(5000);
    expect(await repo.count('p1')).toBe(0);
    expect(await repo.count('p2')).toBe(10);
    expect(await db.requestChunkData.count()).toBe(1);
  });
});

describe('schema version 8', () => {
  it('upgrades a version-7 database, keeping its data and adding the request log', async () => {
    const deps = freshDeps();
    const old = new Dexie('loopbench', deps);
    old.version(7).stores({
      ...SCHEMA_V1_STORES,
      suites: 'projectId',
      evaluations: 'id, runId, projectId, createdAt',
      checkpoints: 'runId',
      checkpointChunks: '[runId+index]',
      registry: null,
      modelVersions: null,
      models: 'id, projectId',
      pipelines: 'id, projectId',
      pipelineRuns: 'id, pipelineId, projectId, createdAt',
    });
    await old.open();
    await old.table('meta').put({ key: FORMAT_KEY, value: FORMAT_VERSION });
    await old.table('projects').put({ id: 'p1', name: 'Penguins', task: 'classification', target: 'species', goal: { metric: 'accuracy', bar: 0.9 }, createdAt: 1 });
    await old.table('pipelines').put(pipeline({ id: 'a' }));
    await old.table('predictions').add({ projectId: 'p1', modelName: 'penguins', modelVersion: 1, at: 5, inputs: { island: 'Dream' }, output: 'Adelie', probabilities: null, latencyMs: 1 });
    await old.table('predictions').add({ projectId: 'p1', modelName: 'penguins', modelVersion: 1, at: 6, inputs: { island: 'Biscoe' }, output: 'Gentoo', probabilities: null, latencyMs: 1 });
    old.close();

    db = await openFresh(deps);
    expect(db.verno).toBe(SCHEMA_VERSION);
    expect(SCHEMA_VERSION).toBe(9);
    expect(await db.projects.get('p1')).toMatchObject({ name: 'Penguins' });
    expect((await new PipelinesRepo(db).list('p1')).map((p) => p.id)).toEqual(['a']);

    // Schema 9 moved the old predictions into the request log as requests 1 and 2 (no run is left to name the classes,
    // so they are the two answered; see storage-prediction-log-migration.test.ts).
    const repo = new RequestLogRepo(db);
    expect(await repo.count('p1')).toBe(2);
    await repo.append(chunksServed(3, 3)[0]);
    expect(await repo.count('p1')).toBe(5);
  });
});
