import { describe, expect, it } from 'vitest';
import { decodeUtf8, firstInvalidUtf8 } from '../../src/core/csv-text';

const utf8 = (s: string) => new TextEncoder().encode(s);

describe('decodeUtf8', () => {
  it('decodes UTF-8 and drops a byte order mark', () => {
    expect(decodeUtf8(utf8('a,b\ncafé,1'))).toEqual({ ok: true, text: 'a,b\ncafé,1' });
    expect(decodeUtf8(Uint8Array.of(0xef, 0xbb, 0xbf, ...utf8('x,y')))).toEqual({ ok: true, text: 'x,y' });
  });

  it('locates the first invalid byte by offset and line', () => {
    // "caf\xE9" is Latin-1 "café"; 0xE9 starts a 3-byte sequence that ',' cannot continue.
    const bytes = Uint8Array.of(...utf8('name,town\n1,x\n2,y\n3,z\n4,caf'), 0xe9, ...utf8(',\n'));
    const result = decodeUtf8(bytes);
    expect(result).toEqual({
      ok: false,
      message: 'The file is not UTF-8 text: invalid byte 0xE9 at offset 27 (line 5). Save it as UTF-8 and try again.',
    });
  });

  it('agrees with TextDecoder on what is invalid', () => {
    const cases: [number[], number][] = [
      [[0x41, 0xc3, 0xa9], -1], // é
      [[0xf0, 0x9f, 0x98, 0x80], -1], // 😀
      [[0x41, 0x80], 1], // lone continuation byte
      [[0xc0, 0xaf], 0], // overlong '/'
      [[0xe0, 0x80, 0xaf], 0], // overlong
      [[0xed, 0xa0, 0x80], 0], // surrogate
      [[0xf4, 0x90, 0x80, 0x80], 0], // above U+10FFFF
      [[0x41, 0x42, 0xe2, 0x82], 2], // cut off at the end
      [[0xff], 0],
    ];
    for (const [bytes, at] of cases) {
      const data = Uint8Array.from(bytes);
      expect(firstInvalidUtf8(data), bytes.join(' ')).toBe(at);
      expect(decodeUtf8(data).ok, bytes.join(' ')).toBe(at < 0);
    }
  });
});
