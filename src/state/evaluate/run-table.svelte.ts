// The runs table's view (columns, sort, filter, which figure of a history metric), the runs picked
// for comparison, tag and note edits, exports, and deletion with an undo window.

import type { ModelVersion, Project, Run, RunStatus } from '../../core/shared/types';
import { cellValue, runColumns, type CellValue, type RunColumn } from '../../core/evaluate/runs/columns';
import { CONDITION_OPS, EMPTY_FILTER, filterRuns, parseColumnId, type ConditionOp, type RunCondition, type RunFilter } from '../../core/evaluate/runs/filter';
import { HISTORY_PICKS, type HistoryPick } from '../../core/evaluate/runs/history';
import { sortRuns, type SortDirection } from '../../core/evaluate/runs/sort';
import { checkTag, MAX_NOTE, noteOf, userTags, withNote, withoutTag, withTag } from '../../core/evaluate/runs/tags';
import { runDeletionBlocker } from '../../core/evaluate/runs/delete';
import { mlflowExportJson } from '../../core/evaluate/runs/export-mlflow';
import { runsCsv } from '../../core/evaluate/runs/export-csv';
import { exportFileName } from '../../core/evaluate/runs/records';
import { downloadText } from '../../platform/download';
import { tryHoldRunLock } from '../../platform/run-locks';
import type { RunsState } from './runs.svelte';
import { UndoWindow } from '../shared/undo-window';
import { RunComparison } from './comparison.svelte';
import type { Services } from '../shared/services';
import { messageOf } from '../shared/services';

/** How long a deleted run can be brought back before it leaves storage. */
export const UNDO_MS = 8000;

export type { CellValue, ConditionOp, HistoryPick, RunColumn, RunCondition, SortDirection };

