import { describe, expect, it } from 'vitest';
import { checkClassBalance } from '../../../src/core/deliver/gates/class-balance';
import { runDataTests, validateDataTests } from '../../../src/core/deliver/gates/data-tests';
import { findLeakage } from '../../../src/core/deliver/gates/leakage';
import { rowKey } from '../../../src/core/deliver/gates/row-key';
import { SPLIT_NONE, SPLIT_TEST, SPLIT_TRAIN, SPLIT_VALIDATION } from '../../../src/core/shared/types';

const T = SPLIT_TRAIN;
const V = SPLIT_VALIDATION;
const S = SPLIT_TEST;

const columns = [
  { name: 'x', values: [1, 2, 3, 1, 2, 4, 3, 5] },
  { name: 'y', values: ['a', 'b', 'c', 'a', 'z', 'd', 'c', 'e'] },
];

describe('rowKey', () => {
  it('tells apart a number from its text and cells that would join alike', () => {
    const a = [{ name: 'p', values: ['a|b'] }, { name: 'q', values: ['c'] }];
    const b = [{ name: 'p', values: ['a'] }, { name: 'q', values: ['b|c'] }];
    expect(rowKey(a, 0)).not.toBe(rowKey(b, 0));
    expect(rowKey([{ name: 'p', values: [1] }], 0)).not.toBe(rowKey([{ name: 'p', values: ['1'] }], 0));
    expect(rowKey([{ name: 'p', values: [null] }], 0)).not.toBe(rowKey([{ name: 'p', values: ['null'] }], 0));
  });
});

describe('findLeakage', () => {
  it('finds held-out rows identical to a training row, with counts and examples', () => {
    const assignment = Uint8Array.from([T, T, T, S, S, S, V, V]);
    const r = findLeakage(columns, assignment);
    expect(r.passed).toBe(false);
    expect(r.trainRows).toBe(3);
    const test = r.parts.find((p) => p.split === 'test');
    expect(test).toMatchObject({ rows: 3, leaked: 1, share: 1 / 3 });
    expect(test?.examples).toEqual([{ row: 3, trainRow: 0, cells: { x: 1, y: 'a' } }]);
    expect(r.parts.find((p) => p.split === 'validation')).toMatchObject({ rows: 2, leaked: 1 });
    expect(r.reason).toContain('1 of 3 test rows repeat a training row');
  });

  it('compares only the given columns, ignores unassigned rows, and allows a stated share', () => {
    const assignment = Uint8Array.from([T, T, T, S, S, S, SPLIT_NONE, SPLIT_NONE]);
    // On x alone rows 3 (x=1) and 4 (x=2) repeat training rows.
    const r = findLeakage([columns[0]], assignment, { maxShare: 0.5 });
    expect(r.parts.find((p) => p.split === 'test')?.leaked).toBe(2);
    expect(r.passed).toBe(false);
    expect(findLeakage([columns[0]], assignment, { maxShare: 0.7 }).passed).toBe(true);
    expect(r.parts.find((p) => p.split === 'validation')).toMatchObject({ rows: 0, share: 0 });
  });

  it('passes disjoint splits and caps the examples', () => {
    expect(findLeakage(columns, Uint8Array.from([T, T, T, T, T, S, T, S])).passed).toBe(true);
    const same = [{ name: 'x', values: new Array(20).fill(7) }];
    const assignment = Uint8Array.from(Array.from({ length: 20 }, (_, i) => (i < 2 ? T : S)));
    const r = findLeakage(same, assignment, { examples: 3 });
    expect(r.parts[1]).toMatchObject({ leaked: 18 });
    expect(r.parts[1].examples).toHaveLength(3);
  });
});

describe('checkClassBalance', () => {
  it('reports every class with its count and share, failing the rare ones with example rows', () => {
    const labels = ['a', 'a', 'a', 'a', 'a', 'a', 'a', 'b', 'b', 'c', null, ''];
    const r = checkClassBalance(labels, 0.15, { expected: ['a', 'b', 'c', 'd'] });
    expect(r.passed).toBe(false);
    expect(r.counted).toBe(10);
    expect(r.unlabelled).toBe(2);
    expect(r.classes.map((c) => [c.label, c.count, c.passed])).toEqual([
      ['d', 0, false],
      ['c', 1, false],
      ['b', 2, true],
      ['a', 7, true],
    ]);
    expect(r.classes[1].examples).toEqual([9]);
    expect(r.reason).toContain('c has 1 row (10%)');
  });

  it('counts only the given rows; a share exactly at the limit passes', () => {
    const labels = [0, 1, 0, 1, 1, 1];
    const r = checkClassBalance(labels, 0.5, { rows: [0, 1, 2, 3] });
    expect(r.passed).toBe(true);
    expect(r.classes.map((c) => c.share)).toEqual([0.5, 0.5]);
    expect(checkClassBalance([], 0.1).passed).toBe(false);
  });
});

describe('data test definitions', () => {
  it('locate problems', () => {
    const problems = validateDataTests(
      [{ kind: 'leakage', maxShare: 2 }, { kind: 'leakage', columns: ['x', 'nope'] }, { kind: 'classBalance' }, { kind: 'x' }],
      ['x', 'y'],
    );
    expect(problems.map((p) => p.path)).toEqual(['[0].maxShare', '[1].columns[1]', '[2].minShare', '[3].kind']);
    expect(validateDataTests([{ kind: 'leakage' }, { kind: 'classBalance', minShare: 0.1 }])).toEqual([]);
  });

  it('run on columns and the split, class balance on the training rows', () => {
    const cols = [...columns, { name: 'label', values: ['p', 'p', 'q', 'q', 'q', 'q', 'q', 'q'] }];
    const results = runDataTests([{ kind: 'leakage', columns: ['x', 'y'] }, { kind: 'classBalance', minShare: 0.4 }], cols, Uint8Array.from([T, T, T, S, S, S, V, V]), 'label');
    expect(results[0].result.passed).toBe(false);
    // Training rows 0-2: p, p, q, so q has a third of them.
    expect(results[1].result.passed).toBe(false);
    expect(results[1].result.reason).toContain('q has 1 row ');
    const missing = runDataTests([{ kind: 'classBalance', minShare: 0.1 }], columns, Uint8Array.from([T]), 'label');
    expect(missing[0].result.passed).toBe(false);
  });
});
