// The parse worker's implementation: a file's bytes -> text (or Parquet pages) -> a raw text table
// kept here under a handle; on request a typed dataset is built from it and stored from here (the page gets its record).
// Every format streams: progress is by bytes read and a cancel lands between chunks.

import { fallbackWarning, sniffEncoding } from '../../src/core/data/text-decode';
import { binaryFileMessage, workbookKind } from '../../src/core/data/binary-files';
import { readXlsx, type SheetTable } from './formats/xlsx';
import { isArchive, unpack } from './formats/archive';
import type { TextEncodingName } from '../../src/core/data/text-decode';
import { buildDataset } from '../../src/core/data/build-dataset';
import { newId } from '../../src/core/shared/ids';
import { cellsOf, checkHeader, guessColumns, rawFromRecords, uniqueNames } from '../../src/core/data/type-guess';
import { detectNumberFormat } from '../../src/core/data/type-guess-numbers';
import type { RawTable } from '../../src/core/data/type-guess';
import type { RawRow, ReadFormat } from '../../src/core/shared/types';
import { DEFAULT_READ_FORMAT } from '../../src/core/shared/types';
import type { BuildOutcome, CellProblem, ColumnGuess, DatasetChoices, DetectedFormat, InsideChoice, ParseEvent, ParseOutcome, ParserApi, StoreOutcome, StoreRequest } from '../../src/core/contracts/parse';
import { readDelimited } from './formats/csv';
import type { CsvResult } from './formats/csv';
import { detectTextFormat, isParquet } from './formats/detect';
import type { TextFormat } from './formats/detect';
import { readJson, readJsonLines } from './formats/json';
import { readParquet } from './formats/parquet';
import type { RecordCollector } from './formats/records';
import type { ParquetColumns } from './formats/parquet-columns';
import type { Job } from './formats/text-stream';
import { CANCELLED, MAX_FILE_BYTES, megabytes } from './formats/limits';
import { importLabels } from './store-version';
import { DatasetService, openByName, type OpenDatabase } from '../dataset/dataset-service';
import { createLoop } from './production-version';
import { createWorkspaceApi } from '../backup/workspace-api';

export { MAX_FILE_BYTES };
const PROGRESS_MS = 100;
/** Bytes looked at to choose the format and encoding. */
const HEAD_BYTES = 64 * 1024;

type Fail = { ok: false; message: string };

function fail(message: string): Fail {
  return { ok: false, message };
}

type Progress = (bytesRead: number, rows: number, force: boolean) => void;

/** The parser and, for tests only, `build`: the built table itself, which the page must never receive. */
export interface TestParser extends ParserApi {
  build(handle: string, choices: DatasetChoices): Promise<BuildOutcome>;
}

/** The page-facing parser (what the worker exposes). `openDatabase` opens the database buildAndStore writes to. */
export function createParser(openDatabase: OpenDatabase = openByName): ParserApi {
  const { build: _build, ...api } = createTestParser(openDatabase);
  return api;
}

