// Turning file bytes into text. Files must be UTF-8: guessing a legacy encoding would silently turn
// "café" into "cafÃ©" and make a different dataset.

export type DecodeResult = { ok: true; text: string } | { ok: false; message: string };

export function decodeUtf8(bytes: Uint8Array): DecodeResult {
  try {
    // ignoreBOM: false (the default) drops a leading byte order mark.
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return { ok: true, text };
  } catch (error) {
    const offset = firstInvalidUtf8(bytes);
    // Valid bytes that still fail to decode hit an engine limit (string length), not an encoding problem.
    if (offset < 0) throw error;
    const byte = bytes[offset];
    const hexByte = '0x' + byte.toString(16).toUpperCase().padStart(2, '0');
    return {
      ok: false,
      message:
        `The file is not UTF-8 text: invalid byte ${hexByte} at offset ${offset} (line ${lineAt(bytes, offset)}). ` +
        'Save it as UTF-8 and try again.',
    };
  }
}

function lineAt(bytes: Uint8Array, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset; i++) if (bytes[i] === 0x0a) line++;
  return line;
}

/**
 * Offset of the first byte of the first invalid UTF-8 sequence, or -1 when all is valid. Follows
 * the WHATWG decoder: overlong forms, surrogates and code points above U+10FFFF are invalid, as is
 * a sequence cut off by the end of the data.
 */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  const n = bytes.length;
  let i = 0;
  while (i < n) {
    const b = bytes[i];
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let lower = 0x80;
    let upper = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) need = 1;
    else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      if (b === 0xe0) lower = 0xa0;
      if (b === 0xed) upper = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      if (b === 0xf0) lower = 0x90;
      if (b === 0xf4) upper = 0x8f;
    } else return i;
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || c < lower || c > upper) return i;
      lower = 0x80;
      upper = 0xbf;
    }
    i += need + 1;
  }
  return -1;
}
