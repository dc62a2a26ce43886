import { describe, expect, it } from 'vitest';
import { parseDateColumn, parseDateText } from '../../src/core/data/date-text';
import { checkSplitSpec, countSplit, partitionSizes, splitRows, timeKeys, timesForSplit } from '../../src/core/data/split';
import { SPLIT_NONE, SPLIT_TEST, SPLIT_TRAIN, SPLIT_VALIDATION } from '../../src/core/shared/types';
import type { SplitSpec } from '../../src/core/shared/types';
import { buildDataset } from '../../src/core/data/build-dataset';
import type { RawTable } from '../../src/core/data/type-guess';
import type { DatasetChoices } from '../../src/core/contracts/parse';

const STRATIFIED: SplitSpec = { method: 'stratified', seed: 42, fractions: [0.7, 0.15, 0.15] };
const RANDOM: SplitSpec = { ...STRATIFIED, method: 'random' };
const all = () => true;

/** Class codes 0, 1, 2 in blocks of 152, 68 and 124 rows (the penguin species counts). */
function classes(): Int32Array {
  return Int32Array.from({ length: 344 }, (_, i) => (i < 152 ? 0 : i < 220 ? 1 : 2));
}

describe('partitionSizes', () => {
  it('keeps each size within one row of its exact share and sums to n', () => {
    for (let n = 0; n < 200; n++) {
      const sizes = partitionSizes(n, [0.7, 0.15, 0.15]);
      expect(sizes[0] + sizes[1] + sizes[2]).toBe(n);
      if (n >= 20) sizes.forEach((s, p) => expect(Math.abs(s - n * [0.7, 0.15, 0.15][p])).toBeLessThan(1));
    }
  });

  it('gives each partition a row once there are three', () => {
    expect(partitionSizes(3, [0.7, 0.15, 0.15])).toEqual([1, 1, 1]);
    expect(partitionSizes(5, [0.8, 0.1, 0.1])).toEqual([3, 1, 1]);
    expect(partitionSizes(2, [0.7, 0.15, 0.15])).toEqual([2, 0, 0]);
    expect(partitionSizes(10, [0.8, 0, 0.2])).toEqual([8, 0, 2]);
  });
});

describe('splitRows', () => {
  it('is deterministic for a seed and changes with the seed', () => {
    const a = splitRows(STRATIFIED, 344, all, classes());
    expect(splitRows(STRATIFIED, 344, all, classes())).toEqual(a);
    expect(splitRows({ ...STRATIFIED, seed: 43 }, 344, all, classes())).not.toEqual(a);
  });

  it('random split follows the fractions', () => {
    const counts = countSplit(splitRows(RANDOM, 1000, all));
    expect(counts).toEqual({ train: 700, validation: 150, test: 150 });
  });

  it('stratified split keeps class ratios within one row per class', () => {
    const labels = classes();
    const assignment = splitRows(STRATIFIED, 344, all, labels);
    for (const [code, n] of [
      [0, 152],
      [1, 68],
      [2, 124],
    ]) {
      for (const [p, f] of [
        [SPLIT_TRAIN, 0.7],
        [SPLIT_VALIDATION, 0.15],
        [SPLIT_TEST, 0.15],
      ]) {
        let count = 0;
        for (let r = 0; r < 344; r++) if (labels[r] === code && assignment[r] === p) count++;
        expect(Math.abs(count - n * f), `class ${code} partition ${p}`).toBeLessThan(1);
      }
    }
  });

  it('puts a class of three rows in every partition', () => {
    const labels = Int32Array.from({ length: 103 }, (_, i) => (i < 100 ? 0 : 1));
    const assignment = splitRows(STRATIFIED, 103, all, labels);
    expect([...assignment.subarray(100)].sort()).toEqual([SPLIT_TRAIN, SPLIT_VALIDATION, SPLIT_TEST]);
  });

  it('leaves rows without a target out of every partition', () => {
    const labels = classes();
    labels[5] = -1;
    const hasTarget = (r: number) => r % 10 !== 0 && labels[r] >= 0;
    const assignment = splitRows(STRATIFIED, 344, hasTarget, labels);
    for (let r = 0; r < 344; r++) {
      expect(assignment[r] === SPLIT_NONE, `row ${r}`).toBe(!hasTarget(r));
    }
    const counts = countSplit(assignment);
    const eligible = Array.from({ length: 344 }, (_, r) => r).filter(hasTarget).length;
    expect(counts.train + counts.validation + counts.test).toBe(eligible);
  });

  it('shuffles rows rather than taking them in order', () => {
    const assignment = splitRows(RANDOM, 1000, all);
    // In file order the first 700 would all be training rows.
    expect(countSplit(assignment.subarray(0, 700)).train).toBeLessThan(600);
  });

  it('refuses fractions that do not add up to 1', () => {
    expect(() => splitRows({ ...RANDOM, fractions: [0.7, 0.2, 0.2] }, 10, all)).toThrow(/add up to 1/);
  });
});