/** For tests of the worker: the parser with `build` (tests hand in fake-indexeddb as `openDatabase`). */
export function createTestParser(openDatabase: OpenDatabase = openByName): TestParser {
  // An import is written once and not read back in this worker: no cache.
  const datasets = new DatasetService(openDatabase, 0);
  const tables = new Map<string, RawTable>();
  let current: Job | null = null;

  function keep(
    raw: RawTable,
    fileName: string,
    byteLength: number,
    preview: string[][],
    reader: Omit<DetectedFormat, 'format'>,
  ): ParseOutcome {
    const handle = newId('parsed');
    tables.set(handle, raw);
    const number = detectNumberFormat(raw.header.map((_, c) => cellsOf(raw, c)), raw.rowCount);
    const format: ReadFormat = { number, dayFirst: DEFAULT_READ_FORMAT.dayFirst };
    return {
      ok: true,
      file: {
        handle,
        fileName,
        byteLength,
        header: raw.header,
        rowCount: raw.rowCount,
        guesses: guessColumns(raw, format),
        preview,
        detected: { ...reader, format },
      },
    };
  }

  /** The outcome with what else the file held to read, unless the file read from it says so itself. */
  function withInside(outcome: ParseOutcome, inside: InsideChoice | undefined): ParseOutcome {
    return outcome.ok && inside && !outcome.file.inside ? { ok: true, file: { ...outcome.file, inside } } : outcome;
  }

  function fromDelimited(
    parsed: Exclude<CsvResult, 'not-utf8'>,
    fileName: string,
    size: number,
    progress: Progress,
    encoding: string,
  ): ParseOutcome {
    if (parsed === 'cancelled') return fail(CANCELLED);
    if ('error' in parsed) return fail(parsed.error);
    const { rows } = parsed;
    progress(size, rows.rowCount, true);
    if (rows.header === null) return fail(`The file "${fileName}" is empty.`);
    const headerProblem = checkHeader(rows.header);
    if (headerProblem) return fail(headerProblem);
    if (rows.rowCount === 0 && rows.raggedCount === 0) {
      return fail(`The file "${fileName}" has a header line but no data rows.`);
    }
    const ragged = rows.raggedMessage();
    if (ragged) return fail(ragged);
    const separator = parsed.delimiter;
    return keep(rows.table(uniqueNames(rows.header)), fileName, size, rows.preview, {
      kind: separator === '\t' ? 'tsv' : 'csv',
      separator,
      encoding,
    });
  }

  function fromRecords(
    parsed: RecordCollector | ParquetColumns | SheetTable | 'cancelled' | { error: string },
    fileName: string,
    size: number,
    progress: Progress,
    reader: Omit<DetectedFormat, 'format'>,
  ): ParseOutcome {
    if (parsed === 'cancelled') return fail(CANCELLED);
    if ('error' in parsed) return fail(parsed.error);
    progress(size, parsed.rowCount, true);
    if (parsed.rowCount === 0) return fail(`"${fileName}" has no rows.`);
    if (parsed.header.length === 0) return fail(`"${fileName}" has no columns.`);
    return keep(parsed.table(uniqueNames(parsed.header)), fileName, size, parsed.preview(), reader);
  }

  async function readText(
    format: TextFormat,
    file: Blob,
    fileName: string,
    encoding: TextEncodingName,
    job: Job,
    progress: Progress,
    bom: boolean,
  ): Promise<ParseOutcome | 'not-utf8'> {
    const encodingName = encodingLabel(encoding, bom);
    if (format === 'delimited') {
      const parsed = await readDelimited(file, fileName, encoding, job, (b, rows) => progress(b, rows, false));
      return parsed === 'not-utf8' ? parsed : fromDelimited(parsed, fileName, file.size, progress, encodingName);
    }
    const parsed =
      format === 'json'
        ? await readJson(file, fileName, encoding, job, (b) => progress(b, 0, false))
        : await readJsonLines(file, fileName, encoding, job, (b, rows) => progress(b, rows, false));
    return parsed === 'not-utf8'
      ? parsed
      : fromRecords(parsed, fileName, file.size, progress, { kind: format, separator: null, encoding: encodingName });
  }

  async function parseFile(file: Blob, fileName: string, onEvent: (e: ParseEvent) => void, pick?: string): Promise<ParseOutcome> {
    const job: Job = { cancelled: false };
    current = job;
    try {
      return await parseBlob(file, fileName, onEvent, job, false, pick);
    } finally {
      if (current === job) current = null;
    }
  }

  /**
   * `unpacked`: the file came out of an archive, so another archive inside it is not opened. `pick`: the sheet or
   * archive entry to read (ParserApi.parseFile).
   */
  async function parseBlob(
    file: Blob,
    fileName: string,
    onEvent: (e: ParseEvent) => void,
    job: Job,
    unpacked: boolean,
    pick: string | undefined,
  ): Promise<ParseOutcome> {
    try {
      if (file.size > MAX_FILE_BYTES) {
        return fail(
          `The file "${fileName}" is ${megabytes(file.size)}; Loopbench can import files up to ${megabytes(MAX_FILE_BYTES)}.`,
        );
      }
      if (file.size === 0) return fail(`The file "${fileName}" is empty.`);
      const progress = throttle(onEvent, file.size);
      const head = new Uint8Array(await file.slice(0, HEAD_BYTES).arrayBuffer());

      // An Excel workbook (.xlsx) is read from its first sheet with data; other workbooks are refused with how to save them as CSV.
      if (workbookKind(fileName, head) === 'Excel') {
        const read = await readXlsx(file, fileName, pick);
        if ('error' in read) return fail(read.error);
        for (const message of read.warnings) onEvent({ type: 'warning', message });
        const headerProblem = checkHeader(read.sheet.header);
        if (headerProblem) return fail(headerProblem);
        return withInside(fromRecords(read.sheet, fileName, file.size, progress, { kind: 'xlsx', separator: null, encoding: null }), read.inside);
      }
      // A zip or gzip file holding one data file is unpacked and that file read; one level only.
      if (!unpacked && isArchive(head)) {
        const inner = await unpack(file, fileName, head, pick);
        if ('error' in inner) return fail(inner.error);
        if (job.cancelled) return fail(CANCELLED);
        onEvent({ type: 'warning', message: inner.note });
        // The pick chose among the archive's files when it had several; else it is the sheet of the one inside.
        return withInside(await parseBlob(inner.file, inner.name, onEvent, job, true, inner.inside ? undefined : pick), inner.inside);
      }
      if (isParquet(fileName, head)) {
        return fromRecords(
          await readParquet(file, fileName, job, (b, rows) => progress(b, rows, false)),
          fileName,
          file.size,
          progress,
          { kind: 'parquet', separator: null, encoding: null },
        );
      }
      const sniffed = sniffEncoding(head);
      if (!sniffed.ok) return fail(binaryFileMessage(fileName, head));
      let encoding = sniffed.encoding;
      const headText = new TextDecoder(encoding).decode(head);
      if (file.size <= HEAD_BYTES && headText.trim() === '') return fail(`The file "${fileName}" is empty.`);
      const format = detectTextFormat(fileName, headText);

      const bom = head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf;
      let outcome = await readText(format, file, fileName, encoding, job, progress, bom);
      if (outcome === 'not-utf8') {
        // Not UTF-8: most likely a legacy Windows export. Read it again as Windows-1252, and say so.
        encoding = 'windows-1252';
        onEvent({ type: 'warning', message: fallbackWarning(fileName) });
        outcome = await readText(format, file, fileName, encoding, job, progress, false);
      }
      return outcome === 'not-utf8' ? fail(`"${fileName}" could not be decoded as text.`) : outcome;
    } catch (e) {
      return fail(`Reading "${fileName}" failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  async function parseRecords(records: RawRow[], fileName: string, byteLength: number): Promise<ParseOutcome> {
    const raw = rawFromRecords(records);
    if (raw.header.length === 0) return fail(`"${fileName}" has no columns.`);
    if (raw.rowCount === 0) return fail(`"${fileName}" has no rows.`);
    raw.header = uniqueNames(raw.header);
    const previewRows = Math.min(raw.rowCount, 20);
    const preview = Array.from({ length: previewRows }, (_, r) => raw.columns.map((col) => col[r]));
    return keep(raw, fileName, byteLength, preview, { kind: 'json', separator: null, encoding: null });
  }

  async function guess(handle: string, format: ReadFormat): Promise<ColumnGuess[]> {
    const raw = tables.get(handle);
    if (!raw) throw new Error(notLoaded().message);
    return guessColumns(raw, format);
  }

  async function build(handle: string, choices: DatasetChoices): Promise<BuildOutcome> {
    const raw = tables.get(handle);
    if (!raw) return { ok: false, problems: [notLoaded()] };
    return buildDataset(raw, choices);
  }

  async function buildAndStore(handle: string, choices: DatasetChoices, request: StoreRequest): Promise<StoreOutcome> {
    const raw = tables.get(handle);
    if (!raw) return { ok: false, problems: [notLoaded()] };
    const outcome = await buildDataset(raw, choices);
    if (!outcome.ok) return outcome;
    return { ok: true, ...(await datasets.store(request.databaseName, outcome.dataset, importLabels(choices, request))) };
  }

  return {
    parseFile,
    parseRecords,
    guess,
    build,
    buildAndStore,
    ...createLoop(datasets, openDatabase),
    ...createWorkspaceApi(openDatabase),
    cancel() {
      if (current) current.cancelled = true;
    },
    release(handle: string) {
      tables.delete(handle);
    },
  };
}

/** The encoding as the import preview names it. */
function encodingLabel(encoding: TextEncodingName, bom: boolean): string {
  switch (encoding) {
    case 'utf-8':
      return bom ? 'UTF-8 with BOM' : 'UTF-8';
    case 'utf-16le':
      return 'UTF-16LE';
    case 'utf-16be':
      return 'UTF-16BE';
    case 'windows-1252':
      return 'Windows-1252';
  }
}

function notLoaded(): CellProblem {
  return { column: '', line: 0, value: '', message: 'The parsed file is no longer loaded; import it again.' };
}

/** Progress events at most every PROGRESS_MS, plus the first with rows (parsing has begun) and the final one. */
function throttle(onEvent: (e: ParseEvent) => void, totalBytes: number) {
  let last = -Infinity;
  let sawRows = false;
  return (bytesRead: number, rows: number, force: boolean) => {
    const now = performance.now();
    const firstRows = rows > 0 && !sawRows;
    if (!force && !firstRows && now - last < PROGRESS_MS) return;
    sawRows ||= rows > 0;
    last = now;
    onEvent({ type: 'progress', bytesRead, totalBytes, rows });
  };
}
