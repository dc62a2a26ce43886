// OWASP CSV injection: text that a spreadsheet would run as a formula is written with a leading apostrophe; numbers
// are written plainly even when negative.

import { describe, expect, it } from 'vitest';
import { csvHeader, csvRefusal, csvRows, guardCell, quoteField } from '../../src/core/data/export/csv';
import type { Table } from '../../src/core/shared/types';

describe('CSV export', () => {
  it('guards text starting with = + - @ tab or carriage return', () => {
    for (const text of ['=1+1', '+1', '-1', '@SUM(A1)', '\tx', '\rx']) expect(guardCell(text)).toBe(`'${text}`);
    for (const text of ['plain', '1=1', ' =x', '', "'already"]) expect(guardCell(text)).toBe(text);
  });

  it('quotes fields holding a comma, quote or line break', () => {
    expect(quoteField('a,b')).toBe('"a,b"');
    expect(quoteField('say "hi"')).toBe('"say ""hi"""');
    expect(quoteField('two\nlines')).toBe('"two\nlines"');
    expect(quoteField('plain')).toBe('plain');
  });

  it('writes numbers plainly, dates as ISO, missing cells empty, and guards category cells and names', () => {
    const table: Table = {
      names: ['n', 'd', 'c'],
      rowCount: 3,
      columns: [
        { kind: 'number', values: new Float64Array([-3.5, NaN, 1e21]) },
        { kind: 'date', values: new Float64Array([Date.UTC(2024, 0, 2), NaN, 0]) },
        { kind: 'category', codes: new Int32Array([0, -1, 1]), dictionary: ['-3.5', '=A1,B1'] },
      ],
    };
    expect(csvHeader([{ name: '=n', type: 'number', role: 'feature' }, { name: 'd', type: 'date', role: 'feature' }])).toBe("'=n,d\r\n");
    expect(csvRows(table, 0, 3)).toBe(["-3.5,2024-01-02T00:00:00.000Z,'-3.5", ',,', `1e+21,1970-01-01T00:00:00.000Z,"'=A1,B1"`, ''].join('\r\n'));
    expect(csvRows(table, 1, 2)).toBe(',,\r\n');
  });

  it('refuses image columns by name', () => {
    expect(csvRefusal([{ name: 'img', type: 'image', role: 'feature' }])).toMatch(/image columns \("img"\)/);
    expect(csvRefusal([{ name: 'n', type: 'number', role: 'feature' }])).toBeNull();
  });
});
