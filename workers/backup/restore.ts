// Reads a backup and checks all of it before anything is written: zip limits (entries, sizes, ratio, paths; the
// shared reader of untrusted zips, src/core/shared/zip), the manifest's schema and versions, every entry's CRC-32,
// length and SHA-256, and every record's key. Decoding happens here too, so the one write transaction
// (WorkspaceRepo.write) awaits nothing but IndexedDB.

import { Inflate } from 'fflate';
import { sha256Hex } from '../../src/core/data/hash';
import {
  BACKUP_STORE_NAMES,
  ENTRY_PATH,
  MANIFEST_PATH,
  MAX_BACKUP_ENTRIES,
  META_KEYS_NOT_BACKED_UP,
  storeOfPath,
  type BackupManifest,
} from '../../src/core/shared/backup/layout';
import { decodeParsed } from '../../src/core/shared/backup/records';
import { cappedInflater, inflateEntry, readDirectory, ZipRefusal, type ZipEntry, type ZipLimits } from '../../src/core/shared/zip';
import type { RestoreEvent } from '../../src/core/contracts/parse';
import { keyOf, validKey, type KeyPath } from '../../src/platform/repositories/workspace';
import { checkManifest } from './manifest';

export const BACKUP_LIMITS: ZipLimits = {
  /** The whole file; a restore holds it, decoded, in memory. */
  fileBytes: 2 * 1024 ** 3,
  entries: MAX_BACKUP_ENTRIES,
  entryBytes: 512 * 1024 ** 2,
  totalBytes: 4 * 1024 ** 3,
  /** Deflate cannot shrink anything more than about 1032:1, so a higher ratio is a zip built to lie. */
  ratio: 1100,
  /** That holds for the smallest entry too: none is exempt. */
  ratioExemptBytes: 0,
};

/** A backup that fails a check: the message says what and where; nothing has been written. */
export class BackupRefused extends Error {}

export interface CheckedBackup {
  manifest: BackupManifest;
  /** Decoded records per store, checked against the store's key. */
  stores: Map<string, unknown[]>;
}

type No = (detail: string) => never;

function refuse(fileName: string, detail: string): never {
  throw new BackupRefused(`"${fileName}" cannot be restored: ${detail} Nothing was changed.`);
}

const inflate = cappedInflater((ondata) => new Inflate(ondata));

/** A zip fault in the restore's words: sizes in MB, paths against the backup's layout. */
function zipFault(e: ZipRefusal): string {
  const p = e.problem;
  switch (p.kind) {
    case 'file-bytes':
      return `it is ${mb(p.bytes)}, more than the ${mb(p.limit)} a restore reads.`;
    case 'entries':
      return `it has ${p.entries} entries, more than ${p.limit}.`;
    case 'entry-bytes':
      return `the entry "${p.name}" unpacks to ${mb(p.size)}, more than ${mb(p.limit)}.`;
    case 'total-bytes':
      return `it unpacks to more than ${mb(p.limit)}.`;
    case 'ratio':
      return `the entry "${p.name}" claims to unpack ${p.compressedSize} bytes into ${p.size}, a ratio no honest deflate gives.`;
    case 'path':
      return `the entry "${p.name}" is not a path a backup holds.`;
    case 'unreadable':
      return `it is not a readable zip (${e.message}).`;
  }
}

function zipStep<T>(no: No, step: () => T): T {
  try {
    return step();
  } catch (e) {
    if (e instanceof ZipRefusal) no(zipFault(e));
    throw e;
  }
}

