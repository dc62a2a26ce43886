// Bench setup: a table stored as a dataset version in this page's IndexedDB, so the workers read it by id as they do
// in the app. Storing is the bench's own work, done before any measurement starts.

import { versionRecord } from '../../src/core/data/version-record';
import { countSplit } from '../../src/core/data/split';
import type { ColumnSchema, Table } from '../../src/core/shared/types';
import type { DatasetRef } from '../../src/core/contracts/dataset';
import { openDatabase } from '../../src/platform/open-db';
import { DatasetsRepo } from '../../src/platform/repositories/datasets';

export const BENCH_DATABASE = 'loopbench-bench';

/** `id` names the content: the same id is stored once, and a later call finds it. */
export async function storeBenchVersion(id: string, schema: ColumnSchema[], table: Table, assignment: Uint8Array): Promise<DatasetRef> {
  const opened = await openDatabase({ name: BENCH_DATABASE });
  if (!opened.ok) throw new Error(opened.message);
  try {
    const repo = new DatasetsRepo(opened.db);
    if (!(await repo.get(id))) {
      const record = versionRecord(
        { id, schema, summaries: [], table, counts: countSplit(assignment) },
        { projectId: 'bench', name: id, createdAt: Date.now(), source: { kind: 'file', fileName: `${id}.csv`, byteLength: 0 }, split: { method: 'random', seed: 1, fractions: [0.8, 0.1, 0.1] } },
      );
      await repo.save(record, table, assignment);
    }
    return { databaseName: BENCH_DATABASE, versionId: id };
  } finally {
    opened.db.close();
  }
}
