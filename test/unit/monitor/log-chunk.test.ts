import { describe, expect, it } from 'vitest';
import { ChunkBuilder, chunksOf } from '../../../src/core/monitor/log/chunk-builder';
import { chunkProblems } from '../../../src/core/monitor/log/check-chunk';
import {
  hasWarning,
  inputColumn,
  inputValue,
  labelKnown,
  outputOf,
  rowOf,
  rowOfId,
  warningBit,
} from '../../../src/core/monitor/log/chunk-read';
import type { InputWarning } from '../../../src/core/shared/types';
import type { LoggedRequest, RequestChunk } from '../../../src/core/monitor/log/types';
import { asRead, CLASSES, classifier, regressor, served } from './log-fixtures';

const unseen: InputWarning = { kind: 'unseen-category', column: 'island', value: 'Atlantis', message: '"Atlantis" was never seen in training.' };
const unreadable: InputWarning = { kind: 'unparseable-number', column: 'bill_length_mm', value: 'n/a', message: '"n/a" is not a number.' };

/** A mixed batch: an error, warnings, a label, a column that appears late, text in a numeric column and back. */
function mixedRequests(): LoggedRequest[] {
  return [
    served(10),
    served(11, { inputs: { bill_length_mm: 'n/a', island: 'Dream', sex: 'male' }, warnings: [unreadable] }),
    served(12, { output: null, probabilities: null, error: 'The model answered NaN.' }),
    served(13, { inputs: { bill_length_mm: 41, island: 'Atlantis', sex: 'male', ring: 'r1' }, warnings: [unseen, { ...unseen, column: 'ring', value: 'r1', kind: 'unknown-column' }] }),
    served(14, { label: 'Gentoo', labelAt: 5000 }),
    served(15, { inputs: { bill_length_mm: 44.5, island: 7, sex: null } }),
    served(16, { inputs: { bill_length_mm: NaN }, label: 'Adelie' }),
  ];
}

function build(requests: LoggedRequest[], owner = classifier()): RequestChunk {
  const builder = new ChunkBuilder(owner);
  for (const r of requests) builder.append(r);
  return builder.seal();
}

