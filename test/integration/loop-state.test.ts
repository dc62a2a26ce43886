// The Monitor's loop state over fake-indexeddb and the parse worker on a message channel: making a version from the
// champion's traffic announces it to the catalogue, puts it in the lineage continuous training follows (past a
// pipeline's recipe version) and returns the pipelines' decisions; the champion's story reads run, data, source,
// pipeline run and the alias moves back. (Rune classes do not run under vitest: LoopState is a thin holder of these.)

import { beforeAll, describe, expect, it } from 'vitest';
import type { BuiltDataset } from '../../src/core/contracts/dataset';
import { newRun, type PipelineRun } from '../../src/core/deliver/pipeline';
import { ChunkBuilder } from '../../src/core/monitor/log/chunk-builder';
import type { LoggedRequest } from '../../src/core/monitor/log/types';
import type { DatasetVersion, ModelVersion, Run } from '../../src/core/shared/types';
import { AnalysisClient } from '../../src/platform/analysis-client';
import { ParserClient } from '../../src/platform/workers';
import type { LoopbenchDb } from '../../src/platform/db';
import { DatasetsRepo } from '../../src/platform/repositories/datasets';
import { PipelinesRepo } from '../../src/platform/repositories/pipelines';
import { RegistryRepo } from '../../src/platform/repositories/registry';
import { RequestLogRepo } from '../../src/platform/repositories/request-log';
import { RunsRepo } from '../../src/platform/repositories/runs';
import type { TriggerNote } from '../../src/state/deliver/pipelines.svelte';
import { PIPELINE_MADE_TAG } from '../../src/state/deliver/stages/data-stage';
import { readChampionStory } from '../../src/state/monitor/champion-story';
import { makeProductionVersion, type LoopVersionDeps, type LoopWindow } from '../../src/state/monitor/loop-version';
import type { Services } from '../../src/state/shared/services';
import { createAnalysis } from '../../workers/analysis/analysis';
import { createParser } from '../../workers/parse/parser';
import { DatasetService } from '../../workers/dataset/dataset-service';
import { pipeline } from '../unit/deliver/pipeline-fixtures';
import { CLASSES, classifier } from '../unit/monitor/log-fixtures';
import { fakeDatabases, storedVersion, TEST_DATABASE } from '../fixtures/stored-version';
import { workerOnChannel } from '../fixtures/support';
import { datasetFrom } from '../fixtures/tabular';
import { bytes, MODEL_SPEC, project as projectOf, run as runOf } from './storage-fixtures';

const ISLANDS = ['Biscoe', 'Dream', 'Torgersen'];
const speciesOf = (bill: number) => CLASSES[bill < 42 ? 0 : bill < 49 ? 1 : 2];
const project = projectOf('p1');

/** Request `id` at 1 s intervals; even ids labelled, and only those below 300 (later labels have not arrived). */
function traffic(id: number): LoggedRequest {
  const bill = 35.5 + ((id * 7) % 20);
  return {
    id,
    at: 1000 * id,
    inputs: { bill_length_mm: bill, island: ISLANDS[id % 3] },
    output: speciesOf(bill),
    probabilities: null,
    latencyMs: 1,
    warnings: [],
    ...(id % 2 === 0 && id < 300 ? { label: speciesOf(bill), labelAt: 1000 * id + 1 } : {}),
  };
}

let db: LoopbenchDb;
let services: Services;
let imported: DatasetVersion;
/** What a pipeline's recipe made of `imported` (tagged as such); the first champion trained on it. */
let pipelineMade: DatasetVersion;
let run1: Run;
let champion1: ModelVersion;
/** What the catalogue was told, and what the stand-in for PipelinesState was asked. */
const announced: DatasetVersion[] = [];
const asked: DatasetVersion[] = [];
const DECISIONS: TriggerNote[] = [
  { at: 1, pipelineId: 'pl-1', pipelineName: 'retrain penguins', cause: 'new version', action: 'start', reason: 'it is new in its lineage' },
  { at: 1, pipelineId: 'pl-2', pipelineName: 'nightly', cause: 'new version', action: 'none', reason: 'the new-version trigger is off' },
];

