// Lessons judge a project by what it holds: a learner's project is grown step by step here, as the app would store
// it, and after each step exactly the steps it proves are done, each with evidence naming the stored thing.

import { describe, expect, it } from 'vitest';
import { LESSONS, progressOf, type Lesson, type LoopFacts } from '../../../src/core/learn';
import { newRun } from '../../../src/core/deliver/pipeline';
import type { FittedRecipe } from '../../../src/core/recipe/types';
import type { AlertEvent } from '../../../src/core/monitor/alerts/types';
import { sampleProject } from '../../../src/core/shared/defaults';
import type { DatasetVersion, ModelVersion, WeightManifest } from '../../../src/core/shared/types';
import { pipeline } from '../deliver/pipeline-fixtures';
import { makeRun } from '../runs/fixtures';

const project = sampleProject('penguins', 0);

function version(over: Partial<DatasetVersion> = {}): DatasetVersion {
  return {
    id: 'a'.repeat(64),
    projectId: project.id,
    name: 'penguins',
    createdAt: 1,
    rowCount: 333,
    schema: [],
    summaries: [],
    split: { method: 'stratified', seed: 42, fractions: [0.7, 0.15, 0.15], counts: { train: 233, validation: 50, test: 50 } },
    source: { kind: 'sample', fileName: 'penguins.csv', byteLength: 1000 },
    parents: [],
    chunkRows: 65536,
    chunkCount: 1,
    ...over,
  };
}

const empty: LoopFacts = {
  project,
  versions: [],
  savedExpectations: null,
  runs: [],
  modelVersions: [],
  champion: null,
  pipelines: [],
  pipelineRuns: [],
  logged: 0,
  alertEvents: [],
};

function lesson(id: string): Lesson {
  const found = LESSONS.find((l) => l.id === id);
  if (!found) throw new Error(`no lesson ${id}`);
  return found;
}

/** Step id -> evidence when done, or `…` + what there is so far (or `…` alone). */
function judged(id: string, facts: LoopFacts): Record<string, string> {
  const progress = progressOf(lesson(id), facts);
  return Object.fromEntries(progress.steps.map(({ step, check }) => [step.id, check.done ? check.evidence : `…${check.sofar ?? ''}`]));
}

/** A run's stored model: only its presence matters here. */
const model: WeightManifest = { topology: null, weightSpecs: [], byteLength: 1, sha256: 'x', chunkCount: 1 };
const weak = makeRun('weak', { name: 'mlp lr 0.001', metrics: { accuracy: 0.61 }, model, endedAt: 10 });
const strong = makeRun('strong', { name: 'mlp lr 0.05', metrics: { accuracy: 0.98 }, model, endedAt: 20 });
const registered: ModelVersion = { id: 'penguin-species@1', name: 'penguin-species', version: 1, runId: 'strong', createdAt: 30 };

