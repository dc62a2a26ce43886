import { Dexie } from 'dexie';
import { afterEach, describe, expect, it } from 'vitest';
import { ChunkBuilder } from '../../src/core/monitor/log/chunk-builder';
import { rowOf } from '../../src/core/monitor/log/chunk-read';
import type { LoggedRequest } from '../../src/core/monitor/log/types';
import { FORMAT_VERSION } from '../../src/core/shared/storage-format';
import type { PredictionRecord, Preprocessor, Project } from '../../src/core/shared/types';
import {
  FORMAT_KEY,
  PREDICTION_LOG_MIGRATION_KEY,
  SCHEMA_V1_STORES,
  SCHEMA_VERSION,
  type IndexedDbDeps,
  type LoopbenchDb,
  type PredictionLogMigration,
  type StoredRegistryModel,
} from '../../src/platform/db';
import { storedParts, RequestLogRepo } from '../../src/platform/repositories/request-log';
import { freshDeps, openFresh, run } from './storage-fixtures';

let db: LoopbenchDb | undefined;
afterEach(() => db?.close());

/** The stores of schema version 8, as Loopbench with that schema left them. */
const V8_STORES = {
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
  requestChunks: '++id, [projectId+firstAt], [projectId+modelName+modelVersion]',
  requestChunkData: 'chunkId',
};

/** The run's class order, deliberately not alphabetical: the migration must take it from the run, not sort. */
const PENGUIN_LABELS = ['Gentoo', 'Adelie', 'Chinstrap'];

function projectOf(id: string, task: Project['task']): Project {
  return { id, name: id, task, target: 'y', goal: { metric: task === 'classification' ? 'accuracy' : 'rmse', bar: 0.9 }, createdAt: 1 } as Project;
}

function preprocessor(labels: string[]): Preprocessor {
  return { version: 1, task: 'classification', target: 'species', features: [], labels, targetMean: 0, targetStd: 1, inputSize: 2 };
}

function registered(projectId: string, name: string, runIds: string[]): StoredRegistryModel {
  return {
    id: `${projectId}/${name.toLowerCase()}`,
    projectId,
    name,
    description: '',
    tags: {},
    createdAt: 1,
    versions: runIds.map((runId, i) => ({ version: i + 1, runId, datasetVersionId: 'd1', recipeHash: null, environment: null, evaluationId: null, createdAt: 1 })),
    aliases: { champion: runIds.length },
    audit: [],
  };
}

type OldRecord = Omit<PredictionRecord, 'id'>;

/** Penguin requests of project p1: v1 and v2 of "Penguins" interleaved, one with warnings, one failed. */
function penguinRecords(): OldRecord[] {
  const base = { projectId: 'p1', modelName: 'Penguins', latencyMs: 1.5 };
  return [
    { ...base, modelVersion: 1, at: 1000, inputs: { bill_length_mm: 39.5, island: 'Dream' }, output: 'Adelie', probabilities: [0.125, 0.75, 0.125] },
    {
      ...base,
      modelVersion: 2,
      at: 3000,
      inputs: { bill_length_mm: 'n/a', island: 'Atlantis' },
      output: 'Gentoo',
      probabilities: [0.5, 0.25, 0.25],
      latencyMs: 2.25,
      warnings: [
        { kind: 'unparseable-number', column: 'bill_length_mm', value: 'n/a', message: '"n/a" is not a number.' },
        { kind: 'unseen-category', column: 'island', value: 'Atlantis', message: 'Atlantis was not in training.' },
      ],
    },
    { ...base, modelVersion: 1, at: 2000, inputs: { bill_length_mm: 50, island: null }, output: null, probabilities: null, error: 'The model answered NaN.' },
    { ...base, modelVersion: 1, at: 4000, inputs: { bill_length_mm: 46.5, island: 'Biscoe' }, output: 'Chinstrap', probabilities: [0.25, 0.125, 0.625] },
  ];
}

/** 4,100 regression requests of project p2, stored newest first; more than one chunk's worth. */
function carRecords(): OldRecord[] {
  return Array.from({ length: 4100 }, (_, k) => {
    const i = 4099 - k;
    return { projectId: 'p2', modelName: 'cars', modelVersion: 3, at: 10_000 + i, inputs: { hp: 100 + i, make: i % 2 ? 'vw' : 'fiat' }, output: 20 + i * 0.5, probabilities: null, latencyMs: 0.25 };
  });
}

/** A schema-8 database with the given old predictions and whatever `seed` adds. */
async function version8(deps: IndexedDbDeps, records: OldRecord[], seed: (old: Dexie) => Promise<void> = async () => {}): Promise<void> {
  const old = new Dexie('loopbench', deps);
  old.version(8).stores(V8_STORES);
  await old.open();
  await old.table('meta').put({ key: FORMAT_KEY, value: FORMAT_VERSION });
  await old.table('predictions').bulkAdd(records);
  await seed(old);
  old.close();
}

