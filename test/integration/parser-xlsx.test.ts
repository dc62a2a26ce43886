// Excel workbooks through the import: a workbook written by a real writer reads like the CSV export of its sheet
// (numbers, dates, booleans, text, empty cells), the first sheet with data is read and the others named, and the
// parts other writers use (inline strings, error values, formula text, 1904 dates, prefixed names) read too.

import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { createTestParser } from '../../workers/parse/parser';
import { isDateFormat } from '../../workers/parse/formats/xlsx/styles';
import type { ParseEvent } from '../../src/core/contracts/parse';
import { handMadeWorkbook, workbook } from '../fixtures/xlsx';
import { parsed } from '../fixtures/support';

async function read(bytes: Uint8Array, name = 'sales.xlsx', pick?: string) {
  const warnings: string[] = [];
  const parser = createTestParser();
  const outcome = await parser.parseFile(new Blob([bytes as Uint8Array<ArrayBuffer>]), name, (e: ParseEvent) => {
    if (e.type === 'warning') warnings.push(e.message);
  }, pick);
  return { parser, outcome, warnings };
}

const header = ['region', 'units', 'price', 'ordered', 'shipped', 'note'];
const rows = Array.from({ length: 60 }, (_, i) => [
  ['north', 'south', 'east'][i % 3]!,
  i * 3,
  Math.round((10 + i * 1.37) * 100) / 100,
  new Date(Date.UTC(2024, 0, 1 + i)),
  i % 4 === 0,
  i % 5 === 0 ? null : `order ${i}`,
]);

/** The zip with its (single) entry's inflated size rewritten in the central directory: a bomb's claim, cheaply made. */
function declaringSize(zip: Uint8Array, size: number): Uint8Array {
  const out = zip.slice();
  const view = new DataView(out.buffer);
  for (let at = out.length - 22; at >= 0; at--) {
    if (view.getUint32(at, true) === 0x02014b50) {
      view.setUint32(at + 24, size, true);
      return out;
    }
  }
  throw new Error('no central directory entry');
}

