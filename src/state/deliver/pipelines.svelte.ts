// Pipelines of the open project: their definitions, their runs as a CI history, and the controls (start, cancel,
// re-run, approve, reject, pause a trigger). Runs are driven by ../../core/deliver/pipeline/drive.ts with the stage
// runners of ./stages; at most one run of a pipeline runs at a time (the core's scheduler), across tabs too (a
// Web Lock per run: a run no tab drives after a reload is recovered as failed, not left "running").
//
// Two tabs never write the same run: a run's lock is taken when it is queued and held until it has been driven, so
// only the tab that queued it starts it; a change to a run this tab does not drive (cancel, approve, reject) takes
// the lock and applies the event to the run as stored, not to this tab's copy; and the runs of one pipeline are
// driven one at a time across tabs (a lock per pipeline). Definitions save with compare-and-set on what the editor
// loaded, so a stale editor cannot undo another tab's save.

import type { DatasetVersion, Project } from '../../core/shared/types';
import {
  admit,
  alertTriggers,
  checkPipeline,
  currentStage,
  drive,
  failureSummary,
  isFinished,
  newRun,
  newVersionTriggers,
  next,
  planOf,
  rerun,
  runsToStart,
  setTriggerPaused,
  stageDuration,
  PIPELINE_FORMAT,
  type PipelineDefinition,
  type PipelineProblem,
  type PipelineRun,
  type RunTrigger,
  type Stage,
  type TriggerDecision,
} from '../../core/deliver/pipeline';
import { buildRunners } from './stages';
import { byStage, knownDirection } from '../../core/deliver/gates';
import { exportDelivery, readDelivery } from '../../core/deliver/portable';
import { buildLineage } from '../../core/data/lineage';
import { lineageOf } from '../../core/evaluate/plan';
import { newId } from '../../core/shared/ids';
import { downloadText } from '../../platform/download';
import { claimRunLock, holdPipelineLock, runsInProgress, whileNoRunStarts } from '../../platform/run-locks';
import type { Services } from '../shared/services';
import { messageOf } from '../shared/services';
import type { TrainState } from '../train/train.svelte';
import type { VersionCatalogue } from '../data/catalogue.svelte';
import { PIPELINE_MADE_TAG, sourceCandidates } from './stages/data-stage';
import { moveToCandidate } from './stages/promote-stage';
import { CHAMPION } from './registry.svelte';

/** One trigger decision as the screen lists it: what fired, for which pipeline, and what was done. */
export interface TriggerNote {
  at: number;
  pipelineId: string;
  pipelineName: string;
  /** 'new version 3f2a…' or 'alert a-17'. */
  cause: string;
  action: TriggerDecision['action'];
  reason: string;
}

const LOCK_PREFIX = 'pipeline-run:';
const TRIGGER_NOTES = 20;

export interface PipelinesDeps {
  services: Services;
  train: TrainState;
  catalogue: VersionCatalogue;
  /** Called after a run moved an alias or registered a version, so the registry view reloads. */
  onRegistryChanged: (project: Project) => Promise<void>;
}

export class PipelinesState {
  pipelines = $state.raw<PipelineDefinition[]>([]);
  /** Every run of the project's pipelines, newest first; live runs update as they go. */
  runs = $state.raw<PipelineRun[]>([]);
  /** The run whose stages are shown. */
  selectedRunId = $state<string | null>(null);
  /** Recent trigger decisions, newest first (the answer to "why did my pipeline (not) run?"). */
  triggers = $state.raw<TriggerNote[]>([]);
  /**
   * The columns a new pipeline's tests can name: those of the raw rows behaviour tests perturb (the import a lineage
   * starts from), the target, and the classes (null for regression). Loaded with the pipelines.
   */
  columns = $state.raw<{ columns: string[]; target: string; labels: string[] | null }>({ columns: [], target: '', labels: null });
  error = $state<string | null>(null);
  message = $state<string | null>(null);

  #projectId: string | null = null;
  #project: Project | null = null;
  /** Runs this tab drives, by id: aborting one cancels it. */
  readonly #driving = new Map<string, { controller: AbortController; reason: string }>();
  /** The releases of the run locks this tab holds: runs it queued (until driven) or is changing. */
  readonly #owned = new Map<string, () => void>();
  /** onNewVersion's answer per stored version (id and time stored: a version deleted and imported again is new again). */
  readonly #newVersionDecisions = new Map<string, Promise<TriggerNote[]>>();
  readonly #services: Services;

