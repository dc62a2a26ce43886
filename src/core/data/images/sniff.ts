// Reads an image's format and dimensions from its header bytes, without decoding it. The decoder
// would allocate width x height x 4 bytes before anything else, so a 60-byte PNG whose header claims
// 100000 x 100000 must be refused here, by its header. Pure: works on bytes in Node and in a worker.

import { IMAGE_LIMITS } from './limits';

export type ImageFormat = 'png' | 'jpeg' | 'gif' | 'webp' | 'bmp';

export type SniffResult =
  | { ok: true; format: ImageFormat; width: number; height: number }
  | { ok: false; reason: string };

const fail = (reason: string): SniffResult => ({ ok: false, reason });

export function sniffImage(bytes: Uint8Array): SniffResult {
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return png(bytes);
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return jpeg(bytes);
  if (ascii(bytes, 0, 6) === 'GIF87a' || ascii(bytes, 0, 6) === 'GIF89a') return gif(bytes);
  if (ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 4) === 'WEBP') return webp(bytes);
  if (ascii(bytes, 0, 2) === 'BM') return bmp(bytes);
  return fail('not an image: the content is not PNG, JPEG, GIF, WebP or BMP');
}

/** Refuses dimensions that would make a huge bitmap when decoded (a decompression bomb), or none at all. */
export function checkDimensions(width: number, height: number): string | null {
  if (!(width >= 1 && height >= 1)) return `its header gives no valid size (${width} x ${height})`;
  if (width > IMAGE_LIMITS.maxSide || height > IMAGE_LIMITS.maxSide || width * height > IMAGE_LIMITS.maxPixels) {
    const mp = IMAGE_LIMITS.maxPixels / 1e6;
    return `its header claims ${width} x ${height} pixels, over the limit of ${IMAGE_LIMITS.maxSide} per side and ${mp} megapixels (a decompression bomb, or far too large to decode)`;
  }
  return null;
}

/** Sniffs and checks the size: the one call an importer makes before decoding. */
export function inspectImage(bytes: Uint8Array): SniffResult {
  const sniffed = sniffImage(bytes);
  if (!sniffed.ok) return sniffed;
  const problem = checkDimensions(sniffed.width, sniffed.height);
  if (problem) return fail(problem);
  const truncated = missingEnd(sniffed.format, bytes);
  return truncated ? fail(truncated) : sniffed;
}

function startsWith(bytes: Uint8Array, prefix: number[]): boolean {
  return bytes.length >= prefix.length && prefix.every((b, i) => bytes[i] === b);
}

function ascii(bytes: Uint8Array, at: number, length: number): string {
  if (bytes.length < at + length) return '';
  return String.fromCharCode(...bytes.subarray(at, at + length));
}

function u16be(b: Uint8Array, at: number): number {
  return (b[at] << 8) | b[at + 1];
}
function u16le(b: Uint8Array, at: number): number {
  return b[at] | (b[at + 1] << 8);
}
function u24le(b: Uint8Array, at: number): number {
  return b[at] | (b[at + 1] << 8) | (b[at + 2] << 16);
}
function u32be(b: Uint8Array, at: number): number {
  return ((b[at] << 24) >>> 0) + ((b[at + 1] << 16) | (b[at + 2] << 8) | b[at + 3]);
}
function i32le(b: Uint8Array, at: number): number {
  return b[at] | (b[at + 1] << 8) | (b[at + 2] << 16) | (b[at + 3] << 24);
}

const TRUNCATED = 'the file is truncated: its header ends early';

function png(b: Uint8Array): SniffResult {
  if (b.length < 24) return fail(TRUNCATED);
  if (ascii(b, 12, 4) !== 'IHDR') return fail('corrupt PNG: the first chunk is not IHDR');
  return { ok: true, format: 'png', width: u32be(b, 16), height: u32be(b, 20) };
}

