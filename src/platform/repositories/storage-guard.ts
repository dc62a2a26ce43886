// The guard every large write goes through, on the page or in a worker (hence here, beside the repositories, which
// workers may import): an estimate before the write, and one rewording of a failure for lack of space.

import {
  isStorageFull,
  roomProblem,
  STORAGE_FULL_NAME,
  storageFailureText,
  type StorageFigures,
  type StorageItem,
} from '../../core/shared/storage-room';

/** A write refused up front, or one that failed, for lack of space; its message is the one to show. */
export class StorageFullError extends Error {
  override readonly name = STORAGE_FULL_NAME;
}

/** Usage and quota as `navigator.storage.estimate()` gives them (null where it is missing or fails). */
export async function storageFigures(): Promise<StorageFigures> {
  const api = (globalThis as { navigator?: { storage?: Partial<Pick<StorageManager, 'estimate'>> } }).navigator?.storage;
  const estimate = api?.estimate ? await api.estimate.call(api).catch(() => undefined) : undefined;
  return { usage: estimate?.usage ?? null, quota: estimate?.quota ?? null };
}

/** What to list as deletable, read only when a message needs it. */
export type BiggestItems = () => Promise<readonly StorageItem[]>;

async function listed(biggest: BiggestItems | undefined): Promise<readonly StorageItem[]> {
  return biggest ? biggest().catch(() => []) : [];
}

/**
 * Refuses a write of about `bytes` before any of it is copied when it would not fit with a margin to spare, with a
 * StorageFullError naming `what`, what it needs and what is free. Does nothing where the browser gives no estimate.
 */
export async function ensureRoom(what: string, bytes: number, biggest?: BiggestItems, figures: () => Promise<StorageFigures> = storageFigures): Promise<void> {
  const now = await figures();
  if (roomProblem(what, bytes, now) === null) return;
  throw new StorageFullError(roomProblem(what, bytes, now, await listed(biggest)) ?? '');
}

/**
 * The error to pass on for a failed write: a StorageFullError with the clear message (and the figures now) when it
 * failed for lack of space, else the error itself.
 */
export async function storageError(e: unknown, what: string, biggest?: BiggestItems, figures: () => Promise<StorageFigures> = storageFigures): Promise<unknown> {
  if (!isStorageFull(e)) return e;
  if (e instanceof StorageFullError) return e;
  return new StorageFullError(storageFailureText(e, what, await figures(), await listed(biggest)) ?? '', { cause: e });
}

/** Runs a write and turns a failure for lack of space into a StorageFullError with the clear message. */
export async function savingAs<T>(what: string, write: () => Promise<T>, biggest?: BiggestItems): Promise<T> {
  try {
    return await write();
  } catch (e) {
    throw await storageError(e, what, biggest);
  }
}
