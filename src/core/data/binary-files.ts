// What a binary file someone picked for import probably is, told from its first bytes and its name. The importer
// reads an Excel workbook (.xlsx) and unpacks a zip or gzip file one level (workers/parse/formats/); for the rest,
// and an archive found inside an archive, the refusal says what to do rather than only "not text": another workbook
// is saved as CSV, an archive unpacked, a columnar or database file written out.

const FORMATS = 'CSV, TSV, JSON, JSON Lines, Parquet or Excel .xlsx';

const ZIP = [0x50, 0x4b, 0x03, 0x04];
const OLE2 = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
const GZIP = [0x1f, 0x8b];
const HDF5 = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];

function startsWith(head: Uint8Array, bytes: readonly number[]): boolean {
  return bytes.every((b, i) => head[i] === b);
}

/** The head as Latin-1 text, for the ASCII names and markers inside binary formats. */
function latin1(head: Uint8Array): string {
  let out = '';
  for (const b of head) out += String.fromCharCode(b);
  return out;
}

export type Workbook = 'Excel' | 'Excel 97–2003' | 'OpenDocument' | 'Numbers';

/** How to save each workbook Loopbench does not read as CSV. */
const SAVE_AS: Record<Exclude<Workbook, 'Excel'>, string> = {
  'Excel 97–2003': 'in Excel: File → Save As → "CSV UTF-8"',
  OpenDocument: 'in LibreOffice: File → Save As → "Text CSV"',
  Numbers: 'in Numbers: File → Export To → CSV',
};

/** The kind of spreadsheet workbook the file is, or null; 'Excel' (.xlsx, .xlsm, .xlsb) is the one the importer reads. */
export function workbookKind(fileName: string, head: Uint8Array): Workbook | null {
  const name = fileName.toLowerCase();
  if (startsWith(head, ZIP)) {
    if (/\.xls[xmb]$/.test(name)) return 'Excel';
    if (name.endsWith('.ods')) return 'OpenDocument';
    if (name.endsWith('.numbers')) return 'Numbers';
    const text = latin1(head);
    if (text.includes('opendocument.spreadsheet')) return 'OpenDocument';
    if (text.includes('xl/')) return 'Excel';
    return null;
  }
  if (startsWith(head, OLE2) && !/\.(doc|ppt|msg)$/.test(name)) return 'Excel 97–2003';
  return null;
}

/** The refusal of a binary file: what it looks like, and how to get a file Loopbench reads from it. */
export function binaryFileMessage(fileName: string, head: Uint8Array): string {
  const book = workbookKind(fileName, head);
  if (book === 'Excel') return `${fileName} is an Excel workbook: import it as a data file, and Loopbench reads its first sheet with data.`;
  if (book) {
    return `${fileName} is a spreadsheet workbook (${book}), which Loopbench does not read: save the sheet as CSV (${SAVE_AS[book]}) and import that file.`;
  }
  if (startsWith(head, ZIP)) return `${fileName} is a zip archive: unzip it and import the data file inside (${FORMATS}).`;
  if (startsWith(head, GZIP)) return `${fileName} is gzip-compressed: decompress it (gunzip, or 7-Zip on Windows) and import the file inside.`;
  if (latin1(head.subarray(0, 6)) === 'ARROW1') {
    return `${fileName} is an Arrow (Feather) file, which Loopbench does not read: write it as Parquet (pandas: df.to_parquet("data.parquet")) and import that.`;
  }
  if (startsWith(head, HDF5)) {
    return `${fileName} is an HDF5 file, which Loopbench does not read: write the table as Parquet or CSV (pandas: df.to_parquet("data.parquet")) and import that.`;
  }
  if (latin1(head.subarray(0, 16)) === 'SQLite format 3\0') {
    return `${fileName} is an SQLite database: export the table as CSV (in sqlite3: .headers on, .mode csv, .once data.csv, then SELECT * FROM the_table;) and import that.`;
  }
  return `${fileName} looks like a binary file, not text.`;
}
