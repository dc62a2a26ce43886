// The feedback-loop scenario played for real (issue 16): the champion serves the scenario's seeded stream a window at a
// time; after every `retrainEveryWindows` windows its own logged answers become the labels of a new dataset version
// (the parse worker applies the core's selfLabels to the log), a model with the champion's params is trained on it,
// registered as the model's next version and made champion, and the stream goes on with it from the next window.
// Plain functions over injected workers and training, so the whole loop runs in a test without the page.

import type { DatasetVersion, ModelVersion, Project, Run, SplitSpec } from '../../core/shared/types';
import { DEFAULT_READ_FORMAT } from '../../core/shared/types';
import type { ProductionVersionRequest } from '../../core/contracts/parse';
import type { ReplayEvent, TrafficReplay, TrafficReplayResult } from '../../core/contracts/predict';
import type { Failure } from '../../core/contracts/outcomes';
import { plainFormat } from '../../core/data/version-record';
import { retrainings, type FeedbackLoopSpec, type Retraining, type Scenario } from '../../core/monitor/scenarios';
import type { RunParams } from '../../core/train/spec/types';
import { newId } from '../../core/shared/ids';
import type { LoadedRun } from '../../platform/workers';
import { recipeChain } from '../data/recipe-chain';
import { datasetRef } from '../shared/dataset-ref';
import type { Services } from '../shared/services';

/** The alias the loop moves (the registry's CHAMPION, kept here so this module stays free of rune classes). */
export const FEEDBACK_ALIAS = 'champion';
export const FEEDBACK_TAG = 'feedback loop';

export type TrainedRun = { ok: true; run: Run } | { ok: false; reason: string };

export interface FeedbackDeps {
  services: Pick<Services, 'predictor' | 'parser' | 'registry' | 'runs' | 'datasets'>;
  /** Trains `params` on `dataset` on a worker of its own and records the run; aborting `signal` kills it. */
  train: (dataset: DatasetVersion, params: RunParams, options: { name: string; tags: Record<string, string>; signal: AbortSignal; log: (message: string) => void }) => Promise<TrainedRun>;
  /** A finished run's model in the form the predictor loads. */
  load: (run: Run) => Promise<LoadedRun>;
  /** After the champion moved: lists and screens that show the registry read it again. */
  onChampionMoved?: (champion: ModelVersion) => Promise<void>;
}

export interface FeedbackLoopRequest {
  project: Project;
  champion: ModelVersion;
  run: Run;
  /** The scenario, with its `feedback`. */
  scenario: Scenario;
  count: number;
  rate: number;
  labelDelayMs: number | null;
  seed: number;
  /** Virtual ms of the first request; every segment keeps this clock. */
  start: number;
  signal: AbortSignal;
  /** Requests per model call (the replayer's default when absent). */
  batchSize?: number;
}

/** Where the loop is: serving a window, or between two, making the next model. */
export interface FeedbackProgress {
  /** 0 while the first champion serves; k after the k-th retraining. */
  round: number;
  /** Retrainings planned. */
  rounds: number;
  phase: 'serving' | 'labelling' | 'training' | 'registering';
  /** The version serving (or, while training, the one whose answers are the labels). */
  version: number;
  message: string;
  /** The whole replay's progress: requests of every segment so far. */
  replay: ReplayEvent | null;
}

/** One retraining, as it happened: a new champion, or none because no training version could be made. */
export type FeedbackRound =
  | (RoundWindows & {
      outcome: 'retrained';
      /** The version trained on the windows' answers (now champion). */
      version: number;
      datasetId: string;
      runId: string;
      /** Training rows taken (before the split) and the notes of the version: how they were labelled. */
      rows: number;
      notes: string[];
    })
  | (RoundWindows & {
      /**
       * The answers made no version to train on (the model gave one class only: a loop run to its end); the champion
       * keeps serving, as a retraining pipeline whose data step fails leaves the model in place.
       */
      outcome: 'skipped';
      reason: string;
    });

