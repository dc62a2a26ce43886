// Browser storage quota and persistence. Browsers may evict non-persisted origins under storage
// pressure, which would silently delete every project, so the app shows this status and offers
// to request persistence. Every figure is null where the browser lacks the API. Large writes check the estimate
// first and a write that fails for lack of space is reworded once (repositories/storage-guard.ts, which workers may
// import too; re-exported here for the page).

import { isStorageFull } from '../core/shared/storage-room';

export { ensureRoom, savingAs, storageError, storageFigures, StorageFullError } from './repositories/storage-guard';

export interface StorageStatus {
  usage: number | null;
  quota: number | null;
  persisted: boolean | null;
}

type StorageApi = Pick<StorageManager, 'estimate' | 'persisted' | 'persist'>;

function storageApi(): Partial<StorageApi> | undefined {
  return (globalThis as { navigator?: { storage?: Partial<StorageApi> } }).navigator?.storage;
}

export async function storageStatus(): Promise<StorageStatus> {
  const api = storageApi();
  const estimate = api?.estimate ? await api.estimate.call(api).catch(() => undefined) : undefined;
  const persisted = api?.persisted ? await api.persisted.call(api).catch(() => null) : null;
  return { usage: estimate?.usage ?? null, quota: estimate?.quota ?? null, persisted };
}

/** Asks the browser to exempt this origin from eviction; null when the API is missing. */
export async function requestPersistence(): Promise<boolean | null> {
  const api = storageApi();
  if (!api?.persist) return null;
  return api.persist.call(api).catch(() => false);
}

/** True for a full disk or exhausted quota: raw, wrapped by Dexie (AbortError with inner), or flattened to text. */
export const isQuotaError = isStorageFull;

