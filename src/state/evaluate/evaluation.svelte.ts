import type { DatasetVersion, Run } from '../../core/shared/types';
import { planEvaluation, rowsLineageOf, type EvalPlan, type ModelChain } from '../../core/evaluate/plan';
import { bundledChain } from '../../core/evaluate/bundled-chain';
import { normalizeRows } from '../../core/evaluate/classification';
import { headlineFigure } from '../../core/evaluate/task-metrics';
import { residualsOf, summarizeResiduals, type ResidualSummary } from '../../core/evaluate/residuals';
import { evaluationId, type EvalSplit, type RegressionEvaluation, type StoredEvaluation } from '../../core/evaluate/types';
import type { VersionCatalogue } from '../data/catalogue.svelte';
import { loadRunModel } from '../shared/model-loader';
import { recipeChain } from '../data/recipe-chain';
import type { Services } from '../shared/services';
import { datasetRef } from '../shared/dataset-ref';
import { isCancelled, messageOf } from '../shared/services';

/**
 * The Evaluate stage's evaluations of the selected run: figures computed in the predictor worker on any split of any
 * compatible dataset version of the project, stored and listed per run. Opening a finished run evaluates its own
 * test split once (and stores it), so the figures are there without a click.
 */
export class EvaluationState {
  run = $state.raw<Run | null>(null);
  list = $state.raw<StoredEvaluation[]>([]);
  shownId = $state<string | null>(null);
  shown = $derived(this.list.find((e) => e.id === this.shownId) ?? null);
  /** The version and split to evaluate on next. */
  datasetId = $state('');
  split = $state<EvalSplit>('test');
  chain = $state.raw<ModelChain | null>(null);
  running = $state(false);
  progress = $state<{ done: number; total: number } | null>(null);
  error = $state<string | null>(null);
  /** The bundle file of a run imported without its data: figures for it come only from versions of this project. */
  importedFrom = $state<string | null>(null);
  plan = $derived.by((): EvalPlan | null => {
    const version = this.catalogue.versions.find((v) => v.id === this.datasetId);
    if (!this.chain || !version) return null;
    return planEvaluation(this.chain, { id: version.id, schema: version.schema, lineage: rowsLineageOf(this.catalogue.versions, version.id) });
  });
  #shownKey = '';
  #abort: AbortController | null = null;

  constructor(
    private readonly services: Services,
    private readonly catalogue: VersionCatalogue,
  ) {}

  get versions(): DatasetVersion[] {
    return this.catalogue.versions;
  }

  /** The figure a stored evaluation is listed by: accuracy, or the mean absolute error. */
  headline(e: StoredEvaluation): { label: string; value: number } {
    return headlineFigure(e.result);
  }

  /** A regression evaluation's plotted residuals (actual − predicted) and their summary. */
  residuals(ev: RegressionEvaluation): { residuals: number[]; summary: ResidualSummary | null } {
    const residuals = residualsOf(ev.scatter);
    return { residuals, summary: summarizeResiduals(residuals) };
  }

  /** Row-normalised confusion matrix of a classification evaluation (for the normalised view). */
  normalized(matrix: number[][]): number[][] {
    return normalizeRows(matrix);
  }

  reset(): void {
    // The cancelled job settles on its own; forgetting it here lets the next run's evaluation start at once.
    this.cancel();
    this.#abort = null;
    this.running = false;
    this.progress = null;
    this.#shownKey = '';
    this.run = null;
    this.list = [];
    this.shownId = null;
    this.chain = null;
    this.error = null;
    this.importedFrom = null;
  }