interface RoundWindows {
  round: number;
  /** Windows whose logged answers labelled the training version (inclusive, numbered from 0). */
  fromWindow: number;
  toWindow: number;
  /** The version that answered them. */
  labelledBy: number;
}

export interface FeedbackOutcome {
  /** Every segment's replay, summed: requests, chunks, the first and last id and time, wall-clock time in the worker. */
  result: TrafficReplayResult;
  rounds: FeedbackRound[];
  /** The champion at the end. */
  champion: ModelVersion;
}

const cancelled = (): Failure => ({ kind: 'cancelled' });

/**
 * Plays the scenario's `count` requests with retraining as its `feedback` declares. Stops between two steps when
 * `signal` aborts, rejecting with { kind: 'cancelled' }: what was logged, stored and registered until then stays.
 */
export async function playFeedbackLoop(deps: FeedbackDeps, request: FeedbackLoopRequest, onProgress: (p: FeedbackProgress) => void): Promise<FeedbackOutcome> {
  const { services } = deps;
  const { project, scenario, count, signal } = request;
  const spec = scenario.feedback;
  if (!spec) throw new Error(`The scenario "${scenario.title}" retrains nothing: it has no feedback loop.`);
  checkSpec(spec);
  const size = scenario.windowSize;
  const windows = Math.ceil(count / size);
  const plan = retrainings(spec, windows);
  // The requests are drawn from the first champion's data throughout: the loop changes the model, not the traffic.
  const chain = await recipeChain((id) => services.datasets.get(id), request.run.datasetId);
  const source: TrafficReplay['source'] = { root: datasetRef(services, chain.root.id), recipes: request.run.recipes ?? [] };
  const params: RunParams = request.run.params;

  let current = { version: request.champion, run: request.run };
  /** The first window the current champion served. */
  let servedFrom = 0;
  const times: { firstAt: number; lastAt: number }[] = [];
  const results: TrafficReplayResult[] = [];
  const rounds: FeedbackRound[] = [];
  let progress: Omit<FeedbackProgress, 'message' | 'phase'> = { round: 0, rounds: plan.length, version: current.version.version, replay: null };
  const tell = (phase: FeedbackProgress['phase'], message: string) => onProgress({ ...progress, phase, message });

  for (let w = 0; w < windows; w++) {
    if (signal.aborted) throw cancelled();
    const range = { from: w * size, to: Math.min(count, (w + 1) * size) };
    const served = current;
    tell('serving', `Window ${w + 1} of ${windows}: ${served.version.name} v${served.version.version} serves.`);
    const result = await services.predictor.replay(
      served.version.id,
      () => deps.load(served.run),
      {
        jobId: newId('replay'),
        projectId: project.id,
        databaseName: services.datasets.databaseName,
        model: { name: served.version.name, version: served.version.version, task: project.task, classes: served.run.preprocessor?.labels ?? [] },
        source,
        target: project.target,
        stream: {
          rate: request.rate,
          count,
          seed: request.seed,
          order: scenario.order,
          labelDelayMs: request.labelDelayMs,
          ...(scenario.order === 'by-date' ? {} : { start: request.start }),
          ...(scenario.dateColumn ? { dateColumn: scenario.dateColumn } : {}),
          scenario: scenario.id,
          range,
        },
        ...(request.batchSize ? { batchSize: request.batchSize } : {}),
      },
      (e) => {
        progress = { ...progress, replay: { ...e, done: range.from + e.done, total: count } };
        tell('serving', `Window ${w + 1} of ${windows}: ${served.version.name} v${served.version.version} serves.`);
      },
      signal,
    );
    results.push(result);
    if (result.firstAt === null || result.lastAt === null) throw new Error(`Window ${w} played no request.`);
    times.push({ firstAt: result.firstAt, lastAt: result.lastAt });

    const retraining = plan.find((r) => r.afterWindow === w);
    if (!retraining) continue;
    if (signal.aborted) throw cancelled();
    const round = rounds.length + 1;
    progress = { ...progress, round };
    const next = await retrain(deps, request, { retraining, round, servedFrom, times, params, current, spec }, tell);
    rounds.push(next.record);
    if (next.record.outcome === 'skipped') continue;
    current = { version: next.version, run: next.run };
    servedFrom = w + 1;
    progress = { ...progress, version: next.version.version };
    await deps.onChampionMoved?.(next.version);
  }
  return { result: summed(results), rounds, champion: current.version };
}