describe('an .xlsx workbook', () => {
  it('reads its sheet as a CSV export of it would read: types guessed, dates as dates, empty cells missing', async () => {
    const bytes = await workbook([
      {
        sheet: 'Orders',
        data: [
          header.map((value) => ({ value })),
          ...rows.map((r) => r.map((value) => (value === null ? null : value instanceof Date ? { value, format: 'yyyy-mm-dd' } : { value }))),
        ],
      },
    ]);
    const { outcome, warnings, parser } = await read(bytes);
    if (!outcome.ok) throw new Error(outcome.message);
    const file = outcome.file;
    expect(warnings).toEqual([]);
    expect(file.detected).toMatchObject({ kind: 'xlsx', separator: null, encoding: null });
    expect(file.header).toEqual(header);
    expect(file.rowCount).toBe(rows.length);
    expect(Object.fromEntries(file.guesses.map((g) => [g.name, g.type]))).toEqual({
      region: 'category',
      units: 'number',
      price: 'number',
      ordered: 'date',
      shipped: 'category',
      note: 'category',
    });
    expect(file.guesses.find((g) => g.name === 'note')!.missing).toBe(rows.filter((r) => r[5] === null).length);
    expect(file.preview[1]).toEqual(['south', '3', '11.37', '2024-01-02', 'FALSE', 'order 1']);

    const built = await parser.build(file.handle, {
      name: 'orders',
      task: 'regression',
      target: 'price',
      types: {},
      roles: {},
      split: { method: 'random', seed: 1, fractions: [0.6, 0.2, 0.2] },
      format: file.detected.format,
    });
    if (!built.ok) throw new Error(built.problems.map((p) => p.message).join('\n'));
    const columns = built.dataset.table.columns;
    const price = columns[2]!;
    const ordered = columns[3]!;
    if (price.kind !== 'number' || ordered.kind !== 'date') throw new Error('price or ordered has the wrong kind');
    expect(Array.from(price.values)).toEqual(rows.map((r) => r[2]));
    expect(Array.from(ordered.values)).toEqual(rows.map((r) => (r[3] as Date).getTime()));
  });

  it('reads the first sheet with data, offers the others, and reads the one picked', async () => {
    const bytes = await workbook([
      { sheet: 'Cover', data: [[{ value: 'Quarterly report' }]] },
      { sheet: 'Q1', data: [[{ value: 'a' }, { value: 'b' }], ...Array.from({ length: 30 }, (_, i) => [{ value: i }, { value: `x${i % 2}` }])] },
      { sheet: 'Q2', data: [[{ value: 'a' }], [{ value: 1 }]] },
    ]);
    const { outcome, warnings } = await read(bytes, 'report.xlsx');
    if (!outcome.ok) throw new Error(outcome.message);
    expect(outcome.file.header).toEqual(['a', 'b']);
    expect(outcome.file.rowCount).toBe(30);
    expect(outcome.file.inside).toEqual({ kind: 'sheet', options: ['Cover', 'Q1', 'Q2'], chosen: 'Q1' });
    expect(warnings).toEqual(['report.xlsx has 3 sheets: "Q1" was read, the first with a header row and data. Choose another under "Sheet".']);

    const q2 = await read(bytes, 'report.xlsx', 'Q2');
    if (!q2.outcome.ok) throw new Error(q2.outcome.message);
    expect(q2.outcome.file.rowCount).toBe(1);
    expect(q2.outcome.file.inside?.chosen).toBe('Q2');
    expect(q2.warnings).toEqual([]);
    const cover = await read(bytes, 'report.xlsx', 'Cover');
    expect(cover.outcome.ok === false && cover.outcome.message).toBe('"report.xlsx" could not be read as an Excel workbook: its sheet "Cover" has no header row with data below it.');
  });

  it('reads inline strings, error values, formula text, booleans and 1904 dates, with prefixed element names', async () => {
    const styles =
      '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><numFmts count="1"><numFmt numFmtId="164" formatCode="d/m/yyyy\\ h:mm"/></numFmts>' +
      '<cellXfs count="3"><xf numFmtId="0"/><xf numFmtId="14"/><xf numFmtId="164"/></cellXfs></styleSheet>';
    const xml =
      '<x:row r="1"><x:c r="A1" t="s"><x:v>0</x:v></x:c><x:c r="B1" t="inlineStr"><x:is><x:t>when</x:t></x:is></x:c><x:c r="C1" t="s"><x:v>1</x:v></x:c><x:c r="D1" t="s"><x:v>2</x:v></x:c></x:row>' +
      '<x:row r="2"><x:c r="A2"><x:v>1.5</x:v></x:c><x:c r="B2" s="1"><x:v>0</x:v></x:c><x:c r="C2" t="e"><x:v>#DIV/0!</x:v></x:c><x:c r="D2" t="b"><x:v>1</x:v></x:c></x:row>' +
      // Row 3 is empty and left out; row 4 skips column B.
      '<x:row r="4"><x:c r="A4"><x:v>2</x:v></x:c><x:c r="C4" t="str"><x:f>A4*2</x:f><x:v>four &amp; more</x:v></x:c><x:c r="D4" t="b"><x:v>0</x:v></x:c></x:row>' +
      '<x:row r="5"><x:c r="A5"><x:v>3</x:v></x:c><x:c r="B5" s="2"><x:v>1.75</x:v></x:c><x:c r="D5" t="b"><x:v>1</x:v></x:c></x:row>';
    const bytes = handMadeWorkbook(xml, {
      prefix: 'x',
      date1904: true,
      styles,
      sharedStrings: ['<t>amount</t>', '<r><t>ra</t></r><r><t>tio</t></r>', '<t>ok</t><rPh><t>おけ</t></rPh>'],
    });
    const { outcome } = await read(bytes, 'made.xlsx');
    if (!outcome.ok) throw new Error(outcome.message);
    expect(outcome.file.header).toEqual(['amount', 'when', 'ratio', 'ok']);
    expect(outcome.file.preview).toEqual([
      ['1.5', '1904-01-01', '#DIV/0!', 'TRUE'],
      ['2', '', 'four & more', 'FALSE'],
      ['3', '1904-01-02T18:00:00', '', 'TRUE'],
    ]);
  });

  it('refuses a damaged or hostile workbook with the reason, and a workbook without a data sheet', async () => {
    const good = handMadeWorkbook('<row r="1"><c r="A1" t="inlineStr"><is><t>a</t></is></c></row><row r="2"><c r="A2"><v>1</v></c></row>');
    const broken = zipSync({ '[Content_Types].xml': strToU8('<Types/>'), 'xl/workbook.xml': strToU8('<workbook><sheets><sheet name="A" r:id="rId1"/></sheets></workbook>') });
    const cases: [string, Uint8Array, RegExp][] = [
      ['norels.xlsx', broken, /^"norels\.xlsx" could not be read as an Excel workbook: it has no xl\/workbook\.xml or no xl\/_rels\/workbook\.xml\.rels/],
      ['truncated.xlsx', good.slice(0, good.length - 30), /^"truncated\.xlsx" could not be read as an Excel workbook: .*(not a zip|damaged)/],
      [
        'bomb.xlsx',
        declaringSize(zipSync({ 'xl/workbook.xml': strToU8('<workbook/>') }), 300 * 1024 * 1024),
        /^"bomb\.xlsx" could not be read as an Excel workbook: entry xl\/workbook\.xml declares 314,572,800 bytes inflated; one file may be at most 268,435,456/,
      ],
      ['header-only.xlsx', handMadeWorkbook('<row r="1"><c r="A1" t="inlineStr"><is><t>a</t></is></c></row>'), /none of its sheet has a header row with data below it/],
      ['bad-xml.xlsx', handMadeWorkbook('<row r="1"><c r="A1"><v>1</v></row>'), /its xl\/worksheets\/sheet1\.xml is not well-formed XML/],
    ];
    for (const [name, bytes, message] of cases) {
      const { outcome } = await read(bytes, name);
      expect(outcome.ok, name).toBe(false);
      if (!outcome.ok) expect(outcome.message, name).toMatch(message);
    }
  });
});

describe('isDateFormat', () => {
  it('finds day, month, year, hour or second outside quotes, escapes and brackets', () => {
    for (const code of ['yyyy-mm-dd', 'd/m/yyyy\\ h:mm', '[$-409]mmm d, yyyy', 'h:mm AM/PM', '[h]:mm:ss']) expect(isDateFormat(code), code).toBe(true);
    for (const code of ['0.00', '#,##0', '0.00E+00', '"days"0', '[Red]#,##0', '[$$-409]#,##0.00', 'General', '0%']) expect(isDateFormat(code), code).toBe(false);
  });
});
