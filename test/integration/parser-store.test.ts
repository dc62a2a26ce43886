// The parse worker stores an import itself (workers/parse/store-version.ts): the version the page gets back
// is the one in IndexedDB, with the same id and cells as a build handed back to the page.

import { describe, expect, it } from 'vitest';
import { createTestParser } from '../../workers/parse/parser';
import { openDatabase } from '../../src/platform/open-db';
import { DatasetsRepo } from '../../src/platform/repositories/datasets';
import type { DatasetChoices, StoreRequest } from '../../src/core/contracts/parse';
import { parsed } from '../fixtures/support';
import { freshDeps } from './storage-fixtures';

const CHOICES: DatasetChoices = {
  name: 'penguins',
  task: 'classification',
  target: 'species',
  types: { code: 'category' },
  roles: {},
  split: { method: 'stratified', seed: 3, fractions: [0.6, 0.2, 0.2] },
};

const CSV = ['species,mass,code', ...Array.from({ length: 200 }, (_, i) => `${['a', 'b', 'c'][i % 3]},${(i * 1.25).toFixed(2)},${String(i % 12).padStart(3, '0')}`)].join('\n');

function request(databaseName: string): StoreRequest {
  return { databaseName, projectId: 'p1', name: 'penguins', source: { kind: 'file', fileName: 'p.csv', byteLength: CSV.length }, createdAt: 5 };
}

describe('buildAndStore', () => {
  it('stores the built version from the worker and hands back only its record', async () => {
    const deps = freshDeps();
    const parser = createTestParser((name) => openDatabase({ name, deps }));
    const file = await parsed(parser.parseFile(new Blob([CSV]), 'p.csv', () => {}));
    const built = await parser.build(file.handle, CHOICES);
    if (!built.ok) throw new Error('build failed');

    const outcome = await parser.buildAndStore(file.handle, CHOICES, request('store-test'));
    if (!outcome.ok) throw new Error(outcome.problems.map((p) => p.message).join('\n'));
    expect(outcome.stored).toBe('created');
    expect(outcome.version).toMatchObject({ id: built.dataset.id, projectId: 'p1', name: 'penguins', rowCount: 200, parents: [] });
    expect(outcome.version.split).toEqual({ ...CHOICES.split, counts: built.dataset.counts });
    expect('table' in outcome).toBe(false);

    const opened = await openDatabase({ name: 'store-test', deps });
    if (!opened.ok) throw new Error(opened.message);
    try {
      const loaded = await new DatasetsRepo(opened.db).load(outcome.version.id);
      expect(loaded.meta).toEqual(outcome.version);
      expect(loaded.table).toEqual(built.dataset.table);
      const code = loaded.table.columns[2];
      // The cast column keeps its leading zeros.
      expect(code.kind === 'category' && code.dictionary.slice(0, 3)).toEqual(['000', '001', '002']);
    } finally {
      opened.db.close();
    }
    // The same content again is recognised, not written twice.
    const again = await parser.buildAndStore(file.handle, CHOICES, request('store-test'));
    expect(again.ok && again.stored).toBe('exists');
  });

  it('says why when the database cannot be opened, and stores nothing', async () => {
    const parser = createTestParser(async () => ({ ok: false, message: 'This browser offers no IndexedDB storage (private mode?).' }));
    const file = await parsed(parser.parseFile(new Blob([CSV]), 'p.csv', () => {}));
    await expect(parser.buildAndStore(file.handle, CHOICES, request('x'))).rejects.toThrow('no IndexedDB storage');
  });
});
