import type { CellProblem, ParsedFile, ParseOutcome } from '../../core/contracts/parse';
import type { ColumnRole, ColumnType, Project, ReadFormat, SplitMethod, SplitSpec } from '../../core/shared/types';
import { DEFAULT_READ_FORMAT } from '../../core/shared/types';
import { DEFAULT_SPLIT } from '../../core/shared/defaults';
import { dateColumns, datasetChoices, importSplit, initialChoices, resuggestedRoles, withRole } from '../../core/data/import-choices';
import type { VersionCatalogue } from './catalogue.svelte';
import type { Services } from '../shared/services';
import { isCancelled, messageOf } from '../shared/services';

export type ImportPhase = 'idle' | 'reading' | 'configuring' | 'saving';

/**
 * The import form: a user's file read by the parse worker, the columns' types and roles, the read format and the
 * split the user chooses, then saved as a version the catalogue lists. Only the Data screen drives it.
 */
export class ImportFlow {
  phase = $state<ImportPhase>('idle');
  progress = $state<{ bytesRead: number; totalBytes: number; rows: number } | null>(null);
  parsed = $state.raw<ParsedFile | null>(null);
  /** Per column of `parsed.header`, by position: a column may be called "__proto__" or "constructor". */
  types = $state<ColumnType[]>([]);
  roles = $state<ColumnRole[]>([]);
  datasetName = $state('');
  splitSeed = $state(DEFAULT_SPLIT.seed);
  /** null: the task's default (stratified for classification, random for regression). */
  splitMethod = $state<SplitMethod | null>(null);
  /** The date column of a time split. */
  timeColumn = $state('');
  importError = $state<string | null>(null);
  problems = $state.raw<CellProblem[]>([]);
  warnings = $state.raw<string[]>([]);
  /** Why the import preselected its target, or why it preselected none. */
  targetReason = $state('');
  savedMessage = $state<string | null>(null);
  /** How the file's numbers and dates are read: as detected, until the user chooses otherwise. */
  format = $state.raw<ReadFormat>(DEFAULT_READ_FORMAT);
  /** The columns are being guessed again in a newly chosen format. */
  reguessing = $state(false);
  #abort: AbortController | null = null;
  /** The file being imported, so another sheet or archive entry of it can be read. */
  #source: { file: File; project: Project } | null = null;
  /** Columns (by position) whose role the user set; suggestions never override them. */
  #chosenRoles = new Set<number>();

  target = $derived(this.parsed?.header[this.roles.indexOf('target')] ?? '');

  constructor(
    private readonly services: Pick<Services, 'parser' | 'datasets'>,
    private readonly catalogue: VersionCatalogue,
  ) {}

  /** `pick`: the sheet of a workbook or the data file of an archive to read instead of the one chosen by default. */
  async importFile(file: File, project: Project, pick?: string): Promise<void> {
    this.reset();
    this.#source = { file, project };
    this.phase = 'reading';
    this.progress = { bytesRead: 0, totalBytes: file.size, rows: 0 };
    this.#abort = new AbortController();
    let outcome: ParseOutcome;
    try {
      outcome = await this.services.parser.parseFile(
        file,
        file.name,
        (e) => {
          if (e.type === 'progress') this.progress = { bytesRead: e.bytesRead, totalBytes: e.totalBytes, rows: e.rows };
          else this.warnings = [...this.warnings, e.message];
        },
        this.#abort.signal,
        pick,
      );
    } catch (e) {
      outcome = { ok: false, message: `Reading "${file.name}" failed: ${messageOf(e)}` };
    }
    this.#abort = null;
    // Named after the file read: "train" from kaggle.zip, "penguins" from penguins.csv.gz.
    this.#configure(outcome, project, (outcome.ok ? outcome.file.fileName : file.name).replace(/\.[^.]+$/, ''));
  }

  /** Reads another sheet of the workbook, or another data file of the archive, just imported. */
  async readInside(option: string): Promise<void> {
    const source = this.#source;
    if (!source || this.parsed?.inside?.chosen === option) return;
    if (this.parsed) this.services.parser.release(this.parsed.handle);
    await this.importFile(source.file, source.project, option);
  }

  cancelImport(): void {
    this.#abort?.abort();
    if (this.parsed) this.services.parser.release(this.parsed.handle);
    this.reset();
  }

