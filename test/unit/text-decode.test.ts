import { describe, expect, it } from 'vitest';
import { fallbackWarning, sniffEncoding } from '../../src/core/data/text-decode';

describe('sniffEncoding', () => {
  it('trusts byte order marks, defaults to UTF-8 and calls NUL bytes binary', () => {
    expect(sniffEncoding(Uint8Array.of(0xff, 0xfe, 0x61, 0x00))).toEqual({ ok: true, encoding: 'utf-16le' });
    expect(sniffEncoding(Uint8Array.of(0xfe, 0xff, 0x00, 0x61))).toEqual({ ok: true, encoding: 'utf-16be' });
    expect(sniffEncoding(Uint8Array.of(0xef, 0xbb, 0xbf, 0x61))).toEqual({ ok: true, encoding: 'utf-8' });
    expect(sniffEncoding(Uint8Array.of(0x63, 0x61, 0x66, 0xe9))).toEqual({ ok: true, encoding: 'utf-8' });
    expect(sniffEncoding(Uint8Array.of(0x61, 0x00, 0x62, 0x00))).toEqual({ ok: false, binary: true });
  });

  it('words the fallback with the file name', () => {
    expect(fallbackWarning('latin1.csv')).toBe('latin1.csv is not UTF-8; it was read as Windows-1252. Check accented characters.');
  });
});
