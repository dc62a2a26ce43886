// The IndexedDB schema. Binary payloads (column chunks, weight chunks) live only in non-indexed
// `data` fields: indexing them would copy megabytes into index structures for nothing.

import { Dexie, type EntityTable, type Table, type Transaction } from 'dexie';
import type {
  DatasetVersion,
  ImageShape,
  PredictionRecord,
  Project,
  Run,
} from '../core/shared/types';
import { ChunkBuilder } from '../core/monitor/log/chunk-builder';
import { storedParts } from './repositories/request-log';
import { migrateRegistry1to2, type ModelVersionV1, type RegistryModel, type RegistryModelV1, type RunForLinks } from '../core/deliver/registry';
import type { ExpectationSuite } from '../core/data/expectations';
import type { StoredEvaluation } from '../core/evaluate/types';
import { migrateRunRecord } from '../core/train/spec/migrate-run';
import type { TensorPack, TrainCheckpoint } from '../core/contracts/model';
import type { PipelineDefinition, PipelineRun } from '../core/deliver/pipeline';
import type { ChunkColumns, ChunkHead, ChunkOwner, LoggedRequest, LogTask, RequestChunk } from '../core/monitor/log/types';

/** Column index used for the chunks of the split assignment. */
export const SPLIT_COLUMN = -1;

export type ChunkKind = 'number' | 'category' | 'date' | 'image' | 'split';

export interface ChunkRecord {
  datasetId: string;
  /** Column index in the schema, or SPLIT_COLUMN for the split assignment. */
  column: number;
  chunk: number;
  kind: ChunkKind;
  /** Float64Array (number), Int32Array codes (category) or Uint8Array (image pixels, HWC per row; split) bytes. */
  data: ArrayBuffer;
  /** Category dictionary; stored on chunk 0 of the column only. */
  dictionary?: string[];
  /** Image columns: the shape of every image; stored on chunk 0 of the column only. */
  image?: ImageShape;
}

export type ChunkKey = [string, number, number];

export interface ArtifactRecord {
  runId: string;
  index: number;
  data: ArrayBuffer;
}

export type ArtifactKey = [string, number];

/** A run's latest checkpoint (see CheckpointsRepo); its tensor data lives in checkpointChunks. */
export interface CheckpointRecord {
  runId: string;
  epoch: number;
  /** The checkpoint without its buffers (byte lengths of weights, optimizer and best, in that order, in `parts`). */
  meta: Omit<TrainCheckpoint, 'weights' | 'optimizer' | 'best'> & {
    weightSpecs: TensorPack['specs'];
    optimizerSpecs: TensorPack['specs'];
    bestSpecs: TensorPack['specs'] | null;
  };
  parts: number[];
  chunkCount: number;
}

export interface MetaRecord {
  key: string;
  value: unknown;
}

/** Meta key of the stored data format; written only by openDatabase. */
export const FORMAT_KEY = 'format';

/** IndexedDB schema version (Dexie's `version(n)`), distinct from the data FORMAT_VERSION. */
export const SCHEMA_VERSION = 9;

/** The stores of schema version 1, kept so a version-1 database upgrades in place (and tests can make one). */
export const SCHEMA_V1_STORES = {
  projects: 'id',
  datasets: 'id, projectId, createdAt',
  chunks: '[datasetId+column+chunk]',
  runs: 'id, projectId, datasetId, status, startedAt',
  artifacts: '[runId+index]',
  modelVersions: 'id, name, runId',
  registry: 'name, projectId',
  predictions: '++id, projectId, [modelName+modelVersion], at, [projectId+at]',
  meta: 'key',
} as const;

export type StoredRegistryModel = RegistryModel & { id: string };

/** Names are unique within a project regardless of case, so the key is built the same way. */
export function registryModelId(projectId: string, name: string): string {
  return `${projectId}/${name.toLowerCase()}`;
}

/** A pipeline run as stored: the core's run plus its project, so a project's runs are one index lookup. */
export type StoredPipelineRun = PipelineRun & { projectId: string };

/** A request-log chunk's head: what listing, counting, retention and label joins read without its columns. */
export type StoredChunkHead = ChunkHead & { id: number };

/** A request-log chunk's columns, keyed by the id of its head. */
export interface ChunkDataRecord {
  chunkId: number;
  columns: ChunkColumns;
}

export interface IndexedDbDeps {
  indexedDB: IDBFactory;
  IDBKeyRange: typeof IDBKeyRange;
}