interface RoundInput {
  retraining: Retraining;
  round: number;
  servedFrom: number;
  times: readonly { firstAt: number; lastAt: number }[];
  params: RunParams;
  current: { version: ModelVersion; run: Run };
  spec: FeedbackLoopSpec;
}

async function retrain(
  deps: FeedbackDeps,
  request: FeedbackLoopRequest,
  input: RoundInput,
  tell: (phase: FeedbackProgress['phase'], message: string) => void,
): Promise<{ version: ModelVersion; run: Run; record: FeedbackRound }> {
  const { services } = deps;
  const { project, signal } = request;
  const { retraining, round, current, spec } = input;
  // Each version's log is its own: the windows before the current champion served are another model's answers.
  const fromWindow = Math.max(retraining.fromWindow, input.servedFrom);
  const toWindow = retraining.afterWindow;
  const span = `windows ${fromWindow}–${toWindow}`;
  const labeller = `${current.version.name} v${current.version.version}`;

  tell('labelling', `Retraining ${round}: labelling ${span} with ${labeller}'s own answers…`);
  const versionRequest = await selfLabelledRequest(services, request, input, fromWindow, toWindow);
  const made = await services.parser.productionVersion(versionRequest, signal);
  const windows: RoundWindows = { round, fromWindow, toWindow, labelledBy: current.version.version };
  if (!made.ok) {
    const reason = `no version was made from ${span}: ${made.problems.map((p) => p.message).join(' ')}`;
    tell('labelling', `Retraining ${round} skipped: ${reason} ${labeller} keeps serving.`);
    return { ...current, record: { ...windows, outcome: 'skipped', reason } };
  }
  const dataset = made.stored === 'exists' ? ((await services.datasets.get(made.version.id)) ?? made.version) : made.version;
  if (signal.aborted) throw cancelled();

  tell('training', `Retraining ${round}: training on ${dataset.rowCount} rows of ${span} labelled by ${labeller}…`);
  const name = `${current.version.name} · feedback loop ${round}`;
  const trained = await deps.train(dataset, input.params, {
    name,
    tags: { [FEEDBACK_TAG]: `round ${round}, ${span}` },
    signal,
    log: (message) => tell('training', `Retraining ${round}: ${message}`),
  });
  if (!trained.ok) {
    if (trained.reason === 'cancelled' || signal.aborted) throw cancelled();
    throw new Error(`Retraining ${round} on ${span} did not finish: ${trained.reason}`);
  }

  tell('registering', `Retraining ${round}: registering the new model and moving "${FEEDBACK_ALIAS}" to it…`);
  const version = await services.registry.register(project.id, current.version.name, trained.run.id);
  await services.registry.moveAlias(project.id, version.name, {
    alias: FEEDBACK_ALIAS,
    to: version.version,
    why: `feedback loop: retrained on its own answers (${span})`,
  });
  const record: FeedbackRound = {
    ...windows,
    outcome: 'retrained',
    version: version.version,
    datasetId: dataset.id,
    runId: trained.run.id,
    rows: dataset.rowCount,
    notes: made.notes,
  };
  return { version, run: trained.run, record };
}

