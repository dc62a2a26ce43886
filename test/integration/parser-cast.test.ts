// A column read as numbers keeps every cell's original text: cast to category it shows "007" and
// "1.50" as written, in CSV (numbers read from the characters) and Parquet (numbers as records print them).

import { parquetWriteBuffer } from 'hyparquet-writer';
import { describe, expect, it } from 'vitest';
import { createTestParser } from '../../workers/parse/parser';
import type { DatasetChoices } from '../../src/core/contracts/parse';
import { parsed } from '../fixtures/support';

const none = () => {};

function choices(types: DatasetChoices['types']): DatasetChoices {
  return {
    name: 'cast',
    task: 'classification',
    target: 'label',
    types,
    roles: {},
    split: { method: 'random', seed: 1, fractions: [0.5, 0.25, 0.25] },
  };
}

async function categories(blob: Blob, fileName: string, column: string): Promise<{ guessed: string; cells: (string | null)[] }> {
  const parser = createTestParser();
  const file = await parsed(parser.parseFile(blob, fileName, none));
  const guessed = file.guesses.find((g) => g.name === column)?.type ?? 'missing';
  const outcome = await parser.build(file.handle, choices({ [column]: 'category' }));
  if (!outcome.ok) throw new Error(outcome.problems.map((p) => p.message).join('\n'));
  const data = outcome.dataset.table.columns[file.header.indexOf(column)];
  if (data.kind !== 'category') throw new Error(`${column} is ${data.kind}`);
  return { guessed, cells: Array.from(data.codes, (code) => (code < 0 ? null : data.dictionary[code])) };
}

describe('a number column cast to category', () => {
  it('keeps the text of every CSV cell as written, across chunk boundaries', async () => {
    const values = ['007', '1.50', '1.5', '-0', '12', ' 3 ', '', '2.000', '1e3', '12'];
    const rows = Array.from({ length: 30_000 }, (_, i) => `${values[i % values.length]},${i % 2 === 0 ? 'a' : 'b'}`);
    const { guessed, cells } = await categories(new Blob([`code,label\n${rows.join('\n')}\n`]), 'codes.csv', 'code');
    expect(guessed).toBe('number');
    const expected = values.map((v) => (v === '' ? null : v.trim()));
    expect(cells.slice(0, values.length)).toEqual(expected);
    expect(cells.every((cell, i) => cell === expected[i % values.length])).toBe(true);
  });

  it('keeps numbers from Parquet as records print them', async () => {
    const buffer = parquetWriteBuffer({
      columnData: [
        // Repeated so the file has enough rows for a validation and a test split.
        { name: 'x', data: Array.from({ length: 60 }, (_, i) => [1.5, 7, 0.1, 1e21, null, 7][i % 6]), type: 'DOUBLE' },
        { name: 'label', data: Array.from({ length: 60 }, (_, i) => (i % 2 ? 'b' : 'a')), type: 'STRING' },
      ],
    });
    const { guessed, cells } = await categories(new Blob([buffer]), 'x.parquet', 'x');
    expect(guessed).toBe('number');
    expect(cells.slice(0, 6)).toEqual(['1.5', '7', '0.1', '1e+21', null, '7']);
    expect(cells.slice(54)).toEqual(cells.slice(0, 6));
  });

  it('reads Parquet timestamps as ISO text, the same for every repeat of a time', async () => {
    const times = [Date.UTC(2001, 0, 1, 0, 1), Date.UTC(2001, 0, 1, 0, 1), Date.UTC(2024, 5, 30, 23, 59, 59, 999), Date.UTC(1969, 11, 31)];
    const buffer = parquetWriteBuffer({
      columnData: [
        { name: 'when', data: Array.from({ length: 60 }, (_, i) => (i % 5 === 4 ? null : new Date(times[i % 5]))), type: 'TIMESTAMP' },
        { name: 'label', data: Array.from({ length: 60 }, (_, i) => (i % 2 ? 'b' : 'a')), type: 'STRING' },
      ],
    });
    const { guessed, cells } = await categories(new Blob([buffer]), 't.parquet', 'when');
    // ISO date-times are dates now; cast to category, each keeps its text as the records wrote it.
    expect(guessed).toBe('date');
    expect(cells.slice(0, 5)).toEqual([...times.map((t) => new Date(t).toISOString()), null]);
    expect(cells.slice(55)).toEqual(cells.slice(0, 5));
  });
});
