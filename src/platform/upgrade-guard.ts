// When another tab opens the database at a newer schema (a newer Loopbench), IndexedDB asks this connection to step
// aside (versionchange). This tab's code does not know the new schema, so it must not write another record: the
// connection is closed at once (the other tab's upgrade can then run), every later read or write fails with a
// message that says what happened, and the page is told so it can ask for a reload.

import type { DBCore, Dexie } from 'dexie';

export const UPGRADED_ELSEWHERE = 'Loopbench was updated in another tab; reload to continue. Nothing more was saved in this tab.';
export const DELETED_ELSEWHERE = "Loopbench's storage was deleted in another tab; reload to continue. Nothing more was saved in this tab.";

export interface UpgradeGuard {
  /** Why this connection was given up, or null while it is usable. */
  readonly closedBecause: string | null;
  /** Calls `listener` once when the connection is given up (at once when it already is); returns the unsubscribe. */
  onClosed(listener: (message: string) => void): () => void;
}

/** Must be called before the database is opened (Dexie builds its middleware stack on open). */
export function guardUpgrades(db: Dexie): UpgradeGuard {
  let closedBecause: string | null = null;
  const listeners = new Set<(message: string) => void>();

  db.use({
    stack: 'dbcore',
    name: 'loopbench-upgrade-guard',
    create: (down: DBCore): Partial<DBCore> => ({
      ...down,
      transaction(stores, mode, options) {
        // Dexie still believes the connection open (its own close would answer "Database has been closed"):
        // every transaction it starts comes through here and is refused with the reason.
        if (closedBecause !== null) throw new Error(closedBecause);
        return down.transaction(stores, mode, options);
      },
    }),
  });

  db.on('versionchange', (event: IDBVersionChangeEvent) => {
    if (closedBecause !== null) return false;
    closedBecause = event.newVersion === null || event.newVersion === 0 ? DELETED_ELSEWHERE : UPGRADED_ELSEWHERE;
    // Transactions already running finish; no new one starts on a closed connection.
    db.backendDB()?.close();
    for (const listener of listeners) listener(closedBecause);
    listeners.clear();
    // False keeps Dexie's own handler from closing (after which its errors would no longer carry the reason).
    return false;
  });

  return {
    get closedBecause() {
      return closedBecause;
    },
    onClosed(listener) {
      if (closedBecause !== null) {
        listener(closedBecause);
        return () => undefined;
      }
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
