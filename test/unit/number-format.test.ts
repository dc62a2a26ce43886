import { describe, expect, it } from 'vitest';
import {
  NUMBER_FORMATS,
  chooseColumnFormat,
  chooseFileFormat,
  fitColumn,
  fitMask,
  isNumberFormat,
  readNumber,
} from '../../src/core/data/number-format';
import type { ColumnFit } from '../../src/core/data/number-format';
import { parseNumber } from '../../src/core/data/missing';
import { mulberry32 } from '../../src/core/shared/rng';
import type { NumberFormat } from '../../src/core/shared/types';

const f = (decimal: NumberFormat['decimal'], thousands: NumberFormat['thousands']): NumberFormat => ({ decimal, thousands });

/** What a column of cells fits, as the importer works it out (one shape per cell). */
function fitOf(cells: string[]): ColumnFit {
  return fitColumn(cells.map((text) => ({ mask: fitMask(text), count: 1, dot: text.includes('.'), comma: text.includes(',') })));
}

/** `value` written the way a spreadsheet writes it in `format`, with `digits` fraction digits. */
function write(value: number, digits: number, format: NumberFormat, space = ' '): string {
  const [whole, fraction] = Math.abs(value).toFixed(digits).split('.');
  const sep = format.thousands === ' ' ? space : format.thousands;
  const grouped = sep === '' ? whole : whole.replace(/\B(?=(\d{3})+(?!\d))/g, sep);
  return `${value < 0 ? '-' : ''}${grouped}${fraction === undefined ? '' : format.decimal + fraction}`;
}

