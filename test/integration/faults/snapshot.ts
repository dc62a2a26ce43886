// Every store's records, deep (typed arrays and ArrayBuffers byte for byte), to tell whether a failed write changed
// anything already stored or left anything behind. Records are keyed by their primary key, so a record that moved,
// changed, went missing or appeared is named with its store and key.

import type { IndexedDbDeps, LoopbenchDb } from '../../../src/platform/db';
import { openDatabase } from '../../../src/platform/open-db';

/** Per store: primary key (as JSON) to record. */
export type Snapshot = Map<string, Map<string, unknown>>;

function keyOf(key: unknown): string {
  return JSON.stringify(key, (_k, v: unknown) => (v instanceof ArrayBuffer || ArrayBuffer.isView(v) ? `bytes:${String(v.byteLength)}` : v));
}

export async function snapshotDb(db: LoopbenchDb): Promise<Snapshot> {
  const out: Snapshot = new Map();
  await db.transaction('r', db.tables, async () => {
    for (const table of db.tables) {
      const keys = await table.toCollection().primaryKeys();
      const values = await table.toArray();
      out.set(table.name, new Map(keys.map((k, i) => [keyOf(k), values[i]])));
    }
  });
  return out;
}

/** The snapshot of the named database through a connection of its own (no fault middleware on it). */
export async function snapshotOf(deps: IndexedDbDeps, name: string): Promise<Snapshot> {
  const opened = await openDatabase({ name, deps });
  if (!opened.ok) throw new Error(`Snapshot of "${name}": ${opened.message}`);
  try {
    return await snapshotDb(opened.db);
  } finally {
    opened.db.close();
  }
}

/** Writes a snapshot into an empty database of the same schema: the same starting state for every trial. */
export async function loadSnapshot(deps: IndexedDbDeps, name: string, snapshot: Snapshot): Promise<void> {
  const opened = await openDatabase({ name, deps });
  if (!opened.ok) throw new Error(`Loading a snapshot into "${name}": ${opened.message}`);
  const { db } = opened;
  try {
    await db.transaction('rw', db.tables, async () => {
      for (const table of db.tables) {
        const records = [...(snapshot.get(table.name)?.values() ?? [])];
        // Every store has inbound keys, so the records carry their own; put, as opening wrote the format record.
        if (records.length > 0) await table.bulkPut(records);
      }
    });
  } finally {
    db.close();
  }
}

export interface SnapshotChanges {
  /** Records of `before` that are missing or differ in `after`, as "store key: what differs". */
  changed: string[];
  /** Records in `after` only, per store. */
  added: Map<string, unknown[]>;
}

export function compareSnapshots(before: Snapshot, after: Snapshot): SnapshotChanges {
  const changed: string[] = [];
  const added = new Map<string, unknown[]>();
  for (const [store, records] of before) {
    const now = after.get(store);
    for (const [key, record] of records) {
      if (!now?.has(key)) changed.push(`${store} ${key}: missing`);
      else {
        const difference = deepDifference(record, now.get(key), '');
        if (difference !== null) changed.push(`${store} ${key}: ${difference}`);
      }
    }
  }
  for (const [store, records] of after) {
    const then = before.get(store);
    const fresh = [...records].filter(([key]) => !then?.has(key)).map(([, r]) => r);
    if (fresh.length > 0) added.set(store, fresh);
  }
  return { changed, added };
}

/** "store: n" for each store that gained records. */
export function describeAdded(added: Map<string, unknown[]>): string {
  return [...added].map(([store, records]) => `${store}: ${records.length} new`).join(', ');
}

function bytesOf(v: ArrayBuffer | ArrayBufferView): Uint8Array {
  return v instanceof ArrayBuffer ? new Uint8Array(v) : new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
}

/** Where two values differ (a path and why), or null when they are the same value, deep. */
export function deepDifference(a: unknown, b: unknown, path: string): string | null {
  const at = path || '(record)';
  if (Object.is(a, b)) return null;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return `${at}: ${String(a)} became ${String(b)}`;
  if (a.constructor !== b.constructor) return `${at}: a ${a.constructor?.name} became a ${b.constructor?.name}`;
  if (a instanceof ArrayBuffer || ArrayBuffer.isView(a)) {
    const x = bytesOf(a as ArrayBuffer);
    const y = bytesOf(b as ArrayBuffer);
    if (x.length !== y.length) return `${at}: ${x.length} bytes became ${y.length}`;
    // Node's native comparison first: checkpoints and weights run to megabytes per trial.
    if (Buffer.from(x.buffer, x.byteOffset, x.length).equals(Buffer.from(y.buffer, y.byteOffset, y.length))) return null;
    for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return `${at}: byte ${i} differs`;
    return null;
  }
  if (a instanceof Date) return a.getTime() === (b as Date).getTime() ? null : `${at}: date differs`;
  if (a instanceof Map || a instanceof Set) {
    return deepDifference([...(a as Map<unknown, unknown>)], [...(b as Map<unknown, unknown>)], path);
  }
  const ka = Object.keys(a).sort();
  const kb = Object.keys(b).sort();
  const keys = new Set([...ka, ...kb]);
  for (const k of keys) {
    const sub = Array.isArray(a) ? `${path}[${k}]` : `${path}.${k}`;
    if (!(k in a)) return `${sub}: appeared`;
    if (!(k in b)) return `${sub}: disappeared`;
    const d = deepDifference((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], sub);
    if (d !== null) return d;
  }
  return null;
}