export class RunTableState {
  readonly #runs: RunsState;
  readonly #services: Services;
  /** The choices the filter bar offers. */
  readonly conditionOps = CONDITION_OPS;
  readonly historyPicks = HISTORY_PICKS;
  sortColumn = $state('info:start');
  sortDirection = $state<SortDirection>('descending');
  pick = $state<HistoryPick>('last');
  filter = $state<RunFilter>({ ...EMPTY_FILTER, statuses: [], conditions: [] });
  /** Column choices the user made; columns without one follow `shownByDefault`. */
  shown = $state<Record<string, boolean>>({});
  /** Run ids ticked for comparison, in the order they were ticked. */
  picked = $state<string[]>([]);
  comparing = $state(false);
  editingId = $state<string | null>(null);
  /** The deleted run whose undo window is open. */
  pending = $state.raw<Run | null>(null);
  readonly #undo = new UndoWindow<Run>(
    UNDO_MS,
    (run) => this.#delete(run),
    (run) => (this.pending = run),
  );
  error = $state<string | null>(null);
  message = $state<string | null>(null);
  /** Outcome of the last tag or note edit, shown in the editor where it happened. */
  editError = $state<string | null>(null);
  editMessage = $state<string | null>(null);

  columns = $derived.by<RunColumn[]>(() => runColumns(this.#runs.list));
  visibleColumns = $derived(this.columns.filter((c) => this.isShown(c)));
  rows = $derived.by(() => {
    const col = parseColumnId(this.sortColumn) ?? { kind: 'info' as const, key: 'start' };
    return sortRuns(filterRuns(this.#runs.list, this.filter, this.pick), col, this.sortDirection, this.pick);
  });
  compared = $derived.by(() => this.picked.map((id) => this.#runs.list.find((r) => r.id === id)).filter((r): r is Run => r !== undefined));
  datasetIds = $derived.by(() => [...new Set(this.#runs.list.map((r) => r.datasetId))]);
  editing = $derived.by(() => this.#runs.list.find((r) => r.id === this.editingId) ?? null);

  /** Param columns whose value differs between the project's runs: a sweep's variables. */
  varying = $derived.by(() => {
    const list = this.#runs.list;
    const ids = new Set<string>();
    for (const col of this.columns) {
      if (col.kind === 'param' && new Set(list.map((r) => String(cellValue(r, col, 'last')))).size > 1) ids.add(col.id);
    }
    return ids;
  });

  /** What the compare view draws for the runs in `compared`. */
  readonly comparison: RunComparison;

  constructor(runs: RunsState, services: Services) {
    this.#runs = runs;
    this.#services = services;
    this.comparison = new RunComparison(this);
  }

  /**
   * At first: info, test metrics, tags, the validation curves, and the params that differ between
   * runs (a model spec has many settings; the ones a sweep changes are the ones worth a column).
   * A lone run shows all its params.
   */
  shownByDefault(col: RunColumn): boolean {
    if (col.kind === 'history') return col.key.startsWith('val_');
    if (col.kind === 'param') return this.#runs.list.length < 2 || this.varying.has(col.id);
    return col.id !== 'info:note';
  }

  isShown(col: RunColumn): boolean {
    return this.shown[col.id] ?? this.shownByDefault(col);
  }

  setShown(col: RunColumn, on: boolean): void {
    this.shown = { ...this.shown, [col.id]: on };
  }

  cell(run: Run, col: Pick<RunColumn, 'kind' | 'key'>): CellValue {
    return cellValue(run, col, this.pick);
  }

  /** Clicking a header: sort by it, or flip the order when it already sorts. */
  sortBy(col: RunColumn): void {
    if (this.sortColumn === col.id) {
      this.sortDirection = this.sortDirection === 'ascending' ? 'descending' : 'ascending';
    } else {
      this.sortColumn = col.id;
      this.sortDirection = col.kind === 'info' && col.key !== 'start' && col.key !== 'duration' ? 'ascending' : 'descending';
    }
  }

  ariaSort(col: RunColumn): 'ascending' | 'descending' | 'none' {
    return this.sortColumn === col.id ? this.sortDirection : 'none';
  }

  toggleStatus(status: RunStatus, on: boolean): void {
    const rest = this.filter.statuses.filter((s) => s !== status);
    this.filter.statuses = on ? [...rest, status] : rest;
  }

  addCondition(condition: RunCondition): void {
    this.error = null;
    this.filter.conditions = [...this.filter.conditions, condition];
  }

  removeCondition(index: number): void {
    this.filter.conditions = this.filter.conditions.filter((_, i) => i !== index);
  }

  /** A fresh view for another project: its columns, versions and runs are different. */
  reset(): void {
    this.clearFilter();
    this.shown = {};
    this.picked = [];
    this.comparing = false;
    this.editingId = null;
    this.error = null;
    this.message = null;
    this.editError = null;
    this.editMessage = null;
  }

  clearFilter(): void {
    this.filter = { ...EMPTY_FILTER, statuses: [], conditions: [] };
  }

  columnLabel(id: string): string {
    return this.columns.find((c) => c.id === id)?.label ?? id;
  }

  /** Ticks (or unticks) every run the filter shows. */
  pickAll(on: boolean): void {
    const shown = new Set(this.rows.map((r) => r.id));
    this.picked = on ? [...this.picked.filter((id) => !shown.has(id)), ...this.rows.map((r) => r.id)] : this.picked.filter((id) => !shown.has(id));
    if (this.compared.length < 2) this.comparing = false;
  }

  setPicked(run: Run, on: boolean): void {
    const rest = this.picked.filter((id) => id !== run.id);
    this.picked = on ? [...rest, run.id] : rest;
    if (this.compared.length < 2) this.comparing = false;
  }

  // ---------- tags and notes ----------

  toggleEditor(run: Run): void {
    if (this.editingId === run.id) return this.closeEditor();
    this.editingId = run.id;
    this.editError = null;
    this.editMessage = null;
  }

  closeEditor(): void {
    this.editingId = null;
    this.editError = null;
    this.editMessage = null;
  }

  noteOf(run: Run): string {
    return noteOf(run.tags);
  }

  tagsOf(run: Run): [string, string][] {
    return userTags(run.tags);
  }

  async addTag(run: Run, key: string, value: string): Promise<boolean> {
    const checked = checkTag(key, value);
    if (!checked.ok) return this.#editFailed(checked.message);
    return this.#saveTags(run, withTag(run.tags, checked.key, checked.value), `Tagged "${run.name}" with ${checked.key}${checked.value ? `=${checked.value}` : ''}.`);
  }

  async removeTag(run: Run, key: string): Promise<boolean> {
    return this.#saveTags(run, withoutTag(run.tags, key), `Removed the tag ${key} from "${run.name}".`);
  }

  async saveNote(run: Run, note: string): Promise<boolean> {
    if (note.length > MAX_NOTE) return this.#editFailed(`A note can have at most ${MAX_NOTE} characters.`);
    return this.#saveTags(run, withNote(run.tags, note), note.trim() ? `Saved the note on "${run.name}".` : `Removed the note from "${run.name}".`);
  }

  async #saveTags(run: Run, tags: Record<string, string>, done: string): Promise<boolean> {
    try {
      const saved = await this.#services.runs.setTags(run.id, tags);
      this.#runs.replaced(saved);
      this.editError = null;
      this.editMessage = done;
      return true;
    } catch (e) {
      return this.#editFailed(`Saving failed: ${messageOf(e)}`);
    }
  }

  #editFailed(message: string): false {
    this.editError = message;
    this.editMessage = null;
    return false;
  }

  #fail(message: string): false {
    this.error = message;
    this.message = null;
    return false;
  }

  // ---------- delete with undo ----------

  blocker(run: Run, versions: readonly ModelVersion[]): string | null {
    return runDeletionBlocker(run, versions);
  }

  /**
   * Hides the run at once and deletes it from storage when the undo window ends. Only one
   * deletion waits at a time: starting another completes the one before.
   */
  async requestDelete(run: Run, versions: readonly ModelVersion[]): Promise<void> {
    const blocker = this.blocker(run, versions);
    if (blocker) {
      this.#fail(blocker);
      return;
    }
    await this.#undo.flush();
    this.error = null;
    this.message = null;
    this.#runs.hide(run.id);
    this.picked = this.picked.filter((id) => id !== run.id);
    if (this.editingId === run.id) this.editingId = null;
    await this.#undo.start(run);
  }

  undoDelete(): void {
    const run = this.#undo.undo();
    if (!run) return;
    this.#runs.unhide(run, true);
    this.message = `Kept "${run.name}".`;
  }

  /** Deletes the waiting run now. */
  commitDelete(): Promise<void> {
    return this.#undo.flush();
  }

  /** If storage refuses (e.g. a version was registered meanwhile), the run comes back with the reason. */
  async #delete(run: Run): Promise<void> {
    try {
      // Under the run's lock: a tab resuming the run holds it, and none can start to while it is deleted.
      const owned = await tryHoldRunLock(run.id, () => this.#services.runs.delete(run.id));
      if (!owned) throw new Error('it is being trained in another tab; stop it there first');
      this.#runs.unhide(run, false);
      this.message = `Deleted "${run.name}" and its weights.`;
    } catch (e) {
      this.#runs.unhide(run, true);
      this.#fail(`"${run.name}" was not deleted: ${messageOf(e)}`);
    }
  }

  // ---------- exports ----------

  /** Every run of the project (not only the filtered ones): an export is the project's record. */
  exportJson(project: Project): void {
    this.#export(() => downloadText(exportFileName(project.name, 'runs.json'), mlflowExportJson(project, this.#snapshot(), Date.now()), 'application/json'));
  }

  exportCsv(project: Project): void {
    this.#export(() => downloadText(exportFileName(project.name, 'runs.csv'), runsCsv(project, this.#snapshot()), 'text/csv'));
  }

  #snapshot(): Run[] {
    return [...this.#runs.list].sort((a, b) => a.startedAt - b.startedAt);
  }

  #export(write: () => void): void {
    try {
      write();
      this.error = null;
    } catch (e) {
      this.#fail(`Export failed: ${messageOf(e)}`);
    }
  }
}

