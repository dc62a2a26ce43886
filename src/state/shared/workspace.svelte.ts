// The Workspace panel's state: backing the whole workspace up into one zip, restoring one (merge or replace), and a
// dataset version's export as CSV or Parquet. The work runs in the parse worker; this class holds what the panel
// shows (progress, the outcome or why not) and where the file goes.

import type { BackupEvent, RestoreEvent, RestoreMode, VersionExportRequest } from '../../core/contracts/parse';
import { backupFileName } from '../../core/shared/backup/layout';
import { downloadBlob } from '../../platform/download';
import { saveTarget } from '../../platform/save-file';
import type { Services } from './services';
import { isCancelled, messageOf } from './services';

export interface WorkspaceOptions {
  /** After a restore the app reads everything again; tests replace the reload. */
  reload?: () => void;
  /** Whether to ask where to save (File System Access) when the browser can; false always downloads. */
  pickLocation?: boolean;
}

export class WorkspaceState {
  includeCheckpoints = $state(false);
  backingUp = $state(false);
  backupProgress = $state<string | null>(null);
  backupMessage = $state<string | null>(null);
  backupError = $state<string | null>(null);

  restoreMode = $state<RestoreMode>('merge');
  restoring = $state(false);
  /** A replace waits for the user to confirm it. */
  confirmingReplace = $state(false);
  restoreProgress = $state<string | null>(null);
  restoreMessage = $state<string | null>(null);
  restoreError = $state<string | null>(null);

  exporting = $state<VersionExportRequest['format'] | null>(null);
  exportMessage = $state<string | null>(null);
  exportError = $state<string | null>(null);

  #abort: AbortController | null = null;
  #pendingFile: File | null = null;

  constructor(
    private readonly services: Services,
    private readonly options: WorkspaceOptions = {},
  ) {}

  get #databaseName(): string {
    return this.services.datasets.databaseName;
  }

  async backup(): Promise<void> {
    if (this.backingUp || this.restoring) return;
    this.backingUp = true;
    this.backupMessage = this.backupError = null;
    this.backupProgress = 'Starting…';
    const abort = (this.#abort = new AbortController());
    const createdAt = Date.now();
    let target: Awaited<ReturnType<typeof saveTarget>> | null = null;
    try {
      target = await saveTarget(backupFileName(new Date(createdAt)), 'application/zip', '.zip', this.options.pickLocation);
      const sink = target;
      const outcome = await this.services.parser.backup(
        { databaseName: this.#databaseName, includeCheckpoints: this.includeCheckpoints, createdAt },
        (piece) => sink.write(piece),
        (e: BackupEvent) => (this.backupProgress = backupProgressText(e)),
        abort.signal,
      );
      if (!outcome.ok) {
        await target.abort();
        this.backupError = outcome.message;
        return;
      }
      await target.close();
      const records = Object.values(outcome.summary.records).reduce((a, b) => a + b, 0);
      this.backupMessage = `Backed up ${records.toLocaleString('en-US')} records (${megabytes(outcome.summary.bytes)}) to ${target.name}.`;
    } catch (e) {
      await target?.abort().catch(() => {});
      if (isCancelled(e) || (e instanceof DOMException && e.name === 'AbortError')) this.backupError = 'The backup was cancelled; no file was saved.';
      else this.backupError = `The backup failed: ${messageOf(e)}`;
    } finally {
      this.backingUp = false;
      this.backupProgress = null;
      this.#abort = null;
    }
  }

  /** Asks the worker to stop the backup or restore in progress (a restore that is writing finishes or rolls back). */
  cancel(): void {
    this.#abort?.abort();
  }

  /** Restores `file`; a replace asks for confirmation first (confirmReplace continues it). */
  async restore(file: File): Promise<void> {
    if (this.backingUp || this.restoring) return;
    this.restoreMessage = this.restoreError = null;
    if (this.restoreMode === 'replace') {
      this.#pendingFile = file;
      this.confirmingReplace = true;
      return;
    }
    await this.#restore(file, 'merge');
  }

  async confirmReplace(): Promise<void> {
    const file = this.#pendingFile;
    this.cancelReplace();
    if (file) await this.#restore(file, 'replace');
  }

  cancelReplace(): void {
    this.confirmingReplace = false;
    this.#pendingFile = null;
  }

  async #restore(file: File, mode: RestoreMode): Promise<void> {
    this.restoring = true;
    this.restoreProgress = 'Reading the file…';
    const abort = (this.#abort = new AbortController());
    try {
      const outcome = await this.services.parser.restore(
        { databaseName: this.#databaseName, file, fileName: file.name, mode },
        (e: RestoreEvent) => (this.restoreProgress = restoreProgressText(e)),
        abort.signal,
      );
      if (!outcome.ok) {
        this.restoreError = outcome.message;
        return;
      }
      const added = Object.values(outcome.added).reduce((a, b) => a + b, 0);
      const kept = Object.values(outcome.kept).reduce((a, b) => a + b, 0);
      this.restoreMessage =
        mode === 'replace'
          ? `Restored ${added.toLocaleString('en-US')} records from ${file.name}, replacing everything. Reloading…`
          : `Restored ${added.toLocaleString('en-US')} records from ${file.name}; ${kept.toLocaleString('en-US')} already here were kept as they are. Reloading…`;
      (this.options.reload ?? (() => location.reload()))();
    } catch (e) {
      this.restoreError = isCancelled(e) ? 'The restore was cancelled; nothing was changed.' : `The restore failed: ${messageOf(e)}. Nothing was changed.`;
    } finally {
      this.restoring = false;
      this.restoreProgress = null;
      this.#abort = null;
    }
  }

  /** Exports the version as a file the browser downloads. */
  async exportVersion(versionId: string, format: VersionExportRequest['format']): Promise<void> {
    if (this.exporting) return;
    this.exporting = format;
    this.exportMessage = this.exportError = null;
    try {
      const outcome = await this.services.parser.exportVersion({ databaseName: this.#databaseName, versionId, format });
      if (!outcome.ok) {
        this.exportError = outcome.message;
        return;
      }
      downloadBlob(outcome.fileName, outcome.file);
      this.exportMessage = `Exported ${outcome.rows.toLocaleString('en-US')} rows as ${outcome.fileName}.`;
    } catch (e) {
      this.exportError = `The export failed: ${messageOf(e)}`;
    } finally {
      this.exporting = null;
    }
  }
}

function megabytes(bytes: number): string {
  return `${(bytes / 1024 ** 2).toFixed(1)} MB`;
}

function backupProgressText(e: BackupEvent): string {
  if (e.type === 'done') return `Finishing (${megabytes(e.bytesWritten)})…`;
  return `Backing up ${e.store}: ${e.records.toLocaleString('en-US')} of ${e.totalRecords.toLocaleString('en-US')} records (${megabytes(e.bytesWritten)} written)…`;
}

function restoreProgressText(e: RestoreEvent): string {
  if (e.phase === 'reading') return 'Reading the file…';
  if (e.phase === 'checking') return `Checking entries: ${e.done.toLocaleString('en-US')} of ${e.total.toLocaleString('en-US')}…`;
  return `Writing ${e.total.toLocaleString('en-US')} records in one transaction…`;
}
