// Parquet through hyparquet, one row group at a time so progress and cancel work between groups.
// hyparquet decodes UNCOMPRESSED and SNAPPY pages itself; other codecs (GZIP, ZSTD, BROTLI, LZ4,
// LZO) need decompressors Loopbench does not ship, so such files are refused up front, by name.

import { parquetMetadataAsync, parquetRead, parquetSchema } from 'hyparquet';
import type { AsyncBuffer, CompressionCodec, FileMetaData } from 'hyparquet';
import { RecordCollector } from './records';
import type { Job } from './text-stream';
import { CANCELLED, MAX_ROWS, tooManyRows } from './limits';

const BUILT_IN: ReadonlySet<CompressionCodec> = new Set<CompressionCodec>(['UNCOMPRESSED', 'SNAPPY']);

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
  const unsupported = [...codecs].filter((c) => !BUILT_IN.has(c));
  if (unsupported.length > 0) {
    return {
      error:
        `"${fileName}" is compressed with ${unsupported.join(', ')}, which Loopbench cannot read; it reads Parquet that is ` +
        'uncompressed or Snappy-compressed. Save the file again with Snappy (the usual default) or no compression.',
    };
  }
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
