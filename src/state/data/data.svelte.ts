import type { CellProblem, ColumnGuess, ParsedFile, ParseOutcome } from '../../core/worker-api';
import type { ColumnRole, ColumnType, DatasetSource, DatasetVersion, Project, RawRow, ReadFormat, SplitMethod, SplitSpec } from '../../core/shared/types';
import { DEFAULT_READ_FORMAT } from '../../core/shared/types';
import { DEFAULT_SPLIT } from '../../core/shared/defaults';
import { guessTarget, suggestedRoles } from '../../core/data/roles';
import { previewRows } from '../../core/data/table-view';
import type { Services } from '../shared/services';
import { messageOf } from '../shared/services';

export type ImportPhase = 'idle' | 'reading' | 'configuring' | 'saving';

const PREVIEW_ROWS = 20;

/** Dataset versions of the open project, and the import flow that makes new ones. */
export class DataState {
  versions = $state.raw<DatasetVersion[]>([]);
  selectedId = $state<string | null>(null);
  selected = $derived(this.versions.find((v) => v.id === this.selectedId) ?? null);
  preview = $state.raw<string[][]>([]);

  phase = $state<ImportPhase>('idle');
  progress = $state<{ bytesRead: number; totalBytes: number; rows: number } | null>(null);
  parsed = $state.raw<ParsedFile | null>(null);
  /**
   * Per column of `parsed.header`, by position: arrays rather than objects keyed by name, since a
   * column may be called "__proto__" or "constructor".
   */
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
  /** Columns (by position) whose role the user set; suggestions never override them. */
  #chosenRoles = new Set<number>();
  #origin: DatasetSource['kind'] = 'file';

  target = $derived(this.parsed?.header[this.roles.indexOf('target')] ?? '');

  constructor(private readonly services: Services) {}

  async load(project: Project): Promise<void> {
    this.resetImport();
    this.versions = await this.services.datasets.list(project.id);
    await this.select(this.versions[0]?.id ?? null);
  }

  async select(id: string | null): Promise<void> {
    this.selectedId = id;
    this.preview = [];
    if (!id) return;
    const { table } = await this.services.sharedDatasets.load(id);
    if (this.selectedId === id) this.preview = previewRows(table, PREVIEW_ROWS);
  }

  async importFile(file: File, project: Project, origin: DatasetSource['kind'] = 'file'): Promise<void> {
    this.resetImport();
    this.#origin = origin;
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
      );
    } catch (e) {
      outcome = { ok: false, message: `Reading "${file.name}" failed: ${messageOf(e)}` };
    }
    this.#abort = null;
    this.#configure(outcome, project, file.name.replace(/\.[^.]+$/, ''));
  }

  /** Makes the first version of a sample project from records bundled with the app. */
  async importRecords(records: RawRow[], fileName: string, byteLength: number, project: Project): Promise<void> {
    this.resetImport();
    this.phase = 'reading';
    this.#origin = 'sample';
    const outcome = await this.services.parser.parseRecords(records, fileName, byteLength);
    this.#configure(outcome, project, fileName.replace(/\.[^.]+$/, ''));
  }

  cancelImport(): void {
    this.#abort?.abort();
    if (this.parsed) this.services.parser.release(this.parsed.handle);
    this.resetImport();
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
    // Exactly one target: choosing a new one turns the old one into a feature.
    const next = this.roles.map((r) => (role === 'target' && r === 'target' ? 'feature' : r));
    next[c] = role;
    next.forEach((r, i) => {
      if (r !== this.roles[i]) this.#chosenRoles.add(i);
    });
    this.roles = next;
  }

  /**
   * Roles after the columns were guessed again: a column whose values now read differently (decimal-comma numbers
   * looked like unique text before) gets the new suggestion, unless the user chose its role or it is the target.
   */
  #resuggested(guesses: readonly ColumnGuess[]): ColumnRole[] {
    return this.roles.map((r, c) => (this.#chosenRoles.has(c) || r === 'target' ? r : (guesses[c]?.suggestion?.role ?? 'feature')));
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
      this.roles = this.#resuggested(guesses);
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

  /** The per-column choices as records for the worker; fromEntries makes even "__proto__" an own key. */
  #byName<T>(values: T[]): Record<string, T> {
    const header = this.parsed?.header ?? [];
    return Object.fromEntries(header.map((name, c) => [name, values[c]]));
  }

  /** Builds and stores the configured import as a new immutable version; returns false when refused. */
  async save(project: Project, onTargetChosen: (target: string) => Promise<void>): Promise<boolean> {
    const parsed = this.parsed;
    if (!parsed) return false;
    this.phase = 'saving';
    this.problems = [];
    this.importError = null;
    try {
      const name = this.datasetName.trim() || parsed.fileName;
      // The worker builds and stores the version itself, so no table crosses to this thread.
      const outcome = await this.services.parser.buildAndStore(
        parsed.handle,
        {
          name,
          task: project.task,
          target: this.target,
          types: this.#byName(this.types),
          roles: this.#byName(this.roles),
          split: this.splitSpec(project),
          format: $state.snapshot(this.format),
        },
        {
          databaseName: this.services.datasets.databaseName,
          projectId: project.id,
          name,
          source: { kind: this.#origin, fileName: parsed.fileName, byteLength: parsed.byteLength },
          createdAt: Date.now(),
        },
      );
      if (!outcome.ok) {
        this.problems = outcome.problems;
        this.phase = 'configuring';
        return false;
      }
      const meta = outcome.version;
      const result = outcome.stored;
      if (this.target !== project.target) await onTargetChosen(this.target);
      this.services.parser.release(parsed.handle);
      this.resetImport();
      this.savedMessage =
        result === 'exists'
          ? `An identical version already exists (${meta.id.slice(0, 12)}); it is selected.`
          : `Saved version ${meta.id.slice(0, 12)} with ${meta.rowCount} rows.`;
      this.versions = await this.services.datasets.list(project.id);
      await this.select(meta.id);
      return true;
    } catch (e) {
      this.importError = `Nothing was saved: ${messageOf(e)}`;
      this.phase = 'configuring';
      return false;
    }
  }

  /** The split the import will be saved with: a plain object, safe to send to a worker and store. */
  splitSpec(project: Project): SplitSpec {
    const method = this.splitMethod ?? (project.task === 'classification' ? 'stratified' : 'random');
    const spec: SplitSpec = { method, seed: this.splitSeed, fractions: [...DEFAULT_SPLIT.fractions] };
    if (method === 'time') spec.timeColumn = this.timeColumnOrFirst();
    return spec;
  }

  /** Columns of the import typed as dates: the only ones a time split can order rows by. */
  dateColumns(): string[] {
    return (this.parsed?.header ?? []).filter((_, c) => this.types[c] === 'date');
  }

  /** The chosen date column while it is still a date column, else the first date column ('' when there is none). */
  timeColumnOrFirst(): string {
    const dates = this.dateColumns();
    return dates.includes(this.timeColumn) ? this.timeColumn : (dates[0] ?? '');
  }

  resetImport(): void {
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
    const types = file.guesses.map((g) => g.type);
    const roles = suggestedRoles(file.guesses);
    const target = guessTarget(file.guesses, file.rowCount, project.task, project.target);
    if (target.column >= 0) roles[target.column] = 'target';
    this.targetReason = target.reason;
    this.types = types;
    this.roles = roles;
    this.phase = 'configuring';
  }
}
