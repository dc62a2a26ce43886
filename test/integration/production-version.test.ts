// Closing the loop in the parse worker (fake-indexeddb): served requests logged as chunks become a stored dataset
// version — the rows in range, their labels as the target, typed like the training data, in its lineage, with a
// production source — and a range with nothing labelled is refused with nothing stored.

import { beforeAll, describe, expect, it } from 'vitest';
import type { ProductionVersionRequest } from '../../src/core/contracts/parse';
import type { BuiltDataset } from '../../src/core/contracts/dataset';
import { ChunkBuilder } from '../../src/core/monitor/log/chunk-builder';
import type { LoggedRequest } from '../../src/core/monitor/log/types';
import { DEFAULT_READ_FORMAT, SPLIT_NONE, type ColumnData, type DatasetVersion, type RawRow } from '../../src/core/shared/types';
import { DatasetsRepo } from '../../src/platform/repositories/datasets';
import { RequestLogRepo } from '../../src/platform/repositories/request-log';
import { createParser } from '../../workers/parse/parser';
import type { DatasetService, OpenDatabase } from '../../workers/dataset/dataset-service';
import { storedVersion, TEST_DATABASE } from '../fixtures/stored-version';
import { datasetFrom } from '../fixtures/tabular';
import { CLASSES, classifier } from '../unit/monitor/log-fixtures';

const ISLANDS = ['Biscoe', 'Dream', 'Torgersen'];
const speciesOf = (bill: number) => CLASSES[bill < 42 ? 0 : bill < 49 ? 1 : 2];

function records(): RawRow[] {
  return Array.from({ length: 300 }, (_, i) => {
    const bill = 35 + ((i * 8) % 21);
    return { bill_length_mm: bill, island: ISLANDS[i % 3], species: speciesOf(bill) };
  });
}

let data: BuiltDataset;
let training: DatasetVersion;
let datasets: DatasetService;
let open: OpenDatabase;

beforeAll(async () => {
  data = await datasetFrom(records(), { name: 'penguins', task: 'classification', target: 'species', types: { bill_length_mm: 'number' }, roles: {} });
  ({ datasets, open, version: training } = await storedVersion(data));
});

async function withDb<T>(work: (logs: RequestLogRepo, versions: DatasetsRepo) => Promise<T>): Promise<T> {
  const opened = await open(TEST_DATABASE);
  if (!opened.ok) throw new Error(opened.message);
  try {
    return await work(new RequestLogRepo(opened.db), new DatasetsRepo(opened.db));
  } finally {
    opened.db.close();
  }
}

/**
 * Request `id` at 1 s intervals; bills in a fixed pattern with a quarter-mm, every fifth island "Atlantis" (training
 * never saw it); requests with an even id got their label, the odd ones never did.
 */
function traffic(id: number): LoggedRequest {
  const bill = 35.25 + ((id * 7) % 20);
  const labelled = id % 2 === 0;
  return {
    id,
    at: 1000 * id,
    inputs: { bill_length_mm: bill, island: id % 5 === 0 ? 'Atlantis' : ISLANDS[id % 3] },
    output: speciesOf(bill),
    probabilities: null,
    latencyMs: 1,
    warnings: [],
    ...(labelled ? { label: speciesOf(bill), labelAt: 1000 * id + 500 } : {}),
  };
}

/** Logs requests [0, n) under `projectId` in chunks of 64, so ranges straddle chunks. */
async function logged(projectId: string, n: number): Promise<LoggedRequest[]> {
  const requests = Array.from({ length: n }, (_, id) => traffic(id));
  const builder = new ChunkBuilder(classifier({ projectId }), 64);
  await withDb(async (logs) => {
    for (const r of requests) {
      builder.append(r);
      if (builder.full) await logs.append(builder.seal());
    }
    if (builder.size > 0) await logs.append(builder.seal());
  });
  return requests;
}

function request(projectId: string, extra: Partial<ProductionVersionRequest> = {}): ProductionVersionRequest {
  return {
    databaseName: TEST_DATABASE,
    projectId,
    modelName: 'penguins',
    modelVersion: 1,
    from: -Infinity,
    to: Infinity,
    labelledOnly: true,
    target: 'species',
    schema: training.schema,
    split: training.split,
    format: DEFAULT_READ_FORMAT,
    parentId: training.id,
    name: 'penguins v1 traffic',
    createdAt: 5,
    ...extra,
  };
}

const categories = (column: ColumnData) => {
  if (column.kind !== 'category') throw new Error(`expected a category column, got ${column.kind}`);
  return Array.from(column.codes, (c) => (c < 0 ? null : column.dictionary[c]));
};
const numbers = (column: ColumnData) => {
  if (column.kind !== 'number') throw new Error(`expected a number column, got ${column.kind}`);
  return Array.from(column.values);
};

