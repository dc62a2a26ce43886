// The analysis worker's monitor calls over a stored version and a stored request log (fake-indexeddb): the worker
// reads both itself and answers per-window figures.

import { beforeAll, describe, expect, it } from 'vitest';
import type { MonitorSignalsRequest } from '../../src/core/contracts/analysis';
import type { BuiltDataset, DatasetRef } from '../../src/core/contracts/dataset';
import { ChunkBuilder } from '../../src/core/monitor/log/chunk-builder';
import type { LoggedRequest, RequestChunk } from '../../src/core/monitor/log/types';
import { signalValue } from '../../src/core/monitor/windows/signals';
import { SPLIT_TRAIN, type RawRow } from '../../src/core/shared/types';
import { AnalysisClient } from '../../src/platform/analysis-client';
import type { LoopbenchDb } from '../../src/platform/db';
import { RequestLogRepo } from '../../src/platform/repositories/request-log';
import { SuitesRepo } from '../../src/platform/repositories/suites';
import { createAnalysis } from '../../workers/analysis/analysis';
import type { DatasetService, OpenDatabase } from '../../workers/dataset/dataset-service';
import { storedVersion, TEST_DATABASE } from '../fixtures/stored-version';
import { workerOnChannel } from '../fixtures/support';
import { datasetFrom } from '../fixtures/tabular';
import { CLASSES, classifier } from '../unit/monitor/log-fixtures';

const ISLANDS = ['Biscoe', 'Dream', 'Torgersen'];

/** 300 penguin-like rows: bill 35..55 in a fixed pattern, islands in turn, species from the bill. */
function records(): RawRow[] {
  return Array.from({ length: 300 }, (_, i) => {
    const bill = 35 + ((i * 8) % 21);
    return { bill_length_mm: bill, island: ISLANDS[i % 3], species: CLASSES[bill < 42 ? 0 : bill < 49 ? 1 : 2] };
  });
}

let data: BuiltDataset;
let ref: DatasetRef;
let datasets: DatasetService;
let open: OpenDatabase;
/** The training rows' bills, which the live traffic replays in the first window. */
let trainingBills: number[];

beforeAll(async () => {
  data = await datasetFrom(records(), { name: 'penguins', task: 'classification', target: 'species', types: { bill_length_mm: 'number' }, roles: {} });
  ({ ref, datasets, open } = await storedVersion(data));
  const bill = data.table.columns[data.table.names.indexOf('bill_length_mm')];
  if (bill.kind !== 'number') throw new Error('bill is numeric');
  trainingBills = Array.from(data.assignment.keys())
    .filter((r) => data.assignment[r] === SPLIT_TRAIN)
    .map((r) => bill.values[r]);
});

async function withDb<T>(work: (db: LoopbenchDb) => Promise<T>): Promise<T> {
  const opened = await open(TEST_DATABASE);
  if (!opened.ok) throw new Error(opened.message);
  try {
    return await work(opened.db);
  } finally {
    opened.db.close();
  }
}

/** Stores the requests as chunks of 64 (windows of 100 then straddle chunks) under a fresh project id. */
async function logged(projectId: string, requests: LoggedRequest[]): Promise<RequestChunk[]> {
  const builder = new ChunkBuilder(classifier({ projectId }), 64);
  const chunks: RequestChunk[] = [];
  for (const r of requests) {
    builder.append(r);
    if (builder.full) chunks.push(builder.seal());
  }
  if (builder.size > 0) chunks.push(builder.seal());
  await withDb(async (db) => {
    const repo = new RequestLogRepo(db);
    for (const chunk of chunks) await repo.append(chunk);
  });
  return chunks;
}

/** Request `id` at 1 s intervals: the first 100 replay the training bills; from 100 on bills are 20 mm longer and one in five islands is "Atlantis". */
function traffic(id: number, overrides: Partial<LoggedRequest> = {}): LoggedRequest {
  const later = id >= 100;
  const bill = trainingBills[id % trainingBills.length] + (later ? 20 : 0);
  const island = later && id % 5 === 0 ? 'Atlantis' : ISLANDS[id % 3];
  const k = bill < 42 ? 0 : bill < 49 ? 1 : 2;
  const probabilities = [0.1, 0.1, 0.1];
  probabilities[k] = 0.8;
  return { id, at: 1000 * id, inputs: { bill_length_mm: bill, island }, output: CLASSES[k], probabilities, latencyMs: 2, warnings: [], ...overrides };
}