describe('time split', () => {
  const TIME: SplitSpec = { method: 'time', seed: 1, fractions: [0.7, 0.15, 0.15], timeColumn: 'date' };

  /** Days in shuffled file order; the split must follow the dates, not the file. */
  function shuffledDays(n: number): Float64Array {
    const times = Float64Array.from({ length: n }, (_, i) => Date.UTC(2020, 0, 1) + i * 86_400_000);
    for (let i = n - 1; i > 0; i--) {
      const j = (i * 7919) % (i + 1);
      [times[i], times[j]] = [times[j], times[i]];
    }
    return times;
  }

  it('trains on the earliest 70%, validates on the next 15% and tests on the latest 15%', () => {
    const times = shuffledDays(100);
    const assignment = splitRows(TIME, 100, all, null, times);
    expect(countSplit(assignment)).toEqual({ train: 70, validation: 15, test: 15 });
    const latest = (p: number) => Math.max(...[...times].filter((_, r) => assignment[r] === p));
    const earliest = (p: number) => Math.min(...[...times].filter((_, r) => assignment[r] === p));
    expect(latest(SPLIT_TRAIN)).toBeLessThan(earliest(SPLIT_VALIDATION));
    expect(latest(SPLIT_VALIDATION)).toBeLessThan(earliest(SPLIT_TEST));
    // File order is not time order here, so a split by position would fail the checks above.
    expect(countSplit(assignment.subarray(0, 70)).train).toBeLessThan(70);
  });

  it('leaves out rows without a date and rows without a target', () => {
    const times = shuffledDays(40);
    times[3] = NaN;
    times[17] = NaN;
    const hasTarget = (r: number) => r !== 5;
    const assignment = splitRows(TIME, 40, hasTarget, null, times);
    expect([assignment[3], assignment[17], assignment[5]]).toEqual([SPLIT_NONE, SPLIT_NONE, SPLIT_NONE]);
    const counts = countSplit(assignment);
    expect(counts.train + counts.validation + counts.test).toBe(37);
  });

  it('keeps rows of the same moment in one partition', () => {
    // 10 rows: days 0..6 once, day 7 three times; 70% would cut after row 7 (day 6 | day 7 x3).
    const times = Float64Array.from([0, 1, 2, 3, 4, 5, 6, 6, 6, 9]);
    const assignment = splitRows({ ...TIME, fractions: [0.7, 0.2, 0.1] }, 10, all, null, times);
    const partitionsOfDay6 = new Set([assignment[6], assignment[7], assignment[8]]);
    expect(partitionsOfDay6.size).toBe(1);
    expect(assignment[6]).toBe(SPLIT_TRAIN);
    expect(assignment[9]).toBe(SPLIT_TEST);
  });

  it('is the same whatever the seed: time decides, not chance', () => {
    const times = shuffledDays(50);
    expect(splitRows({ ...TIME, seed: 99 }, 50, all, null, times)).toEqual(splitRows(TIME, 50, all, null, times));
  });

  it('needs a date column and one time per row', () => {
    expect(checkSplitSpec({ ...TIME, timeColumn: undefined })).toMatch(/needs a date column/);
    expect(checkSplitSpec(TIME)).toBeNull();
    expect(() => splitRows(TIME, 10, all)).toThrow(/one time per row/);
  });
});