export async function readBackup(
  bytes: Uint8Array,
  fileName: string,
  keyPaths: Record<string, KeyPath>,
  schemaVersion: number,
  onEvent: (e: RestoreEvent) => void,
  cancelled: () => boolean,
): Promise<CheckedBackup> {
  const no: No = (detail) => refuse(fileName, detail);

  // The central directory first, inflating nothing.
  const entries = zipStep(no, () => readDirectory(bytes, BACKUP_LIMITS, 'backup'));
  const byName = new Map<string, ZipEntry>();
  for (const entry of entries) {
    if (!ENTRY_PATH.test(entry.name)) no(`the entry "${entry.name}" is not a path a backup holds.`);
    byName.set(entry.name, entry);
  }
  const manifestEntry = byName.get(MANIFEST_PATH) ?? no('it has no manifest.json (is it a Loopbench backup?).');

  const manifestBytes = zipStep(no, () => inflateEntry(bytes, manifestEntry, inflate));
  const checked = checkManifest(new TextDecoder().decode(manifestBytes), schemaVersion);
  if (!checked.ok) no(checked.message);
  const manifest = (checked as { manifest: BackupManifest }).manifest;

  for (const [path, entry] of Object.entries(manifest.entries)) {
    const size = byName.get(path)?.size ?? no(`the entry "${path}" listed in the manifest is missing.`);
    if (size !== entry.bytes) no(`the entry "${path}" holds ${size} bytes, the manifest says ${entry.bytes}.`);
  }
  for (const name of byName.keys()) if (name !== MANIFEST_PATH && !(name in manifest.entries)) no(`the entry "${name}" is not in the manifest.`);
  for (const store of Object.keys(manifest.stores)) {
    if (!BACKUP_STORE_NAMES.includes(store) || !(store in keyPaths)) no(`the manifest lists a store "${store}" this version of Loopbench does not have.`);
  }

  if (cancelled()) no('it was cancelled.');
  onEvent({ type: 'progress', phase: 'reading', done: 0, total: entries.length });
  const files = await inflateInBatches(no, bytes, entries.filter((e) => e.name !== MANIFEST_PATH));
  const paths = Object.keys(manifest.entries);
  let hashed = 0;
  for (const path of paths) {
    const file = files.get(path);
    if (!file || file.byteLength !== manifest.entries[path].bytes) no(`the entry "${path}" is truncated (${file?.byteLength ?? 0} of ${manifest.entries[path].bytes} bytes).`);
    if ((await sha256Hex(file)) !== manifest.entries[path].sha256) no(`the entry "${path}" does not match its SHA-256 in the manifest (the file is damaged).`);
    if (++hashed % 200 === 0) {
      onEvent({ type: 'progress', phase: 'checking', done: hashed, total: paths.length });
      if (cancelled()) no('it was cancelled.');
    }
  }
  onEvent({ type: 'progress', phase: 'checking', done: paths.length, total: paths.length });

  const stores = new Map<string, unknown[]>();
  const usedBins = new Set<string>();
  const decoder = new TextDecoder();
  for (const [store, { records: expected }] of Object.entries(manifest.stores)) {
    const keyPath = keyPaths[store];
    const keys = new Set<string>();
    const records: unknown[] = [];
    const recordPaths = paths.filter((p) => storeOfPath(p) === store && p.endsWith('.jsonl')).sort();
    for (const path of recordPaths) {
      await breathe();
      const lines = decoder.decode(files.get(path)!).split('\n');
      lines.forEach((text, i) => {
        if (text === '') return;
        const where = `${path} line ${i + 1}`;
        const line = parseLine(text) ?? no(`${where} is not valid JSON.`);
        if (!Array.isArray(line.bin) || typeof line.record !== 'object' || line.record === null) no(`${where} is not a record line.`);
        const bins = (line.bin as unknown[]).map((p) => {
          if (typeof p !== 'string' || storeOfPath(p) !== store || !p.endsWith('.bin') || !files.has(p)) no(`${where} refers to a binary entry "${String(p)}" that is missing.`);
          if (usedBins.has(p as string)) no(`${where} refers to the binary entry "${String(p)}", which another record uses.`);
          usedBins.add(p as string);
          return files.get(p as string)!;
        });
        let record: unknown;
        try {
          record = decodeParsed(line.record, bins, where);
        } catch (e) {
          no(`${e instanceof Error ? e.message : String(e)}.`);
        }
        const key = keyOf(record, keyPath);
        if (!validKey(key)) no(`${where}: the record has no valid key ${JSON.stringify(keyPath)} for the store "${store}".`);
        const id = JSON.stringify(key);
        if (keys.has(id)) no(`${where}: the key ${id} appears twice in the store "${store}".`);
        keys.add(id);
        if (store === 'meta' && META_KEYS_NOT_BACKED_UP.includes(String(key))) return;
        records.push(record);
      });
    }
    if (keys.size !== expected) no(`the store "${store}" holds ${keys.size} records, the manifest says ${expected}.`);
    stores.set(store, records);
  }
  return { manifest, stores };
}

function parseLine(text: string): { bin?: unknown; record?: unknown } | null {
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null ? (parsed as { bin?: unknown; record?: unknown }) : null;
  } catch {
    return null;
  }
}

/** Unpacked bytes per synchronous step: the worker answers its heartbeat between steps. */
const BATCH_BYTES = 64 * 1024 * 1024;

/** Lets the worker's event loop run (the heartbeat, a cancel), so a long restore is not taken for a hung worker. */
function breathe(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/** Every entry inflated (capped at its declared size, CRC-checked), the worker breathing between batches. */
async function inflateInBatches(no: No, bytes: Uint8Array, entries: readonly ZipEntry[]): Promise<Map<string, Uint8Array>> {
  const files = new Map<string, Uint8Array>();
  let batchBytes = 0;
  for (const entry of entries) {
    files.set(entry.name, zipStep(no, () => inflateEntry(bytes, entry, inflate)));
    batchBytes += entry.size;
    if (batchBytes >= BATCH_BYTES) {
      batchBytes = 0;
      await breathe();
    }
  }
  return files;
}

function mb(bytes: number): string {
  return `${(bytes / 1024 ** 2).toFixed(1)} MB`;
}