/** The parse worker's request: the current champion's answers in the windows, as labels, in its training data's columns. */
async function selfLabelledRequest(
  services: FeedbackDeps['services'],
  request: FeedbackLoopRequest,
  input: RoundInput,
  fromWindow: number,
  toWindow: number,
): Promise<ProductionVersionRequest> {
  const { project, seed } = request;
  const { current, spec, times } = input;
  const get = (id: string) => services.datasets.get(id);
  const trained = await get(current.run.datasetId);
  if (!trained) throw new Error(`the version ${current.version.name} v${current.version.version} trained on (${current.run.datasetId.slice(0, 12)}) is no longer stored.`);
  const { root } = await recipeChain(get, current.run.datasetId);
  const first = times[fromWindow];
  const last = times[toWindow];
  return {
    databaseName: services.datasets.databaseName,
    projectId: project.id,
    modelName: current.version.name,
    modelVersion: current.version.version,
    from: first.firstAt,
    // Through the window's last request and no further: the next window is not served yet, but an earlier replay's
    // virtual clock may have run past this point.
    to: justAfter(last.lastAt),
    labelledOnly: false,
    labels: { kind: 'self', seed, selfLabelShare: spec.selfLabelShare, unsureBelow: spec.unsureBelow, now: last.lastAt },
    target: project.target,
    schema: root.schema.map(({ name, type, role }) => ({ name, type, role })),
    split: trafficSplit(root.split),
    format: plainFormat(trained.format ?? DEFAULT_READ_FORMAT),
    parentId: trained.id,
    name: `${current.version.name} v${current.version.version} traffic · windows ${fromWindow}–${toWindow} · labelled by the model`,
    createdAt: Date.now(),
  };
}

/**
 * The split of a version made from traffic: random, with the training data's seed and fractions. Not a time split
 * (its date column is not among the columns a client sends: a request's time is the log's, not a feature), and not
 * stratified: a class the model answered once or twice would leave the test split without it, which a stratified
 * split refuses, and the loop would stop on an answer the model happened to give.
 */
export function trafficSplit(split: SplitSpec): SplitSpec {
  const { seed, fractions } = split;
  return { method: 'random', seed, fractions: [fractions[0], fractions[1], fractions[2]] };
}

/** The smallest double above `ms`: a range's exclusive end that takes `ms` and nothing later. */
export function justAfter(ms: number): number {
  if (!Number.isFinite(ms)) return ms;
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, ms === 0 ? 0 : ms);
  const bits = view.getBigUint64(0);
  view.setBigUint64(0, ms >= 0 ? bits + 1n : bits - 1n);
  return view.getFloat64(0);
}

function checkSpec(spec: FeedbackLoopSpec): void {
  const whole = (v: number) => Number.isInteger(v) && v >= 1;
  if (!whole(spec.retrainEveryWindows)) throw new Error(`The feedback loop's retrainEveryWindows must be a whole number ≥ 1 (got ${spec.retrainEveryWindows}).`);
  if (!whole(spec.trainOnWindows)) throw new Error(`The feedback loop's trainOnWindows must be a whole number ≥ 1 (got ${spec.trainOnWindows}).`);
}

function summed(results: readonly TrafficReplayResult[]): TrafficReplayResult {
  const played = results.filter((r) => r.requests > 0);
  const requests = results.reduce((n, r) => n + r.requests, 0);
  const durationMs = results.reduce((n, r) => n + r.durationMs, 0);
  return {
    requests,
    chunks: results.reduce((n, r) => n + r.chunks, 0),
    firstId: played[0]?.firstId ?? null,
    lastId: played.at(-1)?.lastId ?? null,
    firstAt: played[0]?.firstAt ?? null,
    lastAt: played.at(-1)?.lastAt ?? null,
    labelsDropped: results.reduce((n, r) => n + r.labelsDropped, 0),
    durationMs,
    requestsPerSecond: durationMs > 0 ? (requests * 1000) / durationMs : 0,
    retention: {
      droppedChunks: results.reduce((n, r) => n + r.retention.droppedChunks, 0),
      droppedRequests: results.reduce((n, r) => n + r.retention.droppedRequests, 0),
    },
  };
}
