// The feedback-loop scenario played for real, in Node: the Seattle weather sample stored as the app stores it (the parse
// worker), the app's default MLP trained on it by the trainer worker's implementation on tfjs cpu, served by the
// predictor worker, retrained every three windows on versions the parse worker labels with the model's own logged
// answers, each new model registered and made champion, and the analysis worker reading every version's log as one
// series. All over fake-indexeddb and real MessageChannels; only the page's rune classes are left out (the loop takes
// its training as a function, which here records the run as RunSession does). A second seed runs the loop down to one
// class, after which no version can be made, retraining stops and the champion keeps serving; a cancel stops it
// between two steps.

import * as tf from '@tensorflow/tfjs';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import type { AnalysisApi, MonitorSignals, MonitorSignalsRequest } from '../../src/core/contracts/analysis';
import type { ParserApi } from '../../src/core/contracts/parse';
import type { PredictorApi } from '../../src/core/contracts/predict';
import type { TrainerApi } from '../../src/core/contracts/train';
import { flattenReport } from '../../src/core/evaluate/run-report';
import { labelKnown, labelOf } from '../../src/core/monitor/log/chunk-read';
import type { RequestChunk } from '../../src/core/monitor/log/types';
import { scenarioById } from '../../src/core/monitor/scenarios';
import { SAMPLES, sampleProject } from '../../src/core/shared/defaults';
import { newId } from '../../src/core/shared/ids';
import type { DatasetVersion, ModelVersion, Project, Run } from '../../src/core/shared/types';
import { defaultHyper, defaultSpec } from '../../src/core/train/spec/defaults';
import type { RunParams } from '../../src/core/train/spec/types';
import { AnalysisClient } from '../../src/platform/analysis-client';
import type { LoopbenchDb } from '../../src/platform/db';
import { DatasetsRepo } from '../../src/platform/repositories/datasets';
import { RegistryRepo } from '../../src/platform/repositories/registry';
import { RequestLogRepo } from '../../src/platform/repositories/request-log';
import { RunsRepo } from '../../src/platform/repositories/runs';
import { ParserClient, PredictorClient, TrainerClient } from '../../src/platform/workers';
import { recipeChain } from '../../src/state/data/recipe-chain';
import { importTableSample } from '../../src/state/data/sample-import';
import { FEEDBACK_ALIAS, FEEDBACK_TAG, justAfter, playFeedbackLoop, type FeedbackDeps, type FeedbackLoopRequest, type FeedbackOutcome, type FeedbackProgress } from '../../src/state/monitor/feedback-loop';
import { datasetRef } from '../../src/state/shared/dataset-ref';
import { loadRunModel } from '../../src/state/shared/model-loader';
import type { Services } from '../../src/state/shared/services';
import { createAnalysis } from '../../workers/analysis/analysis';
import { DatasetService } from '../../workers/dataset/dataset-service';
import { createParser } from '../../workers/parse/parser';
import { createPredictor } from '../../workers/predict/predictor';
import { createTrainer } from '../../workers/train/trainer';
import { fakeDatabases, TEST_DATABASE } from '../fixtures/stored-version';
import { workerOnChannel } from '../fixtures/support';

const SCENARIO = scenarioById('feedback-loop');
const RULE = SCENARIO.expect.rule as NonNullable<typeof SCENARIO.expect.rule>;
/** The app's default model for a table: the MLP the Train form starts with. */
const PARAMS: RunParams = { spec: defaultSpec('mlp'), hyper: defaultHyper('mlp') };

/** One loop played from scratch: its own database, workers, sample import and first model. */
interface Played {
  db: LoopbenchDb;
  services: Services;
  project: Project;
  imported: DatasetVersion;
  run1: Run;
  champion1: ModelVersion;
  outcome: FeedbackOutcome;
  progress: FeedbackProgress[];
  signals: MonitorSignals;
  /** Top-class share per window over every version's log. */
  shares: (number | null)[];
  analysis: AnalysisClient;
}

