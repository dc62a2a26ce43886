// Excel workbooks (.xlsx): the first visible sheet with data, read into the text table a CSV export of it would
// give. The zip is untrusted: its directory is judged and every part inflated with a cap by the same reader as
// bundle import and restore (src/core/shared/zip). Ready-made readers were tried: read-excel-file unzips with
// fflate's async unzip, which starts blob: workers this app's CSP forbids, and inflates without any cap.

import { Inflate } from 'fflate';
import { cappedInflater, inflateEntry, readDirectory, ZipRefusal, type ZipLimits } from '../../../../src/core/shared/zip';
import type { RawTable } from '../../../../src/core/data/type-guess';
import type { InsideChoice } from '../../../../src/core/contracts/parse';
import { MAX_COLUMNS, MAX_ROWS, thousands, tooManyColumns, tooManyRows } from '../limits';
import { readSharedStrings } from './shared-strings';
import { readSheetRows } from './sheet';
import { dateStyles } from './styles';
import { readWorkbook } from './workbook';

const LIMITS: ZipLimits = {
  fileBytes: 256 * 1024 * 1024,
  entries: 10_000,
  // One part decodes into one string; V8 strings stop near 512 M characters.
  entryBytes: 256 * 1024 * 1024,
  totalBytes: 2 * 1024 * 1024 * 1024,
  // Sheet XML repeats itself and compresses far better than most data; the entry cap is what stops a bomb.
  ratio: 1000,
  ratioExemptBytes: 1024 * 1024,
};
const PREVIEW_ROWS = 20;

const inflate = cappedInflater((ondata) => new Inflate(ondata));
const decoder = new TextDecoder();

/** The sheet read, as the importer's other readers hand over their rows. */
export class SheetTable {
  readonly rowCount: number;

  constructor(
    readonly header: string[],
    private readonly columns: string[][],
    private readonly lines: number[],
  ) {
    this.rowCount = lines.length;
  }

  table(header: string[]): RawTable {
    return { header, columns: this.columns, rowCount: this.rowCount, lines: Int32Array.from(this.lines) };
  }

  preview(): string[][] {
    const n = Math.min(this.rowCount, PREVIEW_ROWS);
    return Array.from({ length: n }, (_, r) => this.columns.map((col) => col[r] ?? ''));
  }
}

export interface XlsxRead {
  sheet: SheetTable;
  /** Said to the user: which sheet was read when the workbook has others. */
  warnings: string[];
  /** The visible sheets, when there are several. */
  inside?: InsideChoice;
}

/** `pick`: the sheet to read, by name; else the first visible sheet with a header row and data below it. */
export async function readXlsx(file: Blob, fileName: string, pick?: string): Promise<XlsxRead | { error: string }> {
  const refused = (why: string) => ({ error: `"${fileName}" could not be read as an Excel workbook: ${why}.` });
  try {
    const bytes = new Uint8Array(await file.arrayBuffer());
    const entries = readDirectory(bytes, LIMITS, 'workbook');
    const byName = new Map(entries.map((e) => [e.name, e]));
    // Only the parts read are inflated, each once.
    const text = (name: string): string | null => {
      const entry = byName.get(name);
      return entry === undefined ? null : decoder.decode(inflateEntry(bytes, entry, inflate));
    };
    const workbookXml = text('xl/workbook.xml');
    const relsXml = text('xl/_rels/workbook.xml.rels');
    if (workbookXml === null || relsXml === null) return refused('it has no xl/workbook.xml or no xl/_rels/workbook.xml.rels (is it an .xlsb or a renamed file? save it as .xlsx or CSV)');
    const workbook = readWorkbook(workbookXml, relsXml);
    const context = { sharedStrings: readSharedStrings(text('xl/sharedStrings.xml')), dateStyles: dateStyles(text('xl/styles.xml')), date1904: workbook.date1904 };

    const visible = workbook.sheets.filter((s) => !s.hidden);
    const candidates = pick === undefined ? visible : workbook.sheets.filter((s) => s.name === pick);
    if (candidates.length === 0) return refused(`it has no sheet "${pick}"`);
    for (const ref of candidates) {
      const xml = text(ref.part);
      if (xml === null) return refused(`its sheet "${ref.name}" names a part (${ref.part}) the file does not hold`);
      const { rows, rowNumbers } = readSheetRows(xml, ref.part, context);
      if (rows.length < 2) {
        if (pick !== undefined) return refused(`its sheet "${ref.name}" has no header row with data below it`);
        continue;
      }
      const width = rows.reduce((w, r) => Math.max(w, r.length), 0);
      if (width > MAX_COLUMNS) return { error: tooManyColumns(`Sheet "${ref.name}" of "${fileName}"`) };
      if (rows.length - 1 > MAX_ROWS) return { error: tooManyRows(fileName) };
      const data = rows.slice(1);
      const columns = Array.from({ length: width }, (_, c) => data.map((row) => row[c] ?? ''));
      const header = Array.from({ length: width }, (_, c) => rows[0]![c] ?? '');
      const sheet = new SheetTable(header, columns, rowNumbers.slice(1));
      if (visible.length < 2) return { sheet, warnings: [] };
      const inside: InsideChoice = { kind: 'sheet', options: visible.map((s) => s.name), chosen: ref.name };
      // Said once, when the reader chose: a sheet the user picked needs no word.
      const warnings = pick === undefined ? [`${fileName} has ${thousands(visible.length)} sheets: "${ref.name}" was read, the first with a header row and data. Choose another under "Sheet".`] : [];
      return { sheet, warnings, inside };
    }
    return refused(`none of its ${visible.length === 1 ? 'sheet has' : `${visible.length} visible sheets has`} a header row with data below it`);
  } catch (e) {
    if (e instanceof ZipRefusal) return refused(e.message);
    return refused(e instanceof Error ? e.message : String(e));
  }
}
