// The data stage's tests in the analysis worker, on versions stored in fake-indexeddb with a split chosen by the
// test: a test row that repeats a training row is reported with its count and a readable example; a class under its
// minimum share fails by name; a clean version passes; images are compared by their pixels.

import { describe, expect, it } from 'vitest';
import type { AnalysisApi } from '../../src/core/contracts/analysis';
import type { BuiltDataset } from '../../src/core/contracts/dataset';
import type { DataTestResult, LeakageResult } from '../../src/core/deliver/gates';
import type { ClassBalanceResult } from '../../src/core/deliver/gates';
import { SPLIT_TEST, SPLIT_TRAIN, SPLIT_VALIDATION, type RawRow } from '../../src/core/shared/types';
import { AnalysisClient } from '../../src/platform/analysis-client';
import { createAnalysis } from '../../workers/analysis/analysis';
import { datasetFrom, penguins } from '../fixtures/tabular';
import { storedVersion } from '../fixtures/stored-version';
import { workerOnChannel } from '../fixtures/support';

const T = SPLIT_TRAIN;
const V = SPLIT_VALIDATION;
const S = SPLIT_TEST;

/** 70 distinct rows (an import needs 65): 50 training, 10 validation, 10 test; label B on training rows 3 and 9 only. */
function records(): RawRow[] {
  return Array.from({ length: 70 }, (_, i) => ({
    id: `r${i}`,
    size: i === 5 ? null : i * 1.5,
    colour: ['red', 'green', 'blue'][i % 3],
    day: new Date(Date.UTC(2024, 0, 1 + i)).toISOString().slice(0, 10),
    label: i === 3 || i === 9 || i >= 50 ? 'B' : 'A',
  }));
}
const ASSIGNMENT = Uint8Array.from({ length: 70 }, (_, i) => (i < 50 ? T : i < 60 ? V : S));

/** `rows` built like an import, stored with `assignment` instead of a drawn split. */
async function stored(rows: RawRow[], assignment: Uint8Array = ASSIGNMENT) {
  const built = await datasetFrom(rows, { name: 'small', task: 'classification', target: 'label', types: {}, roles: {} });
  const counts = { train: 0, validation: 0, test: 0 };
  for (const code of assignment) {
    if (code === T) counts.train++;
    else if (code === V) counts.validation++;
    else counts.test++;
  }
  const made: BuiltDataset = { ...built, id: 'small', assignment, counts };
  return storedVersion(made);
}

function leakage(r: DataTestResult): LeakageResult {
  if (r.test.kind !== 'leakage') throw new Error(`expected a leakage result, got ${r.test.kind}`);
  return r.result as LeakageResult;
}

function balance(r: DataTestResult): ClassBalanceResult {
  if (r.test.kind !== 'classBalance') throw new Error(`expected a class balance result, got ${r.test.kind}`);
  return r.result as ClassBalanceResult;
}

