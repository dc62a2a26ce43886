// Reads a bundle zip without trusting it: the central directory is parsed and judged first (entry count, declared
// sizes, compression ratio, paths, overlapping data), and only then are the entries the import needs inflated, each
// with a hard cap at its declared size, so a zip bomb or a lying size is caught before it can allocate much.
// Inflating itself is the platform's (a deflate library); it is passed in so the rules stay here, pure.

import { crc32 } from './crc32';
import { LIMITS, MAX_PATH_CHARS, type ImportLimits } from './limits';
import { count, refuse } from './refusal';

export interface ZipEntry {
  name: string;
  /** 0 stored, 8 deflated. */
  method: number;
  crc: number;
  compressedSize: number;
  size: number;
  /** Where the entry's local header starts. */
  headerOffset: number;
}

/**
 * Inflates raw deflate data, stopping as soon as the output would pass `cap` bytes: then it returns null. It must
 * never produce more than a bounded amount past the cap, whatever the input.
 */
export type CappedInflate = (compressed: Uint8Array, cap: number) => Uint8Array | null;

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const decoder = new TextDecoder('utf-8', { fatal: true });

function u16(b: Uint8Array, at: number): number {
  return b[at]! | (b[at + 1]! << 8);
}

function u32(b: Uint8Array, at: number): number {
  return (b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16) | (b[at + 3]! << 24)) >>> 0;
}

function endOfDirectory(bytes: Uint8Array): number {
  // The record is 22 bytes plus a comment of at most 65,535; it is searched for from the end.
  const lowest = Math.max(0, bytes.length - 22 - 0xffff);
  for (let at = bytes.length - 22; at >= lowest; at--) {
    if (u32(bytes, at) === EOCD && at + 22 + u16(bytes, at + 20) === bytes.length) return at;
  }
  return refuse(`the file (${count(bytes.length)} bytes) is not a zip: it has no end-of-directory record`);
}

/** Why a path may not be unpacked, or null. */
export function pathProblem(name: string): string | null {
  if (name.length === 0) return 'an entry has an empty name';
  if (name.length > MAX_PATH_CHARS) return `entry ${name.slice(0, 40)}… has a name of ${count(name.length)} characters (at most ${MAX_PATH_CHARS})`;
  if (/[\u0000-\u001f\u007f]/.test(name)) return `entry ${JSON.stringify(name)} has a control character in its name`;
  if (name.includes('\\')) return `entry ${name} has a backslash in its path (zip paths use /)`;
  if (name.startsWith('/') || /^[A-Za-z]:/.test(name)) return `entry ${name} is an absolute path`;
  const parts = name.replace(/\/$/, '').split('/');
  if (parts.includes('..')) return `entry ${name} climbs out of the bundle`;
  if (parts.some((p) => p === '' || p === '.')) return `entry ${name} has an empty or "." path segment`;
  return null;
}

