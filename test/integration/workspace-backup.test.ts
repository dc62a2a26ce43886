// Workspace backup and restore through the parse worker's API on a MessageChannel (as the page calls it): a backup
// wiped and restored gives the same records, typed arrays included, and the same version ids; merge keeps what
// exists; a damaged backup is refused and changes nothing; a fault on any write of a restore leaves the old state.

import { describe, expect, it } from 'vitest';
import { strToU8, unzipSync, zipSync } from 'fflate';
import { ParserClient } from '../../src/platform/workers';
import { createParser, createTestParser } from '../../workers/parse/parser';
import { openDatabase } from '../../src/platform/open-db';
import { WorkspaceRepo } from '../../src/platform/repositories/workspace';
import { writeBackup } from '../../workers/backup/backup';
import { sha256Hex } from '../../src/core/data/hash';
import type { DatasetChoices, RestoreMode, RestoreOutcome } from '../../src/core/contracts/parse';
import type { LoopbenchDb, IndexedDbDeps } from '../../src/platform/db';
import { DatasetsRepo } from '../../src/platform/repositories/datasets';
import { parsed, workerOnChannel } from '../fixtures/support';
import { faultAt, openWith, seedWorkspace, snapshot } from '../fixtures/workspace';
import { freshDeps } from './storage-fixtures';

const DB = 'loopbench-backup-test';
const CHOICES: DatasetChoices = {
  name: 'penguins',
  task: 'classification',
  target: 'species',
  types: {},
  roles: {},
  split: { method: 'stratified', seed: 3, fractions: [0.6, 0.2, 0.2] },
};
const CSV = ['species,mass,note', ...Array.from({ length: 300 }, (_, i) => `${['a', 'b', 'c'][i % 3]},${i % 17 === 0 ? '' : (i * 1.25 - 40).toFixed(2)},${['=SUM(A1)', '-x', 'plain', '@me'][i % 4]}`)].join('\n');

async function open(deps: IndexedDbDeps): Promise<LoopbenchDb> {
  const opened = await openDatabase({ name: DB, deps });
  if (!opened.ok) throw new Error(opened.message);
  return opened.db;
}

/** A database holding an imported version and a record in every other store. */
async function workspace(deps: IndexedDbDeps, tag = 'a'): Promise<string> {
  const parser = createTestParser((name) => openDatabase({ name, deps }));
  const file = await parsed(parser.parseFile(new Blob([CSV]), 'penguins.csv', () => {}));
  const stored = await parser.buildAndStore(file.handle, CHOICES, { databaseName: DB, projectId: `p-${tag}`, name: 'penguins', source: { kind: 'file', fileName: 'penguins.csv', byteLength: CSV.length }, createdAt: 9 });
  if (!stored.ok) throw new Error(JSON.stringify(stored.problems));
  const db = await open(deps);
  await seedWorkspace(db, tag);
  db.close();
  return stored.version.id;
}

function client(deps: IndexedDbDeps, openDb = (name: string) => openDatabase({ name, deps })): ParserClient {
  return new ParserClient(workerOnChannel(createParser(openDb)));
}

async function backupOf(parser: ParserClient, includeCheckpoints = true): Promise<Uint8Array> {
  const pieces: Uint8Array[] = [];
  const outcome = await parser.backup({ databaseName: DB, includeCheckpoints, createdAt: Date.UTC(2026, 11, 2) }, (p) => void pieces.push(p), () => {});
  if (!outcome.ok) throw new Error(outcome.message);
  const bytes = new Uint8Array(pieces.reduce((n, p) => n + p.byteLength, 0));
  let at = 0;
  for (const p of pieces) {
    bytes.set(p, at);
    at += p.byteLength;
  }
  return bytes;
}

function restore(parser: ParserClient, bytes: Uint8Array, mode: RestoreMode): Promise<RestoreOutcome> {
  return parser.restore({ databaseName: DB, file: new Blob([bytes as Uint8Array<ArrayBuffer>]), fileName: 'backup.zip', mode }, () => {});
}

async function wipe(deps: IndexedDbDeps): Promise<void> {
  const db = await open(deps);
  await db.delete();
  db.close();
}

/** The stored version's id recomputed from its cells, as an import computes it. */
async function recomputedId(deps: IndexedDbDeps, id: string): Promise<string> {
  const db = await open(deps);
  try {
    const { hashDataset } = await import('../../src/core/data/hash');
    const loaded = await new DatasetsRepo(db).load(id);
    return await hashDataset(loaded.meta.schema, loaded.meta.split, loaded.table);
  } finally {
    db.close();
  }
}

