// The whole database as a backup reads it (every store in key order, a page at a time) and as a restore writes it:
// all stores in one read-write transaction, so a failure part way leaves the old state. The records handed to
// `write` are already decoded and checked: nothing but Dexie is awaited inside the transaction, since awaiting
// anything else (crypto.subtle, a Blob) lets IndexedDB commit it early.

import type { Table } from 'dexie';
import { FORMAT_KEY, type LoopbenchDb } from '../db';

export type KeyPath = string | string[];

export interface StorePage {
  records: unknown[];
  /** Pass back to read the next page; null after the last. */
  next: unknown | null;
}

export interface WriteResult {
  added: Record<string, number>;
  kept: Record<string, number>;
}

export class WorkspaceRepo {
  constructor(private readonly db: LoopbenchDb) {}

  /** Each store's primary key path (a compound key is an array of field names). */
  keyPaths(): Record<string, KeyPath> {
    const out: Record<string, KeyPath> = {};
    for (const table of this.db.tables) out[table.name] = table.schema.primKey.keyPath ?? '';
    return out;
  }

  /** The Dexie schema version the database is open at. */
  schemaVersion(): number {
    return this.db.verno;
  }

  count(store: string): Promise<number> {
    return this.#table(store).count();
  }

  /** Up to `limit` records after the key `after` (from the start when undefined), in key order. */
  async page(store: string, after: unknown, limit: number): Promise<StorePage> {
    const table = this.#table(store);
    const records =
      after === undefined
        ? await table.orderBy(':id').limit(limit).toArray()
        : await table.where(':id').above(after).limit(limit).toArray();
    const keyPath = table.schema.primKey.keyPath ?? '';
    const last = records.at(-1);
    return { records, next: records.length < limit || last === undefined ? null : keyOf(last, keyPath) };
  }

  /**
   * Writes every store's records in one transaction. 'replace' clears every store first (the database's own data
   * format record stays); 'merge' adds only the records whose key is not there, keeping every existing one.
   */
  async write(mode: 'merge' | 'replace', stores: ReadonlyMap<string, readonly unknown[]>): Promise<WriteResult> {
    const tables = this.db.tables;
    const added: Record<string, number> = {};
    const kept: Record<string, number> = {};
    await this.db.transaction('rw', tables, async () => {
      if (mode === 'replace') {
        for (const table of tables) {
          if (table.name === 'meta') await table.where(':id').notEqual(FORMAT_KEY).delete();
          else await table.clear();
        }
      }
      for (const [store, records] of stores) {
        const table = this.#table(store);
        const keyPath = table.schema.primKey.keyPath ?? '';
        let fresh = records;
        if (mode === 'merge' && records.length > 0) {
          const existing = await table.bulkGet(records.map((r) => keyOf(r, keyPath)) as never[]);
          fresh = records.filter((_, i) => existing[i] === undefined);
        }
        if (fresh.length > 0) await table.bulkAdd(fresh as never[]);
        added[store] = fresh.length;
        kept[store] = records.length - fresh.length;
      }
    });
    return { added, kept };
  }

  #table(store: string): Table<unknown, unknown> {
    const table = this.db.tables.find((t) => t.name === store);
    if (!table) throw new Error(`the database has no store "${store}"`);
    return table as Table<unknown, unknown>;
  }
}

export function keyOf(record: unknown, keyPath: KeyPath): unknown {
  const fields = record as Record<string, unknown>;
  return Array.isArray(keyPath) ? keyPath.map((k) => fields[k]) : fields[keyPath];
}

/** Whether a value can be an IndexedDB key part here: a finite number, a string, or an array of those. */
export function validKey(value: unknown): boolean {
  if (typeof value === 'string') return true;
  if (typeof value === 'number') return Number.isFinite(value);
  if (Array.isArray(value)) return value.length > 0 && value.every(validKey);
  return false;
}
