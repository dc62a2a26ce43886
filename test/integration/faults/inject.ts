// Fault injection for IndexedDB writes: a Dexie DBCore middleware that counts the mutations (add, put, delete, delete
// range) a write path makes and fails the Nth in a chosen way, on every connection a path opens through `faultyOpen`.
// The middleware sits under Dexie's tables, so it reaches the repositories' own transactions unchanged.

import { Dexie, type DBCore, type DBCoreMutateRequest, type DBCoreMutateResponse, type DBCoreTable, type Middleware } from 'dexie';
import type { IndexedDbDeps } from '../../../src/platform/db';
import { openDatabase, type OpenOutcome } from '../../../src/platform/open-db';

/** What the failed mutation rejects with: the forms a full disk takes in browsers, and any other error. */
export type FaultError = 'quota' | 'abort-quota' | 'error';

/**
 * How the Nth mutation fails:
 * - `before`: it rejects without reaching IndexedDB;
 * - `after`: it reaches the transaction, then rejects (the write is in the transaction when the error arrives);
 * - `abort`: it reaches the transaction, then the transaction is aborted underneath (as a browser does on a full disk
 *   at commit), so the error is IndexedDB's own;
 * - `kill`: the transaction is aborted and the call never settles: the worker running it was terminated, no code of
 *   it runs after this point.
 */
export type FaultMode = 'before' | 'after' | 'abort' | 'kill';

export interface Fault {
  /** 1-based index among the mutations made while the plan is armed. */
  at: number;
  mode: FaultMode;
  /** For `before` and `after`; the other modes fail with IndexedDB's AbortError. */
  error?: FaultError;
}

export function describeFault(f: Fault): string {
  return `mutation ${f.at} ${f.mode}${f.error ? ` (${f.error})` : ''}`;
}

export const FAULT_ERRORS: readonly FaultError[] = ['quota', 'abort-quota', 'error'];

/** The faults tried at one mutation: each error in each reject mode, an abort, and a kill where a worker writes. */
export function faultsAt(at: number, killable: boolean, errors: readonly FaultError[] = FAULT_ERRORS): Fault[] {
  return [
    ...errors.map((error): Fault => ({ at, mode: 'before', error })),
    ...errors.map((error): Fault => ({ at, mode: 'after', error })),
    { at, mode: 'abort' },
    ...(killable ? [{ at, mode: 'kill' } satisfies Fault] : []),
  ];
}

function errorOf(kind: FaultError, where: string): Error {
  const quota = new DOMException(`Injected fault: the quota has been exceeded (${where}).`, 'QuotaExceededError');
  if (kind === 'quota') return quota as Error;
  // How Dexie reports a transaction the browser aborted for lack of space.
  if (kind === 'abort-quota') return new Dexie.AbortError(`Injected fault: transaction aborted (${where})`, quota);
  return new Error(`Injected fault: write failed (${where}).`);
}

/** One mutation seen while armed: which store and what kind, so a failure report can say where it struck. */
export interface SeenMutation {
  table: string;
  type: DBCoreMutateRequest['type'];
}

/** Counts the mutations of every connection it is installed on, and fails the one its fault names. */
export class FaultPlan {
  readonly seen: SeenMutation[] = [];
  #armed = false;
  #fault: Fault | null = null;
  #fired = false;
  #dead = false;
  #killed: () => void = () => {};
  /** Resolves when a `kill` fault has aborted its transaction. */
  killed: Promise<void> = new Promise((resolve) => (this.#killed = resolve));

  /** Starts counting (and, with a fault, failing); mutations before this, such as seeding, pass untouched. */
  arm(fault: Fault | null = null): void {
    this.#armed = true;
    this.#fault = fault;
  }

  get count(): number {
    return this.seen.length;
  }

  /** Whether the fault struck: a fault beyond the path's last mutation never does. */
  get fired(): boolean {
    return this.#fired;
  }

  /** Stops counting and failing, so a path's own cleanup or a later check is not hit. */
  disarm(): void {
    this.#armed = false;
  }

  async mutate(table: string, req: DBCoreMutateRequest, down: DBCoreTable): Promise<DBCoreMutateResponse> {
    if (!this.#armed) return down.mutate(req);
    // In IndexedDB's DBCore the transaction is the IDBTransaction itself.
    const trans = req.trans as unknown as IDBTransaction;
    // A killed worker writes nothing more: Dexie rejects the aborted transaction's promise, and code a real kill
    // would have stopped (a replay's flush on its way out) must not store what the worker could not have.
    if (this.#dead) {
      abortQuietly(trans);
      return new Promise<DBCoreMutateResponse>(() => {});
    }
    this.seen.push({ table, type: req.type });
    const fault = this.#fault;
    if (!fault || this.seen.length !== fault.at || this.#fired) return down.mutate(req);
    this.#fired = true;
    const where = `${req.type} on ${table}`;
    switch (fault.mode) {
      case 'before':
        throw errorOf(fault.error ?? 'error', where);
      case 'after':
        await down.mutate(req);
        throw errorOf(fault.error ?? 'error', where);
      case 'abort': {
        const pending = down.mutate(req);
        trans.abort();
        return pending;
      }
      case 'kill': {
        this.#dead = true;
        trans.addEventListener('abort', () => this.#killed(), { once: true });
        void down.mutate(req).catch(() => undefined);
        trans.abort();
        return new Promise<DBCoreMutateResponse>(() => {});
      }
    }
  }
}

/** Aborts a transaction unless it has already ended (then abort throws, and there is nothing left to stop). */
function abortQuietly(trans: IDBTransaction): void {
  try {
    trans.abort();
  } catch {
    // Already committed or aborted.
  }
}

export function faultMiddleware(plan: FaultPlan): Middleware<DBCore> {
  return {
    stack: 'dbcore',
    name: 'faults',
    create: (down) => ({
      ...down,
      table: (name) => {
        const table = down.table(name);
        return { ...table, mutate: (req) => plan.mutate(name, req, table) };
      },
    }),
  };
}

/** Opens databases as the app does (format check included), then installs the plan on the connection. */
export function faultyOpen(deps: IndexedDbDeps, plan: FaultPlan): (name: string) => Promise<OpenOutcome> {
  return async (name) => {
    const outcome = await openDatabase({ name, deps });
    if (!outcome.ok) return outcome;
    // Dexie builds its middleware stack when a connection opens: reopen so the plan sits in it.
    outcome.db.close();
    outcome.db.use(faultMiddleware(plan));
    await outcome.db.open();
    return outcome;
  };
}
