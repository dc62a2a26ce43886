// The traffic replayer: plays the champion's data, or a built-in scenario over it, as requests on a virtual clock in
// the predictor worker, which scores and logs them to the columnar request log (the page receives only progress).
// With a `challenger` alias set, that model scores the same requests in shadow: logged, never returned. The feedback-loop
// scenario retrains the champion on its own answers between windows (./feedback-loop.ts).

import type { ModelVersion, Project, Run } from '../../core/shared/types';
import type { ReplayEvent, ServedModel, ShadowModel, TrafficReplayResult } from '../../core/contracts/predict';
import { SCENARIOS, scenarioById, scenarioRules, type ScenarioId } from '../../core/monitor/scenarios';
import type { AlertRule } from '../../core/monitor/alerts';
import { newId } from '../../core/shared/ids';
import { loadRunModel } from '../shared/model-loader';
import { recipeChain } from '../data/recipe-chain';
import { datasetRef } from '../shared/dataset-ref';
import type { Services } from '../shared/services';
import { isCancelled, messageOf } from '../shared/services';
import type { TrainState } from '../train/train.svelte';
import { trainAlone } from '../train/train-alone';
import { playFeedbackLoop, type FeedbackOutcome, type FeedbackProgress } from './feedback-loop';

export const CHALLENGER = 'challenger';

/** A built-in scenario as the screen offers it, with whether it fits this project's data. */
export interface ScenarioView {
  id: ScenarioId;
  title: string;
  teaches: string;
  /** What should be seen and when. */
  expect: string;
  windowSize: number;
  count: number;
  /** Null when it can be played here; else why not (its columns are another sample's). */
  unavailable: string | null;
}

export interface ReplayOptions {
  /** A built-in scenario, or null for the data as it is (shuffled). */
  scenario: ScenarioId | null;
  count: number;
  /** Requests per virtual second. */
  rate: number;
  /** Labels arrive this long after their request (virtual ms); null: never. */
  labelDelayMs: number | null;
  seed: number;
}

export function servedModel(project: Project, version: ModelVersion, run: Run): ServedModel {
  return { name: version.name, version: version.version, task: project.task, classes: run.preprocessor?.labels ?? [] };
}

/** What the feedback loop needs beyond the services: training as the Train form does it, and who to tell of a move. */
export interface ReplayTraining {
  train: Pick<TrainState, 'check' | 'prepare' | 'sessionOptions'>;
  /** The champion moved: the registry and the Monitor's served model are read again. */
  onRegistryChanged: (project: Project) => Promise<void>;
}

export class ReplayState {
  running = $state(false);
  progress = $state.raw<ReplayEvent | null>(null);
  result = $state.raw<TrafficReplayResult | null>(null);
  /** The challenger scoring in shadow during the last replay, if any. */
  shadow = $state.raw<ModelVersion | null>(null);
  error = $state<string | null>(null);
  /** The scenario chosen on the Traffic panel (null: the data as it is), so the Alerts panel can offer its rules. */
  selectedScenario = $state<ScenarioId | null>(null);
  /** While a feedback loop plays: its round and what it is doing. */
  round = $state.raw<FeedbackProgress | null>(null);
  /** The last feedback loop's retrainings and the champion it ended with. */
  feedback = $state.raw<FeedbackOutcome | null>(null);
  #abort: AbortController | null = null;

  constructor(
    private readonly services: Services,
    private readonly training: ReplayTraining | null = null,
  ) {}

  /** Every built-in scenario, marked unavailable when the project's columns are not the ones it changes. */
  scenarios(project: Project, columns: readonly string[]): ScenarioView[] {
    return SCENARIOS.map((s) => {
      // The date column that drives a replay by date need not be a model input: the worker reads it from the raw rows.
      const missing = [s.target, ...(s.expect.column ? [s.expect.column] : [])].filter((c) => !columns.includes(c));
      const unavailable =
        missing.length > 0 || project.target !== s.target
          ? `it plays the ${s.sample} sample: this project has no ${missing.join(', ') || s.target}`
          : s.feedback && !this.training
            ? // Playing it without the retraining would show an ordinary replay under the loop's name.
              'it retrains the model on its own answers between windows, and this replayer was given no way to train'
            : null;
      return { id: s.id, title: s.title, teaches: s.teaches, expect: s.expect.description, windowSize: s.windowSize, count: s.count, unavailable };
    });
  }

