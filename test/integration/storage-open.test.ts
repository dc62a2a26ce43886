import { afterEach, describe, expect, it } from 'vitest';
import { FORMAT_VERSION } from '../../src/core/shared/storage-format';
import { FORMAT_KEY, LoopbenchDb, SCHEMA_VERSION, type IndexedDbDeps } from '../../src/platform/db';
import { openDatabase } from '../../src/platform/open-db';
import { ProjectsRepo } from '../../src/platform/repositories/projects';
import { SettingsRepo } from '../../src/platform/repositories/settings';
import { freshDeps, openFresh, project } from './storage-fixtures';

const opened: LoopbenchDb[] = [];
afterEach(() => {
  for (const db of opened.splice(0)) db.close();
});

/** Writes records straight through Dexie, as another (possibly newer) Loopbench would have. */
async function seed(deps: IndexedDbDeps, format: number): Promise<void> {
  const db = new LoopbenchDb('loopbench', deps);
  await db.open();
  await db.meta.put({ key: FORMAT_KEY, value: format });
  await db.projects.put(project('p1'));
  db.close();
}

async function dump(deps: IndexedDbDeps): Promise<unknown> {
  const db = new LoopbenchDb('loopbench', deps);
  await db.open();
  const tables = Object.fromEntries(await Promise.all(db.tables.map(async (t) => [t.name, await t.toArray()])));
  db.close();
  return tables;
}

/** Native version and object stores, read without Dexie so nothing is adapted on the way. */
function rawSchema(deps: IndexedDbDeps, name = 'loopbench'): Promise<{ version: number; stores: string[] }> {
  return new Promise((resolve, reject) => {
    const request = deps.indexedDB.open(name);
    request.onsuccess = () => {
      const result = { version: request.result.version, stores: Array.from(request.result.objectStoreNames).sort() };
      request.result.close();
      resolve(result);
    };
    request.onerror = () => reject(request.error);
  });
}

describe('openDatabase', () => {
  it('stamps a new database with the current format and lets repositories use it', async () => {
    const deps = freshDeps();
    const db = await openFresh(deps);
    opened.push(db);
    expect((await db.meta.get(FORMAT_KEY))?.value).toBe(FORMAT_VERSION);
    await new ProjectsRepo(db).put(project('p1'));
    expect((await new ProjectsRepo(db).list()).map((p) => p.id)).toEqual(['p1']);
  });

  it('opens data of the current format and keeps it', async () => {
    const deps = freshDeps();
    await seed(deps, FORMAT_VERSION);
    const db = await openFresh(deps);
    opened.push(db);
    expect(await new ProjectsRepo(db).get('p1')).toEqual(project('p1'));
  });

  it('refuses data written in a newer format and writes nothing', async () => {
    const deps = freshDeps();
    await seed(deps, FORMAT_VERSION + 1);
    const before = await dump(deps);

    const outcome = await openDatabase({ deps });
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.message).toMatch(/newer version of Loopbench/);
    expect(await dump(deps)).toEqual(before);
    expect((before as { meta: unknown[] }).meta).toEqual([{ key: FORMAT_KEY, value: FORMAT_VERSION + 1 }]);
  });

  it('refuses a database whose schema version is newer, leaving its schema untouched', async () => {
    const deps = freshDeps();
    // What a future Loopbench with a higher db.version() and a different set of tables would leave behind.
    const future = (SCHEMA_VERSION + 1) * 10;
    await new Promise<void>((resolve, reject) => {
      const request = deps.indexedDB.open('loopbench', future);
      request.onupgradeneeded = () => request.result.createObjectStore('future', { keyPath: 'id' });
      request.onsuccess = () => {
        request.result.close();
        resolve();
      };
      request.onerror = () => reject(request.error);
    });

    const outcome = await openDatabase({ deps });
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.message).toMatch(/newer version of Loopbench/);
    expect(await rawSchema(deps)).toEqual({ version: future, stores: ['future'] });
  });

  it('keeps the format marker out of reach of settings', async () => {
    const db = await openFresh();
    opened.push(db);
    const settings = new SettingsRepo(db);
    await expect(settings.set(FORMAT_KEY, 99)).rejects.toThrow(/reserved/);
    await settings.set('probe:mlp', { best: 'wasm' });
    expect(await settings.get<{ best: string }>('probe:mlp')).toEqual({ best: 'wasm' });
    expect(await settings.get('missing')).toBeUndefined();
    expect((await db.meta.get(FORMAT_KEY))?.value).toBe(FORMAT_VERSION);
  });
});
