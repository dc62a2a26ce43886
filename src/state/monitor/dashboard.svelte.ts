// The monitoring dashboard's data: per-window signals of the served model's request log (system and ML side by side),
// computed in the analysis worker over the columnar log against the model's training split, and one window's
// drill-down. The page holds the per-window figures only, never the log.

import type { ModelVersion, Project, Run } from '../../core/shared/types';
import type { MonitorSignals, MonitorSignalsRequest } from '../../core/contracts/analysis';
import type { ServedRole } from '../../core/monitor/log';
import type { ReferencePredictions, WindowDrill, WindowSignals, WindowSpec } from '../../core/monitor/windows';
import { signalValue } from '../../core/monitor/windows';
import type { AlertSignal } from '../../core/monitor/alerts';
import { SIGNALS, type SignalInfo } from '../../core/monitor/alerts';
import { DRIFT_TEST_NAMES, DRIFT_TESTS, type DriftOverride, type DriftTestInfo, type DriftTestName } from '../../core/monitor/stats';
import { newId } from '../../core/shared/ids';
import { loadRunModel } from '../shared/model-loader';
import { recipeChain } from '../data/recipe-chain';
import { datasetRef } from '../shared/dataset-ref';
import type { Services } from '../shared/services';
import { messageOf } from '../shared/services';
import { CHALLENGER } from './replay.svelte';

/** One panel's points: window end times and the signal's value (null where the window has none). */
export interface Series {
  x: number[];
  y: (number | null)[];
}

/** The drift heat map: one row per input column, one cell per window (its test's score and whether it drifted). */
export interface DriftHeatmap {
  columns: string[];
  windows: number[];
  cells: { score: number | null; drifted: boolean; test: string; threshold: number | null }[][];
}

const overridesKey = (projectId: string) => `monitor:overrides:${projectId}`;

export class DashboardState {
  window = $state.raw<WindowSpec>({ kind: 'count', size: 100 });
  role = $state<ServedRole>('serving');
  /** Labels count once they have arrived by the log's newest request (true), or every logged label (false). */
  labelsAsOfLogEnd = $state(true);
  signals = $state.raw<MonitorSignals | null>(null);
  /** Per input column: another drift test or threshold (issue: every test and threshold can be overridden). */
  overrides = $state.raw<Record<string, DriftOverride>>({});
  selected = $state<number | null>(null);
  drillColumn = $state<string | null>(null);
  drill = $state.raw<WindowDrill | null>(null);
  computing = $state(false);
  error = $state<string | null>(null);
  /** The model's answers on its training split, per run: the reference for prediction drift and CBPE. */
  #referencePredictions = new Map<string, ReferencePredictions>();

  constructor(private readonly services: Services) {}

  async load(project: Project): Promise<void> {
    this.signals = null;
    this.selected = null;
    this.drill = null;
    this.overrides = (await this.services.settings.get<Record<string, DriftOverride>>(overridesKey(project.id))) ?? {};
  }

  get windows(): WindowSignals[] {
    return this.signals?.windows ?? [];
  }

  /** The model's request log in windows of `spec` (any spec: the alert rules ask for theirs). */
  async compute(project: Project, champion: ModelVersion, run: Run, spec: WindowSpec, role: ServedRole = 'serving'): Promise<MonitorSignals> {
    await this.services.predictor.flushLog(this.services.datasets.databaseName, project.id);
    const served = await this.#served(project, champion, run, role);
    const request = await this.#request(project, served.version, served.run, spec, role);
    if (this.labelsAsOfLogEnd) {
      const heads = await this.services.requestLog.heads(project.id, { modelName: served.version.name, modelVersion: served.version.version, role });
      const last = heads.reduce((m, h) => Math.max(m, h.lastAt), -Infinity);
      if (Number.isFinite(last)) request.asOf = last;
    }
    return this.services.analysis.monitorSignals(request);
  }

  /** Recomputes the dashboard's windows. */
  async refresh(project: Project, champion: ModelVersion, run: Run): Promise<void> {
    this.computing = true;
    this.error = null;
    try {
      this.signals = await this.compute(project, champion, run, this.window, this.role);
      if (this.selected !== null && this.selected >= this.windows.length) this.selected = null;
    } catch (e) {
      this.error = `The signals could not be computed: ${messageOf(e)}`;
    } finally {
      this.computing = false;
    }
  }