describe('ChunkBuilder and rowOf', () => {
  it('round-trips every field of classification requests, including errors, warnings, labels and odd inputs', () => {
    const requests = mixedRequests();
    const chunk = build(requests);
    const columns = ['bill_length_mm', 'island', 'sex', 'ring'];
    expect(chunk.inputs.map((c) => c.name)).toEqual(columns);
    requests.forEach((r, i) => expect(rowOf(chunk, i)).toEqual(asRead(r, columns)));
    expect(chunkProblems(chunk)).toEqual([]);
  });

  it('stores columns as typed arrays with the encodings the statistics read', () => {
    const chunk = build(mixedRequests());
    if (chunk.task !== 'classification') throw new Error('expected a classification chunk');
    expect(chunk).toMatchObject({ rows: 7, firstId: 10, lastId: 16, firstAt: 1100, lastAt: 1160, labelled: 2, classes: CLASSES });
    expect(Array.from(chunk.output)).toEqual([1, 2, -1, 1, 2, 0, 1]);
    expect(Array.from(chunk.labels)).toEqual([-1, -1, -1, -1, 2, -1, 0]);
    expect(Array.from(chunk.labelAt)).toEqual([NaN, NaN, NaN, NaN, 5000, NaN, 1160]);
    expect(Array.from(chunk.error)).toEqual([0, 0, 1, 0, 0, 0, 0]);
    expect(chunk.errors).toEqual(['The model answered NaN.']);
    expect(chunk.probabilities).toBeInstanceOf(Float32Array);
    expect(Array.from(chunk.probabilities!.subarray(6, 9))).toEqual([NaN, NaN, NaN]);

    const bill = inputColumn(chunk, 'bill_length_mm')!;
    expect(bill.kind).toBe('number');
    if (bill.kind !== 'number') return;
    expect(Array.from(bill.values)).toEqual([35, NaN, 36, 41, 37, 44.5, NaN]);
    expect(bill.text).toEqual({ rows: Int32Array.from([1]), values: ['n/a'] });

    const island = inputColumn(chunk, 'island')!;
    if (island.kind !== 'text') throw new Error('island should be a text column');
    expect(island.dictionary).toEqual(['Dream', 'Biscoe', 'Atlantis', 'Torgersen']);
    expect(Array.from(island.codes)).toEqual([0, 0, 1, 2, 3, -1, -1]);
    expect(inputValue(island, 5)).toBe(7);
    expect(inputValue(island, 6)).toBeNull();

    // A column first seen on row 3 is missing before it.
    const ring = inputColumn(chunk, 'ring')!;
    expect(ring.kind === 'text' && Array.from(ring.codes)).toEqual([-1, -1, -1, 0, -1, -1, -1]);
  });

  it('keeps a bitmask of warning kinds per row beside the details', () => {
    const chunk = build(mixedRequests());
    expect(Array.from(chunk.warnings)).toEqual([0, warningBit('unparseable-number'), 0, warningBit('unseen-category') | warningBit('unknown-column'), 0, 0, 0]);
    expect(hasWarning(chunk, 3, 'unseen-category')).toBe(true);
    expect(hasWarning(chunk, 3, 'out-of-range')).toBe(false);
    expect(chunk.warningDetails.rows).toEqual(Int32Array.from([1, 3, 3]));
  });

  it('round-trips regression requests and refuses probabilities for them', () => {
    const requests: LoggedRequest[] = [
      { id: 1, at: 5, inputs: { hp: 130, origin: 'USA' }, output: 18.25, probabilities: null, latencyMs: 2, warnings: [] },
      { id: 2, at: 6, inputs: { hp: 165, origin: 'Japan' }, output: null, probabilities: null, latencyMs: 1, warnings: [], error: 'Infinity' },
      { id: 4, at: 7, inputs: { hp: 150, origin: 'USA' }, output: 15.5, probabilities: null, latencyMs: 3, warnings: [], label: 16, labelAt: 99 },
    ];
    const chunk = build(requests, regressor());
    expect(chunk.task).toBe('regression');
    expect(chunk.output).toBeInstanceOf(Float64Array);
    expect(Array.from(chunk.labels)).toEqual([NaN, NaN, 16]);
    requests.forEach((r, i) => expect(rowOf(chunk, i)).toEqual(asRead(r, ['hp', 'origin'])));
    expect(outputOf(chunk, 1)).toBeNull();

    const builder = new ChunkBuilder(regressor());
    expect(() => builder.append({ ...requests[0], probabilities: [0.5, 0.5] })).toThrow(/Request 1: a regression answer has no probabilities/);
    expect(() => builder.append({ ...requests[0], output: 'big' })).toThrow(/Request 1: a regression output is a finite number/);
  });

  it('refuses malformed requests by id and field, leaving the builder as it was', () => {
    const builder = new ChunkBuilder(classifier());
    builder.append(served(1));
    expect(() => builder.append(served(1))).toThrow('Request 1 is already in this chunk.');
    expect(() => builder.append(served(2, { output: 'Emperor' }))).toThrow(/Request 2: output "Emperor" is not one of the model's classes \(Adelie, Chinstrap, Gentoo\)/);
    expect(() => builder.append(served(3, { probabilities: [1, 0] }))).toThrow('Request 3: 2 probabilities for 3 classes.');
    expect(() => builder.append(served(4, { error: 'NaN' }))).toThrow('Request 4 has both an output and an error.');
    expect(() => builder.append(served(5, { output: null }))).toThrow('Request 5 has neither an output nor an error.');
    expect(() => builder.append(served(6, { label: 'Emperor' }))).toThrow(/Request 6: label "Emperor"/);
    expect(() => builder.append(served(7, { inputs: { flag: true as unknown as string } }))).toThrow('Request 7: input "flag" is boolean');
    expect(() => builder.append(served(8, { at: NaN }))).toThrow(/Request 8: its time/);
    expect(() => builder.append(served(-1))).toThrow(/Request -1: a request id is a whole number/);
    expect(() => builder.append(served(9, { latencyMs: -1 }))).toThrow(/Request 9: latency -1/);
    expect(builder.size).toBe(1);
    const chunk = builder.seal();
    expect(chunk.rows).toBe(1);
    expect(chunk.inputs.map((c) => c.name)).toEqual(['bill_length_mm', 'island', 'sex']);
  });

  it('refuses to overfill, to seal nothing, and owners it cannot log for', () => {
    const builder = new ChunkBuilder(classifier(), 2);
    builder.append(served(1));
    builder.append(served(2));
    expect(builder.full).toBe(true);
    expect(() => builder.append(served(3))).toThrow(/already holds 2 requests; seal it first/);
    expect(builder.seal().rows).toBe(2);
    // Sealing empties the builder for the next chunk of the same model.
    expect(builder.size).toBe(0);
    expect(() => builder.seal()).toThrow('There are no requests to seal into a chunk.');
    builder.append(served(1));
    expect(builder.seal().firstId).toBe(1);

    expect(() => new ChunkBuilder(classifier({ classes: ['only'] }))).toThrow(/needs 2 to 32767 classes; "penguins" v1 has 1/);
    expect(() => new ChunkBuilder(classifier({ classes: ['a', 'a'] }))).toThrow(/repeat a name/);
    expect(() => new ChunkBuilder(classifier({ modelVersion: 0 }))).toThrow(/Model version 0 of "penguins"/);
    expect(() => new ChunkBuilder(classifier(), 70_000)).toThrow(/holds 1 to 65535 requests, not 70000/);
  });

  it('splits a stream into chunks of the capacity, in order', () => {
    const requests = Array.from({ length: 10 }, (_, i) => served(i));
    const chunks = chunksOf(classifier(), requests, 4);
    expect(chunks.map((c) => [c.rows, c.firstId, c.lastId])).toEqual([
      [4, 0, 3],
      [4, 4, 7],
      [2, 8, 9],
    ]);
    expect(rowOf(chunks[2], 1)).toEqual(asRead(requests[9], ['bill_length_mm', 'island', 'sex']));
  });

  it('survives a structured clone (a worker can read and write it) and finds rows by id', () => {
    const chunk = build(mixedRequests());
    const copy = structuredClone(chunk);
    expect(copy).toEqual(chunk);
    expect(copy.ids).toBeInstanceOf(Float64Array);
    expect(rowOf(copy, 3)).toEqual(rowOf(chunk, 3));
    expect(rowOfId(copy, 14)).toBe(4);
    expect(rowOfId(copy, 99)).toBe(-1);
    expect(labelKnown(copy, 4)).toBe(true);
    expect(() => rowOf(copy, 7)).toThrow('Row 7 is outside this chunk of 7 requests.');
  });

  it('finds chunks that do not agree with their head or whose columns are short', () => {
    const chunk = build(mixedRequests());
    expect(chunkProblems({ ...chunk, lastAt: 1 })).toEqual(['lastAt: the head says 1, the rows 1160.']);
    expect(chunkProblems({ ...chunk, labelled: 0 })).toEqual(['labelled: the head says 0, the rows 2.']);
    expect(chunkProblems({ ...chunk, latencyMs: new Float32Array(3) })).toEqual(['latencyMs: 3 values for 7 rows.']);
    expect(chunkProblems({ ...chunk, ids: Float64Array.from([10, 10, 12, 13, 14, 15, 16]) })).toEqual(['ids: a request id repeats.']);
    expect(chunkProblems({ ...chunk, rows: 0 })).toEqual(['rows: 0 is not 1 to 65535.']);
  });
});