  /** Shows a run's evaluations; a finished run without one on its own test split gets it computed. */
  async show(run: Run | null): Promise<void> {
    const key = run ? `${run.id}:${run.status}` : '';
    if (key === this.#shownKey) return;
    this.reset();
    this.#shownKey = key;
    if (!run) return;
    this.run = run;
    this.datasetId = run.datasetId;
    this.split = 'test';
    try {
      const [list, own] = await Promise.all([this.services.evaluations.listForRun(run.id), this.services.datasets.get(run.datasetId)]);
      if (this.#shownKey !== key) return;
      this.list = list;
      if (!own && run.origin && run.preprocessor) {
        // Imported without its data: the bundle's recipes lead from raw rows to the model, so any version of this
        // project with the raw columns can be evaluated; nothing is evaluated until one is chosen.
        const chain = bundledChain(run.preprocessor, run.recipes ?? [], run.datasetId);
        this.chain = chain;
        this.importedFrom = run.origin.file;
        this.datasetId = this.#firstFitting(chain) ?? this.catalogue.versions[0]?.id ?? '';
        this.shownId = list[0]?.id ?? null;
        return;
      }
      const chain = await recipeChain((id) => this.services.datasets.get(id), run.datasetId);
      if (this.#shownKey !== key) return;
      this.chain = { versionIds: chain.versionIds, recipes: chain.recipes, schema: own?.schema ?? [] };
      const ownTest = evaluationId(run.id, run.datasetId, 'test');
      this.shownId = list.some((e) => e.id === ownTest) ? ownTest : (list[0]?.id ?? null);
      if (run.status === 'finished' && run.model && !list.some((e) => e.id === ownTest)) await this.evaluate();
    } catch (e) {
      if (this.#shownKey === key) this.error = `This run cannot be evaluated: ${messageOf(e)}`;
    }
  }

  /** The first version of the project the chain can be evaluated on. */
  #firstFitting(chain: ModelChain): string | undefined {
    const versions = this.catalogue.versions;
    return versions.find((v) => planEvaluation(chain, { id: v.id, schema: v.schema, lineage: rowsLineageOf(versions, v.id) }).ok)?.id;
  }

  /** Evaluates the run's model on the chosen version and split, stores the result and shows it. */
  async evaluate(): Promise<void> {
    const run = this.run;
    const plan = this.plan;
    const version = this.catalogue.versions.find((v) => v.id === this.datasetId);
    if (!run || !version || this.running) return;
    if (!plan || !plan.ok) {
      this.error = plan?.message ?? 'Choose a dataset version to evaluate on.';
      return;
    }
    const key = this.#shownKey;
    const split = this.split;
    const abort = new AbortController();
    this.#abort = abort;
    this.running = true;
    this.error = null;
    this.progress = null;
    const started = performance.now();
    try {
      // The worker reads the version itself: the page sends its id and gets the figures.
      const { result, environment } = await this.services.predictor.evaluate(
        `eval:${run.id}`,
        () => loadRunModel(this.services, run),
        { jobId: `${run.id}:${version.id}:${split}:${Date.now()}`, dataset: datasetRef(this.services, version.id), split, recipes: plan.recipes },
        (e) => {
          if (!abort.signal.aborted) this.progress = { done: e.done, total: e.total };
        },
        abort.signal,
      );
      const record: StoredEvaluation = {
        id: evaluationId(run.id, version.id, split),
        projectId: run.projectId,
        runId: run.id,
        datasetId: version.id,
        datasetName: version.name,
        split,
        mode: plan.mode,
        recipesApplied: plan.recipes.length,
        createdAt: Date.now(),
        durationMs: performance.now() - started,
        result,
        environment,
      };
      await this.services.evaluations.put(record);
      if (this.#shownKey !== key) return;
      this.list = await this.services.evaluations.listForRun(run.id);
      this.shownId = record.id;
    } catch (e) {
      if (this.#shownKey === key) this.error = isCancelled(e) ? 'The evaluation was cancelled.' : `The evaluation failed: ${messageOf(e)}`;
    } finally {
      if (this.#abort === abort) {
        this.#abort = null;
        this.running = false;
        this.progress = null;
      }
    }
  }

  cancel(): void {
    this.#abort?.abort();
  }

  async remove(id: string): Promise<void> {
    const run = this.run;
    if (!run) return;
    try {
      await this.services.evaluations.delete(id);
      this.list = await this.services.evaluations.listForRun(run.id);
      if (this.shownId === id) this.shownId = this.list[0]?.id ?? null;
    } catch (e) {
      this.error = `The evaluation could not be deleted: ${messageOf(e)}`;
    }
  }
}