/** Trains as a RunSession does: the run recorded first, trained by the trainer worker, then finished with its model. */
async function trainRun(
  services: Services,
  trainer: TrainerClient,
  project: Project,
  dataset: DatasetVersion,
  params: RunParams,
  name: string,
  tags: Record<string, string>,
): Promise<Run> {
  const runId = newId('run');
  const chain = await recipeChain((id) => services.datasets.get(id), dataset.id);
  const format = chain.root.format ?? dataset.format;
  await services.runs.create({
    id: runId,
    projectId: project.id,
    datasetId: dataset.id,
    name,
    status: 'running',
    params,
    backend: 'cpu',
    versions: {},
    startedAt: Date.now(),
    endedAt: null,
    history: [],
    metrics: {},
    evaluation: null,
    preprocessor: null,
    model: null,
    note: '',
    tags,
    recipes: chain.recipes,
    ...(format ? { format } : {}),
  });
  const result = await trainer.train(
    { runId, task: project.task, params, goal: project.goal.metric, backend: 'cpu', dataset: datasetRef(services, dataset.id) },
    () => {},
    new AbortController().signal,
  );
  return services.runs.finish(
    runId,
    {
      status: 'finished',
      endedAt: Date.now(),
      backend: result.backend,
      history: result.history,
      metrics: flattenReport(result.evaluation),
      evaluation: result.evaluation,
      preprocessor: result.preprocessor,
      model: { topology: result.model.topology, weightSpecs: result.model.weightSpecs },
    },
    result.model.weights,
  );
}

type Setting = Pick<Played, 'db' | 'services' | 'project' | 'imported' | 'run1' | 'champion1' | 'analysis'> & { deps: FeedbackDeps; predictor: PredictorClient };

/** A fresh database with the sample imported, its first model trained, registered and made champion. */
async function setUp(): Promise<Setting> {
  const open = fakeDatabases();
  const opened = await open(TEST_DATABASE);
  if (!opened.ok) throw new Error(opened.message);
  const db = opened.db;
  const workerDatasets = new DatasetService(open);
  const predictor = new PredictorClient(workerOnChannel<PredictorApi>(createPredictor(['cpu'], workerDatasets, open)));
  const analysis = new AnalysisClient(workerOnChannel<AnalysisApi>(createAnalysis(workerDatasets, open)));
  const trainer = new TrainerClient(workerOnChannel<TrainerApi>(createTrainer(workerDatasets)));
  const services = {
    datasets: new DatasetsRepo(db),
    runs: new RunsRepo(db),
    registry: new RegistryRepo(db),
    parser: new ParserClient(workerOnChannel<ParserApi>(createParser(open))),
    predictor,
    analysis,
  } as unknown as Services;

  // The sample as the app opens it: its roles (the date ignored) and its time split.
  const project = sampleProject('seattle-weather', 1);
  const csv = readFileSync(fileURLToPath(new URL('../../node_modules/vega-datasets/data/seattle-weather.csv', import.meta.url)));
  const file = new File([csv], 'seattle-weather.csv', { type: 'text/csv' });
  const imported = await importTableSample(services, SAMPLES['seattle-weather'], { kind: 'file', file }, project);
  const run1 = await trainRun(services, trainer, project, imported, PARAMS, 'first model', {});
  const champion1 = await services.registry.register(project.id, 'seattle', run1.id);
  await services.registry.moveAlias(project.id, 'seattle', { alias: FEEDBACK_ALIAS, to: champion1.version, why: 'the first model' });

  const deps: FeedbackDeps = {
    services,
    train: async (dataset, params, { name, tags }) => ({ ok: true, run: await trainRun(services, trainer, project, dataset, params, name, tags) }),
    load: (run) => loadRunModel(services, run),
  };
  return { db, services, project, imported, run1, champion1, analysis, deps, predictor };
}

function loopRequest(setting: Setting, seed: number, signal: AbortSignal): FeedbackLoopRequest {
  const { project, champion1, run1 } = setting;
  return { project, champion: champion1, run: run1, scenario: SCENARIO, count: SCENARIO.count, rate: SCENARIO.rate, labelDelayMs: SCENARIO.labelDelayMs, seed, start: START, signal };
}

async function play(seed: number): Promise<Played> {
  const setting = await setUp();
  const { services, project, imported, run1, champion1, analysis, deps, predictor, db } = setting;
  const progress: FeedbackProgress[] = [];
  const outcome = await playFeedbackLoop(deps, loopRequest(setting, seed, new AbortController().signal), (p) => progress.push(p));

  // The dashboard's "All versions": every version's log against the first model's training data and answers.
  const table = await predictor.predictTable(champion1.id, () => loadRunModel(services, run1), { jobId: 'reference', dataset: datasetRef(services, run1.datasetId), split: 'train', recipes: [] });
  const signals = await analysis.monitorSignals({
    ...allVersions(project, imported, champion1),
    referenceVersion: champion1.version,
    referencePredictions: { predicted: table.predicted, probabilities: table.probabilities, truth: table.truth },
  });
  const shares = signals.windows.map((w) => w.topClassShare);
  const rounds = outcome.rounds.map((r) => (r.outcome === 'retrained' ? `v${r.version}` : 'skipped'));
  console.log(`seed ${seed}: top-class share per window ${shares.map((x) => x?.toFixed(2)).join(' ')}; retrainings: ${rounds.join(' ')}`);
  return { db, services, project, imported, run1, champion1, outcome, progress, signals, shares, analysis };
}

