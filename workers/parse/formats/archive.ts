// A data file that arrives packed: a zip holding one data file (as dataset sites hand them out) or a gzip-compressed
// file ("flights.csv.gz"). The data file is unpacked, with a cap, and imported as if picked itself. A zip is untrusted
// and read by the shared reader of untrusted zips; of several data files the largest is read, and the others offered.

import { Inflate } from 'fflate';
import { cappedInflater, inflateEntry, readDirectory, ZipRefusal, type ZipLimits } from '../../../src/core/shared/zip';
import type { InsideChoice } from '../../../src/core/contracts/parse';
import { MAX_FILE_BYTES, megabytes } from './limits';

const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];
const GZIP_MAGIC = [0x1f, 0x8b];
const DATA_FILE = /\.(csv|tsv|tab|txt|json|jsonl|ndjson|parquet|parq|xlsx|xlsm)$/i;
/** Names listed when a zip holds several data files. */
const LISTED = 5;

const LIMITS: ZipLimits = {
  fileBytes: MAX_FILE_BYTES,
  // The most a zip without ZIP64 holds: image datasets come with a labels file among many pictures.
  entries: 65_535,
  entryBytes: MAX_FILE_BYTES,
  // Only the data file is inflated; the rest are never read, so their declared sizes do not matter.
  totalBytes: Number.MAX_SAFE_INTEGER,
  ratio: 1000,
  ratioExemptBytes: 1024 * 1024,
};
const inflate = cappedInflater((ondata) => new Inflate(ondata));

export type Unpacked = { file: Blob; name: string; note: string; inside?: InsideChoice } | { error: string };

function startsWith(head: Uint8Array, bytes: readonly number[]): boolean {
  return bytes.every((b, i) => head[i] === b);
}

/** Files a zip tool adds that nobody means as data: macOS resource forks and hidden files. */
function isClutter(name: string): boolean {
  return name.startsWith('__MACOSX/') || name.split('/').some((part) => part.startsWith('.'));
}

/** Whether the file is a zip or gzip archive (and not a workbook, which is a zip too: the caller asks that first). */
export function isArchive(head: Uint8Array): boolean {
  return startsWith(head, ZIP_MAGIC) || startsWith(head, GZIP_MAGIC);
}

/**
 * `pick`: the archive's data file to read (by its path in the zip), else the largest — a dataset's training file
 * usually is. `maxBytes`: the most a gzip file may decompress to (the import's limit; lowered by tests).
 */
export async function unpack(file: Blob, fileName: string, head: Uint8Array, pick?: string, maxBytes = MAX_FILE_BYTES): Promise<Unpacked> {
  return startsWith(head, GZIP_MAGIC) ? gunzip(file, fileName, maxBytes) : unzipOne(file, fileName, pick);
}

async function unzipOne(file: Blob, fileName: string, pick: string | undefined): Promise<Unpacked> {
  try {
    const bytes = new Uint8Array(await file.arrayBuffer());
    const entries = readDirectory(bytes, LIMITS, 'zip archive');
    const data = entries.filter((e) => !e.name.endsWith('/') && !isClutter(e.name) && DATA_FILE.test(e.name));
    if (data.length === 0) {
      const files = entries.filter((e) => !e.name.endsWith('/') && !isClutter(e.name)).map((e) => e.name);
      const shown = files.slice(0, LISTED).join(', ') + (files.length > LISTED ? `, and ${files.length - LISTED} more` : '');
      return { error: `"${fileName}" holds no data file (CSV, TSV, JSON, JSON Lines, Parquet or Excel .xlsx)${files.length > 0 ? `: it has ${shown}` : ''}.` };
    }
    const picked = pick === undefined ? undefined : data.find((e) => e.name === pick);
    if (pick !== undefined && !picked) return { error: `"${fileName}" holds no data file ${pick}.` };
    const entry = picked ?? data.reduce((a, b) => (b.size > a.size ? b : a));
    const inner = inflateEntry(bytes, entry, inflate);
    const name = entry.name.slice(entry.name.lastIndexOf('/') + 1);
    const unpacked = { file: new Blob([inner as Uint8Array<ArrayBuffer>]), name };
    if (data.length === 1) return { ...unpacked, note: `Read ${entry.name} from the zip archive ${fileName}.` };
    const which = picked ? entry.name : `${entry.name}, the largest of its ${data.length} data files,`;
    return {
      ...unpacked,
      note: `Read ${which} from the zip archive ${fileName}.${picked ? '' : ' Choose another under "File in the archive".'}`,
      inside: { kind: 'file', options: data.map((e) => e.name), chosen: entry.name },
    };
  } catch (e) {
    return { error: `"${fileName}" could not be unzipped: ${e instanceof ZipRefusal || e instanceof Error ? e.message : String(e)}.` };
  }
}

async function gunzip(file: Blob, fileName: string, maxBytes: number): Promise<Unpacked> {
  const name = fileName.replace(/\.(gz|gzip)$/i, '') || fileName;
  const reader = file.stream().pipeThrough(new DecompressionStream('gzip')).getReader();
  const parts: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      // Stopped as soon as it passes the import's limit: a small file can decompress without end.
      if (total > maxBytes) {
        await reader.cancel();
        return { error: `"${fileName}" decompresses to more than ${megabytes(maxBytes)}, the largest file Loopbench imports.` };
      }
      parts.push(value);
    }
  } catch (e) {
    return { error: `"${fileName}" could not be decompressed: ${e instanceof Error ? e.message : String(e)} (is the download complete?).` };
  }
  return { file: new Blob(parts as Uint8Array<ArrayBuffer>[]), name, note: `Decompressed ${fileName} (gzip) and read it as ${name}.` };
}
