// The parse worker's workspace calls (src/core/contracts/parse.ts WorkspaceApi): backup, restore and a version's
// export. The database is opened per call and closed after it, as the dataset service does.

import type {
  BackupEvent,
  BackupOutcome,
  BackupRequest,
  BackupSink,
  RestoreEvent,
  RestoreOutcome,
  RestoreRequest,
  VersionExportOutcome,
  VersionExportRequest,
  WorkspaceApi,
} from '../../src/core/contracts/parse';
import { WorkspaceRepo } from '../../src/platform/repositories/workspace';
import { ensureRoom, savingAs, StorageFullError } from '../../src/platform/repositories/storage-guard';
import { DatasetService, type OpenDatabase } from '../dataset/dataset-service';
import { BACKUP_CANCELLED, writeBackup } from './backup';
import { BackupRefused, readBackup } from './restore';
import { versionCsv, versionParquet } from './export-version';

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export function createWorkspaceApi(open: OpenDatabase): WorkspaceApi {
  let cancelled = false;
  // Exports read a version once: no cache.
  const datasets = new DatasetService(open, 0);

  async function withRepo<T>(databaseName: string, work: (repo: WorkspaceRepo) => Promise<T>): Promise<T> {
    const opened = await open(databaseName);
    if (!opened.ok) throw new Error(opened.message);
    try {
      return await work(new WorkspaceRepo(opened.db));
    } finally {
      opened.db.close();
    }
  }

  return {
    async backup(request: BackupRequest, onData: BackupSink, onEvent: (e: BackupEvent) => void): Promise<BackupOutcome> {
      cancelled = false;
      try {
        const summary = await withRepo(request.databaseName, (repo) => writeBackup(repo, request, onData, onEvent, () => cancelled));
        return { ok: true, summary };
      } catch (e) {
        const message = messageOf(e);
        return { ok: false, message: message === BACKUP_CANCELLED ? message : `The backup failed: ${message}` };
      }
    },

    async restore(request: RestoreRequest, onEvent: (e: RestoreEvent) => void): Promise<RestoreOutcome> {
      cancelled = false;
      let writing = false;
      try {
        onEvent({ type: 'progress', phase: 'reading', done: 0, total: request.file.size });
        const bytes = new Uint8Array(await request.file.arrayBuffer());
        return await withRepo(request.databaseName, async (repo) => {
          const checked = await readBackup(bytes, request.fileName, repo.keyPaths(), repo.schemaVersion(), onEvent, () => cancelled);
          if (cancelled) return { ok: false, message: 'The restore was cancelled; nothing was changed.' };
          const total = [...checked.stores.values()].reduce((n, records) => n + records.length, 0);
          const what = `the workspace restored from "${request.fileName}"`;
          // A merge adds to what is stored; a replace frees the old records in the same transaction, so only the
          // write itself can tell whether it fits.
          if (request.mode === 'merge') await ensureRoom(what, Object.values(checked.manifest.entries).reduce((n, e) => n + e.bytes, 0));
          onEvent({ type: 'progress', phase: 'writing', done: 0, total });
          writing = true;
          const written = await savingAs(what, () => repo.write(request.mode, checked.stores));
          onEvent({ type: 'progress', phase: 'writing', done: total, total });
          return { ok: true, mode: request.mode, ...written };
        });
      } catch (e) {
        if (e instanceof BackupRefused) return { ok: false, message: e.message };
        if (e instanceof StorageFullError) return { ok: false, message: `${e.message} Nothing was changed.` };
        const stage = writing ? 'while writing; the transaction was rolled back' : 'before writing';
        return { ok: false, message: `Restoring "${request.fileName}" failed ${stage} (${messageOf(e)}); nothing was changed.` };
      }
    },

    async exportVersion(request: VersionExportRequest): Promise<VersionExportOutcome> {
      try {
        const { meta, table } = await datasets.read({ databaseName: request.databaseName, versionId: request.versionId });
        return request.format === 'csv' ? versionCsv(meta, table) : versionParquet(meta, table);
      } catch (e) {
        return { ok: false, message: `Exporting version ${request.versionId.slice(0, 12)} as ${request.format.toUpperCase()} failed: ${messageOf(e)}` };
      }
    },

    cancelWorkspace(): void {
      cancelled = true;
    },
  };
}