/** Every logged row of a project, read back through the repository, by request id. */
async function rowsOf(repo: RequestLogRepo, projectId: string): Promise<LoggedRequest[]> {
  const rows: LoggedRequest[] = [];
  for (const chunk of await repo.chunks(projectId)) for (let r = 0; r < chunk.rows; r++) rows.push(rowOf(chunk, r));
  return rows.sort((a, b) => a.id - b.id);
}

/** What rowOf gives back for an old record logged as request `id`. */
function expected(record: OldRecord, id: number, columns: string[]): LoggedRequest {
  const inputs: LoggedRequest['inputs'] = {};
  for (const name of columns) inputs[name] = record.inputs[name] ?? null;
  const request: LoggedRequest = {
    id,
    at: record.at,
    inputs,
    output: record.output,
    probabilities: record.probabilities,
    latencyMs: record.latencyMs,
    warnings: record.warnings ?? [],
    label: null,
    labelAt: null,
  };
  if (record.error !== undefined) request.error = record.error;
  return request;
}

describe('schema version 9', () => {
  it('moves every old prediction into the request log, per model version, with ids consecutive in time order', async () => {
    const deps = freshDeps();
    await version8(deps, [...penguinRecords(), ...carRecords()], async (old) => {
      await old.table('projects').bulkPut([projectOf('p1', 'classification'), projectOf('p2', 'regression')]);
      await old.table('runs').bulkPut([
        run('r1', { projectId: 'p1', preprocessor: preprocessor(PENGUIN_LABELS) }),
        run('r2', { projectId: 'p1', preprocessor: preprocessor(PENGUIN_LABELS) }),
      ]);
      // Registered under another case than the log used: names are matched as the registry keys them.
      await old.table('models').put(registered('p1', 'penguins', ['r1', 'r2']));
    });

    db = await openFresh(deps);
    expect(db.verno).toBe(SCHEMA_VERSION);
    expect(SCHEMA_VERSION).toBe(9);
    const repo = new RequestLogRepo(db);

    const penguins = penguinRecords();
    const inTimeOrder = [penguins[0], penguins[2], penguins[1], penguins[3]];
    expect(await rowsOf(repo, 'p1')).toEqual(inTimeOrder.map((r, i) => expected(r, i + 1, ['bill_length_mm', 'island'])));
    const heads = await repo.heads('p1');
    expect(heads.map((h) => [h.modelName, h.modelVersion, h.role, h.task, h.classes, h.rows, h.firstId, h.lastId])).toEqual([
      ['Penguins', 1, 'serving', 'classification', PENGUIN_LABELS, 3, 1, 4],
      ['Penguins', 2, 'serving', 'classification', PENGUIN_LABELS, 1, 3, 3],
    ]);

    const cars = await rowsOf(repo, 'p2');
    expect(cars).toHaveLength(4100);
    expect(cars.map((r) => r.id)).toEqual(Array.from({ length: 4100 }, (_, i) => i + 1));
    expect(cars[0]).toEqual({ id: 1, at: 10_000, inputs: { hp: 100, make: 'fiat' }, output: 20, probabilities: null, latencyMs: 0.25, warnings: [], label: null, labelAt: null });
    expect(cars.every((r, i) => r.at === 10_000 + i && r.output === 20 + i * 0.5)).toBe(true);
    expect((await repo.heads('p2')).map((h) => [h.task, h.classes, h.rows])).toEqual([
      ['regression', [], 4096],
      ['regression', [], 4],
    ]);

    // New requests continue after the migrated ones.
    expect(await repo.nextRequestId('p1')).toBe(5);
    expect(await db.meta.get(PREDICTION_LOG_MIGRATION_KEY)).toEqual({ key: PREDICTION_LOG_MIGRATION_KEY, value: { moved: 4104, skipped: 0, problems: [] } });
  });

  it('infers task and classes from the answers when the model, run and project are gone', async () => {
    const deps = freshDeps();
    const base = { projectId: 'gone', latencyMs: 1, inputs: { x: 1 } };
    await version8(deps, [
      { ...base, modelName: 'labels', modelVersion: 1, at: 1, output: 'b', probabilities: [0.25, 0.75] },
      { ...base, modelName: 'labels', modelVersion: 1, at: 2, output: 'a', probabilities: [0.875, 0.125] },
      // Classes seen ["2", "10"] in the order a numeric target's classes are kept; probabilities that contradict that
      // order are dropped rather than pinned on the wrong class.
      { ...base, modelName: 'digits', modelVersion: 1, at: 3, output: '10', probabilities: [0.75, 0.25] },
      { ...base, modelName: 'digits', modelVersion: 1, at: 4, output: '2', probabilities: null },
      { ...base, modelName: 'values', modelVersion: 1, at: 5, output: 7.5, probabilities: null },
    ]);

    db = await openFresh(deps);
    const repo = new RequestLogRepo(db);
    const byModel = Object.fromEntries((await repo.heads('gone')).map((h) => [h.modelName, [h.task, h.classes]]));
    expect(byModel).toEqual({ labels: ['classification', ['a', 'b']], digits: ['classification', ['2', '10']], values: ['regression', []] });
    const rows = await rowsOf(repo, 'gone');
    expect(rows.map((r) => [r.id, r.output, r.probabilities])).toEqual([
      [1, 'b', [0.25, 0.75]],
      [2, 'a', [0.875, 0.125]],
      [3, '10', null],
      [4, '2', null],
      [5, 7.5, null],
    ]);
  });

  it('skips and counts the records the request log cannot hold, keeping the rest with consecutive ids', async () => {
    const deps = freshDeps();
    const base = { projectId: 'p1', modelName: 'penguins', modelVersion: 1, inputs: { x: 1 }, probabilities: null, latencyMs: 1 };
    await version8(deps, [
      { ...base, at: 1, output: 'Adelie' },
      { ...base, at: 2, output: null },
      { ...base, at: 3, output: 'Gentoo', latencyMs: -4 },
      { ...base, at: 4, output: 'Gentoo' },
      { ...base, at: Number.NaN, output: 'Adelie' },
      // No run left to name its classes, and one class seen: a classification log needs two, so the request log
      // cannot hold this model's rows.
      { ...base, modelName: 'lonely', at: 5, output: 'Adelie' },
    ], async (old) => {
      await old.table('projects').put(projectOf('p1', 'classification'));
      await old.table('runs').put(run('r1', { projectId: 'p1', preprocessor: preprocessor(PENGUIN_LABELS) }));
      await old.table('models').put(registered('p1', 'penguins', ['r1']));
    });

    db = await openFresh(deps);
    const rows = await rowsOf(new RequestLogRepo(db), 'p1');
    expect(rows.map((r) => [r.id, r.at, r.output])).toEqual([
      [1, 1, 'Adelie'],
      [2, 4, 'Gentoo'],
    ]);
    const outcome = (await db.meta.get(PREDICTION_LOG_MIGRATION_KEY))?.value as PredictionLogMigration;
    expect(outcome.moved).toBe(2);
    expect(outcome.skipped).toBe(4);
    expect(outcome.problems).toHaveLength(4);
    expect(outcome.problems.join('\n')).toMatch(/"lonely" v1 in project p1: A classification log needs 2 to \d+ classes/);
    expect(outcome.problems.join('\n')).toMatch(/neither an output nor an error/);
    expect(outcome.problems.join('\n')).toMatch(/latency -4/);
    expect(outcome.problems.join('\n')).toMatch(/time NaN/);
  });

  it('numbers migrated requests after those a schema-8 request log already holds', async () => {
    const deps = freshDeps();
    const builder = new ChunkBuilder({ projectId: 'p1', modelName: 'cars', modelVersion: 1, role: 'serving', task: 'regression' });
    for (const id of [0, 1, 2]) builder.append({ id, at: 50 + id, inputs: { hp: 1 }, output: 1, probabilities: null, latencyMs: 1, warnings: [] });
    const { head, columns } = storedParts(builder.seal());
    await version8(deps, [{ projectId: 'p1', modelName: 'cars', modelVersion: 1, at: 10, inputs: { hp: 2 }, output: 3, probabilities: null, latencyMs: 1 }], async (old) => {
      const chunkId = (await old.table('requestChunks').add(head)) as number;
      await old.table('requestChunkData').add({ chunkId, columns });
    });

    db = await openFresh(deps);
    const rows = await rowsOf(new RequestLogRepo(db), 'p1');
    expect(rows.map((r) => [r.id, r.at])).toEqual([
      [0, 50],
      [1, 51],
      [2, 52],
      [3, 10],
    ]);
  });

  it('upgrades a database without predictions cleanly and drops the old store', async () => {
    const deps = freshDeps();
    await version8(deps, [], async (old) => {
      await old.table('projects').put(projectOf('p1', 'classification'));
    });

    db = await openFresh(deps);
    expect(db.verno).toBe(SCHEMA_VERSION);
    expect(await db.projects.get('p1')).toMatchObject({ name: 'p1' });
    expect(await db.requestChunks.count()).toBe(0);
    expect(await db.meta.get(PREDICTION_LOG_MIGRATION_KEY)).toBeUndefined();
    expect(db.tables.map((t) => t.name)).not.toContain('predictions');
    expect(Array.from(db.backendDB().objectStoreNames)).not.toContain('predictions');
    expect(Array.from(db.backendDB().objectStoreNames)).toEqual(expect.arrayContaining(['requestChunks', 'requestChunkData', 'projects']));
  });
});