beforeAll(async () => {
  const open = fakeDatabases();
  const opened = await open(TEST_DATABASE);
  if (!opened.ok) throw new Error(opened.message);
  db = opened.db;
  const workerDatasets = new DatasetService(open);
  const data: BuiltDataset = await datasetFrom(
    Array.from({ length: 300 }, (_, i) => {
      const bill = 35 + ((i * 8) % 21);
      return { bill_length_mm: bill, island: ISLANDS[i % 3], species: speciesOf(bill) };
    }),
    { name: 'penguins', task: 'classification', target: 'species', types: { bill_length_mm: 'number' }, roles: {} },
  );
  ({ version: imported } = await storedVersion(data, open));
  const analysis = new AnalysisClient(workerOnChannel(createAnalysis(workerDatasets, open)));
  const datasets = new DatasetsRepo(db);
  const applied = await analysis.applyRecipe(
    { databaseName: TEST_DATABASE, versionId: imported.id },
    { version: 1, steps: [{ kind: 'onehot', column: 'island' }] },
    { databaseName: TEST_DATABASE, projectId: 'p1', name: 'penguins · retrain', createdAt: 2 },
  );
  if (!applied.ok) throw new Error('the recipe did not apply');
  pipelineMade = await datasets.setTags(applied.version.id, [PIPELINE_MADE_TAG]);

  const logs = new RequestLogRepo(db);
  const builder = new ChunkBuilder(classifier({ projectId: 'p1' }), 100);
  for (let id = 0; id < 400; id++) {
    builder.append(traffic(id));
    if (builder.full) await logs.append(builder.seal());
  }

  const runs = new RunsRepo(db);
  await runs.create(runOf('r1', { datasetId: pipelineMade.id, recipes: pipelineMade.recipe ? [pipelineMade.recipe] : [] }));
  run1 = await runs.finish('r1', { status: 'finished', model: MODEL_SPEC }, bytes(64));
  const registry = new RegistryRepo(db);
  champion1 = await registry.register('p1', 'penguins', 'r1');
  await registry.moveAlias('p1', 'penguins', { alias: 'champion', to: 1, why: 'first model' });

  services = {
    datasets,
    runs,
    registry,
    pipelines: new PipelinesRepo(db),
    parser: new ParserClient(workerOnChannel(createParser(open))),
    // The predictor buffers nothing here: every request above is stored already.
    predictor: { flushLog: async () => 0 },
  } as unknown as Services;
});

const deps: () => LoopVersionDeps = () => ({
  services,
  catalogue: { added: async (v) => void announced.push(v) },
  pipelines: {
    onNewVersion: async (v) => {
      asked.push(v);
      return DECISIONS;
    },
  },
});

const make = (window: LoopWindow | null, labelledOnly = true) => makeProductionVersion(deps(), project, champion1, run1, window, labelledOnly);

