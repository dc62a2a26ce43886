// The storage-full decision and wording: a write is refused up front when it would not fit with the margin, and a
// quota error reads as one clear sentence however it arrives (raw, inside Dexie's AbortError, across comlink, or
// flattened to a Failure's message by a worker).

import { Dexie } from 'dexie';
import { wrap } from 'comlink';
import { describe, expect, it } from 'vitest';
import { failureOf } from '../../src/core/shared/failure';
import {
  formatStorageBytes,
  isStorageFull,
  quotaMargin,
  roomProblem,
  storageFailureText,
  storageFullMessage,
  versionBytes,
} from '../../src/core/shared/storage-room';
import { ensureRoom, savingAs, storageError, StorageFullError } from '../../src/platform/storage';
import { workerOnChannel } from '../fixtures/support';

const MB = 1024 * 1024;
const GB = 1024 * MB;
const quota = () => new DOMException('The quota has been exceeded.', 'QuotaExceededError');

describe('the estimate before a large write', () => {
  it('lets a write through that fits beside the usage with the margin spare', () => {
    expect(roomProblem('the dataset version "big"', 10 * MB, { usage: 100 * MB, quota: 1 * GB })).toBeNull();
  });

  it('refuses one that does not, naming what it needs, what is free and the usage', () => {
    const problem = roomProblem('the dataset version "big"', 30 * MB, { usage: 80 * MB, quota: 100 * MB });
    expect(problem).toContain('Not enough storage to save the dataset version "big": it needs about 30 MB and 20 MB is free');
    expect(problem).toContain('80 MB used of 100 MB');
    expect(problem).toContain('dataset versions (Data)');
  });

  it('keeps the margin: a write that fits only without it is refused', () => {
    const margin = quotaMargin(1 * GB);
    expect(margin).toBeGreaterThanOrEqual(MB);
    expect(roomProblem('x', 100 * MB - margin / 2, { usage: 924 * MB, quota: 1 * GB })).not.toBeNull();
    expect(roomProblem('x', 100 * MB - margin * 2, { usage: 924 * MB, quota: 1 * GB - 0 })).toBeNull();
  });

  it('cannot decide without figures, so lets the write itself tell', () => {
    expect(roomProblem('x', 10 * GB, { usage: null, quota: null })).toBeNull();
  });

  it('names the largest items when it has them', () => {
    const problem = roomProblem('x', 50 * MB, { usage: 90 * MB, quota: 100 * MB }, [
      { label: 'dataset version "flights"', bytes: 60 * MB },
      { label: 'the checkpoint of run "r1"', bytes: 3 * MB },
    ]);
    expect(problem).toContain('The largest items: dataset version "flights" (60 MB), the checkpoint of run "r1" (3.0 MB).');
  });

  it('ensureRoom throws a StorageFullError with the refusal, and passes when it fits', async () => {
    const figures = async () => ({ usage: 95 * MB, quota: 100 * MB });
    await expect(ensureRoom('the trained model', 20 * MB, undefined, figures)).rejects.toThrow(StorageFullError);
    await expect(ensureRoom('the trained model', 20 * MB, undefined, figures)).rejects.toThrow(/Not enough storage to save the trained model/);
    await expect(ensureRoom('the trained model', 1024, undefined, async () => ({ usage: 10 * MB, quota: 100 * MB }))).resolves.toBeUndefined();
  });

  it('estimates a version from its columns: 8 bytes a number, 4 a code, 1 a row for the split', () => {
    const rows = 1000;
    const bytes = versionBytes(
      [
        { kind: 'number', values: new Float64Array(rows) },
        { kind: 'category', codes: new Int32Array(rows), dictionary: ['a', 'b'] },
      ],
      rows,
    );
    expect(bytes).toBe(rows * 8 + rows * 4 + (2 * 1 + 16) * 2 + rows);
  });
});

