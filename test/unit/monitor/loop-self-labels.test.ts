// A version from traffic labelled by the model itself (the feedback loop): each row's target is its logged answer, or
// the range's most common answer where the model was unsure, or the truth where the draw leaves it to the truth and it
// had arrived; rows left without a label are dropped with their cells; the request is checked and the notes say how.

import { describe, expect, it } from 'vitest';
import { ChunkBuilder } from '../../../src/core/monitor/log/chunk-builder';
import type { LoggedRequest, RequestChunk } from '../../../src/core/monitor/log/types';
import { checkProductionRequest, TrafficCollector, trafficNotes, trafficProblem, type TrafficSpec } from '../../../src/core/monitor/loop';
import type { ProductionVersionRequest, TrafficLabels } from '../../../src/core/contracts/parse';
import { selfLabels } from '../../../src/core/monitor/scenarios';
import { DEFAULT_SPLIT } from '../../../src/core/shared/defaults';
import { DEFAULT_READ_FORMAT, type ColumnSchema } from '../../../src/core/shared/types';
import { CLASSES, classifier } from './log-fixtures';

const SCHEMA: ColumnSchema[] = [
  { name: 'bill', type: 'number', role: 'feature' },
  { name: 'species', type: 'category', role: 'target' },
];

/** Answers: ids 0–5 Adelie, 6–7 Gentoo; ids 2 and 7 unsure (top probability 0.5); id 8 an error; truth Chinstrap at 1000·id + 500. */
function request(id: number): LoggedRequest {
  const k = id < 6 ? 0 : 2;
  const top = id === 2 || id === 7 ? 0.5 : 0.875;
  const probabilities = [0, 0, 0].map((_, c) => (c === k ? top : (1 - top) / 2));
  const error = id === 8;
  return {
    id,
    at: 1000 * id,
    inputs: { bill: 40 + id },
    output: error ? null : CLASSES[k],
    probabilities: error ? null : probabilities,
    latencyMs: 1,
    warnings: [],
    ...(error ? { error: 'no answer' } : {}),
    label: 'Chinstrap',
    labelAt: 1000 * id + 500,
  };
}

function chunk(ids: number[]): RequestChunk {
  const builder = new ChunkBuilder(classifier());
  for (const id of ids) builder.append(request(id));
  return builder.seal();
}

const self = (extra: Partial<Exclude<TrafficLabels, 'truth'>> = {}): TrafficLabels => ({ kind: 'self', seed: 1, selfLabelShare: 1, unsureBelow: 0.8, now: Infinity, ...extra });
const spec = (labels: TrafficLabels, extra: Partial<TrafficSpec> = {}): TrafficSpec => ({
  from: -Infinity,
  to: Infinity,
  labelledOnly: true,
  schema: SCHEMA,
  target: 'species',
  format: DEFAULT_READ_FORMAT,
  labels,
  ...extra,
});

function collect(labels: TrafficLabels, ids = [0, 1, 2, 3, 4, 5, 6, 7, 8], extra: Partial<TrafficSpec> = {}) {
  const collector = new TrafficCollector(spec(labels, extra));
  // Two chunks: the most common answer is over the whole range, not per chunk.
  collector.add(chunk(ids.filter((id) => id < 6)));
  collector.add(chunk(ids.filter((id) => id >= 6)));
  return collector.result();
}

