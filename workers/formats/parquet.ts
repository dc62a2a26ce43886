// Parquet through hyparquet, one row group at a time so progress and cancel work between groups.
// hyparquet decodes UNCOMPRESSED and SNAPPY pages itself; hyparquet-compressors adds GZIP, BROTLI,
// ZSTD, LZ4 and LZ4_RAW (pure JS, plus a small inlined wasm Snappy). LZO has no decompressor in
// either, so a file using it is refused up front, by name, rather than failing mid-read.

import { parquetMetadataAsync, parquetRead, parquetSchema } from 'hyparquet';
import type { AsyncBuffer, CompressionCodec, FileMetaData } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import { RecordCollector } from './records';
import type { Job } from './text-stream';
import { CANCELLED, MAX_ROWS, tooManyRows } from './limits';

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

export type ParquetResult = RecordCollector | { error: string };

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
  const records = new RecordCollector(fileName);
  let headerError: string | null;
  try {
    headerError = records.setHeader(parquetSchema(metadata).children.map((c) => c.element.name));
  } catch (e) {
    return { error: `"${fileName}" has a Parquet schema Loopbench cannot read (${reason(e)}).` };
  }
  if (headerError !== null) return { error: headerError };

  let rowStart = 0;
  let bytesDone = 0;
  for (const group of metadata.row_groups) {
    if (job.cancelled) return { error: CANCELLED };
    const rowEnd = rowStart + Number(group.num_rows);
    let rows: unknown[][] = [];
    try {
      await parquetRead({
        file: buffer,
        metadata,
        compressors,
        rowStart,
        rowEnd,
        onComplete: (r: unknown[][]) => {
          rows = r;
        },
      });
    } catch (e) {
      return { error: `"${fileName}": reading rows ${rowStart + 1} to ${rowEnd} failed (${reason(e)}). The file may be damaged.` };
    }
    for (const row of rows) {
      const error = records.addValues(row);
      if (error !== null) return { error };
    }
    rowStart = rowEnd;
    bytesDone += Number(group.total_compressed_size ?? group.total_byte_size);
    onProgress(Math.min(bytesDone, file.size), records.rowCount);
    // Let a cancel message in between row groups.
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
  return records;
}
