import { describe, expect, it } from 'vitest';
import { chunksOf } from '../../../src/core/monitor/log/chunk-builder';
import { labelOf, rowOfId } from '../../../src/core/monitor/log/chunk-read';
import { joinLabels, MAX_LABEL_MESSAGES, type LateLabel } from '../../../src/core/monitor/log/labels';
import { parseLabelsText } from '../../../src/core/monitor/log/labels-file';
import type { LoggedRequest, RequestChunk } from '../../../src/core/monitor/log/types';
import { classifier, regressor, served } from './log-fixtures';

/** Requests 0..9 served, the same scored in shadow by version 2, in chunks of 4. */
function logs(): { serving: RequestChunk[]; shadow: RequestChunk[] } {
  const requests = Array.from({ length: 10 }, (_, i) => served(i));
  return {
    serving: chunksOf(classifier(), requests, 4),
    shadow: chunksOf(classifier({ role: 'shadow', modelVersion: 2 }), requests, 4),
  };
}

const label = (requestId: number, value: string | number, where?: string): LateLabel => ({ requestId, label: value, at: 9000, where });

function labelIn(chunks: readonly RequestChunk[], id: number): string | number | null {
  for (const chunk of chunks) {
    const row = rowOfId(chunk, id);
    if (row >= 0) return labelOf(chunk, row);
  }
  throw new Error(`request ${id} is in no chunk`);
}

describe('joinLabels', () => {
  it('labels every row of a request id (serving and shadow) and leaves the chunks it was given alone', () => {
    const { serving, shadow } = logs();
    const all = [...serving, ...shadow];
    const result = joinLabels(all, [label(1, 'Gentoo'), label(6, ' Adelie ')]);
    expect(result.counts).toMatchObject({ received: 2, joined: 2, unknownId: 0, duplicate: 0, conflicting: 0 });
    expect(result.messages).toEqual([]);
    // Ids 1 and 6 live in the first and second chunk of each role: four chunks changed.
    expect(result.chunks).toHaveLength(4);
    expect(labelIn(result.chunks.filter((c) => c.role === 'serving'), 1)).toBe('Gentoo');
    expect(labelIn(result.chunks.filter((c) => c.role === 'shadow'), 6)).toBe('Adelie');
    const first = result.chunks.find((c) => c.role === 'serving' && c.firstId === 0)!;
    expect(first.labelled).toBe(1);
    expect(first.labelAt[1]).toBe(9000);
    // Pure: the inputs are unchanged.
    expect(labelIn(serving, 1)).toBeNull();
    expect(serving[0].labelled).toBe(0);
  });

  it('reports unknown ids, repeats, unknown classes and conflicts with where each label came from', () => {
    const { serving } = logs();
    const once = joinLabels(serving, [label(2, 'Chinstrap')]).chunks;
    const chunks = serving.map((c) => once.find((o) => o.firstId === c.firstId) ?? c);
    const result = joinLabels(chunks, [
      label(2, 'Chinstrap', 'line 2'),
      label(3, 'Adelie', 'line 3'),
      label(42, 'Adelie', 'line 4'),
      label(3, 'Gentoo', 'line 5'),
      label(4, 'Emperor', 'line 6'),
      label(5, 'Gentoo', 'line 7'),
      { ...label(7, 'Adelie', 'line 8'), at: NaN },
    ]);
    expect(result.counts).toEqual({ received: 7, joined: 2, alreadyLabelled: 1, conflicting: 0, unknownId: 1, duplicate: 1, unknownClass: 1, invalid: 1 });
    expect(result.messages).toEqual([
      'line 5: request 3 was already given on line 3; the first label is used.',
      "line 8: request 7: the label's time is not a number.",
      'line 4: request 42 is not in the log.',
      'line 6: request 4: "Emperor" is not one of the model\'s classes.',
    ]);
    expect(labelIn(result.chunks, 3)).toBe('Adelie');

    const conflict = joinLabels(chunks, [label(2, 'Gentoo')]);
    expect(conflict.counts.conflicting).toBe(1);
    expect(conflict.chunks).toEqual([]);
    expect(conflict.messages).toEqual(['Request 2 already has a different label; the stored one is kept.']);
  });

  it('joins regression labels given as numbers or decimal text and refuses anything else', () => {
    const requests: LoggedRequest[] = [1, 2, 3].map((id) => ({ id, at: id, inputs: { hp: 100 }, output: 20, probabilities: null, latencyMs: 1, warnings: [] }));
    const chunks = chunksOf(regressor(), requests);
    const result = joinLabels(chunks, [label(1, 17.5), label(2, ' -3e1 '), label(3, '12 mpg', 'item 3')]);
    expect(result.counts).toMatchObject({ joined: 2, invalid: 1 });
    expect(result.messages).toEqual(['item 3: request 3: "12 mpg" is not a number.']);
    expect(Array.from(result.chunks[0].labels)).toEqual([17.5, -30, NaN]);
  });

  it('keeps the first messages and counts the rest', () => {
    const { serving } = logs();
    const result = joinLabels(serving, Array.from({ length: 30 }, (_, i) => label(100 + i, 'Adelie')));
    expect(result.counts.unknownId).toBe(30);
    expect(result.messages).toHaveLength(MAX_LABEL_MESSAGES);
  });
});

