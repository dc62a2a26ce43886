import { describe, expect, it } from 'vitest';
import type { Prediction } from '../../../src/core/contracts/predict';
import { validateBehaviourSuite } from '../../../src/core/deliver/gates/check-behaviour';
import { runBehaviourTests, type Predict } from '../../../src/core/deliver/gates/run-behaviour';
import type { BehaviourTest } from '../../../src/core/deliver/gates/behaviour-types';
import type { RawRow } from '../../../src/core/shared/types';

const LABELS = ['no', 'yes'];

/** P(yes) rises with income; the name should not matter, but 'Zed' pushes it down (the bias a test must catch). */
function classify(row: RawRow): Prediction {
  if (row.income === 'boom') return { ok: false, error: 'income is not a number', warnings: [] };
  const income = Number(row.income);
  const bias = row.name === 'Zed' ? -0.3 : 0;
  const yes = Math.min(1, Math.max(0, income / 100 + bias));
  return { ok: true, output: yes >= 0.5 ? 'yes' : 'no', probabilities: [1 - yes, yes], warnings: [] };
}

function counting(model: (row: RawRow) => Prediction): { predict: Predict; calls: number[] } {
  const calls: number[] = [];
  return { calls, predict: async (rows) => { calls.push(rows.length); return rows.map(model); } };
}

const rows: RawRow[] = [
  { name: 'Ann', income: 20 },
  { name: 'Bob', income: 60 },
  { name: 'Cy', income: 90 },
  { name: 'Dee', income: null },
];

describe('invariance', () => {
  it('passes when the column does not matter, in one batched call', async () => {
    const { predict, calls } = counting(classify);
    const t: BehaviourTest = { kind: 'invariance', name: 'names do not matter', column: 'name', replacements: ['Ann', 'Max'], tolerance: 0.01 };
    const [r] = await runBehaviourTests([t], rows.slice(0, 3), predict, { labels: LABELS });
    // Ann is not changed into Ann: 3 rows × 2 values - 1.
    expect(r).toMatchObject({ passed: true, tested: 5, failed: 0 });
    expect(calls).toEqual([8]);
  });

  it('fails with the offending rows when the model uses the column', async () => {
    const t: BehaviourTest = { kind: 'invariance', name: 'names do not matter', column: 'name', replacements: ['Zed'], tolerance: 0.05 };
    const [r] = await runBehaviourTests([t], rows.slice(0, 3), counting(classify).predict, { labels: LABELS, examples: 2 });
    expect(r).toMatchObject({ passed: false, tested: 3, failed: 3 });
    expect(r.examples).toHaveLength(2);
    expect(r.examples[0]).toMatchObject({ row: 0, input: rows[0], changed: { name: 'Zed', income: 20 } });
    // Ann at 0.2 falls to 0 (clamped): a move of 0.2.
    expect(r.examples[0].message).toContain('moved by 0.2');
    // Bob at 0.6 falls to 0.3: the class flips.
    expect(r.examples[1].message).toContain('changed from yes to no');
    expect(r.reason).toContain('3 of 3');
  });

  it('a tolerance as large as the move passes it', async () => {
    const t: BehaviourTest = { kind: 'invariance', name: 'n', column: 'name', replacements: ['Zed'], tolerance: 0.31 };
    const [r] = await runBehaviourTests([t], [rows[0], rows[2]], counting(classify).predict, { labels: LABELS });
    expect(r.passed).toBe(true);
  });
});

describe('directional', () => {
  it('raising income must not lower P(yes); rows without a number are skipped and counted', async () => {
    const t: BehaviourTest = { kind: 'directional', name: 'income helps', column: 'income', delta: 10, expect: 'up', class: 'yes' };
    const [r] = await runBehaviourTests([t], rows, counting(classify).predict, { labels: LABELS });
    expect(r).toMatchObject({ passed: true, tested: 3, skipped: 1 });
  });

  it('fails the wrong expectation with the scores before and after', async () => {
    const t: BehaviourTest = { kind: 'directional', name: 'income hurts', column: 'income', delta: 10, expect: 'down', class: 'yes' };
    const [r] = await runBehaviourTests([t], rows, counting(classify).predict, { labels: LABELS });
    // Cy at 0.9 rises to 1 and the others too: every tested row fails.
    expect(r).toMatchObject({ passed: false, tested: 3, failed: 3 });
    expect(r.examples[0]).toMatchObject({ row: 0, before: 0.2, after: 0.3 });
    expect(r.examples[0].message).toContain('P(yes) went up from 0.2 to 0.3');
  });

  it('reads the output of a regression, and a flat response meets "up"', async () => {
    const regress = (row: RawRow): Prediction => ({ ok: true, output: Math.min(100, 2 * Number(row.x)), probabilities: null, warnings: [] });
    const t: BehaviourTest = { kind: 'directional', name: 'x raises y', column: 'x', delta: 5, expect: 'up' };
    const [r] = await runBehaviourTests([t], [{ x: 1 }, { x: 60 }], counting(regress).predict, { labels: null });
    expect(r).toMatchObject({ passed: true, tested: 2 });
    const down: BehaviourTest = { ...t, expect: 'down', name: 'x lowers y', tolerance: 5 };
    const [d] = await runBehaviourTests([down], [{ x: 1 }, { x: 60 }], counting(regress).predict, { labels: null });
    // Row 0 rises by 10 (beyond the tolerance of 5); row 1 is flat at 100.
    expect(d).toMatchObject({ passed: false, failed: 1 });
  });

  it('nothing to test is not a pass', async () => {
    const t: BehaviourTest = { kind: 'directional', name: 'd', column: 'name', delta: 1, expect: 'up', class: 'yes' };
    const { predict, calls } = counting(classify);
    const [r] = await runBehaviourTests([t], rows, predict, { labels: LABELS });
    expect(r).toMatchObject({ passed: false, tested: 0, skipped: 4 });
    expect(calls).toEqual([]);
  });
});