describe('closing the loop from the Monitor', () => {
  let made: DatasetVersion;
  let sourceText: string;

  it('makes a version from a window of the champion’s traffic, in the lineage pipelines follow, and reports their decisions', async () => {
    const result = await make({ start: 0, end: 200_000, index: 1 });
    if (!result.ok) throw new Error(result.error);
    made = result.outcome.version;
    sourceText = result.outcome.sourceText;
    // Raw columns of the import the run's recipe chain starts from, and its parent the version the pipeline took the
    // champion's data from: pipeline-made versions are outside the lineage continuous training follows.
    expect(made).toMatchObject({ name: 'penguins v1 traffic · window 1', rowCount: 100, parents: [imported.id], schema: imported.schema });
    expect(made.source).toMatchObject({ kind: 'production', modelName: 'penguins', modelVersion: 1, requests: 100, labelled: 100, from: 0, to: 198_000 });
    expect(await services.datasets.get(made.id)).toEqual(made);
    expect(announced.map((v) => v.id)).toEqual([made.id]);
    expect(asked.map((v) => v.id)).toEqual([made.id]);
    expect(result.outcome).toMatchObject({ stored: 'created', decisions: DECISIONS, notes: [] });
    expect(sourceText).toBe('production traffic of penguins v1: 100 requests (100 labelled), 1970-01-01T00:00:00Z to 1970-01-01T00:03:18Z');
    expect(result.message).toBe(`Made version "penguins v1 traffic · window 1" (${made.id.slice(0, 12)}), 100 rows from ${sourceText}. Pipelines: 1 started, 0 queued, 1 not run.`);
  });

  it('finds the same rows again as the stored version, without asking the pipelines again', async () => {
    const result = await make({ start: 0, end: 200_000 });
    if (!result.ok) throw new Error(result.error);
    expect(result.outcome).toMatchObject({ stored: 'exists', decisions: [] });
    expect(result.outcome.version).toEqual(made);
    expect(result.message).toMatch(/^The same rows are already version "penguins v1 traffic · window 1"/);
    expect(asked).toHaveLength(1);
  });

  it('takes the whole log when no window is given (open ends cross to the worker as they are)', async () => {
    const result = await make(null);
    if (!result.ok) throw new Error(result.error);
    expect(result.outcome.version.name).toBe('penguins v1 traffic · whole log');
    expect(result.outcome.version.source).toMatchObject({ requests: 150, labelled: 150, from: 0, to: 298_000 });
    expect(asked.map((v) => v.id)).toEqual([made.id, result.outcome.version.id]);
  });

  it('says why no version was made when the range has no label yet', async () => {
    const result = await make({ start: 300_000, end: 400_000, index: 3 });
    expect(result.ok ? null : result.error).toMatch(
      /^No version was made: No labelled request of "penguins" v1 between 1970-01-01T00:05:00Z and 1970-01-01T00:06:40Z: 100 requests, none labelled yet\./,
    );
  });

  it('tells where the champion came from and what it replaced', async () => {
    // A pipeline retrained on the production version and promoted its model as v2.
    const runs = services.runs;
    await runs.create(runOf('r2', { datasetId: made.id }));
    await runs.finish('r2', { status: 'finished', model: MODEL_SPEC }, bytes(64));
    await services.registry.register('p1', 'penguins', 'r2');
    await services.registry.moveAlias('p1', 'penguins', { alias: 'champion', to: 2, why: 'pipeline "retrain penguins" #1 passed its gates' });
    const definition = await services.pipelines.save(
      pipeline({ name: 'retrain penguins', source: { kind: 'lineage', rootVersionId: imported.id }, promotion: { mode: 'auto', model: 'penguins', alias: 'champion' } }),
    );
    const produced: PipelineRun = newRun({ id: 'prun-1', pipelineId: definition.id, at: 10, trigger: { kind: 'new-version', versionId: made.id } });
    await services.pipelines.saveRun('p1', {
      ...produced,
      status: 'passed',
      outputs: { figures: { model: 'penguins', version: 2, candidate: { rows: 'x', metrics: {}, slices: [] }, baseline: null, baselineVersion: 1, baselineNote: null } },
    });

    const story = await readChampionStory(services, project);
    expect(story).toMatchObject({ model: 'penguins', version: 2, run: { id: 'r2', name: 'r2' } });
    expect(story?.data).toEqual([{ id: made.id, name: made.name, rowCount: 100, origin: sourceText }]);
    expect(story?.source).toEqual({ kind: 'production', text: sourceText });
    expect(story?.pipelineRun).toMatchObject({
      id: 'prun-1',
      pipeline: 'retrain penguins',
      number: 1,
      status: 'passed',
      cause: `new version "penguins v1 traffic · window 1" (${made.id.slice(0, 12)}, production traffic of penguins v1)`,
    });
    expect(story?.history.map(({ kind, from, to, why }) => ({ kind, from, to, why }))).toEqual([
      { kind: 'alias', from: 1, to: 2, why: 'pipeline "retrain penguins" #1 passed its gates' },
      { kind: 'alias', from: null, to: 1, why: 'first model' },
    ]);

    // Back on v1: its chain goes through the pipeline's recipe version to the import, and no pipeline run made it.
    await services.registry.moveAlias('p1', 'penguins', { alias: 'champion', to: 1, why: 'rolled back by hand' });
    const before = await readChampionStory(services, project);
    expect(before?.data.map((d) => [d.id, d.origin])).toEqual([
      [pipelineMade.id, "made by a pipeline's recipe"],
      [imported.id, 'file "test.csv"'],
    ]);
    expect(before?.source).toEqual({ kind: 'file', text: 'file "test.csv"' });
    expect(before?.pipelineRun).toBeNull();
    expect(before?.history[0]).toMatchObject({ from: 2, to: 1, why: 'rolled back by hand' });
  });
});