describe('the loop lesson', () => {
  it('is walked step by step, each step done by its evidence', () => {
    const goal = `accuracy ≥ ${project.goal.bar}`;
    expect(judged('loop', empty)).toEqual({
      version: '…',
      train: '…',
      goal: '…',
      register: '…',
      champion: '…',
      serve: '…',
      close: '…',
    });

    let facts: LoopFacts = { ...empty, versions: [version()] };
    expect(judged('loop', facts).version).toBe(`Version "penguins": 333 rows (train 233, validation 50, test 50), id ${'a'.repeat(12)}…`);

    // A run still going is no trained model.
    facts = { ...facts, runs: [makeRun('going', { status: 'running', endedAt: null })] };
    expect(judged('loop', facts).train).toBe('…1 run started, none finished yet.');

    facts = { ...facts, runs: [weak] };
    expect(judged('loop', facts)).toMatchObject({
      train: 'Finished run "mlp lr 0.001": test accuracy 0.61.',
      goal: `…Best so far: run "mlp lr 0.001": test accuracy 0.61; the goal is ${goal}.`,
    });

    facts = { ...facts, runs: [weak, strong] };
    expect(judged('loop', facts)).toMatchObject({
      train: 'Finished run "mlp lr 0.05": test accuracy 0.98.',
      goal: `run "mlp lr 0.05": test accuracy 0.98 meets the goal ${goal}.`,
      register: '…',
    });

    facts = { ...facts, modelVersions: [registered] };
    expect(judged('loop', facts)).toMatchObject({ register: 'Registered penguin-species v1 from run "mlp lr 0.05".', champion: '…' });

    facts = { ...facts, champion: registered, logged: 3 };
    expect(judged('loop', facts)).toMatchObject({
      champion: 'champion → penguin-species v1.',
      serve: '3 requests logged while penguin-species v1 was champion.',
      close: '…',
    });

    const production = version({
      id: 'b'.repeat(64),
      name: 'penguins from production',
      createdAt: 40,
      rowCount: 200,
      parents: ['a'.repeat(64)],
      split: { method: 'random', seed: 1, fractions: [0.7, 0.15, 0.15], counts: { train: 140, validation: 30, test: 30 } },
      source: { kind: 'production', fileName: 'production traffic of penguin-species v1', byteLength: 0, modelName: 'penguin-species', modelVersion: 1, requests: 200, labelled: 180 } as DatasetVersion['source'],
    });
    facts = { ...facts, versions: [version(), production] };
    const progress = progressOf(lesson('loop'), facts);
    expect(progress.done).toBe(7);
    expect(progress.next).toBeNull();
    expect(judged('loop', facts).close).toBe(
      `Version "penguins from production": 200 rows (train 140, validation 30, test 30), id ${'b'.repeat(12)}… from production traffic of penguin-species v1: 200 requests, 180 labelled.`,
    );
  });

  it('points at the first step not done, even when a later one is', () => {
    const progress = progressOf(lesson('loop'), { ...empty, versions: [version()], logged: 5 });
    expect(progress.done).toBe(2);
    expect(progress.next?.id).toBe('train');
  });

  it('judges an error goal as at most the bar', () => {
    const cars = { ...sampleProject('cars', 0), goal: { metric: 'rmse' as const, bar: 3 } };
    const linear = makeRun('r', { name: 'linear', metrics: { rmse: 4.5 }, model });
    expect(judged('loop', { ...empty, project: cars, runs: [linear] }).goal).toBe('…Best so far: run "linear": test rmse 4.5; the goal is rmse ≤ 3.');
    const mlp = makeRun('s', { name: 'mlp', metrics: { rmse: 2.75 }, model });
    expect(judged('loop', { ...empty, project: cars, runs: [linear, mlp] }).goal).toBe('run "mlp": test rmse 2.75 meets the goal rmse ≤ 3.');
  });
});

describe('the data lesson', () => {
  it('needs a saved suite, a version made by a recipe, a run through it, and a pipeline stopped at data', () => {
    const raw = version();
    expect(judged('data', { ...empty, versions: [raw] })).toEqual({ suite: '…', recipe: '…', through: '…', 'data-test': '…' });

    const recipe: FittedRecipe = {
      version: 1,
      input: [],
      output: [],
      steps: [
        { kind: 'drop', columns: ['year'] },
        { kind: 'rename', from: 'sex', to: 'recorded sex' },
      ],
    };
    const derived = version({ id: 'c'.repeat(64), name: 'penguins scaled', createdAt: 5, parents: [raw.id], recipe });
    const plain = makeRun('plain', { name: 'on raw', model, datasetId: raw.id });
    let facts: LoopFacts = { ...empty, versions: [raw, derived], savedExpectations: 7, runs: [plain] };
    expect(judged('data', facts)).toEqual({
      suite: 'A suite of 7 expectations is saved for this project.',
      recipe: '"penguins scaled" was made from "penguins" by a recipe of 2 steps.',
      // A run on the raw version does not replay a recipe.
      through: '…',
      'data-test': '…',
    });

    const through = makeRun('through', { name: 'on scaled', model, datasetId: derived.id, recipes: [recipe] });
    const definition = pipeline({ id: 'pl-1', name: 'retrain species' });
    const stopped = {
      ...newRun({ id: 'r1', pipelineId: 'pl-1', at: 9, trigger: { kind: 'manual' } }),
      status: 'failed' as const,
      failure: { stage: 'data' as const, reason: 'class balance: Chinstrap has 20% of the training rows, below 30%.' },
    };
    facts = { ...facts, runs: [plain, through], pipelines: [definition], pipelineRuns: [stopped] };
    expect(judged('data', facts)).toMatchObject({
      through: 'Run "on scaled" trained on "penguins scaled"; serving replays its 1 recipe on raw rows.',
      'data-test': 'A run of "retrain species" stopped at data: class balance: Chinstrap has 20% of the training rows, below 30%.',
    });
  });
});

