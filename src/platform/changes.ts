// Tells the other tabs of this origin what this tab stored, so a tab left open does not show (and judge by, and
// save over) what another tab has since changed. Writes are seen where they happen, in Dexie's DBCore, so no
// repository or state class can forget to announce; what is announced is only the kind of record and its project,
// posted once the transaction has committed (an aborted write announces nothing).

import type { DBCore, DBCoreMutateRequest, DBCoreTable, Dexie } from 'dexie';

export const CHANGES_CHANNEL = 'loopbench-changes';

/** What changed, as the state classes reload it. */
export type ChangeKind = 'projects' | 'versions' | 'runs' | 'registry' | 'pipelines' | 'alerts';

export const CHANGE_KINDS: readonly ChangeKind[] = ['projects', 'versions', 'runs', 'registry', 'pipelines', 'alerts'];

export interface Change {
  kind: ChangeKind;
  /** The project whose records changed; null when a deletion does not say (every open project reloads that kind). */
  projectId: string | null;
}

interface ChangeMessage {
  db: string;
  changes: Change[];
}

type Listener = (changes: Change[]) => void;

/** The minimum of BroadcastChannel this needs; tests pass their own. */
export interface ChannelLike {
  postMessage(message: unknown): void;
  close(): void;
  onmessage: ((event: MessageEvent) => void) | null;
}

/**
 * One database's change announcements on the origin's `loopbench-changes` channel. A tab hears the other tabs (and
 * its own workers), never itself: BroadcastChannel does not deliver a message to the object that posted it.
 * Messages of another database (tests, a second workspace) are ignored.
 */
export class ChangeFeed {
  readonly #channel: ChannelLike | null;
  readonly #listeners = new Set<Listener>();
  #closed = false;

  constructor(
    readonly databaseName: string,
    channel: ChannelLike | null = typeof BroadcastChannel === 'undefined' ? null : new BroadcastChannel(CHANGES_CHANNEL),
  ) {
    this.#channel = channel;
    // Node keeps a process alive while a channel is open; a tab's channel lives as long as the tab anyway.
    (channel as { unref?: () => void } | null)?.unref?.();
    if (channel) channel.onmessage = (event) => this.#receive(event.data);
  }

  announce(changes: readonly Change[]): void {
    // A worker closes its feed with its connection; a transaction of that connection may still report its commit.
    if (!this.#channel || this.#closed || changes.length === 0) return;
    const message: ChangeMessage = { db: this.databaseName, changes: distinct(changes) };
    this.#channel.postMessage(message);
  }

  /** Calls `listener` with each batch another tab announced; returns the unsubscribe. */
  subscribe(listener: Listener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  close(): void {
    this.#closed = true;
    this.#listeners.clear();
    this.#channel?.close();
  }

  #receive(data: unknown): void {
    const changes = readMessage(data, this.databaseName);
    if (!changes) return;
    for (const listener of this.#listeners) listener(changes);
  }
}

/** The changes of a message for `databaseName`, or null for anything else on the channel (another database, junk). */
function readMessage(data: unknown, databaseName: string): Change[] | null {
  if (typeof data !== 'object' || data === null) return null;
  const { db, changes } = data as Partial<ChangeMessage>;
  if (db !== databaseName || !Array.isArray(changes)) return null;
  const valid = changes.filter(
    (c): c is Change =>
      typeof c === 'object' && c !== null && CHANGE_KINDS.includes(c.kind) && (c.projectId === null || typeof c.projectId === 'string'),
  );
  return valid.length > 0 ? valid.map((c) => ({ kind: c.kind, projectId: c.projectId })) : null;
}

function distinct(changes: readonly Change[]): Change[] {
  const seen = new Map<string, Change>();
  for (const c of changes) seen.set(`${c.kind}\u0000${c.projectId ?? ''}`, { kind: c.kind, projectId: c.projectId });
  return [...seen.values()];
}

/** The stores whose records the page shows, and the kind each reloads. */
const STORE_KINDS: Readonly<Record<string, ChangeKind>> = {
  projects: 'projects',
  datasets: 'versions',
  runs: 'runs',
  models: 'registry',
  pipelines: 'pipelines',
  pipelineRuns: 'pipelines',
};

/** Alert rules and their states are kept in the meta store, one record per project under this prefix. */
const ALERTS_KEY_PREFIX = 'monitor:alerts:';

/**
 * Announces on `feed` every committed write of `db` to a store the page shows (of `kinds` only). Must be called
 * before the database is opened (Dexie builds its middleware stack on open).
 */
export function announceWrites(db: Dexie, feed: ChangeFeed, kinds: readonly ChangeKind[] = CHANGE_KINDS): void {
  const pending = new WeakMap<object, Change[]>();
  const queue = (trans: object, changes: Change[]): void => {
    const listed = pending.get(trans);
    if (listed) {
      listed.push(...changes);
      return;
    }
    const target = trans as Partial<EventTarget>;
    if (typeof target.addEventListener !== 'function') {
      feed.announce(changes);
      return;
    }
    pending.set(trans, [...changes]);
    target.addEventListener('complete', () => feed.announce(pending.get(trans) ?? []), { once: true });
  };
  db.use({
    stack: 'dbcore',
    name: 'loopbench-change-announcer',
    create: (down: DBCore): Partial<DBCore> => ({
      ...down,
      table(name: string): DBCoreTable {
        const table = down.table(name);
        if (!(name in STORE_KINDS) && name !== 'meta') return table;
        return {
          ...table,
          mutate: async (request) => {
            const result = await table.mutate(request);
            const changes = changesOf(name, request).filter((c) => kinds.includes(c.kind));
            if (changes.length > 0) queue(request.trans, changes);
            return result;
          },
        };
      },
    }),
  });
}

/** What a write to store `name` changes; nothing for an empty write (a bulkPut of no records). */
export function changesOf(name: string, request: DBCoreMutateRequest): Change[] {
  const records: readonly unknown[] = request.type === 'add' || request.type === 'put' ? (request.values ?? []) : [];
  const keys: readonly unknown[] = request.type === 'delete' ? request.keys : [];
  if (name === 'meta') {
    const ids = [...records.map((r) => (r as { key?: unknown }).key), ...keys];
    return ids
      .filter((k): k is string => typeof k === 'string' && k.startsWith(ALERTS_KEY_PREFIX))
      .map((k) => ({ kind: 'alerts', projectId: k.slice(ALERTS_KEY_PREFIX.length) }));
  }
  const kind = STORE_KINDS[name];
  if (!kind) return [];
  if (request.type === 'deleteRange') return [{ kind, projectId: null }];
  if (request.type === 'put' && records.length === 0 && request.changeSpec) return [{ kind, projectId: null }];
  const projectOf = (r: unknown): string | null => {
    const field = name === 'projects' ? 'id' : 'projectId';
    const value = (r as Record<string, unknown> | null)?.[field];
    return typeof value === 'string' ? value : null;
  };
  const changes: Change[] = records.map((r) => ({ kind, projectId: projectOf(r) }));
  // A deleted project is named by its key; other stores' keys do not name their project.
  for (const key of keys) changes.push({ kind, projectId: name === 'projects' && typeof key === 'string' ? key : null });
  return distinct(changes);
}
