// Shared fixtures for the storage tests: a fresh in-memory IndexedDB per test and small records.

import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { DEFAULT_PARAMS, DEFAULT_SPLIT } from '../../src/core/shared/defaults';
import type { DatasetVersion, Project, Run, Table } from '../../src/core/shared/types';
import type { IndexedDbDeps, LoopbenchDb } from '../../src/platform/db';
import { openDatabase } from '../../src/platform/open-db';
import { datasetChunkCount } from '../../src/core/data/version-record';

export function freshDeps(): IndexedDbDeps {
  return { indexedDB: new IDBFactory(), IDBKeyRange };
}

export async function openFresh(deps: IndexedDbDeps = freshDeps()): Promise<LoopbenchDb> {
  const outcome = await openDatabase({ deps });
  if (!outcome.ok) throw new Error(outcome.message);
  return outcome.db;
}

export function project(id = 'p1'): Project {
  return { id, name: `Project ${id}`, task: 'classification', target: 'species', goal: { metric: 'accuracy', bar: 0.9 }, createdAt: 1000 };
}

/** A table with a number column (NaN every 7th row) and a category column (-1 every 5th row). */
export function sampleTable(rowCount: number, seed = 0): { table: Table; assignment: Uint8Array } {
  const values = new Float64Array(rowCount);
  const codes = new Int32Array(rowCount);
  const assignment = new Uint8Array(rowCount);
  for (let i = 0; i < rowCount; i++) {
    values[i] = i % 7 === 3 ? NaN : i * 0.5 + seed;
    codes[i] = i % 5 === 1 ? -1 : (i + seed) % 3;
    assignment[i] = i % 11 === 0 ? 255 : i % 3;
  }
  return {
    table: {
      names: ['mass', 'island'],
      columns: [
        { kind: 'number', values },
        { kind: 'category', codes, dictionary: ['Biscoe', 'Dream', 'Torgersen'] },
      ],
      rowCount,
    },
    assignment,
  };
}

export function datasetMeta(id: string, rowCount: number, chunkRows: number, projectId = 'p1', createdAt = 2000): DatasetVersion {
  return {
    id,
    projectId,
    name: `data ${id}`,
    createdAt,
    rowCount,
    schema: [
      { name: 'mass', type: 'number', role: 'feature' },
      { name: 'island', type: 'category', role: 'target' },
    ],
    summaries: [],
    split: { ...DEFAULT_SPLIT, counts: { train: 0, validation: 0, test: 0 } },
    source: { kind: 'file', fileName: 'x.csv', byteLength: 10 },
    parents: [],
    chunkRows,
    chunkCount: datasetChunkCount(rowCount, chunkRows),
  };
}

export function run(id: string, overrides: Partial<Run> = {}): Run {
  return {
    id,
    projectId: 'p1',
    datasetId: 'd1',
    name: id,
    status: 'running',
    params: DEFAULT_PARAMS,
    backend: 'cpu',
    versions: { tfjs: '4.22.0' },
    startedAt: 5000,
    endedAt: null,
    history: [],
    metrics: {},
    evaluation: null,
    preprocessor: null,
    model: null,
    note: '',
    tags: {},
    ...overrides,
  };
}

export const MODEL_SPEC = {
  topology: { class_name: 'Sequential' },
  weightSpecs: [{ name: 'dense/kernel', shape: [4, 2], dtype: 'float32' as const }],
};

/** Deterministic, non-repeating-looking bytes. */
export function bytes(length: number): ArrayBuffer {
  const out = new Uint8Array(length);
  let x = 12345;
  for (let i = 0; i < length; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out.buffer;
}