export class LoopbenchDb extends Dexie {
  projects!: EntityTable<Project, 'id'>;
  datasets!: EntityTable<DatasetVersion, 'id'>;
  chunks!: Table<ChunkRecord, ChunkKey>;
  runs!: EntityTable<Run, 'id'>;
  artifacts!: Table<ArtifactRecord, ArtifactKey>;
  /** Registered models, one record per model in its project, holding its versions, aliases and audit log. */
  models!: EntityTable<StoredRegistryModel, 'id'>;
  meta!: EntityTable<MetaRecord, 'key'>;
  suites!: EntityTable<ExpectationSuite, 'projectId'>;
  evaluations!: EntityTable<StoredEvaluation, 'id'>;
  checkpoints!: EntityTable<CheckpointRecord, 'runId'>;
  checkpointChunks!: Table<ArtifactRecord, ArtifactKey>;
  pipelines!: EntityTable<PipelineDefinition, 'id'>;
  pipelineRuns!: EntityTable<StoredPipelineRun, 'id'>;
  /** The columnar request log (issue 16): one head per chunk of requests, its columns in requestChunkData. */
  requestChunks!: Table<StoredChunkHead, number, ChunkHead>;
  requestChunkData!: Table<ChunkDataRecord, number>;

  constructor(name = 'loopbench', deps?: IndexedDbDeps) {
    // autoOpen off: openDatabase must check the stored format before anything can write.
    super(name, { autoOpen: false, ...deps });
    this.version(1).stores(SCHEMA_V1_STORES);
    // Version 2 adds the expectation suites (one per project); every version-1 store is kept as it was.
    this.version(2).stores({ ...SCHEMA_V1_STORES, suites: 'projectId' });
    // Version 3 adds stored evaluations (a run's model on a dataset version and split); nothing else changes.
    this.version(3).stores({ ...SCHEMA_V1_STORES, suites: 'projectId', evaluations: 'id, runId, projectId, createdAt' });
    // Version 4 keeps every store and rewrites stored runs' flat MLP params as { spec, hyper } (model specs).
    this.version(4)
      .stores({ ...SCHEMA_V1_STORES, suites: 'projectId', evaluations: 'id, runId, projectId, createdAt' })
      .upgrade((tx) =>
        tx
          .table('runs')
          .toCollection()
          .modify((run: { params: unknown }) => {
            run.params = migrateRunRecord(run).params;
          }),
      );
    // Version 5 adds run checkpoints (one record per run, its tensor bytes in chunks); nothing else changes.
    this.version(5).stores({
      ...SCHEMA_V1_STORES,
      suites: 'projectId',
      evaluations: 'id, runId, projectId, createdAt',
      checkpoints: 'runId',
      checkpointChunks: '[runId+index]',
    });
    // Version 6 keeps registered models per project, versions inside them; the two old registry stores are migrated
    // into it by the pure migration in core and dropped (a primary key cannot change in place).
    const v6Stores = {
      ...SCHEMA_V1_STORES,
      suites: 'projectId',
      evaluations: 'id, runId, projectId, createdAt',
      checkpoints: 'runId',
      checkpointChunks: '[runId+index]',
      registry: null,
      modelVersions: null,
      models: 'id, projectId',
    };
    this.version(6)
      .stores(v6Stores)
      .upgrade(async (tx) => {
        const old = (await tx.table('registry').toArray()) as RegistryModelV1[];
        const versions = (await tx.table('modelVersions').toArray()) as ModelVersionV1[];
        const runs = new Map<string, RunForLinks>();
        for (const id of new Set(versions.map((v) => v.runId))) {
          const run = (await tx.table('runs').get(id)) as RunForLinks | undefined;
          if (run) runs.set(id, run);
        }
        const migrated = migrateRegistry1to2(old, versions, (id) => runs.get(id));
        await tx.table('models').bulkPut(migrated.map((m) => ({ ...m, id: registryModelId(m.projectId, m.name) })));
      });
    // Version 7 adds pipeline definitions and their runs (issue 15); every version-6 store is kept as it was.
    const v7Stores = { ...v6Stores, pipelines: 'id, projectId', pipelineRuns: 'id, pipelineId, projectId, createdAt' };
    this.version(7).stores(v7Stores);
    // Version 8 adds the columnar request log (issue 16): chunk heads indexed for "this project in time order" and
    // "this model version", their columns in a store of their own so listing the log reads no columns. Every
    // version-7 store is kept as it was.
    const v8Stores = {
      ...v7Stores,
      requestChunks: '++id, [projectId+firstAt], [projectId+modelName+modelVersion]',
      requestChunkData: 'chunkId',
    };
    this.version(8).stores(v8Stores);
    // Version 9 moves the old one-record-per-request prediction log into the request log and drops its store (Dexie
    // deletes a dropped store only after the upgrade has read it).
    this.version(9)
      .stores({ ...v8Stores, predictions: null })
      .upgrade(movePredictionLog);
  }
}