describe('a quota error becomes one clear message', () => {
  it('recognises it raw, inside Dexie errors, and as the text a worker flattened it to', () => {
    expect(isStorageFull(quota())).toBe(true);
    expect(isStorageFull(new Dexie.AbortError('Transaction aborted', quota()))).toBe(true);
    expect(isStorageFull(new Dexie.QuotaExceededError('full'))).toBe(true);
    expect(isStorageFull(new Error('x', { cause: quota() }))).toBe(true);
    // Dexie's AbortError made from the DOM error puts its name in the message; its inner is lost across a worker.
    const aborted = new Dexie.AbortError(quota());
    expect(aborted.message).toContain('QuotaExceededError');
    expect(isStorageFull(new Error(aborted.message))).toBe(true);
    expect(isStorageFull({ kind: 'failed', message: 'Reading "a.csv" failed: QuotaExceededError The quota has been exceeded.' })).toBe(true);
  });

  it('leaves other errors alone', () => {
    expect(isStorageFull(new Dexie.AbortError('Transaction aborted', new DOMException('x', 'DataCloneError')))).toBe(false);
    expect(isStorageFull(new Error('The column "quota" is empty.'))).toBe(false);
    expect(isStorageFull(null)).toBe(false);
    expect(storageFailureText(new Error('boom'), 'x')).toBeNull();
  });

  it('says what failed, that storage is full, the usage and what to delete, never the raw name', () => {
    const text = storageFailureText(new Dexie.AbortError('Transaction aborted', quota()), 'the checkpoint at epoch 40', { usage: 1.2 * GB, quota: 1.3 * GB });
    expect(text).toBe(storageFullMessage('the checkpoint at epoch 40', { usage: 1.2 * GB, quota: 1.3 * GB }));
    expect(text).toMatch(/^Could not save the checkpoint at epoch 40: storage is full \(1\.2 GB used of 1\.3 GB\)\. Delete/);
    expect(text).not.toMatch(/QuotaExceededError|AbortError/);
  });

  it('keeps a message of ours as written when it comes back', () => {
    const ours = roomProblem('the dataset version "big"', 30 * MB, { usage: 80 * MB, quota: 100 * MB }) ?? '';
    expect(storageFailureText(new Error(ours), 'something else')).toBe(ours);
    expect(failureOf(new Error(ours))).toEqual({ kind: 'failed', message: ours });
  });

  it('failureOf rewords a quota error from a worker, whichever way it crossed', async () => {
    // Across comlink an Error keeps only its name and message; a worker's Failure keeps only its message.
    const api = {
      async write(): Promise<void> {
        throw new Dexie.AbortError(quota());
      },
    };
    const remote = wrap<typeof api>(workerOnChannel(api)() as unknown as Parameters<typeof wrap>[0]);
    const crossed = await remote.write().then(
      () => null,
      (e: unknown) => e,
    );
    expect(crossed).toBeInstanceOf(Error);
    expect((crossed as Error & { inner?: unknown }).inner).toBeUndefined();
    for (const e of [crossed, { kind: 'failed', message: 'QuotaExceededError The quota has been exceeded.' }]) {
      const failure = failureOf(e);
      expect(failure.kind).toBe('failed');
      const message = failure.kind === 'failed' ? failure.message : '';
      expect(message).toMatch(/^Storage is full\. Delete what you no longer need/);
      expect(message).not.toContain('QuotaExceededError');
    }
    expect(failureOf({ kind: 'failed', message: 'The file is empty.' })).toEqual({ kind: 'failed', message: 'The file is empty.' });
  });

  it('storageError and savingAs turn a failed write into a StorageFullError with the figures, other errors unchanged', async () => {
    const figures = async () => ({ usage: 99 * MB, quota: 100 * MB });
    const mapped = await storageError(new Dexie.AbortError('Transaction aborted', quota()), 'the dataset version "a"', undefined, figures);
    expect(mapped).toBeInstanceOf(StorageFullError);
    expect((mapped as Error).message).toBe(storageFullMessage('the dataset version "a"', { usage: 99 * MB, quota: 100 * MB }));
    const other = new Error('boom');
    expect(await storageError(other, 'x', undefined, figures)).toBe(other);
    await expect(savingAs('the version', async () => Promise.reject(quota()))).rejects.toThrow(/^Could not save the version: storage is full/);
  });

  it('formats bytes as browsers report quota', () => {
    expect(formatStorageBytes(512)).toBe('512 B');
    expect(formatStorageBytes(1536)).toBe('1.5 KB');
    expect(formatStorageBytes(250 * MB)).toBe('250 MB');
    expect(formatStorageBytes(1.25 * GB)).toBe('1.3 GB');
  });
});
