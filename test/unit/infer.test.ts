import { describe, expect, it } from 'vitest';
import { checkHeader, guessColumns, rawFromRecords, uniqueNames } from '../../src/core/data/type-guess';
import type { TextTable } from '../../src/core/data/type-guess';
import { isMissing, parseNumber } from '../../src/core/data/missing';

/** A raw table whose rows start on lines 2, 3, ... as they would under a one-line header. */
function table(header: string[], rows: string[][]): TextTable {
  return {
    header,
    columns: header.map((_, c) => rows.map((r) => r[c])),
    rowCount: rows.length,
    lines: Int32Array.from(rows, (_, i) => i + 2),
  };
}

describe('missing cells and numbers', () => {
  it('knows the spellings of a missing value', () => {
    const missing = ['', '   ', 'NA', 'N/A', 'null', 'NULL', 'None', '?', 'NaN', 'nan', ' NA ', '   None   ', '\u00a0N/A\u00a0\u00a0'];
    for (const s of missing) expect(isMissing(s), s).toBe(true);
    for (const s of ['0', 'abc', 'none?', 'Null ish', '-', 'NAN', 'Nonesuch']) expect(isMissing(s), s).toBe(false);
  });

  it('parses plain decimal numbers only', () => {
    expect(parseNumber('42')).toBe(42);
    expect(parseNumber(' -3.5 ')).toBe(-3.5);
    expect(parseNumber('+7')).toBe(7);
    expect(parseNumber('1e3')).toBe(1000);
    expect(parseNumber('2.5E-2')).toBe(0.025);
    expect(parseNumber('.5')).toBe(0.5);
    expect(parseNumber('5.')).toBe(5);
    for (const s of ['12abc', '1,2', 'NaN', 'Infinity', '-Infinity', '0x10', '', '1e', '--1', '1 2', '1e999']) {
      expect(parseNumber(s), s).toBeNull();
    }
  });
});

describe('guessColumns', () => {
  it('guesses numbers and categories and counts missing and unique values', () => {
    const raw = table(
      ['mass', 'species', 'code'],
      [
        ['3750', 'Adelie', '1'],
        ['', 'Gentoo', '1.0'],
        ['4200.5', 'Adelie', 'x'],
        ['NA', 'NA', 'y'],
      ],
    );
    const [mass, species, code] = guessColumns(raw);
    expect(mass).toEqual({
      name: 'mass',
      type: 'number',
      missing: 2,
      unique: 2,
      problems: [],
      numbers: { format: { decimal: '.', thousands: '' }, ambiguous: false, mixed: [] },
    });
    expect(species).toEqual({ name: 'species', type: 'category', missing: 1, unique: 2, problems: [] });
    // Half the cells are text: far below the 80% bar, so a category with no problems.
    expect(code.type).toBe('category');
    expect(code.unique).toBe(4);
    expect(code.problems).toEqual([]);
  });

  it('keeps a mostly numeric column a number and locates the cells that are not', () => {
    const rows = Array.from({ length: 20 }, (_, i) => [String(3000 + i)]);
    rows[10] = ['abc'];
    rows[15] = ['12abc'];
    const [g] = guessColumns(table(['Body Mass (g)'], rows));
    expect(g.type).toBe('number');
    expect(g.problems).toHaveLength(2);
    expect(g.problems[0]).toEqual({
      column: 'Body Mass (g)',
      line: 12,
      value: 'abc',
      message: '"abc" is not a number (line 12, column "Body Mass (g)")',
    });
    expect(g.problems[1].line).toBe(17);
  });

  it('reports at most five problem cells', () => {
    const rows = Array.from({ length: 100 }, (_, i) => [i % 10 === 0 ? 'bad' : String(i)]);
    const [g] = guessColumns(table(['x'], rows));
    expect(g.type).toBe('number');
    expect(g.problems).toHaveLength(5);
  });

  it('calls a column of numbers with only 3 in 4 parsing a category', () => {
    const [g] = guessColumns(table(['x'], [['1'], ['2'], ['3'], ['four']]));
    expect(g.type).toBe('category');
  });

  it('calls an all-missing column a category', () => {
    const [g] = guessColumns(table(['x'], [[''], ['NA']]));
    expect(g).toMatchObject({ type: 'category', missing: 2, unique: 0 });
  });
});

