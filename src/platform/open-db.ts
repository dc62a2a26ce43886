// Opens the database only when this build understands what is stored in it. A newer Loopbench may
// have changed the schema or the record formats; writing with older code would corrupt its data,
// so in that case nothing is opened for writing and the caller shows the message instead.

import { checkStoredFormat, FORMAT_VERSION } from '../core/shared/storage-format';
import { FORMAT_KEY, LoopbenchDb, SCHEMA_VERSION, type IndexedDbDeps } from './db';
import { announceWrites, ChangeFeed, CHANGE_KINDS } from './changes';
import { guardUpgrades, type UpgradeGuard } from './upgrade-guard';

export interface OpenOptions {
  name?: string;
  /** For tests: a fake-indexeddb factory and key range. */
  deps?: IndexedDbDeps;
  /** Where this connection announces its committed writes to other tabs (the page passes its feed; a worker gets one of its own). */
  changes?: ChangeFeed;
}

/** `guard` says when another tab upgraded the schema: this connection is then closed and refuses every call. */
export type OpenOutcome = { ok: true; db: LoopbenchDb; guard: UpgradeGuard } | { ok: false; message: string };

/** Same wording as the format check in core, for a schema (rather than record format) that is newer. */
export function newerSchemaMessage(installedNative: number | null): string {
  const detail = installedNative === null ? '' : ` (storage schema ${installedNative / 10}; this version reads up to ${SCHEMA_VERSION})`;
  return (
    `This data was saved by a newer version of Loopbench${detail}. ` +
    'Reload the page to update Loopbench before continuing; nothing has been changed.'
  );
}

/** Dexie stores version(n) as native version n * 10. */
const NATIVE_SCHEMA_VERSION = SCHEMA_VERSION * 10;

export async function openDatabase(options: OpenOptions = {}): Promise<OpenOutcome> {
  const name = options.name ?? 'loopbench';
  const factory = options.deps?.indexedDB ?? globalThis.indexedDB;
  if (!factory) return { ok: false, message: 'This browser offers no IndexedDB storage (private mode?).' };

  // Dexie 4 never raises VersionError: it adapts to a higher installed version and may even bump it
  // to add tables it misses. Probe the native version first so a newer database is left untouched.
  let installed: number;
  try {
    installed = await nativeVersion(factory, name);
  } catch (e) {
    return { ok: false, message: `Could not open local storage: ${errorMessage(e)}` };
  }
  if (installed > NATIVE_SCHEMA_VERSION) return { ok: false, message: newerSchemaMessage(installed) };

  const db = new LoopbenchDb(name, options.deps);
  // Both are Dexie middleware, which must be in place before the database opens.
  const guard = guardUpgrades(db);
  if (options.changes) announceWrites(db, options.changes);
  else if (inWorker()) {
    // A worker's writes (a workspace restored, a bundle imported) are announced too, on a channel of its own, so its
    // own page hears them as well and reads those records again. Versions are left to the page's catalogue, which
    // announces each new one: a refresh from the echo could list a version before the catalogue is told of it, and
    // the catalogue would then take it for one it already had and not start the pipelines it triggers.
    const changes = new ChangeFeed(name);
    announceWrites(db, changes, CHANGE_KINDS.filter((k) => k !== 'versions'));
    db.on('close', () => changes.close());
  }
  try {
    await db.open();
  } catch (e) {
    db.close();
    if (errorName(e) === 'VersionError') return { ok: false, message: newerSchemaMessage(null) };
    return { ok: false, message: `Could not open local storage: ${errorMessage(e)}` };
  }

  try {
    const verdict = await db.transaction('rw', db.meta, async () => {
      const stored = (await db.meta.get(FORMAT_KEY))?.value;
      if (stored !== undefined && !Number.isInteger(stored)) {
        return { ok: false as const, message: 'Local storage holds data in an unrecognised format.' };
      }
      const check = checkStoredFormat(stored as number | undefined);
      if (check.ok && stored === undefined) await db.meta.put({ key: FORMAT_KEY, value: FORMAT_VERSION });
      return check;
    });
    if (!verdict.ok) {
      db.close();
      return verdict;
    }
  } catch (e) {
    db.close();
    return { ok: false, message: `Could not read local storage: ${errorMessage(e)}` };
  }
  return { ok: true, db, guard };
}

/** The installed native version, 0 when the database does not exist (and it is not created). */
function nativeVersion(factory: IDBFactory, name: string): Promise<number> {
  return new Promise((resolve, reject) => {
    let created = false;
    const request = factory.open(name);
    request.onupgradeneeded = () => {
      // Opening without a version creates a missing database: abort so the probe writes nothing.
      created = true;
      request.transaction?.abort();
    };
    request.onsuccess = () => {
      const version = request.result.version;
      request.result.close();
      resolve(version);
    };
    request.onerror = (event) => {
      event.preventDefault();
      if (created) resolve(0);
      else reject(request.error ?? new Error('unknown error'));
    };
  });
}

function inWorker(): boolean {
  const scope = (globalThis as { WorkerGlobalScope?: new () => unknown }).WorkerGlobalScope;
  return scope !== undefined && globalThis instanceof scope;
}

function errorName(e: unknown): string | undefined {
  if (typeof e !== 'object' || e === null) return undefined;
  const { name, inner } = e as { name?: unknown; inner?: { name?: unknown } };
  if (name === 'VersionError' || inner?.name === 'VersionError') return 'VersionError';
  return typeof name === 'string' ? name : undefined;
}

function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