  typeOf(column: string): ColumnType | undefined {
    return this.types[this.#columnIndex(column)];
  }

  roleOf(column: string): ColumnRole | undefined {
    return this.roles[this.#columnIndex(column)];
  }

  setRole(column: string, role: ColumnRole): void {
    const c = this.#columnIndex(column);
    if (c < 0) return;
    const next = withRole(this.roles, c, role);
    next.forEach((r, i) => {
      if (r !== this.roles[i]) this.#chosenRoles.add(i);
    });
    this.roles = next;
  }

  setType(column: string, type: ColumnType): void {
    const c = this.#columnIndex(column);
    if (c < 0) return;
    const next = [...this.types];
    next[c] = type;
    this.types = next;
  }

  /**
   * Reads the file again in `format` (the user chose its number format or day order): the guesses and types follow,
   * the roles the user chose stay.
   */
  async setFormat(format: ReadFormat): Promise<void> {
    const parsed = this.parsed;
    if (!parsed) return;
    this.format = format;
    this.reguessing = true;
    try {
      const guesses = await this.services.parser.guess(parsed.handle, format);
      // A later choice, or another import, wins over this one.
      if (this.parsed?.handle !== parsed.handle || this.format !== format) return;
      this.parsed = { ...this.parsed, guesses };
      this.types = guesses.map((g) => g.type);
      this.roles = resuggestedRoles(this.roles, guesses, this.#chosenRoles);
    } catch (e) {
      if (this.format === format) this.importError = `Reading the columns again failed: ${messageOf(e)}`;
    } finally {
      if (this.format === format) this.reguessing = false;
    }
  }

  /** Names are unique within a parsed file (uniqueNames), so a name finds exactly one column. */
  #columnIndex(column: string): number {
    return this.parsed?.header.indexOf(column) ?? -1;
  }

  /** Builds and stores the configured import as a new immutable version; returns false when refused. */
  async save(project: Project, onTargetChosen: (target: string) => Promise<void>): Promise<boolean> {
    const parsed = this.parsed;
    if (!parsed) return false;
    this.phase = 'saving';
    this.problems = [];
    this.importError = null;
    // Cancelling the import while it is saved ends the parse worker; the version is stored whole or not at all.
    const abort = new AbortController();
    this.#abort = abort;
    try {
      const name = this.datasetName.trim() || parsed.fileName;
      const target = this.target;
      // The worker builds and stores the version itself, so no table crosses to this thread.
      const outcome = await this.services.parser.buildAndStore(
        parsed.handle,
        datasetChoices(parsed.header, this, { name, task: project.task, split: this.splitSpec(project), format: $state.snapshot(this.format) }),
        {
          databaseName: this.services.datasets.databaseName,
          projectId: project.id,
          name,
          source: { kind: 'file', fileName: parsed.fileName, byteLength: parsed.byteLength },
          createdAt: Date.now(),
        },
        abort.signal,
      );
      if (!outcome.ok) {
        this.problems = outcome.problems;
        this.phase = 'configuring';
        return false;
      }
      const meta = outcome.version;
      if (target !== project.target) await onTargetChosen(target);
      this.services.parser.release(parsed.handle);
      this.reset();
      this.savedMessage =
        outcome.stored === 'exists'
          ? `An identical version already exists (${meta.id.slice(0, 12)}); it is selected.`
          : `Saved version ${meta.id.slice(0, 12)} with ${meta.rowCount} rows.`;
      await this.catalogue.added(meta);
      return true;
    } catch (e) {
      // A cancelled save was discarded with the rest of the import (cancelImport).
      if (isCancelled(e)) return false;
      this.importError = `Nothing was saved: ${messageOf(e)}`;
      this.phase = 'configuring';
      return false;
    } finally {
      if (this.#abort === abort) this.#abort = null;
    }
  }

  /** The split the import will be saved with: a plain object, safe to send to a worker and store. */
  splitSpec(project: Project): SplitSpec {
    return importSplit(project.task, this.splitMethod, this.splitSeed, this.timeColumn, this.dateColumns());
  }

  /** Columns of the import typed as dates: the only ones a time split can order rows by. */
  dateColumns(): string[] {
    return dateColumns(this.parsed?.header ?? [], this.types);
  }

  /** The chosen date column while it is still a date column, else the first date column ('' when there is none). */
  timeColumnOrFirst(): string {
    const dates = this.dateColumns();
    return dates.includes(this.timeColumn) ? this.timeColumn : (dates[0] ?? '');
  }

  /** Back to an empty form; a project switch calls it too, so one project's import does not show in another. */
  reset(): void {
    this.splitMethod = null;
    this.timeColumn = '';
    this.phase = 'idle';
    this.progress = null;
    this.parsed = null;
    this.format = DEFAULT_READ_FORMAT;
    this.reguessing = false;
    this.types = [];
    this.roles = [];
    this.#chosenRoles.clear();
    this.importError = null;
    this.problems = [];
    this.warnings = [];
    this.targetReason = '';
    this.savedMessage = null;
    this.#source = null;
  }

  #configure(outcome: ParseOutcome, project: Project, defaultName: string): void {
    if (!outcome.ok) {
      this.phase = 'idle';
      this.importError = outcome.message;
      return;
    }
    const file = outcome.file;
    this.parsed = file;
    this.format = file.detected.format;
    this.datasetName = defaultName;
    const choices = initialChoices(file, project.task, project.target);
    this.targetReason = choices.targetReason;
    this.types = choices.types;
    this.roles = choices.roles;
    this.phase = 'configuring';
  }
}