describe('parseLabelsText', () => {
  it('reads request_id and label from CSV by the import’s rules, naming the lines it skips', () => {
    const text = 'label;Request_ID;note\n"Gentoo";1;x\n\nAdelie;abc;y\n;3;z\n"Chin;strap";4;w\n';
    const file = parseLabelsText(text, 'labels.csv', 777);
    expect(file.labels).toEqual([
      { requestId: 1, label: 'Gentoo', at: 777, where: 'line 2' },
      { requestId: 4, label: 'Chin;strap', at: 777, where: 'line 6' },
    ]);
    expect(file.skipped).toBe(2);
    expect(file.problems).toEqual(['line 4: request_id "abc" is not a whole number.', 'line 5: request 3 has no label.']);
  });

  it('reads a JSON array and JSON lines', () => {
    const array = parseLabelsText('[{"request_id": 5, "label": "Adelie"}, {"request_id": "6", "label": 2.5}, 7]', 'l.json', 1);
    expect(array.labels.map((l) => [l.requestId, l.label, l.where])).toEqual([
      [5, 'Adelie', 'item 1'],
      [6, 2.5, 'item 2'],
    ]);
    expect(array.problems).toEqual(['item 3: not an object with request_id and label.']);

    const lines = parseLabelsText('{"request_id": 1, "label": "a"}\n\n{oops\n{"requestId": 2, "label": "b"}\n', 'l.jsonl', 1);
    expect(lines.labels.map((l) => [l.requestId, l.where])).toEqual([
      [1, 'line 1'],
      [2, 'line 4'],
    ]);
    expect(lines.problems).toEqual(['line 3: not valid JSON.']);
  });

  it('refuses a file it cannot read, saying why', () => {
    expect(() => parseLabelsText('  \n', 'l.csv', 1)).toThrow('The labels file "l.csv" is empty.');
    expect(() => parseLabelsText('id,truth\n1,a\n', 'l.csv', 1)).toThrow('The labels file "l.csv" has no request_id or label column (its columns: "id", "truth").');
    expect(() => parseLabelsText('request_id,label\n1,a,b\n', 'l.csv', 1)).toThrow(/The labels file "l.csv" cannot be read: Line 2 has 3 fields but the header has 2/);
    expect(() => parseLabelsText('[{"request_id": 1,', 'l.json', 1)).toThrow(/The labels file "l.json" is not valid JSON/);
    expect(() => parseLabelsText('[{"id": 1, "y": "a"}]', 'l.json', 1)).toThrow(/holds no request_id and label pairs: item 1: request_id null/);
  });

  it('feeds the join, whose messages then point into the file', () => {
    const { serving } = logs();
    const file = parseLabelsText('request_id,label\n0,Adelie\n99,Gentoo\n', 'late.csv', 5);
    const result = joinLabels(serving, file.labels);
    expect(result.counts).toMatchObject({ joined: 1, unknownId: 1 });
    expect(result.messages).toEqual(['line 3: request 99 is not in the log.']);
  });
});