describe('the experiments lesson', () => {
  const params = (learningRate: number, epochs = 30) => ({
    spec: { family: 'mlp', layers: [{ units: 16, activation: 'relu' }], dropout: 0 },
    hyper: { optimizer: 'adam', learningRate, epochs, batchSize: 32, seed: 7 },
  });
  const run = (id: string, over: Parameters<typeof makeRun>[1]) => makeRun(id, { model, datasetId: 'd'.repeat(64), ...over });

  it('needs two runs that differ, a sweep, a reproduction and a note, each quoted', () => {
    const first = run('a', { name: 'first', params: params(0.01), metrics: { accuracy: 0.9 }, endedAt: 10 });
    const same = run('b', { name: 'same again', params: params(0.01), metrics: { accuracy: 0.9 }, endedAt: 20 });
    expect(judged('experiments', { ...empty, runs: [first] }).change).toBe('…One finished run: train another that differs in one setting.');
    expect(judged('experiments', { ...empty, runs: [first, same] }).change).toBe('…The finished runs on the same data have the same settings.');
    // Another data version is not a one-setting change.
    const elsewhere = run('c', { name: 'other data', params: params(0.05), datasetId: 'e'.repeat(64), endedAt: 25 });
    expect(judged('experiments', { ...empty, runs: [first, elsewhere] }).change).toMatch(/^…/);

    const faster = run('d', { name: 'faster', params: params(0.05), metrics: { accuracy: 0.95 }, endedAt: 30 });
    const sweepRuns = [0.001, 0.1].map((lr, i) => run(`s${i}`, { name: `sweep ${i + 1}/2`, params: params(lr), metrics: { accuracy: 0.7 + i * 0.2 }, tags: { sweep: 'sw-1' }, endedAt: 5 + i }));
    const replay = run('r', { name: 'faster (reproduction)', params: params(0.05), metrics: { accuracy: 0.95 }, tags: { reproduces: 'd' }, endedAt: 3 });
    const noted = { ...first, tags: { 'mlflow.note.content': '  Lower rate: slower, not better.  ' } };
    const facts: LoopFacts = { ...empty, runs: [noted, same, faster, ...sweepRuns, replay] };
    expect(judged('experiments', facts)).toEqual({
      change: 'Run "faster" differs from "same again" in hyper.learningRate 0.01 → 0.05: test accuracy 0.9 → 0.95.',
      sweep: 'A sweep of 2 finished runs: test accuracy from 0.7 to 0.9.',
      reproduce: 'Run "faster (reproduction)" replayed "faster": Reproduced exactly: all 1 test metric are identical (neither run recorded a training loss).',
      note: 'Note on "first": "Lower rate: slower, not better."',
    });

    const drifted = { ...replay, metrics: { accuracy: 0.94 } };
    expect(judged('experiments', { ...facts, runs: [faster, drifted] }).reproduce).toBe(
      'Run "faster (reproduction)" replayed "faster", not exactly: accuracy 0.95 → 0.94. The records are the same.',
    );
    const onGpu = { ...drifted, backend: 'webgl' as const };
    expect(judged('experiments', { ...facts, runs: [faster, onGpu] }).reproduce).toBe(
      'Run "faster (reproduction)" replayed "faster", not exactly: accuracy 0.95 → 0.94. The records differ in backend, which can explain it.',
    );
  });
});

