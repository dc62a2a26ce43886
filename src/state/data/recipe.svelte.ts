import type { ColumnSchema, DatasetVersion, Project } from '../../core/shared/types';
import {
  canonicalRecipeJson,
  describeProblem,
  validateRecipe,
  type Condition,
  type FittedRecipe,
  type Recipe,
  type RecipePreview,
  type RecipeProblem,
  type RecipeStep,
  type StepKind,
} from '../../core/recipe';
import { checkVersionName } from '../../core/data/version-meta';
import { withCastFormat } from '../../core/recipe/cast-format';
import type { VersionCatalogue } from './catalogue.svelte';
import { columnsAtSteps, moveItem, newStep, problemsByStep } from './recipe-edit';
import type { Services } from '../shared/services';
import { datasetRef } from '../shared/dataset-ref';
import { isCancelled, messageOf } from '../shared/services';

/** Edits settle for this long before the preview is recomputed, so typing a number does not queue a fit per key. */
const PREVIEW_DEBOUNCE_MS = 300;
/** Larger versions are previewed on their first rows (a bounded read in the worker; the preview says so); apply uses every row. */
const PREVIEW_SAMPLE_ROWS = 50_000;
const PREVIEW_LIMIT = 10;

/**
 * The recipe being built for the selected dataset version: its steps, their problems (each tied to a step and a
 * field), a preview computed in the analysis worker, and applying it to make a new version whose parent is the
 * selected one. Steps are replaced, never mutated in place, so every edit goes through a method that schedules the
 * preview, and the arrays are plain (no proxies) when sent to the worker.
 */
export class RecipeState {
  steps = $state.raw<RecipeStep[]>([]);
  preview = $state.raw<RecipePreview | null>(null);
  /** The version and steps the shown preview belongs to. */
  previewKey = $state<string | null>(null);
  previewing = $state(false);
  previewError = $state<string | null>(null);
  /** The shown preview was computed on the first rows only. */
  previewSampled = $state(false);
  /** The last fitted recipe of this version, so one-hot columns stay listed in later steps while a new preview runs. */
  #lastFit = $state.raw<{ sourceId: string; fitted: FittedRecipe } | null>(null);
  /** The new version's name; '' means the default "<source> + recipe". */
  name = $state('');
  applying = $state(false);
  applyError = $state<string | null>(null);
  message = $state<string | null>(null);

