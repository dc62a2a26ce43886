// Browser storage quota and persistence. Browsers may evict non-persisted origins under storage
// pressure, which would silently delete every project, so the app shows this status and offers
// to request persistence. Every figure is null where the browser lacks the API.

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

// Firefox used its own name before adopting the standard one.
const QUOTA_NAMES = new Set(['QuotaExceededError', 'NS_ERROR_DOM_QUOTA_REACHED']);

/** True for a full disk or exhausted quota, whether raw or wrapped by Dexie (AbortError with inner). */
export function isQuotaError(e: unknown): boolean {
  for (let current = e, depth = 0; depth < 4; depth++) {
    if (typeof current !== 'object' || current === null) return false;
    const { name, inner } = current as { name?: unknown; inner?: unknown };
    if (typeof name === 'string' && QUOTA_NAMES.has(name)) return true;
    current = inner;
  }
  return false;
}
