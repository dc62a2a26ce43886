// Reads an untrusted zip's central directory and judges it before a byte is inflated: entry count, declared sizes,
// compression ratio, paths, and entries whose data overlap (a known bomb trick). The archive's name ("bundle",
// "backup") is only for the wording of refusals; the bounds are the caller's.

import { pathProblem } from './paths';
import { count, refuse } from './refusal';

export interface ZipLimits {
  /** The zip file itself. */
  fileBytes: number;
  entries: number;
  /** One entry's inflated size, as declared in the central directory and as actually inflated. */
  entryBytes: number;
  /** All entries' declared inflated sizes together. */
  totalBytes: number;
  /** Inflated size over compressed size. */
  ratio: number;
  /** Entries that inflate to at most this many bytes are not held to `ratio` (0: every entry is). */
  ratioExemptBytes: number;
}

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

/** The entries the central directory lists, judged against `limits` before a byte is inflated. */
export function readDirectory(bytes: Uint8Array, limits: ZipLimits, archive: string): ZipEntry[] {
  if (bytes.length > limits.fileBytes) {
    refuse(`the file is ${count(bytes.length)} bytes; a ${archive} may be at most ${count(limits.fileBytes)}`, { kind: 'file-bytes', bytes: bytes.length, limit: limits.fileBytes });
  }
  if (bytes.length < 22) refuse(`the file (${count(bytes.length)} bytes) is too short to be a zip`);
  const end = endOfDirectory(bytes);
  if (u16(bytes, end + 4) !== 0 || u16(bytes, end + 6) !== 0) refuse(`the zip spans several disks; a ${archive} is one file`);
  const total = u16(bytes, end + 10);
  const dirSize = u32(bytes, end + 12);
  const dirStart = u32(bytes, end + 16);
  if (total === 0xffff || dirStart === 0xffffffff) refuse(`the zip is a ZIP64 archive; a ${archive} is far smaller than that needs`);
  if (total > limits.entries) {
    refuse(`the zip has ${count(total)} entries; a ${archive} has at most ${count(limits.entries)}`, { kind: 'entries', entries: total, limit: limits.entries });
  }
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

    const problem = pathProblem(name, archive);
    if (problem) refuse(problem, { kind: 'path', name });
    // Unique ignoring case: unpacked onto a case-insensitive disk, two spellings would be one file.
    const key = name.toLowerCase();
    if (seen.has(key)) refuse(`entry ${name} appears twice in the zip`);
    seen.add(key);
    if (flags & 1) refuse(`entry ${name} is encrypted; a ${archive} is not`);
    if (method !== 0 && method !== 8) refuse(`entry ${name} uses compression method ${method}; only stored (0) and deflate (8) are read`);
    if (size === 0xffffffff || compressedSize === 0xffffffff) refuse(`entry ${name} declares a ZIP64 size; a ${archive} is far smaller than that needs`);
    if (size > limits.entryBytes) {
      refuse(`entry ${name} declares ${count(size)} bytes inflated; one file may be at most ${count(limits.entryBytes)}`, { kind: 'entry-bytes', name, size, limit: limits.entryBytes });
    }
    declared += size;
    if (declared > limits.totalBytes) {
      refuse(`the zip's files declare more than ${count(limits.totalBytes)} bytes inflated together (the most a ${archive} may hold)`, { kind: 'total-bytes', limit: limits.totalBytes });
    }
    if (method === 0 && compressedSize !== size) refuse(`entry ${name} is stored uncompressed but declares ${count(compressedSize)} bytes stored and ${count(size)} inflated`);
    if (size > limits.ratioExemptBytes && size > compressedSize * limits.ratio) {
      refuse(
        `entry ${name} inflates ${Math.round(size / Math.max(1, compressedSize))} times (${count(compressedSize)} to ${count(size)} bytes); at most ${limits.ratio} times is accepted (a zip bomb?)`,
        { kind: 'ratio', name, size, compressedSize, limit: limits.ratio },
      );
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
    const start = dataStart(bytes, entry);
    const limit = byOffset[i + 1]?.headerOffset ?? dirStart;
    if (start + entry.compressedSize > limit) refuse(`entry ${entry.name} overlaps the next entry or the directory: the zip is damaged or crafted`);
  });
}

/** Where an entry's stored bytes begin, past its local header (whose name and extra lengths may differ from the directory's). */
export function dataStart(bytes: Uint8Array, entry: ZipEntry): number {
  const at = entry.headerOffset;
  if (at + 30 > bytes.length || u32(bytes, at) !== LOCAL) refuse(`entry ${entry.name} has no local header where the directory says: the zip is damaged`);
  return at + 30 + u16(bytes, at + 26) + u16(bytes, at + 28);
}