function allVersions(project: Project, imported: DatasetVersion, champion: ModelVersion): MonitorSignalsRequest {
  return {
    databaseName: TEST_DATABASE,
    projectId: project.id,
    modelName: champion.name,
    modelVersion: null,
    window: { kind: 'count', size: SCENARIO.windowSize },
    reference: { root: { databaseName: TEST_DATABASE, versionId: imported.id }, recipes: [] },
  };
}

/** Every serving chunk of the model, in time order. */
function servingChunks(played: Played): Promise<RequestChunk[]> {
  return new RequestLogRepo(played.db).chunks(played.project.id, { role: 'serving', modelName: played.champion1.name });
}

/** The first window where the share is above the threshold `for` windows in a row; -1 when never. */
function firing(shares: readonly (number | null)[]): number {
  return shares.findIndex((_, w) => w >= RULE.for - 1 && shares.slice(w - RULE.for + 1, w + 1).every((x) => x !== null && x > RULE.threshold));
}

const mean = (xs: readonly number[]) => xs.reduce((a, x) => a + x, 0) / xs.length;

/** Per window, how many logged labels of each class (a label the serving model does not know is not logged). */
async function trueCounts(played: Played): Promise<{ perWindow: Map<string, number>[]; everyVersionKnows: Set<string> }> {
  const chunks = await servingChunks(played);
  const perWindow: Map<string, number>[] = [];
  let n = 0;
  for (const c of chunks) {
    for (let r = 0; r < c.rows; r++, n++) {
      const w = Math.floor(n / SCENARIO.windowSize);
      perWindow[w] ??= new Map();
      if (labelKnown(c, r)) perWindow[w].set(String(labelOf(c, r)), (perWindow[w].get(String(labelOf(c, r))) ?? 0) + 1);
    }
  }
  const everyVersionKnows = chunks.reduce((set, c) => new Set(c.classes.filter((k) => set.has(k))), new Set(chunks[0].classes));
  return { perWindow, everyVersionKnows };
}

/** The scenario's expectation on the shares, and the truth unchanged: a class every version knows keeps its share. */
async function expectRunaway(played: Played): Promise<void> {
  const { shares } = played;
  expect(mean(shares.slice(0, 3) as number[])).toBeLessThan(RULE.threshold);
  const fires = firing(shares);
  expect(fires).toBeGreaterThanOrEqual(SCENARIO.expect.fromWindow);
  expect(fires).toBeLessThanOrEqual(SCENARIO.expect.fromWindow + SCENARIO.expect.withinWindows - 1);
  const { perWindow, everyVersionKnows } = await trueCounts(played);
  expect(everyVersionKnows.size).toBeGreaterThanOrEqual(2);
  for (const label of everyVersionKnows) {
    const share = (from: number, to: number) => mean(perWindow.slice(from, to).map((m) => (m.get(label) ?? 0) / SCENARIO.windowSize));
    console.log(`true share of "${label}": windows 0–9 ${share(0, 10).toFixed(3)}, 20–29 ${share(20, 30).toFixed(3)}`);
    expect(Math.abs(share(20, 30) - share(0, 10))).toBeLessThan(0.06);
  }
}

const START = Date.UTC(2024, 0, 1);
let played: Played;
/** Seed 5: the first model's most common answer is "rain" by a hair, and the loop collapses onto it at once. */
let collapsed: Played;

beforeAll(async () => {
  await tf.setBackend('cpu');
  played = await play(1);
  collapsed = await play(5);
}, 600_000);