describe('TrafficCollector with self labels', () => {
  it('labels each row with the model\'s answer, its most common answer where it was unsure, and drops an unanswered row', () => {
    const rows = collect(self());
    expect(rows.table.columns).toEqual([
      ['40', '41', '42', '43', '44', '45', '46', '47'],
      // id 7 said Gentoo unsure: it becomes the range's most common answer, Adelie. id 2 was unsure but said Adelie anyway.
      ['Adelie', 'Adelie', 'Adelie', 'Adelie', 'Adelie', 'Adelie', 'Gentoo', 'Adelie'],
    ]);
    expect(rows).toMatchObject({ inRange: 9, requests: 8, labelled: 8, first: 0, last: 7000 });
    expect(rows.selfLabelled).toEqual({ topClass: 'Adelie', selfLabelled: 8, defaulted: 2, trueLabelled: 0, unlabelled: 1 });
    // The labels are never the truth (Chinstrap), though every row has one logged.
    expect(rows.table.columns[1]).not.toContain('Chinstrap');
    // Asking again gives the same table: labelling happens once.
    const collector = new TrafficCollector(spec(self()));
    collector.add(chunk([0, 1, 6]));
    expect(collector.result()).toEqual(collector.result());
  });

  it('with unsureBelow 0 keeps every answer as given', () => {
    expect(collect(self({ unsureBelow: 0 })).table.columns[1]).toEqual(['Adelie', 'Adelie', 'Adelie', 'Adelie', 'Adelie', 'Adelie', 'Gentoo', 'Gentoo']);
  });

  it('leaves the rest to the truth once it has arrived, drawn per request id as selfLabels draws per seq', () => {
    const all = collect(self({ selfLabelShare: 0 }));
    expect(all.table.columns[1]).toEqual(Array(9).fill('Chinstrap'));
    expect(all.selfLabelled).toMatchObject({ selfLabelled: 0, trueLabelled: 9, unlabelled: 0 });
    // By 3,600 the truth of ids 0–3 has arrived (1000·id + 500): the rest have no label yet and are left out.
    const early = collect(self({ selfLabelShare: 0, now: 3600 }));
    expect(early.table.columns[0]).toEqual(['40', '41', '42', '43']);
    expect(early).toMatchObject({ requests: 4, labelled: 4, first: 0, last: 3000 });
    const half = collect(self({ selfLabelShare: 0.5, seed: 3 }));
    const expected = selfLabels(
      Array.from({ length: 9 }, (_, id) => ({ seq: id, label: 'Chinstrap', labelAt: 1000 * id + 500 })),
      Array.from({ length: 9 }, (_, id) => {
        const r = request(id);
        return { output: r.output, confidence: r.probabilities ? Math.max(...r.probabilities) : null };
      }),
      { target: 'species', seed: 3, selfLabelShare: 0.5, unsureBelow: 0.8 },
    );
    expect(half.table.columns[1]).toEqual(expected.labels.filter((l) => l !== null));
    expect(half.selfLabelled?.trueLabelled).toBeGreaterThan(0);
    expect(half.selfLabelled?.selfLabelled).toBeGreaterThan(0);
  });

  it('keeps to the range, and says how the rows were labelled', () => {
    const rows = collect(self(), undefined, { from: 5000, to: 8000 });
    // ids 5–7: Adelie, Gentoo (sure) and an unsure Gentoo; 2 of 3 said Gentoo, so the unsure one stays Gentoo.
    expect(rows.table.columns[1]).toEqual(['Adelie', 'Gentoo', 'Gentoo']);
    expect(trafficNotes(collect(self()), new Map())).toEqual([
      "8 requests are labelled with the model's own answer, 2 of them, where it was unsure, with its most common answer (Adelie); 0 with the true label.",
      '1 request in range had no label to train on and is left out.',
    ]);
  });
});

describe('a self-labelled production request', () => {
  const request = (labels: unknown): ProductionVersionRequest =>
    ({
      databaseName: 'db',
      projectId: 'p1',
      modelName: 'penguins',
      modelVersion: 1,
      from: 0,
      to: 10_000,
      labelledOnly: false,
      labels,
      target: 'species',
      schema: SCHEMA,
      split: DEFAULT_SPLIT,
      format: DEFAULT_READ_FORMAT,
      parentId: 'v1',
      name: 'traffic',
      createdAt: 1,
    }) as ProductionVersionRequest;

  it('is checked field by field', () => {
    expect(checkProductionRequest(request('truth'))).toEqual([]);
    expect(checkProductionRequest(request(self()))).toEqual([]);
    expect(checkProductionRequest(request('model')).map((p) => p.message)).toEqual(['labels must be "truth" or { kind: "self", … }, not "model".']);
    expect(checkProductionRequest(request(self({ selfLabelShare: 2, unsureBelow: -1, seed: 0.5, now: NaN }))).map((p) => p.message)).toEqual([
      'labels.selfLabelShare must be a share from 0 to 1 (got 2).',
      'labels.unsureBelow must be a share from 0 to 1 (got -1).',
      'labels.seed must be a whole number (got 0.5).',
      'labels.now must be a time in ms (Infinity: every label that ever arrives).',
    ]);
  });

  it('is refused when no row got a label, saying why', () => {
    const collector = new TrafficCollector(spec(self()));
    collector.add(chunk([8]));
    expect(trafficProblem(request(self()), collector.result())?.message).toMatch(
      /^No request of "penguins" v1 between .* got a label: of 1, the model answered none it was to label, and no true label had arrived for the others\.$/,
    );
  });
});