  /** Defaults of a scenario (or of a plain replay) for the form. */
  defaults(scenario: ScenarioId | null): ReplayOptions {
    const s = scenario ? scenarioById(scenario) : null;
    return s
      ? { scenario: s.id, count: s.count, rate: s.rate, labelDelayMs: s.labelDelayMs, seed: 1 }
      : { scenario: null, count: 2000, rate: 1, labelDelayMs: 60 * 60 * 1000, seed: 1 };
  }

  /** The alert rules that should catch the scenario; for the control, every other scenario's rules on its sample. */
  rulesFor(scenario: ScenarioId): AlertRule[] {
    return scenarioRules(scenarioById(scenario));
  }

  /** Plays traffic through `champion`; resolves when the replay ends (or is cancelled). */
  async start(project: Project, champion: ModelVersion, run: Run, options: ReplayOptions): Promise<TrafficReplayResult | null> {
    if (this.running) return null;
    this.running = true;
    this.error = null;
    this.result = null;
    this.progress = null;
    this.round = null;
    this.feedback = null;
    const abort = new AbortController();
    this.#abort = abort;
    try {
      const looped = options.scenario ? scenarioById(options.scenario) : null;
      if (looped?.feedback) {
        // The loop replaces the champion between windows: a challenger in shadow would be compared with a moving target.
        this.shadow = null;
        const outcome = await this.#feedbackLoop(project, champion, run, options, abort.signal);
        this.feedback = outcome;
        this.result = outcome.result;
        return outcome.result;
      }
      const chain = await recipeChain((id) => this.services.datasets.get(id), run.datasetId);
      const challenger = await this.services.registry.byAlias(project.id, CHALLENGER);
      const challengerRun = challenger && challenger.id !== champion.id ? await this.services.runs.get(challenger.runId) : undefined;
      this.shadow = challengerRun?.model ? (challenger ?? null) : null;
      const shadow: ShadowModel | undefined = this.shadow ? { key: this.shadow.id, name: this.shadow.name, version: this.shadow.version } : undefined;
      const scenario = options.scenario ? scenarioById(options.scenario) : null;
      const result = await this.services.predictor.replay(
        champion.id,
        () => loadRunModel(this.services, run),
        {
          jobId: newId('replay'),
          projectId: project.id,
          databaseName: this.services.datasets.databaseName,
          model: servedModel(project, champion, run),
          source: { root: datasetRef(this.services, chain.root.id), recipes: run.recipes ?? [] },
          target: project.target,
          stream: {
            rate: options.rate,
            count: options.count,
            seed: options.seed,
            order: scenario?.order ?? 'shuffled',
            labelDelayMs: options.labelDelayMs,
            // The virtual clock starts now and runs ahead, so replayed and live requests share one timeline; a replay
            // by date keeps the rows' own calendar.
            ...(scenario?.order === 'by-date' ? {} : { start: Date.now() }),
            ...(scenario?.dateColumn ? { dateColumn: scenario.dateColumn } : {}),
            ...(scenario ? { scenario: scenario.id } : {}),
          },
          ...(shadow ? { shadow } : {}),
        },
        (e) => (this.progress = e),
        abort.signal,
        shadow && challengerRun ? () => loadRunModel(this.services, challengerRun) : undefined,
      );
      this.result = result;
      return result;
    } catch (e) {
      this.error = isCancelled(e) ? 'The replay was cancelled; the requests it scored stay in the log.' : `The replay failed: ${messageOf(e)}`;
      return null;
    } finally {
      this.running = false;
      this.round = null;
      this.#abort = null;
    }
  }

  /** The feedback-loop scenario: served a window at a time, retrained on its own answers as the scenario declares. */
  #feedbackLoop(project: Project, champion: ModelVersion, run: Run, options: ReplayOptions, signal: AbortSignal): Promise<FeedbackOutcome> {
    const training = this.training;
    if (!training) throw new Error('this replayer was given no way to train, so the feedback loop cannot retrain');
    const services = this.services;
    return playFeedbackLoop(
      {
        services,
        train: (dataset, params, o) => trainAlone(services, training.train, project, dataset, params, o),
        load: (r) => loadRunModel(services, r),
        onChampionMoved: () => training.onRegistryChanged(project),
      },
      {
        project,
        champion,
        run,
        scenario: scenarioById(options.scenario as ScenarioId),
        count: options.count,
        rate: options.rate,
        labelDelayMs: options.labelDelayMs,
        seed: options.seed,
        start: Date.now(),
        signal,
      },
      (p) => {
        this.round = p;
        if (p.replay) this.progress = p.replay;
      },
    );
  }

  cancel(): void {
    this.#abort?.abort();
  }
}