/** Meta key of what the schema-9 upgrade did with the old prediction log (absent when that log was empty). */
export const PREDICTION_LOG_MIGRATION_KEY = 'predictionLogMigration';

export interface PredictionLogMigration {
  /** Old records now in the request log. */
  moved: number;
  /** Old records left out because the request log cannot hold them as they are. */
  skipped: number;
  /** Why, per skipped record or model (the first MAX_MIGRATION_PROBLEMS). */
  problems: string[];
}

const MAX_MIGRATION_PROBLEMS = 20;

/**
 * Schema 9: every old prediction record becomes a serving row of the request log. Each project's records are taken
 * in time order (the old auto-increment id breaks ties, as it was the order of storing), numbered 1, 2, ... across
 * the project's models, and handed to one ChunkBuilder per model version.
 *
 * A record the builder refuses is counted and skipped rather than thrown: an upgrade that throws aborts the version
 * change, and Dexie then refuses to open the database at all, so one malformed record would cost the user every
 * project, run and model they have. The count and the reasons are kept under PREDICTION_LOG_MIGRATION_KEY.
 */
async function movePredictionLog(tx: Transaction): Promise<void> {
  const records = (await tx.table('predictions').toArray()) as PredictionRecord[];
  if (records.length === 0) return;
  const outcome: PredictionLogMigration = { moved: 0, skipped: 0, problems: [] };
  const skip = (count: number, problem: string): void => {
    outcome.skipped += count;
    if (outcome.problems.length < MAX_MIGRATION_PROBLEMS) outcome.problems.push(problem);
  };

  const byProject = new Map<string, PredictionRecord[]>();
  for (const record of records) {
    // A time that is not a number cannot be placed in time order (and would disorder the sort for the others).
    if (!Number.isFinite(record.at)) {
      skip(1, `Prediction ${String(record.id)}: its time ${String(record.at)} is not a number of milliseconds.`);
      continue;
    }
    const list = byProject.get(record.projectId) ?? [];
    list.push(record);
    byProject.set(record.projectId, list);
  }

  for (const [projectId, list] of byProject) {
    list.sort((a, b) => a.at - b.at || (a.id ?? 0) - (b.id ?? 0));
    const byModel = new Map<string, PredictionRecord[]>();
    for (const record of list) {
      const key = JSON.stringify([record.modelName, record.modelVersion]);
      const own = byModel.get(key);
      if (own) own.push(record);
      else byModel.set(key, [record]);
    }
    const builders = new Map<string, ModelLog | string>();
    for (const [key, own] of byModel) builders.set(key, await modelLogOf(tx, projectId, own));

    let nextId = await firstFreeRequestId(tx, projectId);
    for (const record of list) {
      const log = builders.get(JSON.stringify([record.modelName, record.modelVersion]))!;
      const where = `Prediction ${String(record.id)} of "${String(record.modelName)}" v${String(record.modelVersion)} in project ${projectId}`;
      if (typeof log === 'string') {
        skip(1, `${where}: ${log}`);
        continue;
      }
      try {
        log.builder.append(requestOf(record, nextId, log));
      } catch (e) {
        skip(1, `${where}: ${e instanceof Error ? e.message : String(e)}`);
        continue;
      }
      // Only a kept record takes an id, so the project's ids stay consecutive.
      nextId++;
      outcome.moved++;
      if (log.builder.full) await writeChunk(tx, log.builder.seal());
    }
    for (const log of builders.values()) {
      if (typeof log !== 'string' && log.builder.size > 0) await writeChunk(tx, log.builder.seal());
    }
  }
  await tx.table('meta').put({ key: PREDICTION_LOG_MIGRATION_KEY, value: outcome });
}

interface ModelLog {
  builder: ChunkBuilder;
  task: LogTask;
  /** False when the classes were inferred and the stored probabilities cannot be matched to them. */
  keepProbabilities: boolean;
}

