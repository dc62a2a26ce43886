// The IndexedDB schema. Binary payloads (column chunks, weight chunks) live only in non-indexed
// `data` fields: indexing them would copy megabytes into index structures for nothing.

import { Dexie, type EntityTable, type Table } from 'dexie';
import type {
  DatasetVersion,
  ImageShape,
  PredictionRecord,
  Project,
  Run,
} from '../core/shared/types';
import { migrateRegistry1to2, type ModelVersionV1, type RegistryModel, type RegistryModelV1, type RunForLinks } from '../core/deliver/registry';
import type { ExpectationSuite } from '../core/data/expectations';
import type { StoredEvaluation } from '../core/evaluate/types';
import { migrateRunRecord } from '../core/train/spec/migrate-run';
import type { TensorPack, TrainCheckpoint } from '../core/contracts/model';
import type { PipelineDefinition, PipelineRun } from '../core/deliver/pipeline';
import type { ChunkColumns, ChunkHead } from '../core/monitor/log/types';

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
export const SCHEMA_VERSION = 8;

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
  predictions!: Table<PredictionRecord, number, Omit<PredictionRecord, 'id'>>;
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
    this.version(8).stores({
      ...v7Stores,
      requestChunks: '++id, [projectId+firstAt], [projectId+modelName+modelVersion]',
      requestChunkData: 'chunkId',
    });
  }
}