describe('data tests in the analysis worker', () => {
  it('reports a test row that repeats a training row, with the count and the row as it reads', async () => {
    const rows = records();
    // Test row 69 repeats training row 5 cell for cell (with its missing size), id and label included.
    rows[69] = { ...rows[5] };
    const { datasets, ref } = await stored(rows);
    const [result] = await createAnalysis(datasets).dataTests(ref, [{ kind: 'leakage' }], 'label');
    const leak = leakage(result);
    expect(leak.passed).toBe(false);
    expect(leak.trainRows).toBe(50);
    const test = leak.parts.find((p) => p.split === 'test');
    expect(test).toMatchObject({ rows: 10, leaked: 1 });
    expect(test?.examples).toEqual([{ row: 69, trainRow: 5, cells: { id: 'r5', size: null, colour: 'blue', day: '2024-01-06', label: 'A' } }]);
    expect(leak.parts.find((p) => p.split === 'validation')).toMatchObject({ rows: 10, leaked: 0 });
    expect(leak.reason).toMatch(/1 of 10 test rows repeat a training row/);
  });

  it('compares only the named columns, so a repeated row under a new id is found', async () => {
    const rows = records();
    rows[68] = { ...rows[2], id: 'fresh' };
    const { datasets, ref } = await stored(rows);
    const analysis = createAnalysis(datasets);
    const [everything, named] = await analysis.dataTests(ref, [{ kind: 'leakage' }, { kind: 'leakage', columns: ['size', 'colour', 'day'] }], 'label');
    expect(leakage(everything).passed).toBe(true);
    const found = leakage(named);
    expect(found.passed).toBe(false);
    expect(found.parts.find((p) => p.split === 'test')?.examples).toEqual([{ row: 68, trainRow: 2, cells: { size: 3, colour: 'blue', day: '2024-01-03' } }]);
  });

  it('keeps the counts of every leaked row but only the first few as examples', async () => {
    const rows = records();
    // 40 more test rows, each a copy of a training row.
    const many = [...rows, ...Array.from({ length: 40 }, (_, i) => ({ ...rows[i] }))];
    const assignment = Uint8Array.from({ length: many.length }, (_, i) => (i < 70 ? ASSIGNMENT[i] : S));
    const { datasets, ref } = await stored(many, assignment);
    const [result] = await createAnalysis(datasets).dataTests(ref, [{ kind: 'leakage', maxShare: 0.5 }], 'label');
    const test = leakage(result).parts.find((p) => p.split === 'test');
    expect(test).toMatchObject({ rows: 50, leaked: 40 });
    expect(test?.examples.length).toBeGreaterThan(0);
    expect(test?.examples.length).toBeLessThanOrEqual(20);
    expect(leakage(result).passed).toBe(false);
  });

  it('fails class balance naming the rare class, counting training rows only', async () => {
    const { datasets, ref } = await stored(records());
    const [rare, lenient] = await createAnalysis(datasets).dataTests(ref, [{ kind: 'classBalance', minShare: 0.25 }, { kind: 'classBalance', minShare: 0.04 }], 'label');
    const failed = balance(rare);
    expect(failed.passed).toBe(false);
    expect(failed.counted).toBe(50);
    expect(failed.classes.find((c) => c.label === 'B')).toMatchObject({ count: 2, passed: false, examples: [3, 9] });
    expect(failed.reason).toMatch(/^B has 2 rows \(4%\): under the 25% minimum$/);
    expect(balance(lenient).passed).toBe(true);
  });

  it('passes a clean version: penguins, split as imported', async () => {
    const data = await penguins();
    const { datasets, ref } = await storedVersion(data);
    const results = await createAnalysis(datasets).dataTests(ref, [{ kind: 'leakage' }, { kind: 'classBalance', minShare: 0.1 }], 'Species');
    expect(results.map((r) => r.result.passed)).toEqual([true, true]);
    expect(leakage(results[0]).parts.every((p) => p.leaked === 0 && p.rows > 0)).toBe(true);
    expect(balance(results[1]).classes.map((c) => c.label).sort()).toEqual(['Adelie', 'Chinstrap', 'Gentoo']);
  });

  it('compares images by their pixels', async () => {
    const n = 8;
    const size = 4 * 4;
    const pixels = new Uint8Array(n * size).map((_, i) => (i * 13) % 251);
    // Test image 7 is training image 1's picture; test image 6 differs from every training image in one pixel.
    pixels.copyWithin(7 * size, 1 * size, 2 * size);
    pixels.copyWithin(6 * size, 2 * size, 3 * size);
    pixels[6 * size + 5] ^= 1;
    const made: BuiltDataset = {
      id: 'images',
      schema: [
        { name: 'image', type: 'image', role: 'feature' },
        { name: 'label', type: 'category', role: 'target' },
      ],
      summaries: [],
      table: {
        names: ['image', 'label'],
        columns: [
          { kind: 'image', pixels, width: 4, height: 4, channels: 1 },
          { kind: 'category', codes: new Int32Array(n).fill(0), dictionary: ['same'] },
        ],
        rowCount: n,
      },
      assignment: Uint8Array.from([T, T, T, T, T, V, S, S]),
      counts: { train: 5, validation: 1, test: 2 },
    };
    const { datasets, ref } = await storedVersion(made);
    const [result] = await createAnalysis(datasets).dataTests(ref, [{ kind: 'leakage' }], 'label');
    const test = leakage(result).parts.find((p) => p.split === 'test');
    expect(test).toMatchObject({ rows: 2, leaked: 1 });
    expect(test?.examples[0]).toMatchObject({ row: 7, trainRow: 1, cells: { image: expect.stringMatching(/^image sha256:[0-9a-f]{64}$/), label: 'same' } });
  });

  it('refuses a test naming a column the version does not have', async () => {
    const { datasets, ref } = await stored(records());
    await expect(createAnalysis(datasets).dataTests(ref, [{ kind: 'leakage', columns: ['size', 'weight'] }], 'label')).rejects.toThrow(
      /\[0\]\.columns\[1\]: the version has no column weight/,
    );
  });

  it('reaches the worker through AnalysisClient.dataTests', async () => {
    const rows = records();
    rows[67] = { ...rows[0] };
    const { datasets, ref } = await stored(rows);
    const client = new AnalysisClient(workerOnChannel<AnalysisApi>(createAnalysis(datasets)));
    const [result] = await client.dataTests(ref, [{ kind: 'leakage' }], 'label');
    expect(leakage(result).parts.find((p) => p.split === 'test')).toMatchObject({ leaked: 1, examples: [{ row: 67, trainRow: 0 }] });
  });
});
