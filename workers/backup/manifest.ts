// The backup manifest's schema, checked before any entry is trusted: a manifest that does not fit is refused with
// the first field that is wrong.

import * as v from 'valibot';
import { BACKUP_FORMAT, ENTRY_PATH, type BackupManifest } from '../../src/core/shared/backup/layout';
import { FORMAT_VERSION } from '../../src/core/shared/storage-format';

const count = v.pipe(v.number(), v.integer(), v.minValue(0));

export const ManifestSchema = v.strictObject({
  app: v.literal('loopbench'),
  backupFormat: v.pipe(v.number(), v.integer(), v.minValue(1)),
  schemaVersion: v.pipe(v.number(), v.integer(), v.minValue(1)),
  dataFormat: v.pipe(v.number(), v.integer(), v.minValue(1)),
  createdAt: v.pipe(v.string(), v.isoTimestamp()),
  includesCheckpoints: v.boolean(),
  stores: v.record(v.pipe(v.string(), v.regex(/^[A-Za-z]{1,40}$/)), v.strictObject({ records: count })),
  entries: v.record(
    v.pipe(v.string(), v.regex(ENTRY_PATH, 'is not a path a backup holds')),
    v.strictObject({ sha256: v.pipe(v.string(), v.regex(/^[0-9a-f]{64}$/, 'is not a SHA-256 in hex')), bytes: count }),
  ),
});

export type ManifestCheck = { ok: true; manifest: BackupManifest } | { ok: false; message: string };

/** The manifest, or what is wrong with it; `schemaVersion` is the app's own (a newer backup is refused). */
export function checkManifest(text: string, schemaVersion: number): ManifestCheck {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    return { ok: false, message: `manifest.json is not valid JSON (${e instanceof Error ? e.message : String(e)}).` };
  }
  const parsed = v.safeParse(ManifestSchema, raw);
  if (!parsed.success) {
    const issue = parsed.issues[0];
    const path = v.getDotPath(issue) ?? '(top level)';
    return { ok: false, message: `manifest.json: ${path} ${issue.message}.` };
  }
  const manifest = parsed.output as BackupManifest;
  if (manifest.backupFormat > BACKUP_FORMAT) {
    return { ok: false, message: `The backup was made by a newer Loopbench (backup format ${manifest.backupFormat}; this version reads up to ${BACKUP_FORMAT}). Update Loopbench first.` };
  }
  if (manifest.schemaVersion > schemaVersion) {
    return { ok: false, message: `The backup was made by a newer Loopbench (storage schema ${manifest.schemaVersion}; this version reads up to ${schemaVersion}). Update Loopbench first.` };
  }
  if (manifest.dataFormat > FORMAT_VERSION) {
    return { ok: false, message: `The backup was made by a newer Loopbench (data format ${manifest.dataFormat}; this version reads up to ${FORMAT_VERSION}). Update Loopbench first.` };
  }
  return { ok: true, manifest };
}
