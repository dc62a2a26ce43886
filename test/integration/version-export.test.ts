// A stored version exported by the parse worker as CSV (formula-like text guarded, numbers plain, dates ISO, missing
// empty) and as Parquet that the app's own Parquet reader imports back to the same version: the same id, which is the
// hash of every cell.

import { describe, expect, it } from 'vitest';
import { ParserClient } from '../../src/platform/workers';
import { createParser, createTestParser } from '../../workers/parse/parser';
import { openDatabase } from '../../src/platform/open-db';
import type { DatasetChoices, StoreRequest } from '../../src/core/contracts/parse';
import { parsed, workerOnChannel } from '../fixtures/support';
import { freshDeps } from './storage-fixtures';

const DB = 'loopbench-export-test';
const CSV = [
  'label,amount,when,note',
  'a,-3.5,2024-01-02,=HYPERLINK("x")',
  'b,,2024-03-04T05:06:07Z,+1',
  'a,12,,-minus',
  'b,0.25,2024-05-06,@user',
  "a,7,2024-07-08,=cmd|' /C calc'!A0",
  'b,8,2024-09-10,"plain, with comma"',
  // A split needs rows enough for every part.
  ...Array.from({ length: 60 }, (_, i) => `${'ab'[i % 2]},${i * 1.5},2025-01-${String((i % 28) + 1).padStart(2, '0')},row ${i}`),
].join('\n');

function choices(format?: DatasetChoices['format']): DatasetChoices {
  return {
    name: 'mixed',
    task: 'classification',
    target: 'label',
    types: { label: 'category', amount: 'number', when: 'date', note: 'category' },
    roles: {},
    split: { method: 'random', seed: 4, fractions: [0.5, 0.25, 0.25] },
    ...(format ? { format } : {}),
  };
}

function request(name: string): StoreRequest {
  return { databaseName: DB, projectId: 'p1', name, source: { kind: 'file', fileName: `${name}`, byteLength: 1 }, createdAt: 1 };
}

describe('exporting a dataset version', () => {
  it('as CSV guards formula-like text and writes numbers, dates and missing cells plainly', async () => {
    const deps = freshDeps();
    const open = (name: string) => openDatabase({ name, deps });
    const parser = createTestParser(open);
    const file = await parsed(parser.parseFile(new Blob([CSV]), 'mixed.csv', () => {}));
    const stored = await parser.buildAndStore(file.handle, choices(file.detected.format), request('mixed'));
    if (!stored.ok) throw new Error(JSON.stringify(stored.problems));
    const client = new ParserClient(workerOnChannel(createParser(open)));
    const outcome = await client.exportVersion({ databaseName: DB, versionId: stored.version.id, format: 'csv' });
    if (!outcome.ok) throw new Error(outcome.message);
    expect(outcome.fileName).toMatch(/^mixed-[0-9a-f]{8}\.csv$/);
    const lines = (await outcome.file.text()).split('\r\n');
    expect(lines[0]).toBe('label,amount,when,note');
    expect(lines.slice(1, 7)).toEqual([
      `a,-3.5,2024-01-02T00:00:00.000Z,"'=HYPERLINK(""x"")"`,
      "b,,2024-03-04T05:06:07.000Z,'+1",
      "a,12,,'-minus",
      "b,0.25,2024-05-06T00:00:00.000Z,'@user",
      "a,7,2024-07-08T00:00:00.000Z,'=cmd|' /C calc'!A0",
      'b,8,2024-09-10T00:00:00.000Z,"plain, with comma"',
    ]);
  });

  it('as Parquet re-imports through the app\'s reader to the same version', async () => {
    const deps = freshDeps();
    const open = (name: string) => openDatabase({ name, deps });
    const parser = createTestParser(open);
    const file = await parsed(parser.parseFile(new Blob([CSV]), 'mixed.csv', () => {}));
    const stored = await parser.buildAndStore(file.handle, choices(file.detected.format), request('mixed'));
    if (!stored.ok) throw new Error(JSON.stringify(stored.problems));
    const client = new ParserClient(workerOnChannel(createParser(open)));
    const outcome = await client.exportVersion({ databaseName: DB, versionId: stored.version.id, format: 'parquet' });
    if (!outcome.ok) throw new Error(outcome.message);
    expect(outcome.fileName).toMatch(/\.parquet$/);
    const again = await parsed(parser.parseFile(outcome.file, outcome.fileName, () => {}));
    expect(again.detected.kind).toBe('parquet');
    expect(again.rowCount).toBe(66);
    const reimported = await parser.buildAndStore(again.handle, choices(again.detected.format), request('again'));
    if (!reimported.ok) throw new Error(JSON.stringify(reimported.problems));
    expect(reimported.version.id).toBe(stored.version.id);
    expect(reimported.stored).toBe('exists');
  });

  it('refuses a version that is not stored, saying which', async () => {
    const deps = freshDeps();
    const client = new ParserClient(workerOnChannel(createParser((name) => openDatabase({ name, deps }))));
    const outcome = await client.exportVersion({ databaseName: DB, versionId: 'f'.repeat(64), format: 'csv' });
    expect(outcome).toMatchObject({ ok: false, message: expect.stringMatching(/^Exporting version ffffffffffff as CSV failed/) });
  });
});