describe('the feedback loop, played by the workers', () => {
  it('serves the whole stream in windows, retraining after every third on the windows the champion served', () => {
    const { outcome, signals, progress } = played;
    expect(outcome.result).toMatchObject({ requests: SCENARIO.count, firstId: 0, lastId: SCENARIO.count - 1, firstAt: START });
    // Retrainings after windows 2, 5, …, 26 (none after the last window: there is no next one to serve).
    expect(outcome.rounds.map((r) => [r.round, r.fromWindow, r.toWindow])).toEqual(Array.from({ length: 9 }, (_, k) => [k + 1, 3 * k, 3 * k + 2]));
    expect(outcome.rounds.map((r) => (r.outcome === 'retrained' ? [r.labelledBy, r.version] : r.reason))).toEqual(Array.from({ length: 9 }, (_, k) => [k + 1, k + 2]));
    expect(outcome.champion.version).toBe(10);
    expect(signals.windowCount).toBe(SCENARIO.count / SCENARIO.windowSize);
    expect(signals.requests).toBe(SCENARIO.count);
    // Progress names every round and says when it trains; the replay's count runs over all the segments.
    expect([...new Set(progress.filter((p) => p.phase === 'training').map((p) => p.round))]).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(progress.at(-1)).toMatchObject({ phase: 'serving', round: 9, rounds: 9, version: 10, replay: { done: SCENARIO.count, total: SCENARIO.count } });
  });

  it('logs each window under the version that served it, with ids and virtual times continuing', async () => {
    const chunks = await servingChunks(played);
    const rows = chunks.flatMap((c) => Array.from(c.ids, (id, i) => ({ id, at: c.at[i], version: c.modelVersion })));
    expect(rows.map((r) => r.id)).toEqual(Array.from({ length: SCENARIO.count }, (_, i) => i));
    const interval = 1000 / SCENARIO.rate;
    rows.forEach((r, i) => {
      expect(r.at).toBeCloseTo(START + i * interval, 3);
      // Windows 0–2 by v1, 3–5 by v2, …, 27–29 by v10.
      expect(r.version).toBe(Math.floor(i / SCENARIO.windowSize / 3) + 1);
    });
  });

  it('moves the champion with the reason, and keeps each training version in the lineage of the data it trained on', async () => {
    const { services, project, imported, outcome } = played;
    const model = await services.registry.model(project.id, 'seattle');
    const moves = (model?.audit ?? []).flatMap((e) => (e.kind === 'alias' && e.alias === FEEDBACK_ALIAS ? [e] : []));
    expect(moves.slice(1).map((m) => [m.from, m.to, m.why])).toEqual(
      outcome.rounds.map((r) => [r.labelledBy, r.labelledBy + 1, `feedback loop: retrained on its own answers (windows ${r.fromWindow}–${r.toWindow})`]),
    );
    let parent = imported.id;
    for (const round of outcome.rounds) {
      if (round.outcome !== 'retrained') throw new Error(`round ${round.round} was skipped: ${round.reason}`);
      const version = await services.datasets.get(round.datasetId);
      const run = await services.runs.get(round.runId);
      expect(version?.source).toMatchObject({ kind: 'production', modelName: 'seattle', modelVersion: round.labelledBy, requests: 300, labelled: 300 });
      expect(version?.parents).toEqual([parent]);
      expect(version?.split).toMatchObject({ method: 'random', seed: imported.split.seed, fractions: imported.split.fractions });
      expect(run?.datasetId).toBe(round.datasetId);
      expect(run?.params).toEqual(PARAMS);
      expect(run?.tags[FEEDBACK_TAG]).toBe(`round ${round.round}, windows ${round.fromWindow}–${round.toWindow}`);
      expect(round.notes[0]).toMatch(/^300 requests are labelled with the model's own answer, \d+ of them, where it was unsure, with its most common answer \(\w+\); 0 with the true label\.$/);
      parent = round.datasetId;
    }
  });

  it('labels the training rows with what the model answered, its most common answer taking the rows it was unsure about', async () => {
    const { services, project, outcome } = played;
    const round = outcome.rounds[0];
    if (round.outcome !== 'retrained') throw new Error('the first round was skipped');
    const version = await services.datasets.get(round.datasetId);
    const answers = new Map<string, number>();
    for (const c of (await servingChunks(played)).filter((c) => c.modelVersion === 1)) {
      for (let r = 0; r < c.rows; r++) answers.set(c.classes[c.output[r]], (answers.get(c.classes[c.output[r]]) ?? 0) + 1);
    }
    const summary = version?.summaries[version.schema.findIndex((c) => c.name === project.target)];
    if (summary?.kind !== 'category') throw new Error('the target of the traffic version is not a category');
    const top = [...answers].sort((a, b) => b[1] - a[1])[0][0];
    const unsure = Number(/, (\d+) of them, where it was unsure/.exec(round.notes[0])?.[1]);
    expect(round.notes[0]).toContain(`most common answer (${top})`);
    // Every label is an answer the model gave; the top answer gains exactly the unsure rows that said something else.
    for (const t of summary.top) expect(answers.has(t.value)).toBe(true);
    const labelledTop = summary.top.find((t) => t.value === top)?.count ?? 0;
    expect(labelledTop).toBeGreaterThan(answers.get(top) ?? Infinity);
    expect(labelledTop).toBeLessThanOrEqual((answers.get(top) ?? 0) + unsure);
  });

  it('runs the top-class share away as the scenario says, while the true weather stays as it was', () => expectRunaway(played));

  it('stops retraining once the model answers one class only, and the champion keeps serving', async () => {
    const { outcome, services, project } = collapsed;
    const [first, ...rest] = outcome.rounds;
    expect(first).toMatchObject({ outcome: 'retrained', labelledBy: 1, version: 2 });
    expect(rest).toHaveLength(8);
    for (const r of rest) {
      expect(r).toMatchObject({ outcome: 'skipped', labelledBy: 2 });
      expect(r.outcome === 'skipped' && r.reason).toMatch(/^no version was made from windows \d+–\d+: Target "weather" has only one class \("\w+"\); classification needs at least two\.$/);
    }
    expect(outcome.champion.version).toBe(2);
    expect((await servingChunks(collapsed)).map((c) => c.modelVersion)).toEqual([...Array(3).fill(1), ...Array(27).fill(2)]);
    const model = await services.registry.model(project.id, 'seattle');
    expect(model?.aliases[FEEDBACK_ALIAS]).toBe(2);
    expect(model?.versions).toHaveLength(2);
    await expectRunaway(collapsed);
  });
});

describe('cancelling the loop', () => {
  it('stops between two steps: what was logged and made stays, the champion is where it was', async () => {
    const setting = await setUp();
    const abort = new AbortController();
    const phases: string[] = [];
    const stopped = playFeedbackLoop(setting.deps, loopRequest(setting, 1, abort.signal), (p) => {
      phases.push(`${p.round}:${p.phase}`);
      // Cancelled as the first retraining starts labelling its rows: no model is trained or registered.
      if (p.phase === 'labelling') abort.abort();
    });
    await expect(stopped).rejects.toEqual({ kind: 'cancelled' });
    expect(phases.at(-1)).toBe('1:labelling');
    expect(phases).not.toContain('1:training');
    const model = await setting.services.registry.model(setting.project.id, 'seattle');
    expect(model?.aliases[FEEDBACK_ALIAS]).toBe(1);
    expect(model?.versions).toHaveLength(1);
    const logged = await new RequestLogRepo(setting.db).count(setting.project.id, { role: 'serving' });
    expect(logged).toBe(3 * SCENARIO.windowSize);
  });
});

describe('the pieces the loop is made of', () => {
  it('justAfter is the next double: a range ending there takes the time and nothing later', () => {
    const t = START + 36_000;
    expect(justAfter(t)).toBeGreaterThan(t);
    expect([t, justAfter(t)]).toContain((t + justAfter(t)) / 2);
    expect(justAfter(0)).toBe(Number.MIN_VALUE);
    expect(justAfter(-1)).toBeGreaterThan(-1);
    expect(justAfter(Infinity)).toBe(Infinity);
  });

  it('refuses every version\'s log without a logged version to take the reference from', async () => {
    const { analysis, project, imported, champion1 } = played;
    const request = allVersions(project, imported, champion1);
    await expect(analysis.monitorSignals(request)).rejects.toThrow(/referenceVersion undefined is not 1, 2, \.\.\. \(every version's log needs the version its reference belongs to\)/);
    await expect(analysis.monitorSignals({ ...request, referenceVersion: 99 })).rejects.toThrow(
      'seattle v99 has no serving request in the log (versions logged: 1, 2, 3, 4, 5, 6, 7, 8, 9, 10)',
    );
  });

  it('reads one version\'s log as before, and every version\'s in the reference version\'s classes', async () => {
    const { analysis, project, imported, champion1, signals } = played;
    const one = await analysis.monitorSignals({ ...allVersions(project, imported, champion1), modelVersion: 2 });
    expect(one.requests).toBe(300);
    // The later models know fewer classes than the first; every window is read in the first model's.
    const classes = (await servingChunks(played)).map((c) => c.classes.length);
    expect(Math.min(...classes)).toBeLessThan(classes[0]);
    for (const w of signals.windows) expect(w.classShares).toHaveLength(classes[0]);
  });
});