describe('productionVersion in the parse worker', () => {
  it('makes a version of the labelled requests in range, labels as target, in the training lineage', async () => {
    const requests = await logged('loop', 400);
    // [100 s, 300 s): requests 100..299, which straddle chunks 1..4; the even ones are labelled.
    // The training file wrote decimal commas: the version records that format for serving, while the logged numbers
    // (numbers, not text) are taken as they are.
    const comma = { number: { decimal: ',', thousands: '.' }, dayFirst: true } as const;
    const made = await createParser(open).productionVersion(request('loop', { from: 100_000, to: 300_000, format: comma }));
    if (!made.ok) throw new Error(made.problems.map((p) => p.message).join('\n'));
    const expected = requests.filter((r) => r.at >= 100_000 && r.at < 300_000 && r.label !== undefined);
    expect(expected).toHaveLength(100);

    const { version } = made;
    expect(made.stored).toBe('created');
    expect(version).toMatchObject({ projectId: 'loop', name: 'penguins v1 traffic', rowCount: 100, parents: [training.id], format: comma });
    expect(version.source).toEqual({
      kind: 'production',
      fileName: 'production traffic of penguins v1',
      byteLength: 0,
      modelName: 'penguins',
      modelVersion: 1,
      from: 100_000,
      to: 298_000,
      requests: 100,
      labelled: 100,
    });
    // The training data's columns, types and roles.
    expect(version.schema).toEqual(training.schema);
    expect(version.split.counts.train + version.split.counts.validation + version.split.counts.test).toBe(100);

    const stored = await datasets.read({ databaseName: TEST_DATABASE, versionId: version.id });
    const column = (name: string) => stored.table.columns[stored.table.names.indexOf(name)]!;
    expect(numbers(column('bill_length_mm'))).toEqual(expected.map((r) => r.inputs.bill_length_mm));
    expect(categories(column('species'))).toEqual(expected.map((r) => r.label));
    // A category training never saw is just a new category of the column.
    expect(categories(column('island'))).toEqual(expected.map((r) => r.inputs.island));
    expect(categories(column('island'))).toContain('Atlantis');
    expect(made.notes).toEqual([]);
  });

  it('keeps unlabelled requests with a missing target, outside every partition, when asked to', async () => {
    await logged('all', 200);
    const made = await createParser(open).productionVersion(request('all', { labelledOnly: false, name: 'all traffic' }));
    if (!made.ok) throw new Error(made.problems.map((p) => p.message).join('\n'));
    expect(made.version.rowCount).toBe(200);
    expect(made.version.source).toMatchObject({ kind: 'production', requests: 200, labelled: 100, from: 0, to: 199_000 });
    const stored = await datasets.read({ databaseName: TEST_DATABASE, versionId: made.version.id });
    const species = categories(stored.table.columns[stored.table.names.indexOf('species')]!);
    expect(species.filter((s) => s === null)).toHaveLength(100);
    species.forEach((s, row) => expect(stored.assignment[row] === SPLIT_NONE).toBe(s === null));
  });

  it('refuses a range with no labelled request, and stores nothing', async () => {
    await withDb(async (logs) => {
      const builder = new ChunkBuilder(classifier({ projectId: 'unlabelled' }), 64);
      for (let id = 0; id < 50; id++) builder.append({ ...traffic(2 * id + 1) });
      await logs.append(builder.seal());
    });
    const parser = createParser(open);
    const made = await parser.productionVersion(request('unlabelled'));
    expect(made.ok).toBe(false);
    if (made.ok) return;
    expect(made.problems).toEqual([
      {
        column: 'species',
        line: 0,
        value: '',
        message: expect.stringMatching(/^No labelled request of "penguins" v1 in the whole log: 50 requests, none labelled yet\./) as unknown as string,
      },
    ]);
    const outside = await parser.productionVersion(request('unlabelled', { from: 1_000_000, to: 2_000_000 }));
    expect(outside.ok ? null : outside.problems[0]?.message).toBe(
      'No request served by "penguins" v1 was logged between 1970-01-01T00:16:40Z and 1970-01-01T00:33:20Z.',
    );
    expect(await withDb((_, versions) => versions.list('unlabelled'))).toEqual([]);
  });

  it('finds the same rows again as the version they already are', async () => {
    await logged('again', 200);
    const parser = createParser(open);
    const first = await parser.productionVersion(request('again'));
    const second = await parser.productionVersion(request('again', { name: 'second try', createdAt: 9 }));
    expect([first.ok && first.stored, second.ok && second.stored]).toEqual(['created', 'exists']);
    expect(second.ok && first.ok && second.version.id === first.version.id).toBe(true);
    expect((await withDb((_, versions) => versions.list('again'))).map((v) => v.name)).toEqual(['penguins v1 traffic']);
  });
});
