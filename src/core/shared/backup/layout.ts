// What a workspace backup holds and how its zip is laid out (docs/backup.md):
//
//   manifest.json                          BackupManifest: formats, created time, records per store, SHA-256 per entry
//   stores/<store>/records-000001.jsonl    one BackupLine per stored record, a few hundred records per entry
//   stores/<store>/bin/00000001.bin        one binary field of one record (column cells, weights, log columns)
//
// Every entry is hashed whole (Web Crypto has no streaming digest), so a store's records are cut into entries of
// bounded size rather than written as one.

/** Version of this layout; a reader refuses a newer one. */
export const BACKUP_FORMAT = 1;

export const MANIFEST_PATH = 'manifest.json';

/** Every store of schema 9, in the order they are written. `optional`: left out unless the user asks for it. */
export const BACKUP_STORES = [
  { name: 'meta', optional: false },
  { name: 'projects', optional: false },
  { name: 'datasets', optional: false },
  { name: 'chunks', optional: false },
  { name: 'runs', optional: false },
  { name: 'artifacts', optional: false },
  { name: 'checkpoints', optional: true },
  { name: 'checkpointChunks', optional: true },
  { name: 'models', optional: false },
  { name: 'evaluations', optional: false },
  { name: 'suites', optional: false },
  { name: 'pipelines', optional: false },
  { name: 'pipelineRuns', optional: false },
  { name: 'requestChunks', optional: false },
  { name: 'requestChunkData', optional: false },
] as const;

export type BackupStoreName = (typeof BACKUP_STORES)[number]['name'];

export const BACKUP_STORE_NAMES: readonly string[] = BACKUP_STORES.map((s) => s.name);

/** A records entry closes after this many records or this many bytes of JSON, whichever comes first. */
export const RECORDS_PER_ENTRY = 500;
export const JSON_BYTES_PER_ENTRY = 4 * 1024 * 1024;

/** Meta keys a backup neither carries nor restores: the data format is the database's own, written when it opens. */
export const META_KEYS_NOT_BACKED_UP: readonly string[] = ['format'];

/** One line of a records entry: the record (binary fields tagged, see records.ts) and its binary entries' paths. */
export interface BackupLine {
  record: unknown;
  bin: string[];
}

export interface BackupManifest {
  app: 'loopbench';
  backupFormat: number;
  /** Dexie schema version of the database backed up. */
  schemaVersion: number;
  /** Stored data format (src/core/shared/storage-format.ts). */
  dataFormat: number;
  /** ISO 8601. */
  createdAt: string;
  includesCheckpoints: boolean;
  stores: Record<string, { records: number }>;
  /** Every entry but the manifest: its SHA-256 (hex) and byte length, uncompressed. */
  entries: Record<string, { sha256: string; bytes: number }>;
}

export function recordsPath(store: string, n: number): string {
  return `stores/${store}/records-${String(n).padStart(6, '0')}.jsonl`;
}

export function binaryPath(store: string, n: number): string {
  return `stores/${store}/bin/${String(n).padStart(8, '0')}.bin`;
}

/** Paths an entry of a backup may have; anything else (a folder that climbs out, an absolute path) is refused. */
export const ENTRY_PATH = /^(?:manifest\.json|stores\/[A-Za-z]{1,40}\/(?:records-\d{6}\.jsonl|bin\/\d{8}\.bin))$/;

/** The store an entry path belongs to, or null for the manifest. */
export function storeOfPath(path: string): string | null {
  const m = /^stores\/([A-Za-z]+)\//.exec(path);
  return m ? m[1] : null;
}

/** Default file name: loopbench-backup-2026-12-02T04-30-00Z.zip */
export function backupFileName(createdAt: Date): string {
  return `loopbench-backup-${createdAt.toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/:/g, '-')}.zip`;
}

/**
 * The most entries a backup holds, the manifest included. fflate's streaming Zip writes no ZIP64 records, so the
 * directory's 16-bit count caps a zip at 65,535 entries; a backup past it could be written but never read back.
 */
export const MAX_BACKUP_ENTRIES = 65_535;
