// Which text encoding a file's first bytes announce. UTF-8 is the default; UTF-16 is only trusted
// with a byte order mark; bytes that are not valid UTF-8 are read as Windows-1252 (what "ANSI" and
// Latin-1 exports on Windows are) and the user is told, since accents may then be wrong.

export type TextEncodingName = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';

export type Sniffed = { ok: true; encoding: TextEncodingName } | { ok: false; binary: true };

/** Encoding from the byte order mark, or UTF-8; a NUL byte outside UTF-16 means the file is not text. */
export function sniffEncoding(head: Uint8Array): Sniffed {
  if (head[0] === 0xff && head[1] === 0xfe) return { ok: true, encoding: 'utf-16le' };
  if (head[0] === 0xfe && head[1] === 0xff) return { ok: true, encoding: 'utf-16be' };
  if (head.includes(0)) return { ok: false, binary: true };
  return { ok: true, encoding: 'utf-8' };
}

export function fallbackWarning(fileName: string): string {
  return `${fileName} is not UTF-8; it was read as Windows-1252. Check accented characters.`;
}