  /** Reference vs current for one window and one input column (null: the prediction). */
  async drillInto(project: Project, champion: ModelVersion, run: Run, windowIndex: number, column: string | null): Promise<void> {
    this.selected = windowIndex;
    this.drillColumn = column;
    this.error = null;
    try {
      const served = await this.#served(project, champion, run, this.role);
      const { fromWindow: _from, expectations: _e, driftShare: _d, asOf: _a, ...base } = await this.#request(project, served.version, served.run, this.window, this.role);
      this.drill = await this.services.analysis.monitorDrill({ ...base, windowIndex, column });
    } catch (e) {
      this.drill = null;
      this.error = `The drill-down could not be computed: ${messageOf(e)}`;
    }
  }

  /** Saves per-column overrides given as JSON ({"Body Mass (g)": {"test": "psi", "threshold": 0.2}}). */
  async saveOverrides(project: Project, text: string): Promise<string | null> {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (e) {
      return `The JSON does not parse: ${messageOf(e)}`;
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'Overrides must be an object: column name → { "test", "threshold" }.';
    this.overrides = value as Record<string, DriftOverride>;
    await this.services.settings.set(overridesKey(project.id), this.overrides);
    return null;
  }

  series(signal: AlertSignal, column?: string): Series {
    const x: number[] = [];
    const y: (number | null)[] = [];
    for (const w of this.windows) {
      x.push(w.end);
      y.push(signalValue(w, signal, column));
    }
    return { x, y };
  }

  get heatmap(): DriftHeatmap {
    const windows = this.windows;
    const columns = windows[0]?.features.map((f) => f.column ?? '?') ?? [];
    return {
      columns,
      windows: windows.map((w) => w.index),
      cells: columns.map((c) => windows.map((w) => {
        const f = w.features.find((x) => x.column === c);
        return { score: f?.score ?? null, drifted: f?.drifted ?? false, test: f?.test ?? '', threshold: f?.threshold ?? null };
      })),
    };
  }

  /** What a signal measures and its unit, for the panels (the UI may not import core values). */
  signalInfo(signal: AlertSignal): SignalInfo {
    return SIGNALS[signal];
  }

  /** A drift test's label and whether its score is a p-value or a distance. */
  driftTestInfo(test: DriftTestName): DriftTestInfo {
    return DRIFT_TESTS[test];
  }

  get driftTestNames(): DriftTestName[] {
    return [...DRIFT_TEST_NAMES];
  }

  /** The model whose log is read: the champion's serving log, or the challenger's shadow log (its own model and reference). */
  async #served(project: Project, champion: ModelVersion, run: Run, role: ServedRole): Promise<{ version: ModelVersion; run: Run }> {
    if (role === 'serving') return { version: champion, run };
    const challenger = await this.services.registry.byAlias(project.id, CHALLENGER);
    const challengerRun = challenger ? await this.services.runs.get(challenger.runId) : undefined;
    if (!challenger || !challengerRun?.model) throw new Error(`no "${CHALLENGER}" alias points at a model with weights: set one in Deliver to score traffic in shadow`);
    return { version: challenger, run: challengerRun };
  }

  async #request(project: Project, champion: ModelVersion, run: Run, spec: WindowSpec, role: ServedRole): Promise<MonitorSignalsRequest> {
    const chain = await recipeChain((id) => this.services.datasets.get(id), run.datasetId);
    const referencePredictions = await this.#predictionsOf(champion, run);
    return {
      databaseName: this.services.datasets.databaseName,
      projectId: project.id,
      modelName: champion.name,
      modelVersion: champion.version,
      role,
      window: spec,
      reference: { root: datasetRef(this.services, chain.root.id), recipes: run.recipes ?? [] },
      referencePredictions,
      overrides: this.overrides,
    };
  }

  async #predictionsOf(champion: ModelVersion, run: Run): Promise<ReferencePredictions> {
    const cached = this.#referencePredictions.get(run.id);
    if (cached) return cached;
    const table = await this.services.predictor.predictTable(champion.id, () => loadRunModel(this.services, run), {
      jobId: newId('reference'),
      dataset: datasetRef(this.services, run.datasetId),
      split: 'train',
      recipes: [],
    });
    const predictions: ReferencePredictions = { predicted: table.predicted, probabilities: table.probabilities, truth: table.truth };
    this.#referencePredictions.set(run.id, predictions);
    return predictions;
  }
}
