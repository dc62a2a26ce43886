import { gzipSync, strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { binaryFileMessage, workbookKind } from '../../src/core/data/binary-files';

const xlsx = zipSync({ '[Content_Types].xml': strToU8('<Types/>'), 'xl/workbook.xml': strToU8('<workbook/>'), 'xl/worksheets/sheet1.xml': strToU8('<worksheet/>') });
// OpenDocument puts an uncompressed "mimetype" entry first, which is what gives it away without a name.
const ods = zipSync({ mimetype: [strToU8('application/vnd.oasis.opendocument.spreadsheet'), { level: 0 }], 'content.xml': strToU8('<office/>') });
const archive = zipSync({ 'train.csv': strToU8('a,b\n1,2\n'), 'test.csv': strToU8('a,b\n3,4\n') });
const ole2 = Uint8Array.of(0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0, 0, 0);
const bytes = (text: string, pad = 8) => new Uint8Array([...strToU8(text), ...new Uint8Array(pad)]);

describe('binaryFileMessage: a binary file said for what it is, with what to do', () => {
  it('tells a workbook by its name or, without one, by what its zip holds', () => {
    // The importer reads Excel workbooks itself (workers/parse/formats/xlsx); only the others are refused.
    expect(workbookKind('sales.xlsx', xlsx)).toBe('Excel');
    expect(workbookKind('sales.csv', xlsx)).toBe('Excel');
    expect(workbookKind('archive.zip', archive)).toBeNull();
    expect(binaryFileMessage('budget.ods', ods)).toMatch(/^budget\.ods is a spreadsheet workbook \(OpenDocument\).*in LibreOffice: File → Save As → "Text CSV"/);
    expect(binaryFileMessage('download', ods)).toMatch(/^download is a spreadsheet workbook \(OpenDocument\)/);
    expect(binaryFileMessage('Budget.numbers', archive)).toMatch(/\(Numbers\).*in Numbers: File → Export To → CSV/);
    expect(binaryFileMessage('old.xls', ole2)).toMatch(/^old\.xls is a spreadsheet workbook \(Excel 97–2003\)/);
  });

  it('says to unzip an archive and to decompress a gzip file', () => {
    expect(binaryFileMessage('archive.zip', archive)).toBe('archive.zip is a zip archive: unzip it and import the data file inside (CSV, TSV, JSON, JSON Lines, Parquet or Excel .xlsx).');
    expect(binaryFileMessage('data.csv.gz', gzipSync(strToU8('a,b\n1,2\n')))).toBe(
      'data.csv.gz is gzip-compressed: decompress it (gunzip, or 7-Zip on Windows) and import the file inside.',
    );
  });

  it('names columnar and database files and how to write them out', () => {
    expect(binaryFileMessage('frame.feather', bytes('ARROW1'))).toMatch(/^frame\.feather is an Arrow \(Feather\) file.*df\.to_parquet/);
    expect(binaryFileMessage('store.h5', Uint8Array.of(0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a, 0))).toMatch(/^store\.h5 is an HDF5 file/);
    expect(binaryFileMessage('app.db', bytes('SQLite format 3\0'))).toMatch(/^app\.db is an SQLite database: export the table as CSV/);
  });

  it('falls back to "binary" for anything else, a Word file in an old Office container included', () => {
    expect(binaryFileMessage('x.csv', Uint8Array.of(0x49, 0, 1, 2))).toBe('x.csv looks like a binary file, not text.');
    expect(binaryFileMessage('letter.doc', ole2)).toBe('letter.doc looks like a binary file, not text.');
  });
});