describe('the gates lesson', () => {
  it('needs a refusal by a test or gate, not a crash, and a promotion by a pipeline', () => {
    const definition = pipeline({ id: 'pl-1', name: 'retrain species' });
    const run = (id: string, at: number) => newRun({ id, pipelineId: 'pl-1', at, trigger: { kind: 'manual' } });
    const crashed = { ...run('r1', 1), status: 'failed' as const, failure: { stage: 'train' as const, reason: 'the worker died' } };
    let facts: LoopFacts = { ...empty, champion: registered, pipelines: [definition], pipelineRuns: [crashed] };
    expect(judged('gates', facts)).toEqual({
      champion: 'champion → penguin-species v1.',
      pipeline: 'Pipeline "retrain species" with 3 tests.',
      refused: '…',
      promoted: '…',
    });

    const refused = { ...run('r2', 2), status: 'failed' as const, failure: { stage: 'gates' as const, reason: 'accuracy 0.97 is below 0.999.' } };
    const passed = { ...run('r3', 3), status: 'passed' as const, outputs: { promoted: { model: 'penguin-species', alias: 'champion', from: 1, to: 2 } } };
    facts = { ...facts, pipelineRuns: [crashed, refused, passed] };
    expect(judged('gates', facts)).toMatchObject({
      refused: 'A run of "retrain species" stopped at gates: accuracy 0.97 is below 0.999.',
      promoted: 'A run of "retrain species" moved champion of penguin-species from v1 to v2.',
    });
  });
});

describe('the monitoring lesson', () => {
  const event = (kind: AlertEvent['kind'], at: number): AlertEvent => ({
    id: `drift@0:${kind}`,
    kind,
    alertId: 'drift@0',
    ruleId: 'drift',
    rule: { name: 'Body mass drifts', signal: 'feature_drift', comparator: '>', severity: 'warning' },
    value: 0.31234,
    threshold: 0.1,
    window: { start: at - 100, end: at },
    at,
    since: 0,
    firedAt: kind === 'firing' ? at : null,
    cause: 'condition',
  });

  it('needs a window of traffic, a firing alert and a run the alert started', () => {
    let facts: LoopFacts = { ...empty, champion: registered, logged: 40 };
    expect(judged('monitor', facts)).toMatchObject({ traffic: '…40 requests logged; a window needs 100.', fired: '…', retrained: '…' });

    facts = { ...facts, logged: 250, alertEvents: [event('pending', 100)] };
    expect(judged('monitor', facts)).toMatchObject({
      traffic: '250 requests logged: 2 windows of 100.',
      fired: '…An alert is pending: its condition has to hold for more windows.',
    });

    const definition = pipeline({ id: 'pl-1', name: 'retrain species' });
    const started = newRun({ id: 'r1', pipelineId: 'pl-1', at: 300, trigger: { kind: 'alert', alertId: 'drift@0' } });
    facts = { ...facts, alertEvents: [event('pending', 100), event('firing', 200)], pipelines: [definition], pipelineRuns: [started] };
    expect(judged('monitor', facts)).toMatchObject({
      fired: '"Body mass drifts" fired: 0.3123 against the threshold 0.1.',
      retrained: 'An alert started a run of "retrain species"; it is queued.',
    });
  });
});

describe('every lesson', () => {
  it('says where, what and why for each step, with step ids unique in the lesson', () => {
    for (const l of LESSONS) {
      expect(new Set(l.steps.map((s) => s.id)).size, l.id).toBe(l.steps.length);
      for (const s of l.steps) {
        expect(s.todo.length, `${l.id}.${s.id}`).toBeGreaterThan(20);
        expect(s.why.length, `${l.id}.${s.id}`).toBeGreaterThan(40);
      }
    }
    expect(LESSONS.map((l) => l.id)).toEqual(['loop', 'data', 'experiments', 'gates', 'monitor']);
  });
});