describe('minimum functionality', () => {
  it('given rows must get given labels; an error answer fails its case', async () => {
    const t: BehaviourTest = {
      kind: 'minimum',
      name: 'obvious cases',
      cases: [
        { row: { name: 'A', income: 95 }, label: 'yes' },
        { row: { name: 'B', income: 5 }, label: 'no' },
        { row: { name: 'C', income: 5 }, label: 'yes' },
        { row: { name: 'D', income: 'boom' }, label: 'no' },
      ],
    };
    const [r] = await runBehaviourTests([t], [], counting(classify).predict, { labels: LABELS });
    expect(r).toMatchObject({ passed: false, tested: 4, failed: 2 });
    expect(r.examples.map((e) => [e.row, e.message])).toEqual([
      [2, 'expected yes, got no'],
      [3, 'the model could not answer: income is not a number'],
    ]);
  });

  it('regression cases pass within the tolerance', async () => {
    const regress = (row: RawRow): Prediction => ({ ok: true, output: 2 * Number(row.x), probabilities: null, warnings: [] });
    const t: BehaviourTest = { kind: 'minimum', name: 'm', cases: [{ row: { x: 1 }, label: 2.1 }], tolerance: 0.1 };
    expect((await runBehaviourTests([t], [], counting(regress).predict, { labels: null }))[0].passed).toBe(true);
    const tight: BehaviourTest = { ...t, tolerance: 0.05 };
    expect((await runBehaviourTests([tight], [], counting(regress).predict, { labels: null }))[0].passed).toBe(false);
  });
});

it('a predict call that throws fails its own test and the suite goes on', async () => {
  let n = 0;
  const flaky: Predict = async (rs) => {
    if (n++ === 0) throw new Error('worker gone');
    return rs.map(classify);
  };
  const tests: BehaviourTest[] = [
    { kind: 'minimum', name: 'a', cases: [{ row: { income: 90 }, label: 'yes' }] },
    { kind: 'minimum', name: 'b', cases: [{ row: { income: 90 }, label: 'yes' }] },
  ];
  const results = await runBehaviourTests(tests, [], flaky, { labels: LABELS });
  expect(results.map((r) => [r.name, r.passed])).toEqual([['a', false], ['b', true]]);
  expect(results[0].reason).toBe('predict failed: worker gone');
});

describe('validateBehaviourSuite', () => {
  it('accepts each kind', () => {
    const suite = {
      tests: [
        { kind: 'invariance', name: 'i', column: 'name', replacements: ['A', null, 3], tolerance: 0 },
        { kind: 'directional', name: 'd', column: 'income', delta: -5, expect: 'down', class: 'yes', maxRows: 50 },
        { kind: 'minimum', name: 'm', cases: [{ row: { income: 1 }, label: 'no' }] },
      ],
    };
    expect(validateBehaviourSuite(suite, { columns: ['name', 'income'], labels: LABELS })).toEqual([]);
  });

  it('locates problems, against the model when its columns and labels are known', () => {
    const problems = validateBehaviourSuite(
      {
        tests: [
          { kind: 'invariance', name: 'i', column: 'nope', replacements: [], tolerance: -1 },
          { kind: 'directional', name: 'i', column: 'income', delta: 0, expect: 'sideways' },
          { kind: 'minimum', name: '', cases: [{ row: 'x', label: 'maybe' }] },
          { kind: 'directional', name: 'd2', column: 'income', delta: 1, expect: 'up', class: 'perhaps' },
          { kind: 'fuzz', name: 'f' },
        ],
      },
      { columns: ['name', 'income'], labels: LABELS },
    );
    expect(problems.map((p) => p.path)).toEqual([
      'tests[0].column',
      'tests[0].replacements',
      'tests[0].tolerance',
      'tests[1].delta',
      'tests[1].expect',
      'tests[1].class',
      'tests[1].name',
      'tests[2].name',
      'tests[2].cases[0].row',
      'tests[2].cases[0].label',
      'tests[3].class',
      'tests[4].kind',
    ]);
    expect(problems[6].message).toContain('repeats the test name i');
    const reg = validateBehaviourSuite({ tests: [{ kind: 'directional', name: 'd', column: 'x', delta: 1, expect: 'up', class: 'yes' }] }, { labels: null });
    expect(reg.map((p) => p.path)).toEqual(['tests[0].class']);
  });
});
