// Files written with decimal commas and thousands groups: what the reader detects and shows, the numbers it reads
// (the same as from the English spelling of the same rows), the formats it cannot tell apart or finds mixed, a
// different format chosen by the user, and the cast step and serving code reading "54,3" as the import did.

import { describe, expect, it } from 'vitest';
import { createTestParser } from '../../workers/parse/parser';
import { importLabels } from '../../workers/parse/store-version';
import { versionRecord } from '../../src/core/data/version-record';
import { fitRecipe } from '../../src/core/recipe';
import { withCastFormat } from '../../src/core/recipe/cast-format';
import { applyRecipeToRow, categoryToNumber } from '../../src/core/serving/recipe.js';
import { numberValue } from '../../src/core/serving/transform.js';
import type { ColumnData, ReadFormat } from '../../src/core/shared/types';
import type { DatasetChoices, ParsedFile } from '../../src/core/contracts/parse';
import { SENSOR_HEADER, dotCsvText, europeanCsvBytes, sensorRows } from '../fixtures/european-csv';
import { parsed } from '../fixtures/support';

const none = () => {};

function choices(file: ParsedFile, target: string, extra: Partial<DatasetChoices> = {}): DatasetChoices {
  return {
    name: 'numbers',
    task: 'classification',
    target,
    types: {},
    roles: {},
    split: { method: 'random', seed: 1, fractions: [0.6, 0.2, 0.2] },
    format: file.detected.format,
    ...extra,
  };
}

function numbers(column: ColumnData | undefined): number[] {
  if (column?.kind !== 'number') throw new Error(`not a number column: ${column?.kind}`);
  return Array.from(column.values);
}

function guess(file: ParsedFile, name: string) {
  const g = file.guesses.find((x) => x.name === name);
  if (!g) throw new Error(`no column ${name}`);
  return g;
}

describe('a semicolon, decimal-comma, Windows-1252 file with CRLF', () => {
  const rows = sensorRows(300, 11);

  it('is detected, said, and read into the numbers of its English twin', async () => {
    const parser = createTestParser();
    const warnings: string[] = [];
    const file = await parsed(
      parser.parseFile(new Blob([new Uint8Array(europeanCsvBytes(rows))]), 'messwerte.csv', (e) => {
        if (e.type === 'warning') warnings.push(e.message);
      }),
    );
    expect(warnings.join(' ')).toMatch(/Windows-1252/);
    expect(file.detected).toEqual({
      kind: 'csv',
      separator: ';',
      encoding: 'Windows-1252',
      format: { number: { decimal: ',', thousands: '.' }, dayFirst: false },
    });
    for (const name of ['mass_kg', 'temperature_c', 'throughput']) expect(guess(file, name).type, name).toBe('number');
    expect(guess(file, 'mass_kg').numbers).toEqual({ format: { decimal: ',', thousands: '.' }, ambiguous: false, mixed: [] });
    expect(guess(file, 'site').type).toBe('category');
    expect(file.preview.some((row) => row.includes('Zürich'))).toBe(true);

    const european = await parser.build(file.handle, choices(file, 'grade'));
    if (!european.ok) throw new Error(european.problems.map((p) => p.message).join('\n'));

    const english = await parsed(parser.parseFile(new Blob([dotCsvText(rows)]), 'readings.csv', none));
    expect(english.detected).toMatchObject({ kind: 'csv', separator: ',', encoding: 'UTF-8', format: { number: { decimal: '.', thousands: '' } } });
    const twin = await parser.build(english.handle, choices(english, 'grade'));
    if (!twin.ok) throw new Error(twin.problems.map((p) => p.message).join('\n'));

    const column = (built: typeof european, name: string) =>
      built.ok ? built.dataset.table.columns[SENSOR_HEADER.indexOf(name)] : undefined;
    for (const name of ['mass_kg', 'temperature_c', 'throughput']) {
      expect(numbers(column(european, name)), name).toEqual(numbers(column(twin, name)));
    }
    const mass = numbers(column(european, 'mass_kg'));
    rows.forEach((row, i) => (row.mass === null ? expect(mass[i]).toBeNaN() : expect(mass[i]).toBe(row.mass)));
    expect(numbers(column(european, 'throughput'))).toEqual(rows.map((r) => r.throughput));
  });

  it('records the format on the stored version', async () => {
    const parser = createTestParser();
    const file = await parsed(parser.parseFile(new Blob([new Uint8Array(europeanCsvBytes(rows))]), 'messwerte.csv', none));
    const c = choices(file, 'grade');
    const built = await parser.build(file.handle, c);
    if (!built.ok) throw new Error(built.problems.map((p) => p.message).join('\n'));
    const record = versionRecord(
      built.dataset,
      importLabels(c, { databaseName: 'x', projectId: 'p', name: 'v', source: { kind: 'file', fileName: 'messwerte.csv', byteLength: 1 }, createdAt: 1 }),
    );
    expect(record.format).toEqual({ number: { decimal: ',', thousands: '.' }, dayFirst: false });
  });
});