/** The zip with the central directory's uncompressed size of `name` rewritten (a zip that lies). */
function declareSize(zip: Uint8Array, name: string, size: (compressed: number) => number): Uint8Array {
  const out = zip.slice();
  const view = new DataView(out.buffer);
  for (let at = 0; at < out.length - 46; at++) {
    if (view.getUint32(at, true) !== 0x02014b50) continue;
    const nameLength = view.getUint16(at + 28, true);
    if (new TextDecoder().decode(out.subarray(at + 46, at + 46 + nameLength)) !== name) continue;
    view.setUint32(at + 24, size(view.getUint32(at + 20, true)), true);
    return out;
  }
  throw new Error(`no central directory entry ${name}`);
}

describe('workspace backup and restore', () => {
  it('backup, wipe, restore gives identical records (typed arrays included) and the same hashes', async () => {
    const deps = freshDeps();
    const versionId = await workspace(deps);
    const before = await snapshot(await open(deps));
    const parser = client(deps);
    const zip = await backupOf(parser);
    const files = unzipSync(zip);
    const manifest = JSON.parse(new TextDecoder().decode(files['manifest.json'])) as { stores: Record<string, { records: number }>; entries: Record<string, { sha256: string }> };
    expect(manifest.stores.projects.records).toBe(1);
    expect(manifest.stores.chunks.records).toBe(before.chunks.length);
    for (const [path, entry] of Object.entries(manifest.entries)) expect(await sha256Hex(files[path])).toBe(entry.sha256);

    await wipe(deps);
    expect((await snapshot(await open(deps))).projects).toEqual([]);
    const outcome = await restore(parser, zip, 'replace');
    expect(outcome).toMatchObject({ ok: true, mode: 'replace' });
    const after = await snapshot(await open(deps));
    expect(after).toEqual(before);
    const log = after.requestChunkData[0] as { columns: { probabilities: unknown; outputs: unknown } };
    expect(log.columns.probabilities).toBeInstanceOf(Float32Array);
    expect(log.columns.outputs).toBeInstanceOf(Int32Array);
    expect((after.runs[0] as { metrics: { loss: number; zero: number } }).metrics.loss).toBeNaN();
    expect(Object.is((after.runs[0] as { metrics: { zero: number } }).metrics.zero, -0)).toBe(true);
    expect(await recomputedId(deps, versionId)).toBe(versionId);
    // The same workspace backs up to the same records and entry hashes.
    const again = JSON.parse(new TextDecoder().decode(unzipSync(await backupOf(parser))['manifest.json'])) as typeof manifest;
    expect(again.entries).toEqual(manifest.entries);
  });

  it('binary data that streaming deflate mangles (fflate #260) still backs up to a zip that restores', async () => {
    const deps = freshDeps();
    await workspace(deps);
    // Weights-like buffers of small integers and zeros: with fflate's streaming ZipDeflate about one in twenty such
    // entries came out unreadable ("invalid distance"), and the app could not restore its own backup.
    const db = await open(deps);
    let seed = 7;
    const random = (): number => ((seed = (seed * 1664525 + 1013904223) >>> 0) / 2 ** 32);
    for (let index = 1; index <= 40; index++) {
      const n = 20_000 + Math.floor(random() * 60_000);
      const values = index % 2 ? Int32Array.from({ length: n }, () => Math.floor(random() * 3)) : Uint8Array.from({ length: n }, () => (random() < 0.9 ? 0 : Math.floor(random() * 256)));
      await db.artifacts.put({ runId: 'run-a', index, data: values.buffer });
    }
    const before = await snapshot(db);
    const parser = client(deps);
    const zip = await backupOf(parser);
    expect(() => unzipSync(zip)).not.toThrow();
    await wipe(deps);
    expect(await restore(parser, zip, 'replace')).toMatchObject({ ok: true });
    expect(await snapshot(await open(deps))).toEqual(before);
  }, 60_000);

  it('a workspace past the zip entry limit is refused when backed up, not written as a file no restore can read', async () => {
    const deps = freshDeps();
    await workspace(deps);
    const db = await open(deps);
    const pieces: Uint8Array[] = [];
    const backup = writeBackup(new WorkspaceRepo(db), { databaseName: DB, includeCheckpoints: true, createdAt: Date.UTC(2026, 11, 2) }, async (p) => void pieces.push(p), () => {}, () => false, 5);
    await expect(backup).rejects.toThrow(/needs more than 5 zip entries .*more than a zip without ZIP64 can hold; delete unused dataset versions/);
    // The same workspace under the real limit backs up.
    await expect(writeBackup(new WorkspaceRepo(db), { databaseName: DB, includeCheckpoints: true, createdAt: Date.UTC(2026, 11, 2) }, async () => {}, () => {}, () => false)).resolves.toMatchObject({ records: expect.any(Object) });
    db.close();
  });

  it('leaves checkpoints out unless asked', async () => {
    const deps = freshDeps();
    await workspace(deps);
    const files = unzipSync(await backupOf(client(deps), false));
    const manifest = JSON.parse(new TextDecoder().decode(files['manifest.json'])) as { stores: Record<string, unknown> };
    expect(Object.keys(manifest.stores)).not.toContain('checkpoints');
    expect(Object.keys(files).some((p) => p.startsWith('stores/checkpoint'))).toBe(false);
  });

  it('merge keeps every existing record and adds the missing ones', async () => {
    const deps = freshDeps();
    await workspace(deps, 'a');
    const parser = client(deps);
    const zip = await backupOf(parser);
    const db = await open(deps);
    await db.projects.update('p-a', { name: 'Renamed since the backup' });
    await db.projects.put({ id: 'p-new', name: 'Made after', task: 'regression', target: 'y', createdAt: 2 } as never);
    await db.runs.delete('run-a');
    db.close();
    const outcome = await restore(parser, zip, 'merge');
    expect(outcome).toMatchObject({ ok: true, mode: 'merge' });
    if (!outcome.ok) return;
    expect(outcome.added.runs).toBe(1);
    expect(outcome.kept.projects).toBe(1);
    const after = await snapshot(await open(deps));
    const names = Object.fromEntries((after.projects as { id: string; name: string }[]).map((p) => [p.id, p.name]));
    expect(names).toEqual({ 'p-a': 'Renamed since the backup', 'p-new': 'Made after' });
    expect((after.runs as { id: string }[]).map((r) => r.id)).toEqual(['run-a']);
  });

  describe('a damaged backup is refused and changes nothing', () => {
    async function refusedWith(damage: (zip: Uint8Array) => Uint8Array | Promise<Uint8Array>, message: RegExp): Promise<void> {
      const deps = freshDeps();
      await workspace(deps);
      const parser = client(deps);
      const zip = await backupOf(parser);
      const db = await open(deps);
      await db.projects.put({ id: 'p-after', name: 'after the backup', task: 'regression', target: 'y', createdAt: 3 } as never);
      const before = await snapshot(db);
      db.close();
      for (const mode of ['replace', 'merge'] as const) {
        const outcome = await restore(parser, await damage(zip), mode);
        expect(outcome.ok).toBe(false);
        if (!outcome.ok) expect(outcome.message).toMatch(message);
        expect(await snapshot(await open(deps))).toEqual(before);
      }
    }
    const rezip = (zip: Uint8Array, edit: (files: Record<string, Uint8Array>) => void): Uint8Array => {
      const files = unzipSync(zip);
      edit(files);
      return zipSync(files);
    };
    const manifestOf = (files: Record<string, Uint8Array>) => JSON.parse(new TextDecoder().decode(files['manifest.json'])) as Record<string, unknown> & { entries: Record<string, unknown> };

    it('a bad hash', () =>
      refusedWith(
        (zip) =>
          rezip(zip, (files) => {
            const path = Object.keys(files).find((p) => p.startsWith('stores/chunks/bin/'))!;
            const bytes = files[path].slice();
            bytes[0] ^= 0xff;
            files[path] = bytes;
          }),
        /does not match its SHA-256/,
      ));
    it('truncated', () => refusedWith((zip) => zip.slice(0, Math.floor(zip.byteLength * 0.7)), /not a readable zip/));
    it('a missing entry', () =>
      refusedWith(
        (zip) =>
          rezip(zip, (files) => {
            delete files[Object.keys(files).find((p) => p.startsWith('stores/runs/records-'))!];
          }),
        /listed in the manifest is missing/,
      ));
    it('a newer schema', () =>
      refusedWith(
        (zip) =>
          rezip(zip, (files) => {
            files['manifest.json'] = strToU8(JSON.stringify({ ...manifestOf(files), schemaVersion: 99 }));
          }),
        /newer Loopbench \(storage schema 99/,
      ));
    it('a manifest that does not fit its schema', () =>
      refusedWith(
        (zip) =>
          rezip(zip, (files) => {
            files['manifest.json'] = strToU8(JSON.stringify({ ...manifestOf(files), createdAt: 'yesterday' }));
          }),
        /manifest\.json: createdAt/,
      ));
    it('a path that climbs out', () =>
      refusedWith(
        (zip) =>
          rezip(zip, (files) => {
            files['../evil.jsonl'] = strToU8('{}');
          }),
        /"\.\.\/evil\.jsonl" is not a path a backup holds/,
      ));
    it('a record without its store key (hashes made to match)', () =>
      refusedWith(async (zip) => {
        const files = unzipSync(zip);
        const path = Object.keys(files).find((p) => p.startsWith('stores/projects/records-'))!;
        files[path] = strToU8(new TextDecoder().decode(files[path]).replace('"id":"p-a"', '"ident":"p-a"'));
        const manifest = manifestOf(files);
        manifest.entries[path] = { sha256: await sha256Hex(files[path]), bytes: files[path].byteLength };
        files['manifest.json'] = strToU8(JSON.stringify(manifest));
        return zipSync(files);
      }, /stores\/projects\/records-000001\.jsonl line 1: the record has no valid key "id"/));
    it('a zip that claims an entry unpacks far beyond its compressed size (a bomb)', () =>
      refusedWith((zip) => declareSize(zip, 'stores/runs/records-000001.jsonl', (compressed) => compressed * 2000), /records-000001\.jsonl" claims to unpack \d+ bytes into \d+, a ratio no honest deflate gives/));
    it('an entry declared larger than a backup entry may be', () =>
      refusedWith((zip) => declareSize(zip, 'stores/runs/records-000001.jsonl', () => 600 * 1024 * 1024), /unpacks to 600\.0 MB, more than 512\.0 MB/));
  });

  it('aborting a backup or a restore ends it as cancelled, with nothing written', async () => {
    const deps = freshDeps();
    await workspace(deps);
    const parser = client(deps);
    const zip = await backupOf(parser);
    const abort = new AbortController();
    let pieces = 0;
    const backup = parser.backup({ databaseName: DB, includeCheckpoints: true, createdAt: Date.UTC(2026, 11, 2) }, () => {
      // Aborted as the first piece arrives: the worker stops before the next entry.
      if (++pieces === 1) abort.abort();
    }, () => {}, abort.signal);
    await expect(backup).rejects.toEqual({ kind: 'cancelled' });

    const db = await open(deps);
    await db.projects.put({ id: 'p-after', name: 'after the backup', task: 'regression', target: 'y', createdAt: 3 } as never);
    const before = await snapshot(db);
    db.close();
    const stop = new AbortController();
    const restoring = parser.restore({ databaseName: DB, file: new Blob([zip as Uint8Array<ArrayBuffer>]), fileName: 'b.zip', mode: 'replace' }, (e) => {
      if (e.phase === 'checking') stop.abort();
    }, stop.signal);
    await expect(restoring).rejects.toEqual({ kind: 'cancelled' });
    expect(await snapshot(await open(deps))).toEqual(before);
  });

  it('a restore that runs out of space says so plainly and changes nothing', async () => {
    const source = freshDeps();
    await workspace(source, 'a');
    const zip = await backupOf(client(source));
    const deps = freshDeps();
    await workspace(deps, 'b');
    const before = await snapshot(await open(deps));
    const quota = (message: string) => new DOMException(message, 'QuotaExceededError');
    for (const mode of ['merge', 'replace'] as const) {
      const parser = client(deps, openWith(deps, () => faultAt(3, { writes: 0 }, quota)));
      const outcome = await restore(parser, zip, mode);
      expect(outcome.ok).toBe(false);
      if (!outcome.ok) {
        expect(outcome.message).toMatch(/^Could not save the workspace restored from "[^"]+": storage is full\b.*Nothing was changed\.$/s);
        expect(outcome.message).not.toMatch(/QuotaExceededError/);
      }
      expect(await snapshot(await open(deps))).toEqual(before);
    }
  });

  it('a restore failed on any one of its writes leaves the old state', { timeout: 120_000 }, async () => {
    // The backup is of another workspace, so a restore that half-happened would show in this one.
    const source = freshDeps();
    await workspace(source, 'a');
    const zip = await backupOf(client(source));
    const deps = freshDeps();
    await workspace(deps, 'b');
    const before = await snapshot(await open(deps));

    let failAt = 0;
    const counter = { writes: 0 };
    const parser = client(deps, openWith(deps, () => faultAt(failAt, counter)));
    const writesOf = async (mode: RestoreMode): Promise<number> => {
      counter.writes = 0;
      failAt = 0;
      const probe = freshDeps();
      await workspace(probe, 'b');
      const outcome = await restore(client(probe, openWith(probe, () => faultAt(0, counter))), zip, mode);
      expect(outcome.ok).toBe(true);
      return counter.writes;
    };
    const results: { mode: RestoreMode; injected: number; held: number } [] = [];
    for (const mode of ['replace', 'merge'] as const) {
      const writes = await writesOf(mode);
      expect(writes).toBeGreaterThan(3);
      let held = 0;
      for (failAt = 1; failAt <= writes; failAt++) {
        counter.writes = 0;
        const outcome = await restore(parser, zip, mode);
        expect(outcome.ok, `${mode}: fault on write ${failAt}`).toBe(false);
        if (!outcome.ok) expect(outcome.message).toMatch(/rolled back and nothing was changed|nothing was changed/);
        const now = await snapshot(await open(deps));
        expect(now, `${mode}: fault on write ${failAt}`).toEqual(before);
        held++;
      }
      results.push({ mode, injected: writes, held });
    }
    console.info(`restore fault injection: ${results.map((r) => `${r.mode} ${r.held}/${r.injected} held`).join(', ')}`);
  });
});
