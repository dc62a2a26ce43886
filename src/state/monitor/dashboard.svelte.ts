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
import { versionViews } from '../../core/deliver/registry';
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

/** Beyond this many windows the panels stop being readable (and take seconds to draw). */
export const MAX_DRAWN_WINDOWS = 200;

/** The next 1, 2 or 5 times a power of ten at or above `n`: a window size a person would have chosen. */
function roundUp(n: number): number {
  const power = 10 ** Math.floor(Math.log10(n));
  return [1, 2, 5, 10].map((m) => m * power).find((v) => v >= n) as number;
}

const overridesKey = (projectId: string) => `monitor:overrides:${projectId}`;

/** The log read: one version's, or (`all`) every version's of its model, with `version` the reference's. */
interface Served {
  version: ModelVersion;
  run: Run;
  all: boolean;
}

export class DashboardState {
  window = $state.raw<WindowSpec>({ kind: 'count', size: 100 });
  role = $state<ServedRole>('serving');
  /**
   * With the serving role: every version of the champion's model in one series (a feedback loop serves a new version
   * every few windows), read in the classes of, and against the reference of, the first version in the log.
   */
  allVersions = $state(false);
  /** Labels count once they have arrived by the log's newest request (true), or every logged label (false). */
  labelsAsOfLogEnd = $state(true);
  signals = $state.raw<MonitorSignals | null>(null);
  /** The classes the signals' class indexes name: the reference model's (the challenger's, or every version's first). */
  classes = $state.raw<string[]>([]);
  /** Per input column: another drift test or threshold (issue: every test and threshold can be overridden). */
  overrides = $state.raw<Record<string, DriftOverride>>({});
  selected = $state<number | null>(null);
  drillColumn = $state<string | null>(null);
  drill = $state.raw<WindowDrill | null>(null);
  computing = $state(false);
  /** Why the window differs from the one chosen (a log too long for it), until the next refresh. */
  notice = $state<string | null>(null);
  error = $state<string | null>(null);
  /** The model's answers on its training split, per run: the reference for prediction drift and CBPE. */
  #referencePredictions = new Map<string, ReferencePredictions>();

  constructor(private readonly services: Services) {}

  async load(project: Project): Promise<void> {
    this.signals = null;
    this.classes = [];
    this.selected = null;
    this.drill = null;
    this.overrides = (await this.services.settings.get<Record<string, DriftOverride>>(overridesKey(project.id))) ?? {};
  }

  get windows(): WindowSignals[] {
    return this.signals?.windows ?? [];
  }

  /**
   * The model's request log in windows of `spec` (any spec: the alert rules ask for theirs); with `allVersions`, every
   * version's serving log of the champion's model.
   */
  async compute(project: Project, champion: ModelVersion, run: Run, spec: WindowSpec, role: ServedRole = 'serving', allVersions = false): Promise<MonitorSignals> {
    return (await this.#compute(project, champion, run, spec, role, allVersions)).signals;
  }

  async #compute(project: Project, champion: ModelVersion, run: Run, spec: WindowSpec, role: ServedRole, allVersions: boolean): Promise<{ signals: MonitorSignals; classes: string[] }> {
    await this.services.predictor.flushLog(this.services.datasets.databaseName, project.id);
    const served = await this.#served(project, champion, run, role, allVersions);
    const request = await this.#request(project, served, spec, role);
    if (this.labelsAsOfLogEnd) {
      const heads = await this.services.requestLog.heads(project.id, {
        modelName: served.version.name,
        ...(served.all ? {} : { modelVersion: served.version.version }),
        role,
      });
      const last = heads.reduce((m, h) => Math.max(m, h.lastAt), -Infinity);
      if (Number.isFinite(last)) request.asOf = last;
    }
    return { signals: await this.services.analysis.monitorSignals(request), classes: served.run.preprocessor?.labels ?? [] };
  }

  /** Recomputes the dashboard's windows. */
  async refresh(project: Project, champion: ModelVersion, run: Run): Promise<void> {
    this.computing = true;
    this.error = null;
    this.notice = null;
    try {
      await this.#fitWindow(project, champion);
      const { signals, classes } = await this.#compute(project, champion, run, this.window, this.role, this.role === 'serving' && this.allVersions);
      this.signals = signals;
      this.classes = classes;
      if (this.selected !== null && this.selected >= this.windows.length) this.selected = null;
    } catch (e) {
      this.error = `The signals could not be computed: ${messageOf(e)}`;
    } finally {
      this.computing = false;
    }
  }