/** The builder for one model version's records, or why none can be made (then all its records are skipped). */
async function modelLogOf(tx: Transaction, projectId: string, records: PredictionRecord[]): Promise<ModelLog | string> {
  const { modelName, modelVersion } = records[0];
  try {
    const owner = await ownerOf(tx, projectId, modelName, modelVersion, records);
    const classes = owner.classes ?? [];
    const keepProbabilities = owner.inferred ? probabilitiesMatch(records, classes) : true;
    return { builder: new ChunkBuilder(owner), task: owner.task, keepProbabilities };
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

/**
 * Task and classes of the model that served the records: from its registered version's run (the preprocessor's
 * labels are the probability order) and its project's task. When that trail is gone (model or run deleted), they are
 * inferred from the records: the project's task if it is still there, else text answers mean a classifier and number
 * answers (or none at all: every request failed) a regressor; a classifier's classes are then the answers seen, sorted
 * as the preprocessor sorts a target's classes. A classifier that answered one class only cannot be inferred (a
 * classification log needs two), so its records are skipped.
 */
async function ownerOf(
  tx: Transaction,
  projectId: string,
  modelName: string,
  modelVersion: number,
  records: readonly PredictionRecord[],
): Promise<ChunkOwner & { inferred: boolean }> {
  const served = { projectId, modelName, modelVersion, role: 'serving' as const };
  const project = (await tx.table('projects').get(projectId)) as Project | undefined;
  const model = typeof modelName === 'string' ? ((await tx.table('models').get(registryModelId(projectId, modelName))) as StoredRegistryModel | undefined) : undefined;
  const runId = model?.versions.find((v) => v.version === modelVersion)?.runId;
  const run = runId === undefined ? undefined : ((await tx.table('runs').get(runId)) as Run | undefined);
  const pre = run?.preprocessor;
  if (pre) {
    const task = project?.task ?? pre.task;
    return { ...served, task, classes: task === 'classification' ? pre.labels : undefined, inferred: false };
  }
  const answers = records.map((r) => r.output).filter((o) => o !== null && o !== undefined);
  const task = project?.task ?? (answers.some((o) => typeof o === 'string') ? 'classification' : 'regression');
  if (task === 'regression') return { ...served, task, inferred: true };
  return { ...served, task, classes: sortedClasses(new Set(answers.map(String))), inferred: true };
}

/** Numeric class names in numeric order, as the preprocessor orders a numeric target; others by code point. */
function sortedClasses(seen: Set<string>): string[] {
  const classes = [...seen];
  if (classes.every((c) => c.trim() !== '' && Number.isFinite(Number(c)))) return classes.sort((a, b) => Number(a) - Number(b));
  return classes.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * Whether stored probabilities can be read in the order of inferred classes: every row that has them has one per
 * class and its highest on the class it answered. Otherwise their order is unknown (a class never answered is
 * missing from the inferred ones), and reading them in the wrong order would pin each probability on another class,
 * so they are dropped and the answers kept.
 */
function probabilitiesMatch(records: readonly PredictionRecord[], classes: readonly string[]): boolean {
  return records.every((r) => {
    if (!Array.isArray(r.probabilities)) return true;
    if (r.probabilities.length !== classes.length || r.output === null || r.output === undefined) return false;
    const index = classes.indexOf(String(r.output));
    return index >= 0 && r.probabilities[index] === Math.max(...r.probabilities);
  });
}

function requestOf(record: PredictionRecord, id: number, log: ModelLog): LoggedRequest {
  const output = log.task === 'classification' && typeof record.output === 'number' ? String(record.output) : (record.output ?? null);
  const request: LoggedRequest = {
    id,
    at: record.at,
    inputs: record.inputs,
    output,
    probabilities: log.keepProbabilities ? (record.probabilities ?? null) : null,
    latencyMs: record.latencyMs,
    warnings: record.warnings ?? [],
  };
  if (record.error !== undefined) request.error = record.error;
  return request;
}

/** 1, or after the largest id the project's request log already holds (a log written by schema 8 before the upgrade),
 *  since request ids must stay unique within a project for late labels to find their row. */
async function firstFreeRequestId(tx: Transaction, projectId: string): Promise<number> {
  const heads = (await tx
    .table('requestChunks')
    .where('[projectId+firstAt]')
    .between([projectId, Dexie.minKey], [projectId, Dexie.maxKey], true, true)
    .toArray()) as StoredChunkHead[];
  return heads.reduce((next, h) => Math.max(next, h.lastId + 1), 1);
}

async function writeChunk(tx: Transaction, chunk: RequestChunk): Promise<void> {
  const { head, columns } = storedParts(chunk);
  const id = (await tx.table('requestChunks').add(head)) as number;
  await tx.table('requestChunkData').add({ chunkId: id, columns });
}
