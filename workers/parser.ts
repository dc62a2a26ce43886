// The parse worker's implementation: file bytes -> UTF-8 text -> rows -> a raw text table kept here
// under a handle, and on request a typed dataset built from it and handed back by transfer.

import Papa from 'papaparse';
import { transfer } from 'comlink';
import { decodeUtf8 } from '../src/core/csv-text';
import type { DecodeResult } from '../src/core/csv-text';
import { buildDataset } from '../src/core/dataset';
import { newId } from '../src/core/ids';
import { checkHeader, guessColumns, rawFromRecords, uniqueNames } from '../src/core/infer';
import type { RawTable } from '../src/core/infer';
import type { RawRow } from '../src/core/types';
import type { BuildOutcome, DatasetChoices, ParseEvent, ParseOutcome, ParserApi } from '../src/core/worker-api';
import { RowCollector } from './csv-rows';

export const MAX_FILE_BYTES = 512 * 1024 * 1024;
const PROGRESS_MS = 100;
/** Characters per papaparse chunk; between chunks the worker may yield so `cancel` can arrive. */
const CHUNK_CHARS = 1 << 20;
/** Longest stretch of parsing without letting other messages in. */
const YIELD_MS = 50;
const CANCELLED = 'Import cancelled.';

interface Job {
  cancelled: boolean;
}

type Fail = { ok: false; message: string };

function fail(message: string): Fail {
  return { ok: false, message };
}

function megabytes(bytes: number): string {
  return `${Math.round(bytes / (1024 * 1024))} MB`;
}

export function createParser(): ParserApi {
  const tables = new Map<string, RawTable>();
  let current: Job | null = null;

  function keep(raw: RawTable, fileName: string, byteLength: number, preview: string[][]): ParseOutcome {
    const handle = newId('parsed');
    tables.set(handle, raw);
    return {
      ok: true,
      file: {
        handle,
        fileName,
        byteLength,
        header: raw.header,
        rowCount: raw.rowCount,
        guesses: guessColumns(raw),
        preview,
      },
    };
  }

  async function parseCsv(file: Blob, fileName: string, onEvent: (e: ParseEvent) => void): Promise<ParseOutcome> {
    const job: Job = { cancelled: false };
    current = job;
    try {
      if (file.size > MAX_FILE_BYTES) {
        return fail(
          `The file "${fileName}" is ${megabytes(file.size)}; Loopbench can import CSV files up to ${megabytes(MAX_FILE_BYTES)}.`,
        );
      }
      if (file.size === 0) return fail(`The file "${fileName}" is empty.`);
      const progress = throttle(onEvent, file.size);

      const bytes = await readAll(file, job, (n) => progress(n, 0, false));
      if (bytes === null) return fail(CANCELLED);
      const decoded = decodeText(bytes, fileName);
      if (!decoded.ok) return fail(decoded.message);
      if (decoded.text.trim() === '') return fail(`The file "${fileName}" is empty.`);

      const parsed = await parseText(decoded.text, job, (rows) => progress(file.size, rows, false));
      if (parsed === 'cancelled') return fail(CANCELLED);
      if (typeof parsed === 'string') return fail(parsed);
      progress(file.size, parsed.rowCount, true);

      if (parsed.header === null) return fail(`The file "${fileName}" is empty.`);
      const headerProblem = checkHeader(parsed.header);
      if (headerProblem) return fail(headerProblem);
      if (parsed.rowCount === 0 && parsed.raggedCount === 0) {
        return fail(`The file "${fileName}" has a header line but no data rows.`);
      }
      const ragged = parsed.raggedMessage();
      if (ragged) return fail(ragged);
      return keep(parsed.table(uniqueNames(parsed.header)), fileName, file.size, parsed.preview);
    } finally {
      if (current === job) current = null;
    }
  }

  async function parseRecords(records: RawRow[], fileName: string, byteLength: number): Promise<ParseOutcome> {
    const raw = rawFromRecords(records);
    if (raw.header.length === 0) return fail(`"${fileName}" has no columns.`);
    if (raw.rowCount === 0) return fail(`"${fileName}" has no rows.`);
    raw.header = uniqueNames(raw.header);
    const previewRows = Math.min(raw.rowCount, 20);
    const preview = Array.from({ length: previewRows }, (_, r) => raw.columns.map((col) => col[r]));
    return keep(raw, fileName, byteLength, preview);
  }

  async function build(handle: string, choices: DatasetChoices): Promise<BuildOutcome> {
    const raw = tables.get(handle);
    if (!raw) {
      return {
        ok: false,
        problems: [{ column: '', line: 0, value: '', message: 'The parsed file is no longer loaded; import it again.' }],
      };
    }
    const outcome = await buildDataset(raw, choices);
    if (!outcome.ok) return outcome;
    const { table, assignment } = outcome.dataset;
    const buffers: ArrayBuffer[] = [assignment.buffer as ArrayBuffer];
    for (const col of table.columns) buffers.push((col.kind === 'number' ? col.values.buffer : col.codes.buffer) as ArrayBuffer);
    return transfer(outcome, buffers);
  }

  return {
    parseCsv,
    parseRecords,
    build,
    cancel() {
      if (current) current.cancelled = true;
    },
    release(handle: string) {
      tables.delete(handle);
    },
  };
}

