// Parquet through hyparquet, one row group at a time so progress and cancel work between groups.
// hyparquet decodes UNCOMPRESSED and SNAPPY pages itself; hyparquet-compressors adds GZIP, BROTLI,
// ZSTD, LZ4 and LZ4_RAW (pure JS, plus a small inlined wasm Snappy). LZO has no decompressor in
// either, so a file using it is refused up front, by name, rather than failing mid-read.

import { parquetMetadataAsync, parquetRead, parquetSchema } from 'hyparquet';
import type { AsyncBuffer, CompressionCodec, FileMetaData, ParquetParsers } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import { ParquetColumns } from './parquet-columns';
import type { ChunkValues } from './parquet-columns';
import { cellText } from './records';
import type { Job } from './text-stream';
import { CANCELLED, MAX_COLUMNS, MAX_ROWS, tooManyColumns, tooManyRows } from './limits';

const READABLE: ReadonlySet<CompressionCodec> = new Set<CompressionCodec>([
  'UNCOMPRESSED',
  'SNAPPY',
  ...(Object.keys(compressors) as CompressionCodec[]),
]);

/** The refusal for a file using codecs no decompressor here reads, or null when all are readable. */
function codecError(fileName: string, codecs: Iterable<CompressionCodec>): string | null {
  const unsupported = [...new Set(codecs)].filter((c) => !READABLE.has(c));
  if (unsupported.length === 0) return null;
  return (
    `"${fileName}" is compressed with ${unsupported.join(', ')}, which Loopbench cannot read; it reads Parquet that is ` +
    'uncompressed or compressed with Snappy, GZIP, Brotli, ZSTD or LZ4. Save the file again with one of those ' +
    '(Snappy is the usual default).'
  );
}

export type ParquetResult = ParquetColumns | { error: string };

/** Distinct timestamps remembered at most; past it the memo starts again (it only saves work). */
const MAX_MEMO = 500_000;

/**
 * Timestamps straight to the text the record path gives them (cellText of the Date: ISO 8601, or ''
 * when out of range), remembered per raw value: a column of 3,000,000 timestamps usually holds far
 * fewer distinct ones, and each then costs no Date, no BigInt division and no toISOString.
 */
function timestampParsers(): Partial<ParquetParsers> {
  const memo = new Map<bigint, string>();
  const text = (raw: bigint, perMilli: bigint): string => {
    let s = memo.get(raw);
    if (s === undefined) {
      s = cellText(new Date(Number(raw / perMilli)));
      if (memo.size >= MAX_MEMO) memo.clear();
      memo.set(raw, s);
    }
    return s;
  };
  return {
    timestampFromMilliseconds: (millis) => text(millis, 1n),
    timestampFromMicroseconds: (micros) => text(micros, 1000n),
    timestampFromNanoseconds: (nanos) => text(nanos, 1_000_000n),
  };
}

function blobBuffer(file: Blob): AsyncBuffer {
  return { byteLength: file.size, slice: (start, end) => file.slice(start, end).arrayBuffer() };
}

function reason(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export async function readParquet(
  file: Blob,
  fileName: string,
  job: Job,
  onProgress: (bytesRead: number, rows: number) => void,
): Promise<ParquetResult> {
  const buffer = blobBuffer(file);
  let metadata: FileMetaData;
  try {
    metadata = await parquetMetadataAsync(buffer);
  } catch (e) {
    return { error: `"${fileName}" is not a valid Parquet file (${reason(e)}).` };
  }
  const codecs = new Set<CompressionCodec>();
  for (const group of metadata.row_groups) {
    for (const chunk of group.columns) if (chunk.meta_data) codecs.add(chunk.meta_data.codec);
  }
  const codecProblem = codecError(fileName, codecs);
  if (codecProblem !== null) return { error: codecProblem };
  if (Number(metadata.num_rows) > MAX_ROWS) return { error: tooManyRows(fileName) };
  let names: string[];
  try {
    names = parquetSchema(metadata).children.map((c) => c.element.name);
  } catch (e) {
    return { error: `"${fileName}" has a Parquet schema Loopbench cannot read (${reason(e)}).` };
  }
  if (names.length > MAX_COLUMNS) return { error: tooManyColumns(`"${fileName}"`) };
  const records = new ParquetColumns(names, Number(metadata.num_rows));
  const parsers = timestampParsers();

  let rowStart = 0;
  let bytesDone = 0;
  for (const group of metadata.row_groups) {
    if (job.cancelled) return { error: CANCELLED };
    const rowEnd = rowStart + Number(group.num_rows);
    try {
      // Column by column as hyparquet decodes them: no rows are assembled.
      await parquetRead({
        file: buffer,
        metadata,
        compressors,
        parsers,
        rowStart,
        rowEnd,
        onChunk: (chunk) => records.add(chunk.columnName, chunk.columnData as ChunkValues, chunk.rowStart, rowEnd),
      });
    } catch (e) {
      return { error: `"${fileName}": reading rows ${rowStart + 1} to ${rowEnd} failed (${reason(e)}). The file may be damaged.` };
    }
    records.endRows(rowEnd);
    rowStart = rowEnd;
    bytesDone += Number(group.total_compressed_size ?? group.total_byte_size);
    onProgress(Math.min(bytesDone, file.size), records.rowCount);
    // Let a cancel message in between row groups.
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
  return records;
}
