// The worker side of the data plane: versions stored through the one record builder, read back by id whole or by
// their first rows only, and kept decoded for the next read of the same id.

import { describe, expect, it } from 'vitest';
import { DATASET_CHUNK_ROWS, versionRecord } from '../../src/core/data/version-record';
import { DEFAULT_READ_FORMAT } from '../../src/core/shared/types';
import { DatasetService } from '../../workers/dataset/dataset-service';
import { Lru } from '../../workers/dataset/lru';
import { fakeDatabases, storedVersion, TEST_DATABASE } from '../fixtures/stored-version';
import { sampleTable } from './storage-fixtures';

const ROWS = DATASET_CHUNK_ROWS * 2 + 10;

function made(rows = ROWS) {
  const { table, assignment } = sampleTable(rows);
  const schema = [
    { name: 'mass', type: 'number' as const, role: 'feature' as const },
    { name: 'island', type: 'category' as const, role: 'target' as const },
  ];
  return { id: `v-${rows}`, schema, summaries: [], table, assignment, counts: { train: 1, validation: 1, test: 1 } };
}

describe('the version record builder', () => {
  it('chunks every version by one rule and records the format it was read with, or inherits', () => {
    const labels = { projectId: 'p', name: 'n', createdAt: 1, source: { kind: 'file' as const, fileName: 'f.csv', byteLength: 3 }, split: { method: 'random' as const, seed: 1, fractions: [0.8, 0.1, 0.1] as [number, number, number] } };
    const plain = versionRecord(made(), labels);
    expect(plain).toMatchObject({ rowCount: ROWS, chunkRows: DATASET_CHUNK_ROWS, chunkCount: 3, parents: [] });
    expect('format' in plain).toBe(false);
    const derived = versionRecord(made(), { ...labels, parents: ['parent'], format: DEFAULT_READ_FORMAT });
    expect(derived).toMatchObject({ parents: ['parent'], format: DEFAULT_READ_FORMAT });
    expect(derived.split).toEqual({ ...labels.split, counts: { train: 1, validation: 1, test: 1 } });
  });
});

describe('DatasetService', () => {
  it('reads a stored version by id, whole or only its first chunk', async () => {
    const stored = await storedVersion(made());
    const fresh = new DatasetService(stored.open);
    const whole = await fresh.read(stored.ref);
    expect(whole.table.rowCount).toBe(ROWS);
    expect(whole.table.columns[0]).toEqual(made().table.columns[0]);
    expect(whole.assignment).toEqual(made().assignment);

    const bounded = await new DatasetService(stored.open).head(stored.ref, 20);
    expect(bounded.sampled).toBe(true);
    expect(bounded.meta.rowCount).toBe(ROWS);
    expect(bounded.table.rowCount).toBe(20);
    const mass = bounded.table.columns[0];
    expect(mass.kind === 'number' && Array.from(mass.values)).toEqual(Array.from((made().table.columns[0] as { values: Float64Array }).values.slice(0, 20)));
  });

  it('keeps the last versions read, and reads again after a failure', async () => {
    const open = fakeDatabases();
    let opened = 0;
    const counting: typeof open = (name) => {
      opened++;
      return open(name);
    };
    const { ref } = await storedVersion(made(100), open);
    const service = new DatasetService(counting, 1);
    const first = await service.read(ref);
    expect(await service.read(ref)).toBe(first);
    expect(opened).toBe(1);
    await expect(service.read({ databaseName: TEST_DATABASE, versionId: 'missing' })).rejects.toThrow(/not in storage/);
    // The failed read pushed the version out (capacity 1) and is not remembered itself.
    await service.read(ref);
    expect(opened).toBe(3);
  });
});

describe('Lru', () => {
  it('drops the least recently used entry past its capacity', () => {
    const lru = new Lru<string, number>(2);
    lru.set('a', 1);
    lru.set('b', 2);
    lru.get('a');
    lru.set('c', 3);
    expect([lru.get('a'), lru.get('b'), lru.get('c')]).toEqual([1, undefined, 3]);
  });
});
