import { describe, expect, it } from 'vitest';
import { buildDataset } from '../../src/core/data/build-dataset';
import { guessColumns } from '../../src/core/data/type-guess';
import type { RawTable } from '../../src/core/data/type-guess';
import { summarizeDates } from '../../src/core/data/date-summary';
import { hashDataset } from '../../src/core/data/hash';
import { cellText } from '../../src/core/data/table-view';
import { dateCell, isoDate, parseDateText } from '../../src/core/serving/dates.js';
import type { ColumnSchema, ReadFormat, SplitSpec, Table } from '../../src/core/shared/types';
import { DEFAULT_READ_FORMAT } from '../../src/core/shared/types';
import { profileTable } from '../../src/core/data/profile';
import { suggestSuite, validate } from '../../src/core/data/expectations';
import { diffSummaries } from '../../src/core/data/diff';

function table(columns: Record<string, string[]>): RawTable {
  const header = Object.keys(columns);
  const rowCount = columns[header[0]].length;
  return { header, columns: header.map((h) => columns[h]), rowCount, lines: Int32Array.from({ length: rowCount }, (_, i) => i + 2) };
}

function guess(cells: string[], format: ReadFormat = DEFAULT_READ_FORMAT) {
  return guessColumns(table({ when: cells }), format)[0];
}

const DAY_FIRST: ReadFormat = { ...DEFAULT_READ_FORMAT, dayFirst: true };

describe('date columns are guessed from their cells', () => {
  it('guesses ISO dates and date-times as dates, counting missing and distinct values', () => {
    const g = guess(['2021-11-18', '2021-11-19', '', 'NA', '2021-11-18']);
    expect(g).toMatchObject({ type: 'date', missing: 2, unique: 2, problems: [] });
    expect(guess(['2021-11-18T14:05:00Z', '2021-11-18 09:30', '2021-11-19T00:00:00+02:00']).type).toBe('date');
    expect(guess(['31 Mar 2024', 'Jan 5, 2020', '5-January-2020']).type).toBe('date');
  });

  it('keeps pure numbers as numbers: years and yyyymmdd are not dates', () => {
    expect(guess(['2019', '2020', '2021']).type).toBe('number');
    expect(guess(['20211118', '20211119']).type).toBe('number');
    expect(guess(['red', 'green', '2021-01-01']).type).toBe('category');
  });

  it('needs 80% of present cells to read as dates, and lists the others with their lines', () => {
    const cells = [...Array.from({ length: 8 }, (_, i) => `2021-01-0${i + 1}`), 'soon', 'later'];
    const g = guess(cells);
    expect(g.type).toBe('date');
    expect(g.problems.map((p) => [p.line, p.message])).toEqual([
      [10, '"soon" is not a date (line 10, column "when")'],
      [11, '"later" is not a date (line 11, column "when")'],
    ]);
    expect(guess([...cells.slice(0, 7), 'soon', 'later', 'never']).type).toBe('category');
  });

  it('reads a/b/yyyy day first when a first part is above 12, month first when a second part is', () => {
    const european = guess(['03/04/2021', '25/12/2021']);
    expect(european.dates).toEqual({ dayFirst: true, ambiguous: false, note: 'Read as day/month: some values only fit that order.' });
    const us = guess(['03/04/2021', '12/25/2021'], DAY_FIRST);
    expect(us.dates).toMatchObject({ dayFirst: false, ambiguous: false });
  });

  it('says when the column cannot tell, and follows the file-level choice', () => {
    const cells = ['03/04/2021', '05/06/2021', '01/01/2021'];
    expect(guess(cells).dates).toEqual({
      dayFirst: false,
      ambiguous: true,
      note: "03/04/2021 could be 3 April or March 4: read as month/day, change 'Dates like 03/04/2021' above.",
    });
    expect(guess(cells, DAY_FIRST).dates).toMatchObject({ dayFirst: true, ambiguous: true });
    expect(guess(['2021-03-04']).dates).toEqual({ dayFirst: false, ambiguous: false, note: '' });
  });

  it('builds the ambiguous column with the chosen day order', async () => {
    // Day and month both 1-12: nothing in the column tells the order.
    const days = Array.from({ length: 80 }, (_, i) => `${String((i % 12) + 1).padStart(2, '0')}/01/2021`);
    const raw = table({ when: days, y: days.map((_, i) => (i % 2 ? 'a' : 'b')) });
    const split: SplitSpec = { method: 'random', seed: 1, fractions: [0.7, 0.15, 0.15] };
    const base = { name: 'x', task: 'classification' as const, target: 'y', types: {}, roles: {}, split };
    const valuesWith = async (format: ReadFormat) => {
      const outcome = await buildDataset(raw, { ...base, format });
      if (!outcome.ok) throw new Error(outcome.problems.map((p) => p.message).join('; '));
      const col = outcome.dataset.table.columns[0];
      if (col.kind !== 'date') throw new Error('expected a date column');
      return { values: col.values, id: outcome.dataset.id };
    };
    const monthFirst = await valuesWith(DEFAULT_READ_FORMAT);
    const dayFirst = await valuesWith(DAY_FIRST);
    // Row 3 is 04/01/2021: April 1 read month first, 4 January read day first.
    expect(monthFirst.values[3]).toBe(Date.UTC(2021, 3, 1));
    expect(dayFirst.values[3]).toBe(Date.UTC(2021, 0, 4));
    expect(dayFirst.id).not.toBe(monthFirst.id);
  });
});

