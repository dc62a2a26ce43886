// The backup manifest is checked against its schema and the app's versions before any entry is trusted.

import { describe, expect, it } from 'vitest';
import { checkManifest } from '../../workers/backup/manifest';
import { FORMAT_VERSION } from '../../src/core/shared/storage-format';

const GOOD = {
  app: 'loopbench',
  backupFormat: 1,
  schemaVersion: 9,
  dataFormat: FORMAT_VERSION,
  createdAt: '2026-12-02T04:30:00.000Z',
  includesCheckpoints: false,
  stores: { projects: { records: 1 } },
  entries: { 'stores/projects/records-000001.jsonl': { sha256: 'a'.repeat(64), bytes: 10 } },
};

const check = (m: unknown, schema = 9) => checkManifest(JSON.stringify(m), schema);

describe('backup manifest', () => {
  it('accepts a manifest of this or an older schema', () => {
    expect(check(GOOD)).toEqual({ ok: true, manifest: GOOD });
    expect(check({ ...GOOD, schemaVersion: 8 }).ok).toBe(true);
  });

  it('refuses newer versions, naming them', () => {
    expect(check({ ...GOOD, schemaVersion: 10 })).toEqual({ ok: false, message: expect.stringContaining('storage schema 10; this version reads up to 9') });
    expect(check({ ...GOOD, backupFormat: 2 })).toEqual({ ok: false, message: expect.stringContaining('backup format 2') });
    expect(check({ ...GOOD, dataFormat: FORMAT_VERSION + 1 })).toEqual({ ok: false, message: expect.stringContaining(`data format ${FORMAT_VERSION + 1}`) });
  });

  it('refuses a manifest off its schema with the field that is wrong', () => {
    expect(checkManifest('{not json', 9)).toEqual({ ok: false, message: expect.stringMatching(/^manifest\.json is not valid JSON/) });
    expect(check({ ...GOOD, app: 'other' })).toEqual({ ok: false, message: expect.stringMatching(/^manifest\.json: app /) });
    expect(check({ ...GOOD, createdAt: 'today' })).toEqual({ ok: false, message: expect.stringMatching(/^manifest\.json: createdAt /) });
    expect(check({ ...GOOD, stores: { projects: { records: -1 } } })).toEqual({ ok: false, message: expect.stringMatching(/^manifest\.json: stores\.projects\.records /) });
    const climbing = { ...GOOD, entries: { '../../etc/passwd': { sha256: 'a'.repeat(64), bytes: 1 } } };
    expect(check(climbing)).toEqual({ ok: false, message: expect.stringContaining('is not a path a backup holds') });
    const badHash = { ...GOOD, entries: { 'stores/projects/records-000001.jsonl': { sha256: 'xyz', bytes: 1 } } };
    expect(check(badHash)).toEqual({ ok: false, message: expect.stringContaining('is not a SHA-256 in hex') });
    expect(check({ ...GOOD, extra: true }).ok).toBe(false);
  });
});