describe('readNumber', () => {
  it('reads plain numbers exactly as the importer always has', () => {
    for (const cell of ['0', '-1.5e3', '.5', '5.', '007', ' 42 ', '1,000', '0x10', 'Infinity', '1e999', 'abc', '+3', '-']) {
      expect(readNumber(cell), cell).toBe(parseNumber(cell));
      expect(readNumber(cell, f('.', '')), cell).toBe(parseNumber(cell));
    }
  });

  it('reads decimal marks, thousands groups, signs and exponents by the stated rules', () => {
    const cases: [string, NumberFormat, number | null][] = [
      ['83,35', f(',', ''), 83.35],
      ['-3,5', f(',', '.'), -3.5],
      ['1.234,5', f(',', '.'), 1234.5],
      ['12.345.678,25', f(',', '.'), 12345678.25],
      ['1234,5', f(',', '.'), 1234.5], // grouping is optional
      ['1 234,5', f(',', ' '), 1234.5],
      ['1\u00a0234,5', f(',', ' '), 1234.5], // no-break space
      ['1\u202f234,5', f(',', ' '), 1234.5], // narrow no-break space
      ["1'234.5", f('.', "'"), 1234.5],
      ['1\u2019234.5', f('.', "'"), 1234.5],
      ['1,234.5', f('.', ','), 1234.5],
      ['1,234', f('.', ','), 1234],
      ['1,234', f(',', ''), 1.234],
      ['+0,25', f(',', ''), 0.25],
      [',5', f(',', ''), 0.5],
      ['1,5e3', f(',', ''), 1500], // exponent without groups
      ['1.234,5e3', f(',', '.'), null], // no exponent with groups
      ['1,23', f('.', ','), null], // a group has exactly 3 digits
      ['1,2345', f('.', ','), null],
      ['1234,567', f('.', ','), null], // the first group has 1-3 digits
      ['0,123', f('.', ','), null], // and does not start with 0
      ['1.5', f(',', ''), null], // '.' is nothing in this format
      ['1.5', f(',', '.'), null],
      ['1,5', f('.', ''), null],
      ['1,5,5', f(',', ''), null],
      ['', f(',', '.'), null],
      ['-', f(',', '.'), null],
      ['1e', f(',', ''), null],
      ['1,5e999', f(',', ''), null], // infinite
    ];
    for (const [text, format, want] of cases) expect(readNumber(text, format), `${text} in ${JSON.stringify(format)}`).toBe(want);
  });

  it('reads amounts and rates as spreadsheets write them: one currency sign before or after, or a percent sign after', () => {
    const cases: [string, NumberFormat, number | null][] = [
      ['$1,200.00', f('.', ','), 1200],
      ['$15.50', f('.', ''), 15.5],
      ['-$5', f('.', ''), -5],
      ['+€3', f('.', ''), 3],
      ['$-5', f('.', ''), -5],
      ['€ 3,50', f(',', '.'), 3.5],
      ['12,50 €', f(',', ' '), 12.5],
      ['1 234,50 €', f(',', ' '), 1234.5],
      ['£7', f('.', ''), 7],
      ['¥1,000', f('.', ','), 1000],
      ['₹ 99', f('.', ''), 99],
      ['12.5%', f('.', ''), 0.125],
      ['33.3%', f('.', ''), 0.333],
      ['5 %', f('.', ''), 0.05],
      ['-0,5%', f(',', ''), -0.005],
      ['100%', f('.', ''), 1],
      ['1e3%', f('.', ''), 10],
      // One sign only, and only in those places.
      ['$5%', f('.', ''), null],
      ['$5$', f('.', ''), null],
      ['-$-5', f('.', ''), null],
      ['5%%', f('.', ''), null],
      ['%5', f('.', ''), null],
      ['5$$', f('.', ''), null],
      ['$', f('.', ''), null],
      ['%', f('.', ''), null],
      ['US$5', f('.', ''), null],
      ['$1,200.00', f('.', ''), null],
    ];
    for (const [text, format, want] of cases) expect(readNumber(text, format), `${text} in ${JSON.stringify(format)}`).toBe(want);
    // The plain reader the importer's fast path falls back to reads them alike.
    for (const cell of ['$15.50', '-$5', '12.5%', '$5%', '€']) expect(parseNumber(cell), cell).toBe(readNumber(cell));
  });

  it('reads accounting negatives: an unsigned number or amount in parentheses', () => {
    const cases: [string, NumberFormat, number | null][] = [
      ['(45)', f('.', ''), -45],
      ['(1,200.00)', f('.', ','), -1200],
      ['($5)', f('.', ''), -5],
      ['$(5)', f('.', ''), -5],
      ['( 12.5% )', f('.', ''), -0.125],
      ['(1.234,50 €)', f(',', '.'), -1234.5],
      ['(0)', f('.', ''), 0],
      // The sign is the parentheses: none inside, one pair, nothing outside but a currency sign.
      ['(-45)', f('.', ''), null],
      ['($-5)', f('.', ''), null],
      ['-(45)', f('.', ''), null],
      ['((45))', f('.', ''), null],
      ['()', f('.', ''), null],
      ['(45', f('.', ''), null],
      ['45)', f('.', ''), null],
      ['(45)%', f('.', ''), null],
      ['$($5)', f('.', ''), null],
    ];
    for (const [text, format, want] of cases) expect(readNumber(text, format), `${text} in ${JSON.stringify(format)}`).toBe(want);
    expect(Object.is(readNumber('(0)'), 0)).toBe(true);
    for (const cell of ['(45)', '($5)', '(-45)']) expect(parseNumber(cell), cell).toBe(readNumber(cell));
    expect(chooseColumnFormat(fitOf(['(1,200.00)', '15.50', '$3,000.99']), null)).toMatchObject({ format: f('.', ','), ambiguous: false, mixed: false });
  });

  it('knows a number format when it sees one', () => {
    for (const format of NUMBER_FORMATS) expect(isNumberFormat({ ...format })).toBe(true);
    expect(isNumberFormat({ decimal: ',', thousands: ',' })).toBe(false);
    expect(isNumberFormat({ decimal: '.', thousands: '', extra: 1 })).toBe(false);
    expect(isNumberFormat('.')).toBe(false);
  });
});