describe('date values', () => {
  it('profiles the range and rows per period, at most about 40 bars', () => {
    const days = Float64Array.from([Date.UTC(2021, 0, 1), Date.UTC(2021, 0, 1), Date.UTC(2021, 0, 3), NaN]);
    const s = summarizeDates(days);
    expect(s).toMatchObject({ kind: 'date', missing: 1, unique: 2, min: Date.UTC(2021, 0, 1), max: Date.UTC(2021, 0, 3) });
    expect(s.periods).toEqual({
      unit: 'day',
      counts: [
        { start: Date.UTC(2021, 0, 1), count: 2 },
        { start: Date.UTC(2021, 0, 2), count: 0 },
        { start: Date.UTC(2021, 0, 3), count: 1 },
      ],
    });
    const twoYears = Float64Array.from({ length: 730 }, (_, i) => Date.UTC(2020, 0, 1 + i));
    const monthly = summarizeDates(twoYears).periods;
    expect(monthly.unit).toBe('month');
    expect(monthly.counts).toHaveLength(24);
    expect(monthly.counts[1]).toEqual({ start: Date.UTC(2020, 1, 1), count: 29 });
    const decades = summarizeDates(Float64Array.from([Date.UTC(1950, 5, 1), Date.UTC(2020, 5, 1)])).periods;
    expect(decades.unit).toBe('year');
    expect(decades.counts).toHaveLength(71);
    expect(summarizeDates(Float64Array.from([NaN])).periods.counts).toEqual([]);
  });

  it('hashes a date column differently from a number column holding the same values', async () => {
    const values = Float64Array.from([Date.UTC(2021, 0, 1), NaN]);
    const split: SplitSpec = { method: 'random', seed: 1, fractions: [0.7, 0.15, 0.15] };
    const id = (type: 'date' | 'number') => {
      const schema: ColumnSchema[] = [{ name: 'when', type, role: 'feature' }];
      const t: Table = { names: ['when'], columns: [{ kind: type, values }], rowCount: 2 };
      return hashDataset(schema, split, t);
    };
    expect(await id('date')).not.toBe(await id('number'));
    expect(await id('date')).toBe(await id('date'));
  });

  it('shows dates as ISO text, date only when every value is at midnight', () => {
    const midnight = { kind: 'date' as const, values: Float64Array.from([Date.UTC(2021, 10, 18), NaN]) };
    expect([cellText(midnight, 0), cellText(midnight, 1)]).toEqual(['2021-11-18', '']);
    const timed = { kind: 'date' as const, values: Float64Array.from([Date.UTC(2021, 10, 18), Date.UTC(2021, 10, 18, 14, 5)]) };
    expect([cellText(timed, 0), cellText(timed, 1)]).toEqual(['2021-11-18T00:00:00Z', '2021-11-18T14:05:00Z']);
  });

  it('reads a raw serving cell as the import did', () => {
    expect(isoDate(Date.UTC(2021, 10, 18))).toBe('2021-11-18');
    expect(isoDate(Date.UTC(2021, 10, 18, 1, 2, 3, 4))).toBe('2021-11-18T01:02:03.004Z');
    expect(isoDate(NaN)).toBeNull();
    expect(dateCell('03/04/2021', true)).toBe('2021-04-03');
    expect(dateCell('03/04/2021', false)).toBe('2021-03-04');
    expect(dateCell(2021)).toBeNull();
    expect(dateCell('NA')).toBeNull();
    for (const text of ['2021-11-18', '2021-11-18T14:05:00Z', '2021-11-18T01:02:03.004Z']) {
      expect(isoDate(parseDateText(text))).toBe(text);
    }
  });
});

describe('dates in the profile, expectations and diffs', () => {
  const schema: ColumnSchema[] = [
    { name: 'when', type: 'date', role: 'feature' },
    { name: 'y', type: 'category', role: 'target' },
  ];
  const t = (values: number[]): Table => ({
    names: ['when', 'y'],
    rowCount: values.length,
    columns: [
      { kind: 'date', values: Float64Array.from(values) },
      { kind: 'category', codes: Int32Array.from(values, (_, i) => i % 2), dictionary: ['a', 'b'] },
    ],
  });
  const jan = Array.from({ length: 10 }, (_, i) => Date.UTC(2021, 0, 1 + i));

  it('profiles a date column and suggests and checks a range of dates', () => {
    const profile = profileTable(schema, t(jan));
    const when = profile.columns[0];
    expect(when).toMatchObject({ kind: 'date', min: Date.UTC(2021, 0, 1), max: Date.UTC(2021, 0, 10), unique: 10 });
    const range = suggestSuite(profile).find((e) => e.id === 'range:when');
    // A 9-day span widened by a day each side, out to whole days.
    expect(range).toMatchObject({ kind: 'range', dates: true, min: Date.UTC(2020, 11, 31), max: Date.UTC(2021, 0, 12) - 1 });
    if (!range) throw new Error('no range');
    expect(validate([range], schema, t(jan)).passed).toBe(true);
    const late = validate([range], schema, t([...jan, Date.UTC(2021, 5, 1)]));
    expect(late.results[0]).toMatchObject({ passed: false, failingRows: 1, example: '2021-06-01', detail: '1 values outside 2020-12-31 to 2021-01-11.' });
  });

  it('compares the range of two versions', () => {
    const diff = diffSummaries('when', summarizeDates(Float64Array.from(jan)), 10, summarizeDates(Float64Array.from([...jan, Date.UTC(2021, 0, 20)])), 11);
    expect(diff.stats.find((s) => s.key === 'max')).toMatchObject({ date: true, changed: true, delta: 10 * 86_400_000 });
  });
});