  /**
   * Panels of thousands of windows draw for seconds and say less than a few hundred: when the log would make more than
   * MAX_DRAWN_WINDOWS count windows, the window grows to a round size that keeps them under it, and `notice` says so.
   * (Alert rules keep their own windows.)
   */
  async #fitWindow(project: Project, champion: ModelVersion): Promise<void> {
    if (this.window.kind !== 'count') return;
    await this.services.predictor.flushLog(this.services.datasets.databaseName, project.id);
    const requests = await this.services.requestLog.count(project.id, {
      modelName: champion.name,
      ...(this.allVersions ? {} : { modelVersion: champion.version }),
      role: 'serving',
    });
    if (requests / this.window.size <= MAX_DRAWN_WINDOWS) return;
    const size = roundUp(Math.ceil(requests / MAX_DRAWN_WINDOWS));
    this.notice = `${requests.toLocaleString('en')} requests make more than ${MAX_DRAWN_WINDOWS} windows of ${this.window.size.toLocaleString('en')}: windows of ${size.toLocaleString('en')} requests are shown instead.`;
    this.window = { kind: 'count', size };
  }

  /** Reference vs current for one window and one input column (null: the prediction). */
  async drillInto(project: Project, champion: ModelVersion, run: Run, windowIndex: number, column: string | null): Promise<void> {
    this.selected = windowIndex;
    this.drillColumn = column;
    this.error = null;
    try {
      const served = await this.#served(project, champion, run, this.role, this.role === 'serving' && this.allVersions);
      const { fromWindow: _from, expectations: _e, driftShare: _d, asOf: _a, ...base } = await this.#request(project, served, this.window, this.role);
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

  /**
   * The model whose log is read: the champion's serving log, or the challenger's shadow log (its own model and
   * reference). With `all`, the champion model's every version, and `version` is the one the reference comes from.
   */
  async #served(project: Project, champion: ModelVersion, run: Run, role: ServedRole, all = false): Promise<Served> {
    if (role === 'serving' && all) return { ...(await this.#firstServed(project, champion, run)), all: true };
    if (role === 'serving') return { version: champion, run, all: false };
    const challenger = await this.services.registry.byAlias(project.id, CHALLENGER);
    const challengerRun = challenger ? await this.services.runs.get(challenger.runId) : undefined;
    if (!challenger || !challengerRun?.model) throw new Error(`no "${CHALLENGER}" alias points at a model with weights: set one in Deliver to score traffic in shadow`);
    return { version: challenger, run: challengerRun, all: false };
  }

  /** The version of the champion's model that served first in the log (the champion itself while the log is empty). */
  async #firstServed(project: Project, champion: ModelVersion, run: Run): Promise<{ version: ModelVersion; run: Run }> {
    const heads = await this.services.requestLog.heads(project.id, { modelName: champion.name, role: 'serving' });
    const first = heads.reduce<(typeof heads)[number] | null>((a, h) => (a === null || h.firstAt < a.firstAt ? h : a), null);
    if (!first || first.modelVersion === champion.version) return { version: champion, run };
    const model = await this.services.registry.model(project.id, champion.name);
    const version = model ? versionViews([model]).find((v) => v.version === first.modelVersion) : undefined;
    const firstRun = version ? await this.services.runs.get(version.runId) : undefined;
    if (!version || !firstRun?.model) {
      throw new Error(`${champion.name} v${first.modelVersion}, the first version in the log, is no longer registered with its model, so there is no reference to read every version against`);
    }
    return { version, run: firstRun };
  }

  async #request(project: Project, served: Served, spec: WindowSpec, role: ServedRole): Promise<MonitorSignalsRequest> {
    const { version: champion, run } = served;
    const chain = await recipeChain((id) => this.services.datasets.get(id), run.datasetId);
    const referencePredictions = await this.#predictionsOf(champion, run);
    return {
      databaseName: this.services.datasets.databaseName,
      projectId: project.id,
      modelName: champion.name,
      modelVersion: served.all ? null : champion.version,
      ...(served.all ? { referenceVersion: champion.version } : {}),
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
