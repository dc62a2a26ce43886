// Whether a write fits in the origin's storage, and how a full disk is told to the user. Browsers answer a write that
// does not fit with a QuotaExceededError, often only after most of it was copied, and the same error reaches us raw,
// wrapped by Dexie (an AbortError whose `inner` is the quota error, whose message starts with its name), or flattened
// to a message by a worker boundary. Every one of them becomes the same sentence here: what failed, that storage is
// full, how much is used of how much, and what to delete.

/** What `navigator.storage.estimate()` reported; null figures where the browser did not say. */
export interface StorageFigures {
  usage: number | null;
  quota: number | null;
}

/** Something the user can delete to free space, largest first when listed. */
export interface StorageItem {
  /** e.g. 'dataset version "penguins"', 'checkpoint of run "run 3"'. */
  label: string;
  bytes: number;
}

/** The name the refusals and mapped quota errors carry, kept across comlink (an Error crosses as name and message). */
export const STORAGE_FULL_NAME = 'StorageFullError';

/**
 * Space kept free beyond the write itself: the estimate is approximate (browsers pad it), IndexedDB writes a value
 * with some overhead, and other writes (history, settings) go on meanwhile. 2% of the quota, between 1 and 64 MiB.
 */
export function quotaMargin(quota: number): number {
  return Math.min(64 * MIB, Math.max(MIB, quota * 0.02));
}

const MIB = 1024 * 1024;

/** Bytes as people read them: 512 B, 3.4 KB, 12 MB, 1.3 GB (powers of 1024, as browsers report quota). */
export function formatStorageBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 1024) return `${Math.max(0, Math.round(bytes || 0))} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value >= 10 ? Math.round(value) : value.toFixed(1)} ${units[unit]}`;
}

/**
 * "1.2 GB used of 1.3 GB", or null when the browser gave no figures. After a write was refused the quota figure is
 * shown only when it explains the refusal: browsers may report a quota other than the one they enforce (Chrome reports
 * usage plus a fixed allowance, so as not to reveal the disk's size), and "12 MB used of 10 GB" beside "storage is full"
 * would be wrong.
 */
function usedOf({ usage, quota }: StorageFigures, refused = false): string | null {
  if (usage === null) return null;
  const credible = quota !== null && !(refused && quota - usage > Math.max(quotaMargin(quota), quota * 0.1));
  return credible ? `${formatStorageBytes(usage)} used of ${formatStorageBytes(quota)}` : `${formatStorageBytes(usage)} used; the browser refused more`;
}

/**
 * Why a run was paused: `what` (its checkpoint at an epoch, its history) could not be saved, storage being full; where
 * it resumes from (null: it has no checkpoint to resume from), and what to delete.
 */
export function pausedMessage(what: string, resumeAfter: number | null, figures: StorageFigures | null, biggest: readonly StorageItem[] = []): string {
  const used = figures ? usedOf(figures, true) : null;
  const resume = resumeAfter === null ? 'It has no saved checkpoint: free space and train it again.' : `Free space and resume: it continues after epoch ${resumeAfter}.`;
  return `Paused: ${what} could not be saved because storage is full${used ? ` (${used})` : ''}. ${resume} ${whatToDelete(biggest)}`;
}

/** Where to free space: the largest items by name when known, else where in the app the big things live. */
export function whatToDelete(biggest: readonly StorageItem[] = []): string {
  const where =
    'Delete what you no longer need — large dataset versions (Data), runs and their checkpoints (Train, Runs), ' +
    'old request-log entries (Monitor) — or free space in the browser, then try again.';
  if (biggest.length === 0) return where;
  const listed = biggest.map((item) => `${item.label} (${formatStorageBytes(item.bytes)})`).join(', ');
  return `The largest items: ${listed}. ${where}`;
}

/**
 * The up-front decision before a large write: null when `bytes` fit beside what is used with the margin to spare (or
 * when the browser gives no figures, since then only the write itself can tell), else the refusal to show.
 */
export function roomProblem(what: string, bytes: number, figures: StorageFigures, biggest: readonly StorageItem[] = []): string | null {
  const { usage, quota } = figures;
  if (usage === null || quota === null || !(quota > 0)) return null;
  const margin = quotaMargin(quota);
  if (usage + bytes + margin <= quota) return null;
  const free = Math.max(0, quota - usage);
  return (
    `Not enough storage to save ${what}: it needs about ${formatStorageBytes(bytes)} and ${formatStorageBytes(free)} is free ` +
    `(${usedOf(figures)}; ${formatStorageBytes(margin)} is kept spare). ${whatToDelete(biggest)}`
  );
}

