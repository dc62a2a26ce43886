// Writes the workspace as a zip made as a stream (fflate's Zip): store by store, a page of records at a time, each
// binary field its own entry as soon as its record is read, so the worker holds one page and one entry of JSON lines
// at most; the zip's bytes go to the sink as they are made, and the sink's promise paces the reading.

import { Zip } from 'fflate';
import { WholeDeflate } from './whole-deflate';
import { sha256Hex } from '../../src/core/data/hash';
import {
  BACKUP_FORMAT,
  BACKUP_STORES,
  binaryPath,
  JSON_BYTES_PER_ENTRY,
  MANIFEST_PATH,
  MAX_BACKUP_ENTRIES,
  META_KEYS_NOT_BACKED_UP,
  RECORDS_PER_ENTRY,
  recordsPath,
  type BackupManifest,
} from '../../src/core/shared/backup/layout';
import { encodeRecord } from '../../src/core/shared/backup/records';
import { FORMAT_VERSION } from '../../src/core/shared/storage-format';
import type { BackupEvent, BackupRequest, BackupSink, BackupSummary } from '../../src/core/contracts/parse';
import type { WorkspaceRepo } from '../../src/platform/repositories/workspace';

/** Stores whose records carry megabytes each (cells, weights, log columns) are read a few records at a time. */
const HEAVY = new Set(['chunks', 'artifacts', 'checkpointChunks', 'requestChunkData']);
const PAGE = 200;
const HEAVY_PAGE = 4;

export const BACKUP_CANCELLED = 'The backup was cancelled.';

export async function writeBackup(
  repo: WorkspaceRepo,
  request: BackupRequest,
  sink: BackupSink,
  onEvent: (e: BackupEvent) => void,
  cancelled: () => boolean,
  maxEntries = MAX_BACKUP_ENTRIES,
): Promise<BackupSummary> {
  const made: Uint8Array[] = [];
  let zipError: Error | null = null;
  const zip = new Zip((error, piece) => {
    if (error) zipError = error;
    else made.push(piece);
  });
  let bytesWritten = 0;
  const mtime = new Date(request.createdAt);
  const entries: BackupManifest['entries'] = {};
  const records: Record<string, number> = {};

  const drain = async (): Promise<void> => {
    if (zipError) throw zipError;
    while (made.length > 0) {
      const piece = made.shift()!;
      bytesWritten += piece.byteLength;
      await sink(piece);
    }
  };
  const addEntry = async (path: string, bytes: Uint8Array<ArrayBuffer>, level: 1 | 6): Promise<void> => {
    // One entry stays free for the manifest, written last.
    if (Object.keys(entries).length + 1 >= maxEntries) {
      throw new Error(
        `the workspace needs more than ${maxEntries.toLocaleString('en')} zip entries (one per stored binary field), more than a zip without ZIP64 can hold; delete unused dataset versions or clear the request log, then back up again`,
      );
    }
    entries[path] = { sha256: await sha256Hex(bytes), bytes: bytes.byteLength };
    const file = new WholeDeflate(path, level);
    file.mtime = mtime;
    zip.add(file);
    file.push(bytes, true);
    await drain();
  };

  const stores = BACKUP_STORES.filter((s) => !s.optional || request.includeCheckpoints).map((s) => s.name);
  const keyPaths = repo.keyPaths();
  const encoder = new TextEncoder();
  for (const store of stores) {
    if (!(store in keyPaths)) throw new Error(`the database has no store "${store}" to back up`);
    const totalRecords = await repo.count(store);
    let lines: string[] = [];
    let lineBytes = 0;
    let recordEntries = 0;
    let binaries = 0;
    let count = 0;
    const closeEntry = async (): Promise<void> => {
      if (lines.length === 0) return;
      await addEntry(recordsPath(store, ++recordEntries), encoder.encode(lines.join('\n') + '\n'), 6);
      lines = [];
      lineBytes = 0;
    };
    let after: unknown = undefined;
    for (;;) {
      if (cancelled()) throw new Error(BACKUP_CANCELLED);
      const page = await repo.page(store, after, HEAVY.has(store) ? HEAVY_PAGE : PAGE);
      for (const record of page.records) {
        if (store === 'meta' && META_KEYS_NOT_BACKED_UP.includes((record as { key: string }).key)) continue;
        const { json, parts } = encodeRecord(record, `store ${store}`);
        const bin: string[] = [];
        for (const part of parts) {
          const path = binaryPath(store, ++binaries);
          // Level 1: cells and weights are most of a backup's bytes, and the time goes into deflating them.
          await addEntry(path, part.bytes, 1);
          bin.push(path);
        }
        const line = `{"bin":${JSON.stringify(bin)},"record":${json}}`;
        lines.push(line);
        lineBytes += line.length;
        count++;
        if (lines.length >= RECORDS_PER_ENTRY || lineBytes >= JSON_BYTES_PER_ENTRY) await closeEntry();
      }
      onEvent({ type: 'progress', store, records: count, totalRecords, bytesWritten });
      if (page.next === null) break;
      after = page.next;
    }
    await closeEntry();
    records[store] = count;
  }

  const manifest: BackupManifest = {
    app: 'loopbench',
    backupFormat: BACKUP_FORMAT,
    schemaVersion: repo.schemaVersion(),
    dataFormat: FORMAT_VERSION,
    createdAt: new Date(request.createdAt).toISOString(),
    includesCheckpoints: request.includeCheckpoints,
    stores: Object.fromEntries(Object.entries(records).map(([store, n]) => [store, { records: n }])),
    entries,
  };
  const manifestFile = new WholeDeflate(MANIFEST_PATH, 6);
  manifestFile.mtime = mtime;
  zip.add(manifestFile);
  manifestFile.push(encoder.encode(JSON.stringify(manifest, null, 1)), true);
  zip.end();
  await drain();
  onEvent({ type: 'done', bytesWritten });
  return { records, entries: Object.keys(entries).length + 1, bytes: bytesWritten };
}
