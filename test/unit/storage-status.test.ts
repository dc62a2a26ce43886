import { Dexie } from 'dexie';
import { describe, expect, it } from 'vitest';
import { isQuotaError, requestPersistence, storageStatus } from '../../src/platform/storage';

describe('storage status', () => {
  it('reports unknown figures where the browser has no StorageManager (as in Node)', async () => {
    expect((globalThis as { navigator?: { storage?: unknown } }).navigator?.storage).toBeUndefined();
    expect(await storageStatus()).toEqual({ usage: null, quota: null, persisted: null });
    expect(await requestPersistence()).toBeNull();
  });
});

describe('isQuotaError', () => {
  it('recognises a raw quota error and one wrapped by Dexie', () => {
    const raw = new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    expect(isQuotaError(raw)).toBe(true);
    expect(isQuotaError(new Dexie.AbortError('Transaction aborted', raw))).toBe(true);
    expect(isQuotaError(new Dexie.QuotaExceededError('full'))).toBe(true);
  });

  it('rejects other errors and non-errors', () => {
    expect(isQuotaError(new Dexie.AbortError('Transaction aborted', new DOMException('x', 'DataCloneError')))).toBe(false);
    expect(isQuotaError(new Error('The column "quota" is empty.'))).toBe(false);
    expect(isQuotaError(null)).toBe(false);
  });
});