describe('timeKeys and timesForSplit', () => {
  it('reads text dates through the dictionary and numbers as they are', () => {
    const dates = timeKeys({ kind: 'category', codes: Int32Array.from([1, -1, 0, 2]), dictionary: ['2012-01-02', '2012-01-01', 'soon'] });
    expect(dates[0]).toBe(Date.UTC(2012, 0, 1));
    expect(Number.isNaN(dates[1])).toBe(true);
    expect(dates[2]).toBe(Date.UTC(2012, 0, 2));
    expect(Number.isNaN(dates[3])).toBe(true);
    expect([...timeKeys({ kind: 'number', values: Float64Array.from([1700000000, NaN]) })]).toEqual([1700000000, NaN]);
  });

  it('orders only by date columns, and names the problem when there is none, it is absent or it is empty', () => {
    const spec: SplitSpec = { method: 'time', seed: 1, fractions: [0.7, 0.15, 0.15], timeColumn: 'when' };
    const text = { kind: 'category' as const, codes: Int32Array.from([0]), dictionary: ['2012-01-01'] };
    const none = timesForSplit(spec, ['when'], [text]);
    expect(none.ok).toBe(false);
    if (!none.ok) expect(none.message).toMatch(/^A time split needs a date column; this file has none/);
    const date = { kind: 'date' as const, values: Float64Array.from([Date.UTC(2012, 0, 1)]) };
    expect(timesForSplit(spec, ['date'], [date])).toEqual({ ok: false, message: 'The date column "when" for the time split is not in the data.' });
    const notDate = timesForSplit(spec, ['when', 'date'], [text, date]);
    expect(notDate.ok).toBe(false);
    if (!notDate.ok) expect(notDate.message).toBe('Column "when" is a category column, not a date, so it cannot order a time split. Choose a date column: "date".');
    const empty = timesForSplit(spec, ['when'], [{ kind: 'date', values: Float64Array.from([NaN]) }]);
    expect(empty.ok).toBe(false);
    if (!empty.ok) expect(empty.message).toMatch(/Column "when" has no date in any row/);
    expect(timesForSplit(spec, ['when'], [date])).toEqual({ ok: true, times: Float64Array.from([Date.UTC(2012, 0, 1)]) });
    expect(timesForSplit(RANDOM, ['when'], [text])).toEqual({ ok: true, times: null });
  });
});

describe('date text', () => {
  it('reads ISO dates, times and zones', () => {
    expect(parseDateText('2012-01-01')).toBe(Date.UTC(2012, 0, 1));
    expect(parseDateText(' 2012-1-5 ')).toBe(Date.UTC(2012, 0, 5));
    expect(parseDateText('2012/03/04')).toBe(Date.UTC(2012, 2, 4));
    expect(parseDateText('2024-03-31T14:05')).toBe(Date.UTC(2024, 2, 31, 14, 5));
    expect(parseDateText('2024-03-31 14:05:09.250')).toBe(Date.UTC(2024, 2, 31, 14, 5, 9, 250));
    expect(parseDateText('2024-03-31T14:05:00Z')).toBe(Date.UTC(2024, 2, 31, 14, 5));
    expect(parseDateText('2024-03-31T14:05:00+02:00')).toBe(Date.UTC(2024, 2, 31, 12, 5));
    expect(parseDateText('2024-03')).toBe(Date.UTC(2024, 2, 1));
  });

  it('reads day-month names and numeric dates', () => {
    expect(parseDateText('31 Mar 2024')).toBe(Date.UTC(2024, 2, 31));
    expect(parseDateText('5-January-2020')).toBe(Date.UTC(2020, 0, 5));
    expect(parseDateText('Sept 9, 2021')).toBe(Date.UTC(2021, 8, 9));
    expect(parseDateText('March 3rd, 2021')).toBe(Date.UTC(2021, 2, 3));
    expect(parseDateText('03/04/2020')).toBe(Date.UTC(2020, 2, 4));
    expect(parseDateText('03/04/2020', true)).toBe(Date.UTC(2020, 3, 3));
    expect(parseDateText('31.12.1999', true)).toBe(Date.UTC(1999, 11, 31));
  });

  it('refuses impossible dates and non-dates', () => {
    for (const text of ['2023-02-29', '2024-13-01', '2024-04-31', '25:00', 'Marchy 3, 2020', 'Foo 3 2020', '', '12', '2024-01-01T24:00']) {
      expect(Number.isNaN(parseDateText(text)), text).toBe(true);
    }
    expect(parseDateText('2024-02-29')).toBe(Date.UTC(2024, 1, 29));
  });

  it('decides day/month order once per column', () => {
    const us = parseDateColumn(['03/04/2020', '12/31/2020']);
    expect([...us]).toEqual([Date.UTC(2020, 2, 4), Date.UTC(2020, 11, 31)]);
    const european = parseDateColumn(['03/04/2020', '31/12/2020']);
    expect([...european]).toEqual([Date.UTC(2020, 3, 3), Date.UTC(2020, 11, 31)]);
  });
});