  readonly source: DatasetVersion | null = $derived.by(() => this.catalogue.selected);
  readonly recipe: Recipe = $derived({ version: 1, steps: this.steps });
  /** Problems found before fitting (shape and columns at each step). */
  readonly checkProblems: RecipeProblem[] = $derived.by(() => {
    const source = this.source;
    if (!source) return [];
    const check = validateRecipe(this.recipe, source.schema);
    return check.ok ? [] : check.problems;
  });
  readonly #currentKey = $derived(this.source ? `${this.source.id}\n${canonicalRecipeJson(this.recipe)}` : null);
  /** The preview, when it is for exactly what is on screen. */
  readonly current: RecipePreview | null = $derived(this.previewKey === this.#currentKey ? this.preview : null);
  /** Every problem: the static ones, or those fitting found (a one-hot column that clashes, a column with no values). */
  readonly problems: RecipeProblem[] = $derived(
    this.checkProblems.length > 0 ? this.checkProblems : this.current && !this.current.ok ? this.current.problems : [],
  );
  readonly problemsAt = $derived(problemsByStep(this.problems));
  /** Entry i: the columns step i receives; the last entry: the recipe's output. */
  readonly columnsAt: ColumnSchema[][] = $derived(
    columnsAtSteps(this.steps, this.source?.schema ?? [], this.#lastFit?.sourceId === this.source?.id ? this.#lastFit?.fitted ?? null : null),
  );
  readonly json = $derived(JSON.stringify(this.recipe, null, 2));
  readonly defaultName = $derived(this.source ? `${this.source.name} + recipe` : '');
  readonly canApply = $derived(
    this.source !== null && this.steps.length > 0 && this.problems.length === 0 && !this.applying,
  );

  #timer: ReturnType<typeof setTimeout> | null = null;
  #applyAbort: AbortController | null = null;
  #sequence = 0;

  constructor(
    private readonly services: Services,
    private readonly catalogue: VersionCatalogue,
  ) {}

  /** A new project: nothing of the last one's recipe carries over. */
  reset(): void {
    this.#cancelTimer();
    this.#sequence++;
    this.steps = [];
    this.preview = null;
    this.previewKey = null;
    this.previewing = false;
    this.previewError = null;
    this.previewSampled = false;
    this.#lastFit = null;
    this.name = '';
    this.applyError = null;
    this.message = null;
  }

  add(kind: StepKind): void {
    this.#set([...this.steps, newStep(kind, this.columnsAt[this.steps.length] ?? [])]);
  }

  /** Replaces step i (the editors build the whole new step). */
  update(i: number, step: RecipeStep): void {
    if (i < 0 || i >= this.steps.length) return;
    this.#set(this.steps.map((s, k) => (k === i ? step : s)));
  }

  setCondition(i: number, condition: Condition): void {
    const step = this.steps[i];
    if (step?.kind === 'filter') this.update(i, { ...step, condition });
  }

  move(i: number, delta: number): void {
    this.#set(moveItem(this.steps, i, delta));
  }

  remove(i: number): void {
    this.#set(this.steps.filter((_, k) => k !== i));
  }

  clear(): void {
    this.#set([]);
  }

  /** Whether step i has a problem at exactly `field`, so that control can be marked invalid. */
  hasProblem(i: number, field: string): boolean {
    return (this.problemsAt.get(i) ?? []).some((p) => p.field === field);
  }

  describe(p: RecipeProblem): string {
    return describeProblem(p);
  }

  #set(steps: RecipeStep[]): void {
    this.steps = steps;
    this.message = null;
    this.applyError = null;
    this.schedulePreview();
  }

  /** Recomputes the preview once edits settle; also called when the selected version changes. */
  schedulePreview(): void {
    this.#cancelTimer();
    this.#timer = setTimeout(() => {
      this.#timer = null;
      void this.refreshPreview();
    }, PREVIEW_DEBOUNCE_MS);
  }

  async refreshPreview(): Promise<void> {
    const source = this.source;
    const key = this.#currentKey;
    const sequence = ++this.#sequence;
    if (!source || key === null || this.steps.length === 0 || this.checkProblems.length > 0) {
      this.previewing = false;
      return;
    }
    const recipe: Recipe = { version: 1, steps: withCastFormat(this.steps, source.format) };
    this.previewing = true;
    this.previewError = null;
    try {
      const preview = await this.services.analysis.previewRecipe(datasetRef(this.services, source.id), recipe, {
        limit: PREVIEW_LIMIT,
        sampleRows: PREVIEW_SAMPLE_ROWS,
      });
      if (sequence !== this.#sequence) return;
      this.preview = preview;
      this.previewKey = key;
      this.previewSampled = preview.ok && preview.sampled;
      if (preview.ok) this.#lastFit = { sourceId: source.id, fitted: preview.fitted };
    } catch (e) {
      if (sequence !== this.#sequence || isCancelled(e)) return;
      this.previewError = `The preview failed: ${messageOf(e)}`;
    } finally {
      if (sequence === this.#sequence) this.previewing = false;
    }
  }

  /** Fits the recipe on the selected version's training rows and saves the result as a new version, then selects it. */
  async apply(project: Project): Promise<boolean> {
    const source = this.source;
    if (!source || !this.canApply) return false;
    const name = checkVersionName(this.name.trim() || this.defaultName);
    if (!name.ok) {
      this.applyError = name.message;
      return false;
    }
    const recipe: Recipe = { version: 1, steps: withCastFormat(this.steps, source.format) };
    this.applying = true;
    this.applyError = null;
    this.message = null;
    const abort = new AbortController();
    this.#applyAbort = abort;
    try {
      // The worker reads the source, derives the version and stores it; only the record comes back.
      const outcome = await this.services.analysis.applyRecipe(datasetRef(this.services, source.id), recipe, {
        databaseName: this.services.datasets.databaseName,
        projectId: project.id,
        name: name.value,
        createdAt: Date.now(),
      }, abort.signal);
      if (!outcome.ok) {
        this.applyError = `Nothing was saved: ${outcome.problems.map(describeProblem).join(' ')}`;
        return false;
      }
      const { version: meta, stored: result } = outcome;
      await this.catalogue.added(meta);
      this.#cancelTimer();
      this.#sequence++;
      this.steps = [];
      this.preview = null;
      this.previewKey = null;
      this.name = '';
      this.message =
        result === 'exists'
          ? `The same recipe on the same version was applied before; that version (${meta.id.slice(0, 12)}) is selected.`
          : `Made version "${meta.name}" (${meta.id.slice(0, 12)}) with ${meta.rowCount} rows from "${source.name}"; it is selected.`;
      return true;
    } catch (e) {
      this.applyError = isCancelled(e) ? 'Applying the recipe was cancelled.' : `Nothing was saved: ${messageOf(e)}`;
      return false;
    } finally {
      this.applying = false;
      if (this.#applyAbort === abort) this.#applyAbort = null;
    }
  }

  /** Ends the apply in progress: the analysis worker is ended, and the version is stored whole or not at all. */
  cancelApply(): void {
    this.#applyAbort?.abort();
  }

  #cancelTimer(): void {
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
  }
}