  constructor(private readonly deps: PipelinesDeps) {
    this.#services = deps.services;
  }

  get selected(): PipelineRun | null {
    return this.runs.find((r) => r.id === this.selectedRunId) ?? null;
  }

  runsOf(pipelineId: string): PipelineRun[] {
    return this.runs.filter((r) => r.pipelineId === pipelineId);
  }

  pipelineOf(run: PipelineRun): PipelineDefinition | null {
    return this.pipelines.find((p) => p.id === run.pipelineId) ?? null;
  }

  /** Milliseconds a stage took (or has taken so far); null before it starts. */
  durationOf(stage: Stage, now: number = Date.now()): number | null {
    return stageDuration(stage, now);
  }

  /** "Failed at stage "gates": …" for a failed run; null otherwise. */
  summaryOf(run: PipelineRun): string | null {
    return failureSummary(run);
  }

  /** The run's number among its pipeline's runs (#1 is the oldest), as CI systems number builds. */
  numberOf(run: PipelineRun): number {
    return this.runs.filter((r) => r.pipelineId === run.pipelineId && r.createdAt <= run.createdAt).length;
  }

  async load(project: Project): Promise<void> {
    this.#projectId = project.id;
    this.#project = project;
    // Under the start gate: a run another tab queues meanwhile is not taken for an orphan.
    const recovered = await whileNoRunStarts(async () => {
      const alive = await runsInProgress();
      return this.#services.pipelines.recoverInterrupted(project.id, (id) => this.#driving.has(id) || this.#owned.has(id) || alive.has(LOCK_PREFIX + id));
    });
    const [pipelines, runs, versions] = await Promise.all([
      this.#services.pipelines.list(project.id),
      this.#services.pipelines.runs(project.id),
      this.#services.datasets.list(project.id),
    ]);
    if (this.#projectId !== project.id) return;
    this.pipelines = pipelines;
    // Runs driven here keep their live copy: storage lags them by a stage.
    this.runs = runs.map((r) => this.runs.find((live) => live.id === r.id && this.#driving.has(r.id)) ?? r);
    if (!this.runs.some((r) => r.id === this.selectedRunId)) this.selectedRunId = this.runs[0]?.id ?? null;
    if (recovered.length > 0) this.message = `${recovered.length} pipeline run(s) stopped when the page closed were marked as such.`;
    this.columns = await this.#columnsOf(project, versions);
    void this.#pump(project);
  }

  /**
   * Reads the definitions and runs again (another tab changed them) without recovering anything: only reads, then
   * starts this tab's queued runs whose pipeline another tab has stopped running.
   */
  async refresh(project: Project): Promise<void> {
    if (this.#projectId !== project.id) return;
    this.#project = project;
    const [pipelines, runs] = await Promise.all([this.#services.pipelines.list(project.id), this.#services.pipelines.runs(project.id)]);
    if (this.#projectId !== project.id) return;
    this.pipelines = pipelines;
    this.runs = runs.map((r) => this.runs.find((live) => live.id === r.id && this.#driving.has(r.id)) ?? r);
    if (!this.runs.some((r) => r.id === this.selectedRunId)) this.selectedRunId = this.runs[0]?.id ?? null;
    void this.#pump(project);
  }

  select(runId: string | null): void {
    this.selectedRunId = runId;
  }

  /**
   * A new definition for the project, filled in from what the user has in front of them: the selected dataset
   * version's lineage, the Train form's model and hyperparameters, the default tests and gates. Not saved.
   */
  draft(project: Project): PipelineDefinition {
    const versions = this.deps.catalogue.versions;
    const version = this.deps.catalogue.selected ?? sourceCandidates(versions)[0] ?? null;
    const root = version ? (lineageOf(versions, version.id)[0] ?? version.id) : '';
    const taken = new Set(this.pipelines.map((p) => p.name.toLowerCase()));
    let name = `retrain ${project.name}`;
    for (let i = 2; taken.has(name.toLowerCase()); i++) name = `retrain ${project.name} ${i}`;
    const goal = project.goal;
    const bound = knownDirection(goal.metric) === 'lower' ? { upper: goal.bar } : { lower: goal.bar };
    const image = this.deps.catalogue.selected?.schema.some((c) => c.type === 'image') ?? false;
    return {
      format: PIPELINE_FORMAT,
      id: newId('pipeline'),
      projectId: project.id,
      name,
      source: { kind: 'lineage', rootVersionId: root },
      recipe: null,
      training: { kind: 'model', spec: $state.snapshot(this.deps.train.editor.spec), hyper: $state.snapshot(this.deps.train.editor.hyper) },
      tests: [
        { kind: 'leakage' },
        { kind: 'smoke' },
        ...(image ? [] : [{ kind: 'parity' as const }]),
        { kind: 'value', metric: goal.metric, ...bound },
        { kind: 'change', metric: goal.metric, absolute: 0 },
      ],
      promotion: { mode: 'auto', model: project.name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'model', alias: CHAMPION },
      triggers: { newVersion: 'on', alert: 'off' },
    };
  }

  /**
   * Saves a definition (an object, or JSON text as edited); the located problems when refused (nothing stored then).
   * `loaded` is what the editor was opened on (null for a new pipeline): the save is refused when the stored
   * definition is no longer that one, since another tab saved it meanwhile.
   */
  async save(project: Project, definition: PipelineDefinition | string, loaded?: PipelineDefinition | null): Promise<PipelineProblem[]> {
    this.error = null;
    this.message = null;
    let value: unknown = definition;
    if (typeof definition === 'string') {
      try {
        value = JSON.parse(definition);
      } catch (e) {
        return [{ path: '', message: `the JSON does not parse: ${messageOf(e)}` }];
      }
    }
    const checked = checkPipeline(value);
    if (!checked.ok) return checked.problems;
    if (checked.pipeline.projectId !== project.id) return [{ path: 'projectId', message: `the pipeline belongs to another project (${checked.pipeline.projectId})` }];
    try {
      const saved = await this.#services.pipelines.save(checked.pipeline, loaded === undefined ? undefined : loaded && ($state.snapshot(loaded) as PipelineDefinition));
      this.message = `Saved pipeline "${saved.name}".`;
      this.pipelines = await this.#services.pipelines.list(project.id);
      return [];
    } catch (e) {
      // A refused compare-and-set: show the stored definitions, the newer one among them.
      this.pipelines = await this.#services.pipelines.list(project.id);
      return [{ path: '', message: messageOf(e) }];
    }
  }

  async remove(project: Project, pipelineId: string): Promise<void> {
    this.error = null;
    if (this.runs.some((r) => r.pipelineId === pipelineId && !isFinished(r))) {
      this.error = 'This pipeline has a run in progress: cancel it first.';
      return;
    }
    const name = this.pipelines.find((p) => p.id === pipelineId)?.name ?? pipelineId;
    await this.#services.pipelines.remove(pipelineId);
    this.message = `Deleted pipeline "${name}" and its runs.`;
    await this.load(project);
  }

  /** Runs the pipeline now (or queues it behind its running run); says so in `message`, or why not in `error`. */
  async start(project: Project, pipelineId: string): Promise<void> {
    this.error = null;
    this.message = null;
    const pipeline = this.pipelines.find((p) => p.id === pipelineId);
    if (!pipeline) return;
    const admission = admit(this.runs, pipelineId);
    if (admission.action === 'drop') {
      this.error = `Not started: ${admission.reason}.`;
      return;
    }
    const run = await this.#enqueue(project, pipeline, { kind: 'manual' });
    this.selectedRunId = run.id;
    this.message = admission.action === 'start' ? `Started "${pipeline.name}" #${this.numberOf(run)}.` : `Queued "${pipeline.name}" #${this.numberOf(run)}: ${admission.reason}.`;
    void this.#pump(project);
  }

  async cancel(runId: string, reason = 'cancelled by the user'): Promise<void> {
    this.error = null;
    const driving = this.#driving.get(runId);
    if (driving) {
      driving.reason = reason;
      driving.controller.abort();
      return;
    }
    await this.#change(runId, async (stored) => {
      const step = next(stored, { type: 'cancel', at: Date.now(), reason });
      if (!step.ok) {
        this.error = `Cannot cancel: ${step.reason}.`;
        return null;
      }
      return step.run;
    });
  }

  /**
   * Applies `change` to a run this tab does not drive, as stored, under its lock: another tab may have moved it on
   * since this tab's copy was read, and writing an event onto that copy would undo what the other tab did. Refused
   * (with `error`) while another tab holds the run. `change` returns the run to store, or null to store nothing.
   */
  async #change(runId: string, change: (stored: PipelineRun) => Promise<PipelineRun | null>): Promise<boolean> {
    const projectId = this.#projectId ?? '';
    const own = this.#owned.get(runId);
    const release = own ?? (await claimRunLock(LOCK_PREFIX + runId));
    if (!release) {
      this.error = 'This run is being driven in another tab: change it there.';
      return false;
    }
    try {
      const stored = await this.#services.pipelines.getRun(runId);
      if (!stored) {
        this.error = 'This run is no longer stored (deleted in another tab?).';
        return false;
      }
      const changed = await change(stored);
      if (changed) await this.#store(changed, projectId);
      else this.#show(stored, projectId);
      return changed !== null;
    } finally {
      if (!own) release();
      else if (!this.#driving.has(runId) && this.runs.find((r) => r.id === runId)?.status !== 'queued') {
        // A queued run of this tab that was cancelled will not be driven: its lock is no longer needed.
        this.#owned.delete(runId);
        own();
      }
    }
  }

  async rerun(project: Project, runId: string): Promise<void> {
    this.error = null;
    this.message = null;
    const run = this.runs.find((r) => r.id === runId);
    if (!run) return;
    const admission = admit(this.runs, run.pipelineId);
    if (admission.action === 'drop') {
      this.error = `Not re-run: ${admission.reason}.`;
      return;
    }
    const step = rerun(run, newId('prun'), Date.now());
    if (!step.ok) {
      this.error = `Cannot re-run: ${step.reason}.`;
      return;
    }
    await this.#claim(step.run.id);
    await this.#store(step.run);
    this.selectedRunId = step.run.id;
    this.message = `Re-running #${this.numberOf(run)} as #${this.numberOf(step.run)}.`;
    void this.#pump(project);
  }

  /** Approves a run waiting at its promote stage: the alias moves, with the reason in the audit log. */
  async approve(project: Project, runId: string, reason: string): Promise<void> {
    await this.#decide(project, runId, reason, true);
  }

  async reject(project: Project, runId: string, reason: string): Promise<void> {
    await this.#decide(project, runId, reason, false);
  }

  async #decide(project: Project, runId: string, reason: string, approve: boolean): Promise<void> {
    this.error = null;
    this.message = null;
    const run = this.runs.find((r) => r.id === runId);
    const pipeline = run ? this.pipelineOf(run) : null;
    if (!run || !pipeline) return;
    if (!reason.trim()) {
      this.error = `Give a reason to ${approve ? 'approve' : 'reject'} the promotion: it goes into the audit log.`;
      return;
    }
    let updated: PipelineRun | null = null;
    // Decided on the run as stored, under its lock: two tabs cannot both approve it, nor one approve what the other
    // has rejected.
    const decided = await this.#change(runId, async (stored) => {
      const stage = currentStage(stored);
      if (stage?.name !== 'promote' || stage.status !== 'waiting') {
        this.error = 'This run is not waiting for approval (was it decided in another tab?).';
        return null;
      }
      let result = stored;
      try {
        if (approve) {
          const moved = await moveToCandidate({ services: this.#services, project, pipeline }, stored, `approved: ${reason.trim()}`);
          result = { ...stored, outputs: { ...stored.outputs, promoted: moved } };
        }
        const step = next(result, approve ? { type: 'approve', at: Date.now(), reason: reason.trim() } : { type: 'reject', at: Date.now(), reason: reason.trim() });
        if (!step.ok) throw new Error(step.reason);
        result = step.run;
      } catch (e) {
        const step = next(result, { type: 'fail', stage: 'promote', at: Date.now(), reason: `the alias could not move: ${messageOf(e)}` });
        if (step.ok) result = step.run;
      }
      updated = result;
      return result;
    });
    if (!decided || !updated) return;
    await this.deps.onRegistryChanged(project);
    const promoted = (updated as PipelineRun).outputs.promoted;
    this.message = approve && promoted ? `Approved: "${promoted.alias}" now points at ${promoted.model} v${promoted.to}.` : approve ? null : 'Rejected: the alias stays where it was.';
    void this.#pump(project);
  }

  async setTriggerPaused(project: Project, pipelineId: string, trigger: 'newVersion' | 'alert', paused: boolean): Promise<void> {
    const pipeline = this.pipelines.find((p) => p.id === pipelineId);
    if (!pipeline) return;
    const problems = await this.save(project, setTriggerPaused(pipeline, trigger, paused), pipeline);
    const what = trigger === 'newVersion' ? 'new-data' : 'alert';
    if (problems.length > 0) this.error = problems.map((p) => p.message).join('; ');
    else this.message = `The ${what} trigger of "${pipeline.name}" is ${paused ? 'paused' : 'on'}.`;
  }

  /** Downloads the project's pipelines, their tests and the registry's audit log as one JSON file (docs/delivery-format.md). */
  async exportJson(project: Project): Promise<void> {
    const models = await this.#services.registry.models(project.id);
    const file = exportDelivery({ project: { id: project.id, name: project.name }, pipelines: this.pipelines, models, exportedAt: Date.now() });
    const slug = project.name.toLowerCase().replace(/[^a-z0-9]+/g, '-');
    downloadText(`${slug}-delivery.json`, JSON.stringify(file, null, 2), 'application/json');
    this.message = `Exported ${this.pipelines.length} pipeline(s) and the audit log of ${models.length} model(s).`;
  }

  /** Reads pipelines from such a file (or one definition); the located problems when refused, nothing stored then. */
  async importJson(project: Project, text: string): Promise<PipelineProblem[]> {
    this.error = null;
    const read = readDelivery(text, project.id, () => newId('pipeline'));
    if (!read.ok) return read.problems;
    const taken = new Set(this.pipelines.map((p) => p.name.toLowerCase()));
    const clash = read.pipelines.find((p) => taken.has(p.name.toLowerCase()));
    if (clash) return [{ path: 'name', message: `a pipeline named "${clash.name}" exists already: rename one of them first` }];
    for (const p of read.pipelines) await this.#services.pipelines.save(p);
    this.pipelines = await this.#services.pipelines.list(project.id);
    this.message = `Imported ${read.pipelines.length} pipeline(s).`;
    return [];
  }

  /**
   * A dataset version was added by an import, a recipe or production traffic: every pipeline of the project whose
   * lineage it joins runs (or queues), unless its trigger is paused or off; every decision is noted with its reason and
   * returned. Decided once per stored version: the catalogue's listener and a caller that wants the decisions (closing
   * the loop) share one answer instead of starting the pipelines twice.
   */
  onNewVersion(version: DatasetVersion): Promise<TriggerNote[]> {
    const key = `${version.id}@${version.createdAt}`;
    let decided = this.#newVersionDecisions.get(key);
    if (!decided) {
      decided = this.#decideNewVersion(version);
      this.#newVersionDecisions.set(key, decided);
    }
    return decided;
  }

  async #decideNewVersion(version: DatasetVersion): Promise<TriggerNote[]> {
    if ((version.tags ?? []).includes(PIPELINE_MADE_TAG)) return [];
    const project = this.#currentProject(version.projectId);
    if (!project) return [];
    const [pipelines, runs, versions] = await Promise.all([
      this.#services.pipelines.list(project.id),
      this.#services.pipelines.runs(project.id),
      this.#services.datasets.list(project.id),
    ]);
    if (pipelines.length === 0) return [];
    const decisions = newVersionTriggers({
      projectId: project.id,
      versionId: version.id,
      graph: buildLineage(sourceCandidates(versions), []),
      pipelines,
      runs,
    });
    return this.#act(project, pipelines, decisions, `new version "${version.name}" (${version.id.slice(0, 8)})`, { kind: 'new-version', versionId: version.id });
  }

  /**
   * A monitoring alert fired on `modelName` (the Monitor stage's entry point): the pipelines that promote that model
   * run, unless their alert trigger is paused or off. Returns every pipeline's decision.
   */
  async onAlert(project: Project, modelName: string, alertId: string): Promise<TriggerDecision[]> {
    const [pipelines, runs] = await Promise.all([this.#services.pipelines.list(project.id), this.#services.pipelines.runs(project.id)]);
    const decisions = alertTriggers({ projectId: project.id, modelName, alertId, pipelines, runs });
    await this.#act(project, pipelines, decisions, `alert ${alertId} on "${modelName}"`, { kind: 'alert', alertId });
    return decisions;
  }

  /** Queues a run for every decision that asks for one, and notes every decision with its reason. */
  async #act(project: Project, pipelines: readonly PipelineDefinition[], decisions: readonly TriggerDecision[], cause: string, trigger: RunTrigger): Promise<TriggerNote[]> {
    const notes: TriggerNote[] = [];
    for (const d of decisions) {
      const pipeline = pipelines.find((p) => p.id === d.pipelineId) as PipelineDefinition;
      notes.push({ at: Date.now(), pipelineId: pipeline.id, pipelineName: pipeline.name, cause, action: d.action, reason: d.reason });
      if (d.action !== 'none') await this.#enqueue(project, pipeline, trigger);
    }
    if (project.id !== this.#projectId) return notes;
    this.triggers = [...notes, ...this.triggers].slice(0, TRIGGER_NOTES);
    this.pipelines = [...pipelines];
    void this.#pump(project);
    return notes;
  }

  /** Triggers act on the open project only: its pipelines are the ones loaded. */
  #currentProject(projectId: string): Project | null {
    return this.#project?.id === projectId ? this.#project : null;
  }

  async #enqueue(project: Project, pipeline: PipelineDefinition, trigger: RunTrigger): Promise<PipelineRun> {
    const run = newRun({ id: newId('prun'), pipelineId: pipeline.id, at: Date.now(), trigger, plan: planOf(pipeline) });
    await this.#claim(run.id);
    try {
      await this.#store(run, project.id);
    } catch (e) {
      this.#owned.get(run.id)?.();
      this.#owned.delete(run.id);
      throw e;
    }
    return run;
  }

  /** Owns a new run from before it is stored, so no tab sees it queued without an owner. */
  async #claim(runId: string): Promise<void> {
    const release = await claimRunLock(LOCK_PREFIX + runId);
    // A fresh id: only a broken lock manager could refuse it.
    if (!release) throw new Error(`Pipeline run ${runId} is already held by another tab.`);
    this.#owned.set(runId, release);
  }

  /** Stores a run and shows it (when its project is open). */
  async #store(run: PipelineRun, projectId = this.#projectId ?? ''): Promise<void> {
    await this.#services.pipelines.saveRun(projectId, run);
    this.#show(run, projectId);
  }

  #show(run: PipelineRun, projectId: string): void {
    if (projectId !== this.#projectId) return;
    const others = this.runs.filter((r) => r.id !== run.id);
    this.runs = [run, ...others].sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? 1 : -1));
  }

