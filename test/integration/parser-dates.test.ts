// A CSV with a date column, through the parse worker, storage and the profile: the column imports as a date,
// splits by time, and its values come back from IndexedDB exactly as built.

import { describe, expect, it } from 'vitest';
import { createTestParser } from '../../workers/parse/parser';
import { openDatabase } from '../../src/platform/open-db';
import { DatasetsRepo } from '../../src/platform/repositories/datasets';
import { profileTable } from '../../src/core/data/profile';
import { DEFAULT_READ_FORMAT, SPLIT_TEST, SPLIT_TRAIN } from '../../src/core/shared/types';
import type { DatasetChoices, StoreRequest } from '../../src/core/contracts/parse';
import { parsed } from '../fixtures/support';
import { freshDeps } from './storage-fixtures';

const DAY = 86_400_000;
const START = Date.UTC(2021, 0, 1);
// 120 days in shuffled order (a prime stride), a date-time column, a weather label and a reading; day 7 has no date.
const ROWS = Array.from({ length: 120 }, (_, i) => (i * 37) % 120);
const CSV = [
  'id,day,seen at,weather,reading',
  ...ROWS.map((d, i) => {
    const day = new Date(START + d * DAY).toISOString().slice(0, 10);
    const at = new Date(START + d * DAY + 9 * 3_600_000).toISOString().slice(0, 16);
    return `${i},${d === 7 ? '' : day},${at},${['sun', 'rain', 'fog'][d % 3]},${(d * 0.5).toFixed(1)}`;
  }),
].join('\r\n');

const CHOICES: DatasetChoices = {
  name: 'weather',
  task: 'classification',
  target: 'weather',
  types: {},
  roles: { id: 'ignore' },
  split: { method: 'time', seed: 1, fractions: [0.7, 0.15, 0.15], timeColumn: 'day' },
  format: DEFAULT_READ_FORMAT,
};

describe('a CSV with dates', () => {
  it('guesses dates, splits by time, profiles them and stores them as they were built', async () => {
    const deps = freshDeps();
    const parser = createTestParser((name) => openDatabase({ name, deps }));
    const file = await parsed(parser.parseFile(new Blob([CSV]), 'weather.csv', () => {}));
    expect(file.guesses.map((g) => [g.name, g.type])).toEqual([
      ['id', 'number'],
      ['day', 'date'],
      ['seen at', 'date'],
      ['weather', 'category'],
      ['reading', 'number'],
    ]);
    expect(file.guesses[1]).toMatchObject({ missing: 1, unique: 119, problems: [] });

    const request: StoreRequest = { databaseName: 'dates', projectId: 'p', name: 'weather', source: { kind: 'file', fileName: 'weather.csv', byteLength: CSV.length }, createdAt: 1 };
    const outcome = await parser.buildAndStore(file.handle, CHOICES, request);
    if (!outcome.ok) throw new Error(outcome.problems.map((p) => p.message).join('\n'));
    expect(outcome.version.schema.map((c) => c.type)).toEqual(['number', 'date', 'date', 'category', 'number']);
    expect(outcome.version.summaries?.[1]).toMatchObject({ kind: 'date', missing: 1, min: START, max: START + 119 * DAY, periods: { unit: 'month' } });

    const opened = await openDatabase({ name: 'dates', deps });
    if (!opened.ok) throw new Error(opened.message);
    try {
      const loaded = await new DatasetsRepo(opened.db).load(outcome.version.id);
      const day = loaded.table.columns[1];
      const seen = loaded.table.columns[2];
      if (day.kind !== 'date' || seen.kind !== 'date') throw new Error('expected date columns');
      ROWS.forEach((d, r) => {
        if (d === 7) expect(Number.isNaN(day.values[r])).toBe(true);
        else expect(day.values[r]).toBe(START + d * DAY);
        expect(seen.values[r]).toBe(START + d * DAY + 9 * 3_600_000);
      });
      // The latest days test, the earliest train; the row without a date takes part in no split.
      const latest = ROWS.indexOf(119);
      const earliest = ROWS.indexOf(0);
      expect(loaded.assignment[latest]).toBe(SPLIT_TEST);
      expect(loaded.assignment[earliest]).toBe(SPLIT_TRAIN);
      expect(outcome.version.split.counts).toEqual({ train: 83, validation: 18, test: 18 });

      const profile = profileTable(loaded.meta.schema, loaded.table);
      const seenProfile = profile.columns[2];
      expect(seenProfile).toMatchObject({ kind: 'date', unique: 120, min: START + 9 * 3_600_000 });
      if (seenProfile.kind !== 'date') throw new Error('expected a date profile');
      expect(seenProfile.periods.counts.map((p) => p.count)).toEqual([31, 28, 31, 30]);
    } finally {
      opened.db.close();
    }
  });

  it('refuses a time split when no column is a date, and a file too small to test on', async () => {
    const parser = createTestParser((name) => openDatabase({ name, deps: freshDeps() }));
    const file = await parsed(parser.parseFile(new Blob([CSV]), 'weather.csv', () => {}));
    const noDates = await parser.build(file.handle, { ...CHOICES, types: { day: 'category', 'seen at': 'category' } });
    expect(noDates.ok).toBe(false);
    if (!noDates.ok) expect(noDates.problems[0].message).toMatch(/^A time split needs a date column; this file has none/);

    const tiny = await parsed(parser.parseFile(new Blob([CSV.split('\r\n').slice(0, 3).join('\r\n')]), 'tiny.csv', () => {}));
    const refused = await parser.build(tiny.handle, { ...CHOICES, split: { method: 'random', seed: 1, fractions: [0.7, 0.15, 0.15] } });
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.problems[0].message).toMatch(/^The test split would get 0 rows; at least 10 are needed, so the file needs at least 65 rows with a target/);
  });
});