describe('formats the cells cannot settle', () => {
  it('flags a column that mixes "1.5" and "1,5" with the lines, and keeps it a number column', async () => {
    const lines = ['x;label', ...Array.from({ length: 40 }, (_, i) => `${i === 7 || i === 30 ? '1,5' : `${i}.5`};${i % 2 ? 'a' : 'b'}`)];
    const parser = createTestParser();
    const file = await parsed(parser.parseFile(new Blob([lines.join('\r\n')]), 'mixed.csv', none));
    const x = guess(file, 'x');
    expect(x.type).toBe('number');
    expect(x.numbers?.format).toEqual({ decimal: '.', thousands: '' });
    // Header on line 1: rows 7 and 30 are lines 9 and 32.
    expect(x.numbers?.mixed.map((p) => [p.line, p.value])).toEqual([
      [9, '1,5'],
      [32, '1,5'],
    ]);
    expect(x.numbers?.mixed[0].message).toMatch(/mixes number formats.*2 are not/);
    // Never half number, half category: saving asks for the cells to be fixed.
    const outcome = await parser.build(file.handle, choices(file, 'label'));
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) expect(outcome.problems.map((p) => p.message).join('\n')).toMatch(/"1,5" is not a number \(line 9, column "x"\)/);
  });

  it('reads "1,234" alone with "." decimals, says so, and reads it again when the user chooses decimal ","', async () => {
    const lines = ['amount,label', ...Array.from({ length: 60 }, (_, i) => `"${1 + (i % 9)},${String(100 + i * 7).padStart(3, '0')}",${i % 2 ? 'a' : 'b'}`)];
    const parser = createTestParser();
    const file = await parsed(parser.parseFile(new Blob([lines.join('\n')]), 'amounts.csv', none));
    expect(file.detected.format.number).toEqual({ decimal: '.', thousands: ',' });
    const amount = guess(file, 'amount');
    expect(amount.type).toBe('number');
    expect(amount.numbers).toMatchObject({ ambiguous: true, format: { decimal: '.', thousands: ',' } });

    const asThousands = await parser.build(file.handle, choices(file, 'label'));
    if (!asThousands.ok) throw new Error('build failed');
    expect(numbers(asThousands.dataset.table.columns[0])[0]).toBe(1100);

    const comma: ReadFormat = { number: { decimal: ',', thousands: '' }, dayFirst: false };
    const again = await parser.guess(file.handle, comma);
    expect(again.find((g) => g.name === 'amount')).toMatchObject({ type: 'number', numbers: { ambiguous: true, format: comma.number } });
    const asDecimals = await parser.build(file.handle, choices(file, 'label', { format: comma }));
    if (!asDecimals.ok) throw new Error('build failed');
    expect(numbers(asDecimals.dataset.table.columns[0])[0]).toBe(1.1);
  });

  it('re-reads "1.234" stored as a plain decimal as 1234 when "." groups thousands', async () => {
    const lines = ['n;m;label', ...Array.from({ length: 60 }, (_, i) => `${i + 1}.234;${i},5;${i % 2 ? 'a' : 'b'}`)];
    const parser = createTestParser();
    const file = await parsed(parser.parseFile(new Blob([lines.join('\n')]), 'groups.csv', none));
    expect(file.detected.format.number).toEqual({ decimal: ',', thousands: '.' });
    const built = await parser.build(file.handle, choices(file, 'label'));
    if (!built.ok) throw new Error(built.problems.map((p) => p.message).join('\n'));
    expect(numbers(built.dataset.table.columns[0]).slice(0, 3)).toEqual([1234, 2234, 3234]);
    expect(numbers(built.dataset.table.columns[1]).slice(0, 3)).toEqual([0.5, 1.5, 2.5]);
  });
});