describe('number format detection', () => {
  it('finds the format of generated columns written in every supported format', () => {
    const rand = mulberry32(13);
    for (const format of NUMBER_FORMATS) {
      for (const space of format.thousands === ' ' ? [' ', '\u00a0', '\u202f'] : [' ']) {
        const values = Array.from({ length: 300 }, () => Math.round((rand() - 0.3) * 2_000_000) / 100);
        const cells = values.map((v) => write(v, 2, format, space));
        const chosen = chooseColumnFormat(fitOf(cells), null);
        expect(chosen, `${JSON.stringify(format)} with ${JSON.stringify(space)}`).toEqual({ format, ambiguous: false, mixed: false });
        cells.forEach((cell, i) => expect(readNumber(cell, chosen.format), cell).toBeCloseTo(values[i], 9));
      }
    }
  });

  it('lets the other cells of a column decide what "1,234" means', () => {
    // Two digits after the comma: ',' is the decimal mark.
    expect(chooseColumnFormat(fitOf(['1,234', '83,35']), null)).toEqual({ format: f(',', ''), ambiguous: false, mixed: false });
    // Two groups: ',' separates thousands.
    expect(chooseColumnFormat(fitOf(['1,234', '1,234,567']), null)).toEqual({ format: f('.', ','), ambiguous: false, mixed: false });
    // Both marks in one cell fix both.
    expect(chooseColumnFormat(fitOf(['1.234', '1.234,5']), null)).toEqual({ format: f(',', '.'), ambiguous: false, mixed: false });
    expect(chooseColumnFormat(fitOf(['5,678', '1,234.5']), null)).toEqual({ format: f('.', ','), ambiguous: false, mixed: false });
  });

  it('reads an ambiguous column like the file, else with "." decimals, and says it is ambiguous', () => {
    const commas = fitOf(['1,234', '5,678', '-9,999']);
    expect(chooseColumnFormat(commas, null)).toEqual({ format: f('.', ','), ambiguous: true, mixed: false });
    expect(chooseColumnFormat(commas, f(',', ''))).toEqual({ format: f(',', ''), ambiguous: true, mixed: false });
    const dots = fitOf(['1.234', '12.500']);
    expect(chooseColumnFormat(dots, null)).toEqual({ format: f('.', ''), ambiguous: true, mixed: false });
    expect(chooseColumnFormat(dots, f(',', '.'))).toEqual({ format: f(',', '.'), ambiguous: true, mixed: false });
    expect(readNumber('12.500', f(',', '.'))).toBe(12500);
    // A file format the column does not fit decides nothing.
    expect(chooseColumnFormat(fitOf(['1,234', '83,35']), f('.', ','))).toEqual({ format: f(',', ''), ambiguous: false, mixed: false });
  });

  it('calls integers unambiguous: they read alike in every format', () => {
    expect(chooseColumnFormat(fitOf(['12', '-7', '100000']), null)).toEqual({ format: f('.', ''), ambiguous: false, mixed: false });
  });

  it('flags a column that mixes formats and reads it in the format most cells fit', () => {
    const fit = fitOf(['1.5', '2.25', '1,5', '3.75']);
    expect(fit.fits).toBe(0);
    expect(chooseColumnFormat(fit, null)).toEqual({ format: f('.', ''), ambiguous: false, mixed: true });
    expect(chooseColumnFormat(fitOf(['1,5', '2,25', '1.5']), null)).toMatchObject({ format: { decimal: ',' }, mixed: true });
  });

  it('tells the format of amounts from their separators, whatever their currency sign', () => {
    expect(chooseColumnFormat(fitOf(['$1,200.00', '$15.50', '$3,000.99']), null)).toMatchObject({ format: f('.', ','), ambiguous: false, mixed: false });
    expect(chooseColumnFormat(fitOf(['1.234,50 €', '3,50 €', '12 €']), null)).toMatchObject({ format: f(',', '.'), ambiguous: false, mixed: false });
    expect(fitMask('45%')).not.toBe(0);
    expect(fitMask('$5%')).toBe(0);
  });

  it('does not take words, dates, versions or phone numbers for numbers', () => {
    for (const text of ['abc', '2021-11-18', '1.2.3', '+41 44 123 45 67', '12:30', '1,2,3', 'e5', '', ' ', 'NaN']) {
      expect(fitMask(text), text).toBe(0);
    }
  });

  it("takes the file's format from most of its number columns", () => {
    const mass = fitOf(['83,35', '-3,5']);
    const throughput = fitOf(['12.345,7', '500,3']);
    const ids = fitOf(['100001', '100002']);
    expect(chooseFileFormat([mass, throughput, ids])).toEqual(f(',', '.'));
    expect(chooseFileFormat([mass, ids])).toEqual(f(',', ''));
    expect(chooseFileFormat([ids])).toEqual(f('.', ''));
    expect(chooseFileFormat([])).toEqual(f('.', ''));
    // An ambiguous column follows the others; alone it falls back to '.' decimals.
    expect(chooseFileFormat([fitOf(['1,234']), mass])).toMatchObject({ decimal: ',' });
    expect(chooseFileFormat([fitOf(['1,234'])])).toEqual(f('.', ','));
    expect(chooseFileFormat([fitOf(['1.5', '2.5']), fitOf(['7.25'])])).toEqual(f('.', ''));
  });
});
