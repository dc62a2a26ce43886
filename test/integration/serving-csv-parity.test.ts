// The bundle's CSV reader (src/core/serving/csv.js) against the app's import (workers/parse/parser.ts): generated files
// in every separator, quoting, line ending and encoding the import reads, some of them broken, must give the same
// header and cells, or be refused with the same message.

import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../src/core/shared/rng';
import { readCsv } from '../../src/core/serving/csv.js';
import { createParser } from '../../workers/parse/parser';

type Encoding = 'utf-8' | 'utf-8-bom' | 'utf-16le' | 'utf-16be' | 'windows-1252';

const WORDS = ['Adelie', 'Gentoo', 'Zürich', 'café', 'Straße', 'x', 'long value here', 'NA', '', ' ', '?', 'a"b', 'naïve'];
const NUMBERS = ['1', '-2.5', '83,35', '1.234,5', '1 234,5', '0', '1e3', '007'];
const NAMES = ['id', 'mass', 'island', 'date', 'prix (€)', ' spaced ', '', 'mass', 'Größe'];

function pick<T>(rand: () => number, items: readonly T[]): T {
  return items[Math.floor(rand() * items.length)]!;
}

/** A cell as a spreadsheet would write it: quoted when it must be (or sometimes anyway). */
function write(value: string, sep: string, rand: () => number): string {
  const must = value.includes(sep) || value.includes('"') || value.includes('\n') || value.includes('\r');
  if (must || rand() < 0.15) return `"${value.replace(/"/g, '""')}"`;
  return value;
}

function cell(rand: () => number, sep: string): string {
  const r = rand();
  if (r < 0.35) return pick(rand, WORDS);
  if (r < 0.7) return pick(rand, NUMBERS);
  if (r < 0.8) return `with${sep}separator`;
  if (r < 0.86) return `two\nlines`;
  if (r < 0.9) return `crlf\r\ninside`;
  return `say ""hi""`.replace(/""/g, '"');
}

function generate(seed: number): { text: string; name: string; encoding: Encoding } {
  const rand = mulberry32(seed);
  const sep = pick(rand, [',', ';', '\t', '|']);
  const width = 1 + Math.floor(rand() * 5);
  const rows = 1 + Math.floor(rand() * 12);
  const eol = () => pick(rand, ['\n', '\r\n', '\r']);
  const header = Array.from({ length: width }, (_, i) => (rand() < 0.8 ? pick(rand, NAMES) : `col${i}`));
  // Column names are words: a header of numbers is (rightly) refused by both, which a few seeds cover anyway.
  if (header.every((h) => h.trim() === '')) header[0] = 'name';
  let text = header.map((h) => write(h, sep, rand)).join(sep) + eol();
  for (let r = 0; r < rows; r++) {
    if (rand() < 0.08) text += (rand() < 0.5 ? '' : sep.repeat(width - 1)) + eol();
    let fields = Array.from({ length: width }, () => write(cell(rand, sep), sep, rand));
    const fault = rand();
    if (fault < 0.03) fields = fields.slice(0, -1);
    else if (fault < 0.05) fields = [...fields, 'extra'];
    else if (fault < 0.06) fields[0] = `"closed"late`;
    else if (fault < 0.065) fields[fields.length - 1] = '"never closed';
    else if (fault < 0.09) fields[0] = `"quoted"  `;
    text += fields.join(sep);
    if (r < rows - 1 || rand() < 0.7) text += eol();
  }
  const encoding: Encoding = pick(rand, ['utf-8', 'utf-8', 'utf-8-bom', 'utf-16le', 'utf-16be', 'windows-1252']);
  const name = sep === '\t' && rand() < 0.5 ? 'rows.tsv' : 'rows.csv';
  return { text, name, encoding };
}

function encode(text: string, encoding: Encoding): Uint8Array {
  if (encoding === 'utf-8') return new TextEncoder().encode(text);
  if (encoding === 'utf-8-bom') return new TextEncoder().encode(`\uFEFF${text}`);
  if (encoding === 'windows-1252') {
    // The generated texts use Latin-1 letters only (and €, which Windows-1252 has at 0x80).
    return Uint8Array.from(text, (ch) => (ch === '€' ? 0x80 : ch.charCodeAt(0)));
  }
  const bytes = new Uint8Array(2 + text.length * 2);
  const le = encoding === 'utf-16le';
  bytes.set(le ? [0xff, 0xfe] : [0xfe, 0xff]);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    bytes[2 + 2 * i + (le ? 0 : 1)] = c & 0xff;
    bytes[2 + 2 * i + (le ? 1 : 0)] = c >> 8;
  }
  return bytes;
}

describe('the bundle CSV reader and the import agree', () => {
  it('on 300 generated files: same header and cells, or the same refusal', async () => {
    const parser = createParser();
    let refused = 0;
    for (let seed = 1; seed <= 300; seed++) {
      const { text, name, encoding } = generate(seed);
      const bytes = encode(text, encoding);
      const app = await parser.parseFile(new Blob([bytes as BlobPart]), name, () => {});
      let ours: ReturnType<typeof readCsv> | { error: string };
      try {
        ours = readCsv(bytes, name);
      } catch (e) {
        ours = { error: (e as Error).message };
      }
      const where = `seed ${seed} (${encoding}, ${JSON.stringify(text.slice(0, 60))}...)`;
      if (!app.ok) {
        refused++;
        expect(ours, where).toEqual({ error: app.message });
        continue;
      }
      expect('error' in ours ? ours.error : null, where).toBeNull();
      const table = ours as ReturnType<typeof readCsv>;
      expect(table.header, where).toEqual(app.file.header);
      expect(table.rows.length, where).toBe(app.file.rowCount);
      expect(table.rows, where).toEqual(app.file.preview);
      // Plain ASCII is valid UTF-8 whatever it was saved as.
      expect(table.encoding === 'Windows-1252', where).toBe(encoding === 'windows-1252' && /[^\x00-\x7f]/.test(text));
    }
    // Both paths are exercised: most files read, some refused.
    expect(refused).toBeGreaterThan(10);
    expect(refused).toBeLessThan(150);
  });
});