describe('rawFromRecords', () => {
  it('unions keys in first-seen order and writes cells as text', () => {
    const raw = rawFromRecords([
      { a: 1, b: 'x' },
      { b: null, c: 2.5 },
    ]);
    expect(raw.header).toEqual(['a', 'b', 'c']);
    expect(raw.columns).toEqual([
      ['1', ''],
      ['x', ''],
      ['', '2.5'],
    ]);
    expect(raw.rowCount).toBe(2);
    // Records are not lines of a file.
    expect(Array.from(raw.lines)).toEqual([0, 0]);
  });

  it('names records, not lines, in problems', () => {
    const raw = rawFromRecords(Array.from({ length: 10 }, (_, i) => ({ n: i === 3 ? 'oops' : i })));
    expect(guessColumns(raw)[0].problems[0].message).toBe('"oops" is not a number (record 4, column "n")');
  });
});

describe('header checks', () => {
  it('accepts a normal header', () => {
    expect(checkHeader(['a', 'b'])).toBeNull();
    expect(checkHeader(['a', '1'])).toBeNull();
  });

  it('rejects a header with no names', () => {
    expect(checkHeader(['', '  '])).toMatch(/no column names/);
  });

  it('rejects a first line of numbers', () => {
    expect(checkHeader(['5.1', '3.5', '1.4'])).toBe(
      'The first line looks like data, not column names: 5.1, 3.5, 1.4. Add a header line naming each column.',
    );
    // Decimal commas and thousands groups are data too.
    expect(checkHeader(['5,1', '1.234,5', '-3'])).toMatch(/^The first line looks like data/);
    expect(checkHeader(['mass', '1,5'])).toBeNull();
  });

  it('makes names unique and fills blanks', () => {
    expect(uniqueNames(['a', 'b', 'a', ' a ', ''])).toEqual(['a', 'b', 'a (2)', 'a (3)', 'Column 5']);
    expect(uniqueNames(['a', 'a', 'a (2)'])).toEqual(['a', 'a (3)', 'a (2)']);
  });
});

describe('special numbers are flagged, not changed', () => {
  it('says NaN is treated as missing, in number and category columns alike', () => {
    const raw = table(['x', 'label'], [['1', 'a'], ['NaN', 'NaN'], ['3', 'b'], [' nan ', 'c']]);
    const [x, label] = guessColumns(raw);
    expect(x).toMatchObject({ type: 'number', missing: 2 });
    expect(x.problems.map((p) => p.message)).toEqual(['2 cells say "NaN" (first at line 3); NaN is treated as missing.']);
    expect(label.problems.map((p) => [p.line, p.message])).toEqual([[3, '1 cell says "NaN" (first at line 3); NaN is treated as missing.']]);
    expect(raw.columns[0][1]).toBe('NaN');
  });

  it('names Infinity as not finite, with its line and column', () => {
    const raw = table(['x'], [['1'], ['2'], ['-Infinity'], ['4'], ['5']]);
    const [x] = guessColumns(raw);
    expect(x.type).toBe('number');
    expect(x.problems).toEqual([
      {
        column: 'x',
        line: 4,
        value: '-Infinity',
        message:
          '"-Infinity" is not a finite number (line 4, column "x"); a number column cannot hold it: replace it or set the column to category',
      },
    ]);
  });

  it('flags numbers beyond float32 but keeps the exact text', () => {
    const big = '9'.repeat(40);
    const raw = table(['x'], [['3.4e38'], [big], ['-1E+39'], ['1']]);
    const [x] = guessColumns(raw);
    expect(x.problems.map((p) => p.message)).toEqual([
      `2 values are beyond float32's range of ±3.4e38 (first "${big}" at line 3); the dataset keeps them, but a model ` +
        'computes in float32 where they become Infinity: rescale or clip the column.',
    ]);
    expect(x.problems[0].line).toBe(3);
  });
});

describe('records with dangerous keys', () => {
  it('keeps __proto__ and constructor as columns and never reads inherited members', () => {
    const records = JSON.parse('[{"__proto__": 1, "a": "x"}, {"constructor": "c", "a": "y"}]') as Record<string, string | number>[];
    const raw = rawFromRecords(records);
    expect(raw.header).toEqual(['__proto__', 'a', 'constructor']);
    expect(raw.columns).toEqual([['1', ''], ['x', 'y'], ['', 'c']]);
  });
});
