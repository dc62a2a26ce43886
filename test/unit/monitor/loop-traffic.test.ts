// The served requests of a range as the raw table a version is built from: cells read as the model read them, labels
// as the target, the range half-open, shadow rows left out, unreadable cells counted and missing.

import { describe, expect, it } from 'vitest';
import { ChunkBuilder } from '../../../src/core/monitor/log/chunk-builder';
import type { LoggedRequest, RequestChunk } from '../../../src/core/monitor/log/types';
import { checkProductionRequest, TrafficCollector, trafficNotes, trafficProblem, type TrafficSpec } from '../../../src/core/monitor/loop';
import type { ProductionVersionRequest } from '../../../src/core/contracts/parse';
import { DEFAULT_SPLIT } from '../../../src/core/shared/defaults';
import { DEFAULT_READ_FORMAT, type ColumnSchema } from '../../../src/core/shared/types';
import { CLASSES, classifier } from './log-fixtures';

const SCHEMA: ColumnSchema[] = [
  { name: 'bill', type: 'number', role: 'feature' },
  { name: 'island', type: 'category', role: 'feature' },
  { name: 'seen', type: 'date', role: 'feature' },
  { name: 'species', type: 'category', role: 'target' },
];

const request = (id: number, inputs: LoggedRequest['inputs'], label?: string): LoggedRequest => ({
  id,
  at: 1000 * id,
  inputs,
  output: CLASSES[0],
  probabilities: null,
  latencyMs: 1,
  warnings: [],
  ...(label === undefined ? {} : { label, labelAt: 1000 * id + 5 }),
});

function chunk(requests: LoggedRequest[], role: 'serving' | 'shadow' = 'serving'): RequestChunk {
  const builder = new ChunkBuilder(classifier({ role }));
  for (const r of requests) builder.append(r);
  return builder.seal();
}

const spec = (extra: Partial<TrafficSpec> = {}): TrafficSpec => ({ from: -Infinity, to: Infinity, labelledOnly: true, schema: SCHEMA, target: 'species', format: DEFAULT_READ_FORMAT, ...extra });

describe('TrafficCollector', () => {
  it('takes labelled serving rows in [from, to) with their label as the target', () => {
    const collector = new TrafficCollector(spec({ from: 1000, to: 4000 }));
    collector.add(
      chunk([
        request(0, { bill: 40, island: 'Dream' }, 'Adelie'),
        request(1, { bill: 41.5, island: 'Biscoe' }, 'Gentoo'),
        request(2, { bill: 42, island: 'Dream' }),
        request(3, { bill: 43, island: 'Atlantis' }, 'Chinstrap'),
        request(4, { bill: 44, island: 'Dream' }, 'Adelie'),
      ]),
    );
    // The challenger's shadow rows repeat the same requests: they are not traffic anyone was answered with.
    collector.add(chunk([request(1, { bill: 99, island: 'Shadow' }, 'Gentoo')], 'shadow'));
    const rows = collector.result();
    expect(rows.table.header).toEqual(['bill', 'island', 'seen', 'species']);
    expect(rows.table.columns).toEqual([
      ['41.5', '43'],
      ['Biscoe', 'Atlantis'],
      ['', ''],
      ['Gentoo', 'Chinstrap'],
    ]);
    expect(rows).toMatchObject({ task: 'classification', inRange: 3, requests: 2, labelled: 2, first: 1000, last: 3000 });
  });

  it('keeps unlabelled rows with a missing target when asked to', () => {
    const collector = new TrafficCollector(spec({ labelledOnly: false }));
    collector.add(chunk([request(0, { bill: 40 }, 'Adelie'), request(1, { bill: 41 })]));
    const rows = collector.result();
    expect(rows.table.columns[3]).toEqual(['Adelie', '']);
    expect(rows).toMatchObject({ requests: 2, labelled: 1 });
  });

  it('reads cells in the training format as serving did, and spells them one way', () => {
    const format = { number: { decimal: ',', thousands: '.' }, dayFirst: true } as const;
    const collector = new TrafficCollector(spec({ format }));
    collector.add(
      chunk([
        request(0, { bill: '1.234,5', island: ' Dream ', seen: '03/04/2021' }, 'Adelie'),
        request(1, { bill: 39.25, island: 7, seen: 'soon' }, 'Gentoo'),
        request(2, { bill: 'N/A', island: null, seen: null }, 'Adelie'),
        request(3, { bill: 'abc', island: 'Dream', seen: '2021-04-03' }, 'Adelie'),
      ]),
    );
    const rows = collector.result();
    expect(rows.table.columns.slice(0, 3)).toEqual([
      ['1234.5', '39.25', '', ''],
      ['Dream', '7', '', 'Dream'],
      ['2021-04-03', '', '', '2021-04-03'],
    ]);
    // "N/A" and null are missing values; "abc" and "soon" are values the model could not read.
    expect([...rows.unreadable]).toEqual([['bill', 1], ['seen', 1]]);
    expect(trafficNotes(rows, new Map(SCHEMA.map((c) => [c.name, c.type])))).toEqual([
      '1 logged value of "bill" could not be read as a number, as the model could not; it is missing in the version.',
      '1 logged value of "seen" could not be read as a date, as the model could not; it is missing in the version.',
    ]);
  });
});

describe('a production version request', () => {
  const valid: ProductionVersionRequest = {
    databaseName: 'db',
    projectId: 'p1',
    modelName: 'penguins',
    modelVersion: 1,
    from: 0,
    to: 10_000,
    labelledOnly: true,
    target: 'species',
    schema: SCHEMA,
    split: DEFAULT_SPLIT,
    format: DEFAULT_READ_FORMAT,
    parentId: 'v1',
    name: 'traffic',
    createdAt: 1,
  };

  it('names each wrong field', () => {
    expect(checkProductionRequest(valid)).toEqual([]);
    const messages = checkProductionRequest({
      ...valid,
      modelVersion: 0,
      from: 5,
      to: 5,
      parentId: '',
      schema: [{ name: 'species', type: 'category', role: 'feature' }, { name: 'photo', type: 'image', role: 'feature' }],
    }).map((p) => p.message);
    expect(messages).toEqual([
      'modelVersion 0 is not 1, 2, ...',
      'The range is empty: from (1970-01-01T00:00:00.005Z) is not before to (1970-01-01T00:00:00.005Z).',
      'parentId names no dataset version.',
      '"species" is the target, but the schema gives it the role "feature".',
      'Column "photo" holds images, which the request log does not keep.',
    ]);
  });

  it('is refused when nothing in range is served or labelled, saying where it looked', () => {
    const empty = new TrafficCollector(spec({ from: 0, to: 10_000 }));
    expect(trafficProblem(valid, empty.result())?.message).toBe(
      'No request served by "penguins" v1 was logged between 1970-01-01T00:00:00Z and 1970-01-01T00:00:10Z.',
    );
    const unlabelled = new TrafficCollector(spec({ labelledOnly: false }));
    unlabelled.add(chunk([request(0, { bill: 40 }), request(1, { bill: 41 })]));
    expect(trafficProblem({ ...valid, from: -Infinity, to: Infinity }, unlabelled.result())?.message).toMatch(
      /^No labelled request of "penguins" v1 in the whole log: 2 requests, none labelled yet\./,
    );
  });
});