function decodeText(bytes: Uint8Array, fileName: string): DecodeResult {
  try {
    return decodeUtf8(bytes);
  } catch {
    // JavaScript strings top out near 2^29 characters; a file that size cannot become one text.
    return fail(`The file "${fileName}" is too large to read as text in this browser. Split it into smaller files.`);
  }
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

async function readAll(file: Blob, job: Job, onBytes: (n: number) => void): Promise<Uint8Array | null> {
  const bytes = new Uint8Array(file.size);
  const reader = file.stream().getReader();
  let at = 0;
  for (;;) {
    if (job.cancelled) {
      await reader.cancel();
      return null;
    }
    const { done, value } = await reader.read();
    if (done) break;
    // A Blob is immutable, but a File backed by disk can change under us; never write past the end.
    const room = Math.min(value.length, bytes.length - at);
    bytes.set(value.subarray(0, room), at);
    at += room;
    onBytes(at);
  }
  return bytes.subarray(0, at);
}

interface ChunkOptions {
  worker: false;
  chunkSize: number;
  chunk(results: Papa.ParseResult<string[]>, parser: Papa.Parser): void;
}

/** Rows collected, an error message, or 'cancelled'. */
function parseText(text: string, job: Job, onRows: (rows: number) => void): Promise<RowCollector | string | 'cancelled'> {
  return new Promise((resolve) => {
    const rows = new RowCollector();
    let failure: string | null = null;
    let lastYield = performance.now();
    // Chunked parsing of a string works in papaparse, but its typings only describe it for files.
    const config: Papa.ParseConfig<string[]> & ChunkOptions = {
      worker: false,
      chunkSize: CHUNK_CHARS,
      // Blank lines are skipped by RowCollector instead, so every row papaparse returns is a line
      // the collector can count.
      skipEmptyLines: false,
      chunk(results, parser) {
        try {
          const starts = rows.add(results.data);
          const error = results.errors.find((e) => e.type === 'Quotes');
          if (error) {
            failure = quoteMessage(error, starts[error.row ?? -1] ?? rows.currentLine);
            parser.abort();
            return;
          }
          onRows(rows.rowCount);
          if (job.cancelled) {
            parser.abort();
            return;
          }
          if (performance.now() - lastYield >= YIELD_MS) {
            parser.pause();
            setTimeout(() => {
              lastYield = performance.now();
              try {
                if (job.cancelled) parser.abort();
                else parser.resume();
              } catch (e) {
                failure = unexpected(e);
                resolve(failure);
              }
            }, 0);
          }
        } catch (e) {
          failure = unexpected(e);
          parser.abort();
        }
      },
      complete() {
        resolve(failure ?? (job.cancelled ? 'cancelled' : rows));
      },
    };
    Papa.parse(text, config);
  });
}

function unexpected(e: unknown): string {
  return `Reading the file failed: ${e instanceof Error ? e.message : String(e)}`;
}

function quoteMessage(error: Papa.ParseError, line: number): string {
  if (error.code === 'MissingQuotes') {
    return `Line ${line}: a quoted value is never closed. Check for a missing closing double quote (").`;
  }
  return (
    `Line ${line}: a quoted value has extra characters after its closing quote. ` +
    'Inside a quoted value, write a double quote as two ("").'
  );
}