/**
 * The sentence for a write that failed because storage is full. `what` names the write ("the dataset version"); null
 * where the caller does not know it (its own message says what it was doing).
 */
export function storageFullMessage(what: string | null, figures: StorageFigures | null = null, biggest: readonly StorageItem[] = []): string {
  const used = figures ? usedOf(figures, true) : null;
  const head = what ? `Could not save ${what}: storage is full` : 'Storage is full';
  return `${head}${used ? ` (${used})` : ''}. ${whatToDelete(biggest)}`;
}

// Firefox used its own name before adopting the standard one.
const QUOTA_NAMES = new Set(['QuotaExceededError', 'NS_ERROR_DOM_QUOTA_REACHED']);
/** The text a quota error leaves in a message once its name is gone (Dexie puts the inner's name first). */
const QUOTA_TEXT = /QuotaExceededError|NS_ERROR_DOM_QUOTA_REACHED|quota (has been|was|is) exceeded|exceeded the quota/i;

/** True when `e` is, wraps, or (as text) stands for a full disk or exhausted quota, including our own refusals. */
export function isStorageFull(e: unknown): boolean {
  for (let current = e, depth = 0; depth < 4; depth++) {
    if (typeof current === 'string') return QUOTA_TEXT.test(current);
    if (typeof current !== 'object' || current === null) return false;
    const { name, message, inner, cause } = current as { name?: unknown; message?: unknown; inner?: unknown; cause?: unknown };
    if (typeof name === 'string' && (QUOTA_NAMES.has(name) || name === STORAGE_FULL_NAME)) return true;
    if (typeof message === 'string' && (QUOTA_TEXT.test(message) || isOurMessage(message))) return true;
    current = inner ?? cause;
  }
  return false;
}

/** A message this module wrote (it may have crossed a worker boundary, or been prefixed by the caller). */
export function isOurMessage(message: string): boolean {
  return /(^|: )(Storage is full|storage is full)\b/.test(message) || message.includes('Not enough storage to save ');
}

/**
 * The text of a failed write for the user, or null when it did not fail for lack of space: a message of ours is kept as
 * written (it already names the write and the figures), any other quota error is reworded.
 */
export function storageFailureText(e: unknown, what: string | null, figures: StorageFigures | null = null, biggest: readonly StorageItem[] = []): string | null {
  if (!isStorageFull(e)) return null;
  const message = typeof e === 'string' ? e : messageText(e);
  if (isOurMessage(message)) return message;
  return storageFullMessage(what, figures, biggest);
}

/** Bytes of a dataset version's chunks before encoding: its columns, its split column and their dictionaries. */
export function versionBytes(
  columns: readonly (
    | { kind: 'number' | 'date'; values: { byteLength: number } }
    | { kind: 'category'; codes: { byteLength: number }; dictionary: readonly string[] }
    | { kind: 'image'; pixels: { byteLength: number } }
  )[],
  rowCount: number,
): number {
  let bytes = rowCount; // the split column: one byte a row
  for (const column of columns) {
    if (column.kind === 'category') bytes += column.codes.byteLength + column.dictionary.reduce((sum, s) => sum + 2 * s.length + 16, 0);
    else if (column.kind === 'image') bytes += column.pixels.byteLength;
    else bytes += column.values.byteLength;
  }
  return bytes;
}

/** Bytes a structured value takes when stored, about: typed arrays by their length, strings two bytes a character. */
export function approxBytes(value: unknown, depth = 0): number {
  if (typeof value === 'string') return 2 * value.length;
  if (typeof value === 'number' || typeof value === 'boolean' || value === null || value === undefined) return 8;
  if (typeof value !== 'object' || depth > 8) return 8;
  if (ArrayBuffer.isView(value)) return value.byteLength;
  if (value instanceof ArrayBuffer) return value.byteLength;
  let bytes = 16;
  for (const item of Array.isArray(value) ? value : Object.values(value)) bytes += approxBytes(item, depth + 1);
  return bytes;
}

function messageText(e: unknown): string {
  const message = typeof e === 'object' && e !== null ? (e as { message?: unknown }).message : undefined;
  return typeof message === 'string' ? message : '';
}
