// Reads a backup and checks all of it before anything is written: zip limits (entries, sizes, ratio, paths), the
// manifest's schema and versions, every entry's SHA-256, and every record's key. Decoding happens here too, so the
// one write transaction (WorkspaceRepo.write) awaits nothing but IndexedDB.

import { unzipSync, type UnzipFileInfo } from 'fflate';
import { sha256Hex } from '../../src/core/data/hash';
import {
  BACKUP_STORE_NAMES,
  ENTRY_PATH,
  MANIFEST_PATH,
  META_KEYS_NOT_BACKED_UP,
  storeOfPath,
  type BackupManifest,
} from '../../src/core/shared/backup/layout';
import { decodeParsed } from '../../src/core/shared/backup/records';
import type { RestoreEvent } from '../../src/core/contracts/parse';
import { keyOf, validKey, type KeyPath } from '../../src/platform/repositories/workspace';
import { checkManifest } from './manifest';

export const BACKUP_LIMITS = {
  /** The whole file; a restore holds it, decoded, in memory. */
  fileBytes: 2 * 1024 ** 3,
  entries: 500_000,
  entryBytes: 512 * 1024 ** 2,
  totalBytes: 4 * 1024 ** 3,
  /** Deflate cannot shrink anything more than about 1032:1, so a higher ratio is a zip built to lie. */
  ratio: 1100,
};

/** A backup that fails a check: the message says what and where; nothing has been written. */
export class BackupRefused extends Error {}

export interface CheckedBackup {
  manifest: BackupManifest;
  /** Decoded records per store, checked against the store's key. */
  stores: Map<string, unknown[]>;
}

function refuse(fileName: string, detail: string): never {
  throw new BackupRefused(`"${fileName}" cannot be restored: ${detail} Nothing was changed.`);
}

export async function readBackup(
  bytes: Uint8Array,
  fileName: string,
  keyPaths: Record<string, KeyPath>,
  schemaVersion: number,
  onEvent: (e: RestoreEvent) => void,
  cancelled: () => boolean,
): Promise<CheckedBackup> {
  const no = (detail: string): never => refuse(fileName, detail);
  if (bytes.byteLength > BACKUP_LIMITS.fileBytes) no(`it is ${mb(bytes.byteLength)}, more than the ${mb(BACKUP_LIMITS.fileBytes)} a restore reads.`);

  // The central directory first, decompressing nothing.
  const infos: UnzipFileInfo[] = [];
  unzipOr(no, bytes, (info) => {
    infos.push(info);
    return false;
  });
  if (infos.length > BACKUP_LIMITS.entries) no(`it has ${infos.length} entries, more than ${BACKUP_LIMITS.entries}.`);
  const seen = new Set<string>();
  let total = 0;
  for (const info of infos) {
    if (!ENTRY_PATH.test(info.name)) no(`the entry "${info.name}" is not a path a backup holds.`);
    if (seen.has(info.name)) no(`the entry "${info.name}" appears twice.`);
    seen.add(info.name);
    if (info.compression !== 0 && info.compression !== 8) no(`the entry "${info.name}" uses compression method ${info.compression}, not deflate.`);
    if (info.originalSize > BACKUP_LIMITS.entryBytes) no(`the entry "${info.name}" unpacks to ${mb(info.originalSize)}, more than ${mb(BACKUP_LIMITS.entryBytes)}.`);
    if (info.originalSize > Math.max(info.size, 1) * BACKUP_LIMITS.ratio) no(`the entry "${info.name}" claims to unpack ${info.size} bytes into ${info.originalSize}, a ratio no honest deflate gives.`);
    total += info.originalSize;
  }
  if (total > BACKUP_LIMITS.totalBytes) no(`it unpacks to ${mb(total)}, more than ${mb(BACKUP_LIMITS.totalBytes)}.`);
  if (!seen.has(MANIFEST_PATH)) no('it has no manifest.json (is it a Loopbench backup?).');

  const manifestBytes = unzipOr(no, bytes, (info) => info.name === MANIFEST_PATH)[MANIFEST_PATH];
  const checked = checkManifest(new TextDecoder().decode(manifestBytes), schemaVersion);
  if (!checked.ok) no(checked.message);
  const manifest = (checked as { manifest: BackupManifest }).manifest;

  const sizes = new Map(infos.map((i) => [i.name, i.originalSize]));
  for (const [path, entry] of Object.entries(manifest.entries)) {
    if (!sizes.has(path)) no(`the entry "${path}" listed in the manifest is missing.`);
    if (sizes.get(path) !== entry.bytes) no(`the entry "${path}" holds ${sizes.get(path)} bytes, the manifest says ${entry.bytes}.`);
  }
  for (const name of seen) if (name !== MANIFEST_PATH && !(name in manifest.entries)) no(`the entry "${name}" is not in the manifest.`);
  for (const store of Object.keys(manifest.stores)) {
    if (!BACKUP_STORE_NAMES.includes(store) || !(store in keyPaths)) no(`the manifest lists a store "${store}" this version of Loopbench does not have.`);
  }

  if (cancelled()) no('it was cancelled.');
  onEvent({ type: 'progress', phase: 'reading', done: 0, total: infos.length });
  const files = await unzipInBatches(no, bytes, infos.filter((i) => i.name !== MANIFEST_PATH));
  const paths = Object.keys(manifest.entries);
  let hashed = 0;
  for (const path of paths) {
    const file = files[path];
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
    const entries = paths.filter((p) => storeOfPath(p) === store && p.endsWith('.jsonl')).sort();
    for (const path of entries) {
      await breathe();
      const lines = decoder.decode(files[path]).split('\n');
      lines.forEach((text, i) => {
        if (text === '') return;
        const where = `${path} line ${i + 1}`;
        const line = parseLine(text) ?? no(`${where} is not valid JSON.`);
        if (!Array.isArray(line.bin) || typeof line.record !== 'object' || line.record === null) no(`${where} is not a record line.`);
        const bins = (line.bin as unknown[]).map((p) => {
          if (typeof p !== 'string' || storeOfPath(p) !== store || !p.endsWith('.bin') || !files[p]) no(`${where} refers to a binary entry "${String(p)}" that is missing.`);
          if (usedBins.has(p as string)) no(`${where} refers to the binary entry "${String(p)}", which another record uses.`);
          usedBins.add(p as string);
          return files[p as string];
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

async function unzipInBatches(no: (detail: string) => never, bytes: Uint8Array, infos: readonly UnzipFileInfo[]): Promise<Record<string, Uint8Array>> {
  const files: Record<string, Uint8Array> = {};
  let batch = new Set<string>();
  let batchBytes = 0;
  const flush = async (): Promise<void> => {
    if (batch.size === 0) return;
    const names = batch;
    Object.assign(files, unzipOr(no, bytes, (info) => names.has(info.name)));
    batch = new Set();
    batchBytes = 0;
    await breathe();
  };
  for (const info of infos) {
    batch.add(info.name);
    batchBytes += info.originalSize;
    if (batchBytes >= BATCH_BYTES) await flush();
  }
  await flush();
  return files;
}

function unzipOr(no: (detail: string) => never, bytes: Uint8Array, filter: (info: UnzipFileInfo) => boolean): Record<string, Uint8Array> {
  try {
    return unzipSync(bytes, { filter });
  } catch (e) {
    return no(`it is not a readable zip (${e instanceof Error ? e.message : String(e)}).`);
  }
}

function mb(bytes: number): string {
  return `${(bytes / 1024 ** 2).toFixed(1)} MB`;
}