describe('odd values in any column', () => {
  it('notes Infinity and numbers beyond float32 in a column that ends up a category', async () => {
    const lines = ['v,label', 'Infinity,a', '1e39,b', 'Infinity,a', 'big,b', '-Infinity,a'];
    const parser = createTestParser();
    const file = await parsed(parser.parseFile(new Blob([lines.join('\n')]), 'odd.csv', none));
    const v = guess(file, 'v');
    expect(v.type).toBe('category');
    const messages = v.problems.map((p) => p.message);
    expect(messages).toContainEqual(expect.stringMatching(/^3 cells say "Infinity" \(first at line 2\)/));
    expect(messages).toContainEqual(expect.stringMatching(/^1 value is beyond float32's range.*"1e39" at line 3/));
    expect(v.problems.find((p) => /Infinity/.test(p.message))?.line).toBe(2);
  });

  it('says which cells kept a mostly-number column from being a number', async () => {
    const lines = ['v,label', ...['1', '2', 'n.a.', '4', 'x', '6', '7'].map((v, i) => `${v},${i % 2 ? 'a' : 'b'}`)];
    const parser = createTestParser();
    const file = await parsed(parser.parseFile(new Blob([lines.join('\n')]), 'gaps.csv', none));
    const v = guess(file, 'v');
    expect(v.type).toBe('category');
    expect(v.problems.map((p) => p.message)).toContainEqual(expect.stringMatching(/^2 of 7 values are not numbers \(first "n\.a\." at line 4\)/));
  });
});

describe('a spreadsheet export: amounts, rates and error values', () => {
  // As a listings export writes them: prices with a dollar sign and thousands commas, rates with a percent sign, a
  // count column where the spreadsheet's formulas failed on some rows, a net column in an accounting format (losses in
  // parentheses).
  const N = 60;
  const price = (i: number) => 1000 + i * 37.5;
  const rate = (i: number) => (i * 2.5) % 100;
  const failed = (i: number) => (i % 7 === 0 ? '#N/A' : i % 11 === 0 ? '#DIV/0!' : null);
  const net = (i: number) => (i % 3 === 0 ? -1 : 1) * (i * 125.25);
  const accounting = (i: number) => {
    const amount = Math.abs(net(i)).toLocaleString('en-US', { minimumFractionDigits: 2 });
    return `"${net(i) < 0 ? `(${amount})` : amount}"`;
  };
  const text = [
    'price,response rate,reviews,net,label',
    ...Array.from({ length: N }, (_, i) =>
      [`"$${price(i).toLocaleString('en-US', { minimumFractionDigits: 2 })}"`, `${rate(i)}%`, failed(i) ?? String(i), accounting(i), i % 2 ? 'a' : 'b'].join(','),
    ),
  ].join('\n');

  it('reads every column as numbers: amounts as amounts, rates as fractions, error values as missing, (losses) negative', async () => {
    const parser = createTestParser();
    const file = await parsed(parser.parseFile(new Blob([text]), 'listings.csv', none));
    expect(file.detected.format.number).toEqual({ decimal: '.', thousands: ',' });
    expect(['price', 'response rate', 'reviews', 'net'].map((c) => [c, guess(file, c).type, guess(file, c).problems])).toEqual([
      ['price', 'number', []],
      ['response rate', 'number', []],
      ['reviews', 'number', []],
      ['net', 'number', []],
    ]);
    const failedRows = Array.from({ length: N }, (_, i) => i).filter((i) => failed(i) !== null);
    expect(guess(file, 'reviews').missing).toBe(failedRows.length);
    const built = await parser.build(file.handle, choices(file, 'label'));
    if (!built.ok) throw new Error(built.problems.map((p) => p.message).join('\n'));
    const [prices, rates, reviews, nets] = built.dataset.table.columns;
    expect(numbers(prices)).toEqual(Array.from({ length: N }, (_, i) => price(i)));
    expect(numbers(rates)).toEqual(Array.from({ length: N }, (_, i) => Number(`${rate(i)}e-2`)));
    expect(numbers(reviews).map((v, i) => (failedRows.includes(i) ? Number.isNaN(v) : v === i))).toEqual(Array(N).fill(true));
    expect(numbers(nets)).toEqual(Array.from({ length: N }, (_, i) => net(i) || 0));
  });

  it('is served from the same spellings: a raw row reads as the import read the file', () => {
    const format = { decimal: '.', thousands: ',' } as const;
    expect(numberValue('$1,037.50', format)).toBe(1037.5);
    expect(numberValue('12.5%', format)).toBe(0.125);
    expect(numberValue('#DIV/0!', format)).toBeNaN();
    expect(numberValue('(1,037.50)', format)).toBe(-1037.5);
    expect(categoryToNumber('$1,037.50', format)).toBe(1037.5);
  });
});

describe('the cast step and serving read the format the import read', () => {
  const comma = { decimal: ',', thousands: '.' } as const;

  it('reads "54,3" as 54.3 in transform.js and recipe.js', () => {
    expect(numberValue('54,3', comma)).toBe(54.3);
    expect(numberValue('1.234,5', comma)).toBe(1234.5);
    expect(numberValue('54,3')).toBeNaN();
    expect(categoryToNumber('54,3', comma)).toBe(54.3);
    expect(categoryToNumber(null, comma)).toBeNaN();
  });

  it('casts a category column to numbers in the version format, on the table and on a raw row alike', async () => {
    const masses = Array.from({ length: 60 }, (_, i) => 40 + i / 10);
    const lines = ['mass;label', ...masses.map((m, i) => `${String(m).replace('.', ',')};${i % 2 ? 'a' : 'b'}`)];
    const parser = createTestParser();
    const file = await parsed(parser.parseFile(new Blob([lines.join('\n')]), 'cast.csv', none));
    expect(file.detected.format.number.decimal).toBe(',');
    const built = await parser.build(file.handle, choices(file, 'label', { types: { mass: 'category' } }));
    if (!built.ok) throw new Error(built.problems.map((p) => p.message).join('\n'));

    const steps = withCastFormat([{ kind: 'cast', column: 'mass', to: 'number' }], file.detected.format);
    expect(steps).toEqual([{ kind: 'cast', column: 'mass', to: 'number', format: { decimal: ',', thousands: '' } }]);
    // A version read with '.' decimals (or stored before formats were) keeps its recipe as written.
    expect(withCastFormat([{ kind: 'cast', column: 'mass', to: 'number' }], undefined)[0]).not.toHaveProperty('format');

    const { schema, table, assignment } = built.dataset;
    const fitted = fitRecipe({ version: 1, steps }, schema, table, assignment);
    if (!fitted.ok) throw new Error(JSON.stringify(fitted.problems));
    expect(numbers(fitted.result.table.columns[0])).toEqual(masses);
    expect(fitted.stats[0].unparseable).toBe(0);
    // The fitted recipe carries the format to serving: a raw row with a decimal comma reads as the table did.
    expect(applyRecipeToRow(fitted.fitted, { mass: '54,3', label: 'a' }).mass).toBe(54.3);
  });
});