describe('a time split through buildDataset', () => {
  // Eighty days in reverse file order (enough for 10 validation and 10 test rows), weather labels repeating; the
  // other date column is written day/month/year and runs the other way.
  const header = ['date', 'temp', 'weather', 'other date'];
  const dmy = (ms: number) => {
    const d = new Date(ms);
    return `${String(d.getUTCDate()).padStart(2, '0')}/${String(d.getUTCMonth() + 1).padStart(2, '0')}/${d.getUTCFullYear()}`;
  };
  const rows = Array.from({ length: 80 }, (_, i) => {
    const day = 80 - i;
    return [new Date(Date.UTC(2012, 0, day)).toISOString().slice(0, 10), String(day * 1.5), i % 2 ? 'rain' : 'sun', dmy(Date.UTC(2013, 1, i + 1))];
  });
  rows[3][0] = '';
  const table: RawTable = {
    header,
    columns: header.map((_, c) => rows.map((r) => r[c])),
    rowCount: rows.length,
    lines: Int32Array.from(rows, (_, i) => i + 2),
  };
  const choices = (split: SplitSpec): DatasetChoices => ({
    name: 'weather',
    task: 'classification',
    target: 'weather',
    types: {},
    roles: { date: 'ignore', 'other date': 'ignore' },
    split,
  });
  const TIME: SplitSpec = { method: 'time', seed: 42, fractions: [0.7, 0.15, 0.15], timeColumn: 'date' };

  it('orders by the date column, leaves undated rows out, and keeps the column in the id', async () => {
    const outcome = await buildDataset(table, choices(TIME));
    if (!outcome.ok) throw new Error(outcome.problems.map((p) => p.message).join('; '));
    const { assignment, counts, id } = outcome.dataset;
    expect(assignment[3]).toBe(SPLIT_NONE);
    expect(counts.train + counts.validation + counts.test).toBe(79);
    // Row 0 is the latest day and row 79 the earliest.
    expect(assignment[0]).toBe(SPLIT_TEST);
    expect(assignment[79]).toBe(SPLIT_TRAIN);
    expect(outcome.dataset.schema.map((c) => c.type)).toEqual(['date', 'number', 'category', 'date']);

    const other = await buildDataset(table, choices({ ...TIME, timeColumn: 'other date' }));
    if (!other.ok) throw new Error('the other date column should split too');
    expect(other.dataset.id).not.toBe(id);
    expect(other.dataset.assignment[3]).not.toBe(SPLIT_NONE);
    expect(other.dataset.assignment[0]).toBe(SPLIT_TRAIN);
  });

  it('keeps the ids of other splits as they were before time splits existed', async () => {
    const random: SplitSpec = { method: 'random', seed: 42, fractions: [0.7, 0.15, 0.15] };
    const a = await buildDataset(table, choices(random));
    const b = await buildDataset(table, choices({ ...random, timeColumn: 'date' }));
    if (!a.ok || !b.ok) throw new Error('random splits should build');
    expect(b.dataset.id).toBe(a.dataset.id);
  });

  it('refuses a time split on a column that is not a date, naming the date columns', async () => {
    const outcome = await buildDataset(table, choices({ ...TIME, timeColumn: 'weather' }));
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) expect(outcome.problems[0].message).toMatch(/Column "weather" is a category column, not a date.*"date", "other date"/);
  });

  it('refuses a time split when the file has no date column, saying why', async () => {
    const outcome = await buildDataset(table, { ...choices(TIME), types: { date: 'category', 'other date': 'category' } });
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) expect(outcome.problems[0].message).toMatch(/^A time split needs a date column; this file has none/);
  });
});