/** Walks the JPEG segments to the first start-of-frame marker, which holds the dimensions. */
function jpeg(b: Uint8Array): SniffResult {
  let at = 2;
  while (at + 4 <= b.length) {
    if (b[at] !== 0xff) return fail('corrupt JPEG: a segment does not start with a marker');
    const marker = b[at + 1];
    if (marker === 0xff) {
      at++; // fill byte
      continue;
    }
    if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      at += 2;
      continue;
    }
    if (marker === 0xd9 || marker === 0xda) return fail('corrupt JPEG: no frame header before the image data');
    const length = u16be(b, at + 2);
    if (length < 2) return fail('corrupt JPEG: a segment has an invalid length');
    const isFrame = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (isFrame) {
      if (at + 9 > b.length) return fail(TRUNCATED);
      return { ok: true, format: 'jpeg', width: u16be(b, at + 7), height: u16be(b, at + 5) };
    }
    at += 2 + length;
  }
  return fail(TRUNCATED);
}

function gif(b: Uint8Array): SniffResult {
  if (b.length < 10) return fail(TRUNCATED);
  return { ok: true, format: 'gif', width: u16le(b, 6), height: u16le(b, 8) };
}

function webp(b: Uint8Array): SniffResult {
  const chunk = ascii(b, 12, 4);
  if (chunk === 'VP8 ') {
    if (b.length < 30) return fail(TRUNCATED);
    if (b[23] !== 0x9d || b[24] !== 0x01 || b[25] !== 0x2a) return fail('corrupt WebP: bad VP8 frame start code');
    return { ok: true, format: 'webp', width: u16le(b, 26) & 0x3fff, height: u16le(b, 28) & 0x3fff };
  }
  if (chunk === 'VP8L') {
    if (b.length < 25) return fail(TRUNCATED);
    if (b[20] !== 0x2f) return fail('corrupt WebP: bad lossless signature');
    const bits = b[21] | (b[22] << 8) | (b[23] << 16) | (b[24] << 24);
    return { ok: true, format: 'webp', width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1 };
  }
  if (chunk === 'VP8X') {
    if (b.length < 30) return fail(TRUNCATED);
    return { ok: true, format: 'webp', width: u24le(b, 24) + 1, height: u24le(b, 27) + 1 };
  }
  return fail(chunk === '' ? TRUNCATED : `corrupt WebP: unknown first chunk "${chunk}"`);
}

function bmp(b: Uint8Array): SniffResult {
  if (b.length < 26) return fail(TRUNCATED);
  const headerSize = b[14] | (b[15] << 8) | (b[16] << 16) | (b[17] << 24);
  if (headerSize === 12) return { ok: true, format: 'bmp', width: u16le(b, 18), height: u16le(b, 20) };
  if (headerSize < 40) return fail('corrupt BMP: unknown header size');
  // A negative height means rows are stored top-down; the size is its magnitude.
  return { ok: true, format: 'bmp', width: i32le(b, 18), height: Math.abs(i32le(b, 22)) };
}

/**
 * A file cut short keeps a valid header, and some decoders paint the missing part grey instead of
 * failing: look for the format's end marker near the end of the file (JPEG EOI, PNG IEND, GIF trailer).
 */
function missingEnd(format: ImageFormat, b: Uint8Array): string | null {
  const tail = b.subarray(Math.max(0, b.length - 1024));
  const why = 'the file is truncated: its end marker is missing';
  switch (format) {
    case 'jpeg':
      for (let i = tail.length - 2; i >= 0; i--) if (tail[i] === 0xff && tail[i + 1] === 0xd9) return null;
      return why;
    case 'png':
      for (let i = tail.length - 4; i >= 0; i--) if (ascii(tail, i, 4) === 'IEND') return null;
      return why;
    case 'gif':
      return tail.includes(0x3b) ? null : why;
    case 'webp': {
      // RIFF declares the file size: fewer bytes than declared means it was cut.
      const declared = (b[4] | (b[5] << 8) | (b[6] << 16) | (b[7] << 24)) >>> 0;
      return b.length < declared + 8 ? why : null;
    }
    case 'bmp': {
      const declared = (b[2] | (b[3] << 8) | (b[4] << 16) | (b[5] << 24)) >>> 0;
      return declared > 0 && b.length < declared ? why : null;
    }
  }
}