function request(projectId: string, extra: Partial<MonitorSignalsRequest> = {}): MonitorSignalsRequest {
  return {
    databaseName: TEST_DATABASE,
    projectId,
    modelName: 'penguins',
    modelVersion: 1,
    window: { kind: 'count', size: 100 },
    reference: { root: ref, recipes: [] },
    ...extra,
  };
}

describe('monitorSignals in the analysis worker', () => {
  it('finds a shifted numeric column drifted in the later window and not in the first', async () => {
    await logged('drift', Array.from({ length: 200 }, (_, id) => traffic(id)));
    const result = await createAnalysis(datasets, open).monitorSignals(request('drift'));
    expect(result.requests).toBe(200);
    expect(result.windowCount).toBe(2);
    expect(result.reference).toMatchObject({ rows: trainingBills.length, columns: [{ name: 'bill_length_mm', kind: 'numeric' }, { name: 'island', kind: 'categorical', categories: 3 }] });
    const [first, later] = result.windows;
    const bill = (w: typeof first) => w.features.find((f) => f.column === 'bill_length_mm')!;
    expect(bill(first)).toMatchObject({ test: 'ks', drifted: false });
    expect(bill(first).pValue).toBeGreaterThan(0.5);
    expect(bill(later)).toMatchObject({ test: 'ks', drifted: true });
    expect(bill(later).pValue).toBeLessThan(1e-10);
    expect([first.complete, later.complete]).toEqual([true, true]);
    expect([first.start, first.end, later.start, later.end]).toEqual([0, 100_000, 100_000, 199_001]);
  });

  it('shows an unseen category in the unseen share of the window it arrives in', async () => {
    await logged('unseen', Array.from({ length: 200 }, (_, id) => traffic(id)));
    const { windows } = await createAnalysis(datasets, open).monitorSignals(request('unseen'));
    expect(windows.map((w) => signalValue(w, 'unseen_category_share'))).toEqual([0, 0.2]);
    expect(windows[1].quality.columns.find((c) => c.column === 'island')?.unseenShare).toBe(0.2);
  });

  it('changes realized accuracy when labels that arrived later are counted as asOf moves', async () => {
    await logged('labels', Array.from({ length: 100 }, (_, id) => traffic(id)));
    // Late labels for 40 requests: the first 30 agree with the answer (known at t = 200 s), the last 10 do not (t = 400 s).
    const labels = Array.from({ length: 40 }, (_, id) => {
      const answer = traffic(id).output as string;
      const wrong = CLASSES[(CLASSES.indexOf(answer) + 1) % 3];
      return id < 30 ? { requestId: id, label: answer, at: 200_000 } : { requestId: id, label: wrong, at: 400_000 };
    });
    const joined = await withDb((db) => new RequestLogRepo(db).joinLabels('labels', labels));
    expect(joined.counts.joined).toBe(40);
    const analysis = createAnalysis(datasets, open);
    const at = async (asOf: number | undefined) => (await analysis.monitorSignals(request('labels', asOf === undefined ? {} : { asOf }))).windows[0].performance;
    expect(await at(100_000)).toMatchObject({ labelled: 0, realized: null });
    expect(await at(300_000)).toMatchObject({ labelled: 30, realized: { accuracy: 1 } });
    expect(await at(500_000)).toMatchObject({ labelled: 40, realized: { accuracy: 0.75 } });
    expect(await at(undefined)).toMatchObject({ labelled: 40, asOf: null });
  });

  it('checks live inputs with the project\'s stored suite and estimates accuracy from reference predictions', async () => {
    await logged('suite', Array.from({ length: 200 }, (_, id) => traffic(id)));
    await withDb((db) =>
      new SuitesRepo(db).put({
        projectId: 'suite',
        suggestedFrom: null,
        updatedAt: 1,
        expectations: [
          { id: 'categories:island', kind: 'categories', enabled: true, column: 'island', allowed: ISLANDS },
          { id: 'range:bill_length_mm', kind: 'range', enabled: true, column: 'bill_length_mm', min: 30, max: 60 },
          { id: 'missing:species', kind: 'missing', enabled: true, column: 'species', maxFraction: 0 },
        ],
      }),
    );
    // The model's answers on the training rows, as the predictor's predictTable gives them: right on 3 rows in 4.
    const n = trainingBills.length;
    const predicted = Float64Array.from(trainingBills, (b) => (b < 42 ? 0 : b < 49 ? 1 : 2));
    const probabilities = new Float32Array(n * 3).fill(0.1);
    predicted.forEach((k, i) => (probabilities[i * 3 + k] = 0.8));
    const truth = Float64Array.from(predicted, (k, i) => (i % 4 === 0 ? (k + 1) % 3 : k));
    const result = await createAnalysis(datasets, open).monitorSignals(request('suite', { referencePredictions: { predicted, probabilities, truth } }));
    expect(result.skippedExpectations).toEqual([{ id: 'missing:species', reason: '"species" is not a raw input of the model' }]);
    const [first, later] = result.windows;
    expect(first.quality.expectations).toEqual([]);
    // Later window: 20 Atlantis rows; bills of 55 + 20 = 75 and the like exceed 60.
    expect(later.quality.expectations.map((e) => e.id)).toEqual(['categories:island', 'range:bill_length_mm']);
    expect(later.quality.expectations[0]).toMatchObject({ failingRows: 20, examples: [{ requestId: 100, value: 'Atlantis' }, { requestId: 105 }, { requestId: 110 }] });
    expect(later.quality.expectations[1].examples).toHaveLength(3);
    // CBPE fitted on answers that are right 3 times in 4 at 0.8 confidence.
    expect(first.performance.estimated?.accuracy.value).toBeCloseTo(0.75, 1);
    expect(first.predictionDrift).toMatchObject({ column: 'prediction', drifted: false });
    expect(later.predictionDrift?.drifted).toBe(true);
    expect(result.reference.cbpe).toBe(true);
  });

  it('computes time windows, only from `fromWindow` on, and drills into one', async () => {
    await logged('time', Array.from({ length: 200 }, (_, id) => traffic(id)));
    const analysis = createAnalysis(datasets, open);
    // 50 s windows: four of them, 50 requests each.
    const all = await analysis.monitorSignals(request('time', { window: { kind: 'time', ms: 50_000 } }));
    expect(all.windows.map((w) => [w.start, w.requests, w.complete])).toEqual([
      [0, 50, true],
      [50_000, 50, true],
      [100_000, 50, true],
      [150_000, 50, false],
    ]);
    const tail = await analysis.monitorSignals(request('time', { window: { kind: 'time', ms: 50_000 }, fromWindow: 2 }));
    expect(tail.windowCount).toBe(4);
    expect(tail.windows.map((w) => w.index)).toEqual([2, 3]);
    expect(tail.windows[0]).toEqual(all.windows[2]);

    const drill = await analysis.monitorDrill({ ...request('time'), windowIndex: 1, column: 'island' });
    expect(drill).toMatchObject({ kind: 'categorical', column: 'island' });
    if (drill.kind !== 'categorical') throw new Error('island is categorical');
    expect(drill.bars.find((b) => b.category === 'Atlantis')).toEqual({ category: 'Atlantis', reference: 0, current: 20, unseen: true });
    await expect(analysis.monitorDrill({ ...request('time'), windowIndex: 7, column: 'island' })).rejects.toThrow(/Window 7 is not in this log, which makes 2 windows/);
  });

  it('answers through the client with compact, cloneable figures, and refuses a malformed request', async () => {
    await logged('client', Array.from({ length: 100 }, (_, id) => traffic(id)));
    const client = new AnalysisClient(workerOnChannel(createAnalysis(datasets, open)));
    const result = await client.monitorSignals(request('client', { window: { kind: 'count', size: 25 } }));
    expect(result.windows).toHaveLength(4);
    expect(JSON.stringify(result).length).toBeLessThan(20_000);
    await expect(client.monitorSignals({ ...request('client'), modelVersion: 0 })).rejects.toThrow(/modelVersion 0 is not 1, 2/);
    await expect(client.monitorSignals(request('client', { overrides: { bill: { threshold: 0.2 } } }))).rejects.toThrow(/"bill", not an input column/);
    const empty = await client.monitorSignals(request('nobody'));
    expect(empty).toMatchObject({ windows: [], windowCount: 0, requests: 0, reference: { rows: trainingBills.length } });
    expect(empty.reference.notes.at(-1)).toMatch(/No serving request of penguins v1 is logged yet/);
  });
});
