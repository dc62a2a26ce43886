// Inflates the entries of a zip whose directory readDirectory has judged, each with a hard cap at its declared size
// and checked against its CRC-32, so a zip bomb or a lying size is caught before it can allocate much. The deflate
// decoder is the platform's (a library); it is passed in, so the capping rule stays here, pure.

import { crc32 } from './crc32';
import { dataStart, type ZipEntry } from './directory';
import { count, refuse } from './refusal';

/**
 * Inflates raw deflate data, stopping as soon as the output would pass `cap` bytes: then it returns null. It must
 * never produce more than a bounded amount past the cap, whatever the input.
 */
export type CappedInflate = (compressed: Uint8Array, cap: number) => Uint8Array | null;

/** A streaming raw-deflate decoder that hands each piece of output to the callback it was made with (fflate's Inflate). */
export interface StreamingInflater {
  push(chunk: Uint8Array, final: boolean): void;
}

/** Compressed bytes fed per step: deflate expands at most about 1,000 times, so a bomb costs ~4 MB past the cap. */
const SLICE = 4096;

/** A CappedInflate over a streaming decoder: the input goes in small slices and is dropped once the output passes the cap. */
export function cappedInflater(decoder: (ondata: (chunk: Uint8Array) => void) => StreamingInflater): CappedInflate {
  return (compressed, cap) => {
    const parts: Uint8Array[] = [];
    let total = 0;
    let over = false;
    const inflater = decoder((chunk) => {
      total += chunk.length;
      if (total > cap) over = true;
      else parts.push(chunk);
    });
    for (let at = 0; at < compressed.length && !over; at += SLICE) {
      inflater.push(compressed.subarray(at, at + SLICE), at + SLICE >= compressed.length);
    }
    if (compressed.length === 0) inflater.push(new Uint8Array(0), true);
    if (over) return null;
    const out = new Uint8Array(total);
    let offset = 0;
    for (const part of parts) {
      out.set(part, offset);
      offset += part.length;
    }
    return out;
  };
}

/** One entry's bytes, inflated with a cap at its declared size and checked against its CRC-32. */
export function inflateEntry(bytes: Uint8Array, entry: ZipEntry, inflate: CappedInflate): Uint8Array {
  const start = dataStart(bytes, entry);
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