  /** Starts every queued run of this tab whose pipeline has nothing running (another tab starts its own). */
  async #pump(project: Project): Promise<void> {
    for (const run of runsToStart(this.runs)) {
      if (this.#driving.has(run.id) || !this.#owned.has(run.id)) continue;
      const pipeline = this.pipelineOf(run);
      if (!pipeline) continue;
      void this.#drive(project, pipeline, run);
    }
  }

  async #drive(project: Project, pipeline: PipelineDefinition, run: PipelineRun): Promise<void> {
    const controller = new AbortController();
    const entry = { controller, reason: 'cancelled by the user' };
    this.#driving.set(run.id, entry);
    const number = this.numberOf(run);
    try {
      // This tab owns the run since it queued it; the pipeline's lock waits for a run of it driven in another tab.
      await holdPipelineLock(pipeline.id, async () => {
        // Read back: a tab that did not see this one's queue may have cancelled the run meanwhile.
        const stored = await this.#services.pipelines.getRun(run.id);
        if (!stored || stored.status !== 'queued') {
          if (stored) this.#show(stored, project.id);
          return;
        }
        const runners = buildRunners({ services: this.#services, project, pipeline, tests: byStage(pipeline.tests), train: this.deps.train, number });
        const ended = await drive(stored, runners, {
          now: Date.now,
          save: (r) => this.#services.pipelines.saveRun(project.id, r),
          onChange: (r) => this.#show(r, project.id),
          signal: controller.signal,
          cancelReason: () => entry.reason,
        });
        this.#show(ended, project.id);
        if (ended.status !== 'queued') await this.deps.onRegistryChanged(project);
      });
    } catch (e) {
      this.error = `Pipeline "${pipeline.name}" #${number} stopped: ${messageOf(e)}`;
    } finally {
      this.#driving.delete(run.id);
      this.#owned.get(run.id)?.();
      this.#owned.delete(run.id);
    }
    void this.#pump(project);
  }

  async #columnsOf(project: Project, versions: readonly DatasetVersion[]): Promise<PipelinesState['columns']> {
    const newest = sourceCandidates(versions)[0];
    if (!newest) return { columns: [], target: project.target, labels: null };
    const rootId = lineageOf(versions, newest.id)[0] ?? newest.id;
    const root = versions.find((v) => v.id === rootId) ?? newest;
    const columns = root.schema.filter((c) => c.name !== project.target && c.role !== 'ignore').map((c) => c.name);
    let labels: string[] | null = null;
    if (project.task === 'classification') {
      const runs = await this.#services.runs.list(project.id);
      labels = runs.find((r) => r.preprocessor?.labels?.length)?.preprocessor?.labels ?? null;
    }
    return { columns, target: project.target, labels };
  }
}
