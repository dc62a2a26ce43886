// Reads a zip archive's central directory and checks it before a single byte is inflated: entry
// count, declared sizes, compression ratio, unsafe paths, nested archives, encryption and ZIP64.
// Inflating (in the worker, with fflate) then counts the actual bytes, since a declared size can lie.

import { IMAGE_LIMITS, formatMiB } from './limits';
import { isZipName, unsafePath } from './paths';

export interface ZipEntry {
  name: string;
  /** 0 stored, 8 deflate. */
  method: number;
  compressedSize: number;
  /** As declared by the central directory; the inflater holds the entry to it. */
  size: number;
  /** Offset of the entry's local header. */
  offset: number;
  encrypted: boolean;
  directory: boolean;
}

export type ZipListing = { ok: true; entries: ZipEntry[] } | { ok: false; message: string };

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

export function listZip(bytes: Uint8Array, zipName: string): ZipListing {
  const fail = (why: string): ZipListing => ({ ok: false, message: `"${zipName}" was refused: ${why}.` });
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const end = findEndRecord(view);
  if (end < 0) return fail('it is not a zip archive, or it is truncated (no end of central directory)');
  const count = view.getUint16(end + 10, true);
  const directorySize = view.getUint32(end + 12, true);
  const directoryOffset = view.getUint32(end + 16, true);
  if (count === 0xffff || directoryOffset === 0xffffffff || directorySize === 0xffffffff) {
    return fail('ZIP64 archives are not supported');
  }
  if (count > IMAGE_LIMITS.maxFiles) return fail(`it holds ${count} entries, over the limit of ${IMAGE_LIMITS.maxFiles}`);
  if (directoryOffset + directorySize > bytes.length) return fail('its central directory lies outside the file (truncated or corrupt)');

  const entries: ZipEntry[] = [];
  let at = directoryOffset;
  let declaredTotal = 0;
  const decoder = new TextDecoder();
  for (let i = 0; i < count; i++) {
    if (at + 46 > bytes.length || view.getUint32(at, true) !== CENTRAL) return fail('its central directory is corrupt');
    const flags = view.getUint16(at + 8, true);
    const method = view.getUint16(at + 10, true);
    const compressedSize = view.getUint32(at + 20, true);
    const size = view.getUint32(at + 24, true);
    const nameLength = view.getUint16(at + 28, true);
    const extraLength = view.getUint16(at + 30, true);
    const commentLength = view.getUint16(at + 32, true);
    const offset = view.getUint32(at + 42, true);
    if (at + 46 + nameLength > bytes.length) return fail('its central directory is corrupt');
    const name = decoder.decode(bytes.subarray(at + 46, at + 46 + nameLength));
    at += 46 + nameLength + extraLength + commentLength;

    const unsafe = unsafePath(name);
    if (unsafe) return fail(`entry "${name}" is unsafe: ${unsafe}`);
    if (size === 0xffffffff || compressedSize === 0xffffffff || offset === 0xffffffff) return fail('ZIP64 archives are not supported');
    const directory = name.endsWith('/');
    if (directory) {
      entries.push({ name, method, compressedSize, size, offset, encrypted: false, directory });
      continue;
    }
    if (isZipName(name)) return fail(`it contains another archive ("${name}"); nested archives are not unpacked`);
    declaredTotal += size;
    if (declaredTotal > IMAGE_LIMITS.maxZipUncompressedBytes) {
      return fail(`its entries declare more than ${formatMiB(IMAGE_LIMITS.maxZipUncompressedBytes)} uncompressed (a zip bomb, or too large)`);
    }
    const ratio = size / Math.max(1, compressedSize);
    if (size > IMAGE_LIMITS.ratioFloorBytes && ratio > IMAGE_LIMITS.maxCompressionRatio) {
      return fail(
        `entry "${name}" would inflate ${Math.round(ratio)} times (${formatMiB(size)} from ${compressedSize} bytes), over the limit of ${IMAGE_LIMITS.maxCompressionRatio} (a zip bomb)`,
      );
    }
    if (method !== 0 && method !== 8) return fail(`entry "${name}" uses compression method ${method}; only stored and deflate are read`);
    if (offset + 30 > bytes.length || offset >= directoryOffset) return fail(`entry "${name}" points outside the archive`);
    entries.push({ name, method, compressedSize, size, offset, encrypted: (flags & 1) === 1, directory });
  }
  return { ok: true, entries };
}

/** The compressed bytes of an entry, found through its local header. */
export function entryData(bytes: Uint8Array, entry: ZipEntry): Uint8Array | null {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (entry.offset + 30 > bytes.length || view.getUint32(entry.offset, true) !== LOCAL) return null;
  const start = entry.offset + 30 + view.getUint16(entry.offset + 26, true) + view.getUint16(entry.offset + 28, true);
  const end = start + entry.compressedSize;
  return end <= bytes.length ? bytes.subarray(start, end) : null;
}

/** The end-of-central-directory record sits in the last 22 + 65535 (comment) bytes. */
function findEndRecord(view: DataView): number {
  const last = view.byteLength - 22;
  for (let at = last; at >= 0 && at >= last - 65535; at--) {
    if (view.getUint32(at, true) === EOCD) return at;
  }
  return -1;
}