/** The entries the central directory lists, judged against `limits` before a byte is inflated. */
export function readDirectory(bytes: Uint8Array, limits: ImportLimits = LIMITS): ZipEntry[] {
  if (bytes.length > limits.bundleBytes) {
    refuse(`the file is ${count(bytes.length)} bytes; a bundle may be at most ${count(limits.bundleBytes)}`);
  }
  if (bytes.length < 22) refuse(`the file (${count(bytes.length)} bytes) is too short to be a zip`);
  const end = endOfDirectory(bytes);
  if (u16(bytes, end + 4) !== 0 || u16(bytes, end + 6) !== 0) refuse('the zip spans several disks; a bundle is one file');
  const total = u16(bytes, end + 10);
  const dirSize = u32(bytes, end + 12);
  const dirStart = u32(bytes, end + 16);
  if (total === 0xffff || dirStart === 0xffffffff) refuse('the zip is a ZIP64 archive; a bundle is far smaller than that needs');
  if (total > limits.entries) refuse(`the zip has ${count(total)} entries; a bundle has at most ${count(limits.entries)}`);
  if (dirStart + dirSize > end) refuse('the zip central directory runs past its end record: the file is damaged');

  const entries: ZipEntry[] = [];
  const seen = new Set<string>();
  let declared = 0;
  let at = dirStart;
  for (let i = 0; i < total; i++) {
    if (at + 46 > end || u32(bytes, at) !== CENTRAL) refuse(`the zip central directory is damaged at entry ${i + 1}`);
    const flags = u16(bytes, at + 8);
    const method = u16(bytes, at + 10);
    const crc = u32(bytes, at + 16);
    const compressedSize = u32(bytes, at + 20);
    const size = u32(bytes, at + 24);
    const nameLength = u16(bytes, at + 28);
    const extraLength = u16(bytes, at + 30);
    const commentLength = u16(bytes, at + 32);
    const headerOffset = u32(bytes, at + 42);
    if (at + 46 + nameLength > end) refuse(`the zip central directory is damaged at entry ${i + 1}`);
    let name: string;
    try {
      name = decoder.decode(bytes.subarray(at + 46, at + 46 + nameLength));
    } catch {
      return refuse(`entry ${i + 1} of the zip has a name that is not UTF-8`);
    }
    at += 46 + nameLength + extraLength + commentLength;

    const problem = pathProblem(name);
    if (problem) refuse(problem);
    const key = name.toLowerCase();
    if (seen.has(key)) refuse(`entry ${name} appears twice in the zip`);
    seen.add(key);
    if (flags & 1) refuse(`entry ${name} is encrypted; a bundle is not`);
    if (method !== 0 && method !== 8) refuse(`entry ${name} uses compression method ${method}; only stored (0) and deflate (8) are read`);
    if (size === 0xffffffff || compressedSize === 0xffffffff) refuse(`entry ${name} declares a ZIP64 size; a bundle is far smaller than that needs`);
    if (size > limits.entryBytes) refuse(`entry ${name} declares ${count(size)} bytes inflated; one file may be at most ${count(limits.entryBytes)}`);
    declared += size;
    if (declared > limits.totalBytes) refuse(`the zip's files declare more than ${count(limits.totalBytes)} bytes inflated together (the most a bundle may hold)`);
    if (method === 0 && compressedSize !== size) refuse(`entry ${name} is stored uncompressed but declares ${count(compressedSize)} bytes stored and ${count(size)} inflated`);
    if (size > limits.ratioExemptBytes && size > compressedSize * limits.ratio) {
      refuse(`entry ${name} inflates ${Math.round(size / Math.max(1, compressedSize))} times (${count(compressedSize)} to ${count(size)} bytes); at most ${limits.ratio} times is accepted (a zip bomb?)`);
    }
    entries.push({ name, method, crc, compressedSize, size, headerOffset });
  }
  checkLayout(bytes, entries, dirStart);
  return entries;
}

/** Each entry's data lies between its own header and the next one: entries sharing bytes are a known bomb trick. */
function checkLayout(bytes: Uint8Array, entries: readonly ZipEntry[], dirStart: number): void {
  const byOffset = [...entries].sort((a, b) => a.headerOffset - b.headerOffset);
  byOffset.forEach((entry, i) => {
    const { start } = dataRange(bytes, entry);
    const limit = byOffset[i + 1]?.headerOffset ?? dirStart;
    if (start + entry.compressedSize > limit) refuse(`entry ${entry.name} overlaps the next entry or the directory: the zip is damaged or crafted`);
  });
}

function dataRange(bytes: Uint8Array, entry: ZipEntry): { start: number } {
  const at = entry.headerOffset;
  if (at + 30 > bytes.length || u32(bytes, at) !== LOCAL) refuse(`entry ${entry.name} has no local header where the directory says: the zip is damaged`);
  return { start: at + 30 + u16(bytes, at + 26) + u16(bytes, at + 28) };
}

/** One entry's bytes, inflated with a cap at its declared size and checked against its CRC-32. */
export function inflateEntry(bytes: Uint8Array, entry: ZipEntry, inflate: CappedInflate): Uint8Array {
  const { start } = dataRange(bytes, entry);
  const stored = bytes.subarray(start, start + entry.compressedSize);
  let out: Uint8Array | null;
  if (entry.method === 0) {
    out = stored;
  } else {
    try {
      out = inflate(stored, entry.size);
    } catch (e) {
      return refuse(`entry ${entry.name} does not inflate: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  if (out === null) refuse(`entry ${entry.name} inflates to more than the ${count(entry.size)} bytes it declares`);
  if (out.length !== entry.size) refuse(`entry ${entry.name} inflates to ${count(out.length)} bytes but declares ${count(entry.size)}`);
  if (crc32(out) !== entry.crc) refuse(`entry ${entry.name} fails its CRC-32 check: the zip is damaged`);
  return out;
}

/** The entries named in `wanted` that the zip holds, inflated; directories ("name/") are skipped. */
export function inflateEntries(bytes: Uint8Array, entries: readonly ZipEntry[], wanted: (name: string) => boolean, inflate: CappedInflate): Map<string, Uint8Array> {
  const files = new Map<string, Uint8Array>();
  for (const entry of entries) {
    if (entry.name.endsWith('/')) {
      if (entry.size !== 0) refuse(`entry ${entry.name} is a directory with ${count(entry.size)} bytes of content`);
      continue;
    }
    if (wanted(entry.name)) files.set(entry.name, inflateEntry(bytes, entry, inflate));
  }
  return files;
}
