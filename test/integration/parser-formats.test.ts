// Every format the parser reads, detected by content as well as by name, and the limits it enforces.

import { brotliCompressSync, gzipSync } from 'node:zlib';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { describe, expect, it } from 'vitest';
import { createParser } from '../../workers/parse/parser';
import { RowCollector } from '../../workers/parse/csv-rows';
import { CsvTokenizer, detectDelimiter } from '../../workers/parse/formats/csv-tokenizer';
import { MAX_ROWS } from '../../workers/parse/formats/limits';
import type { ParseEvent } from '../../src/core/contracts/parse';
import { failure, parsed } from '../fixtures/support';

const none = () => {};

function penguinParquet(codec: 'SNAPPY' | 'UNCOMPRESSED' | 'GZIP' | 'BROTLI' | 'LZO', rowGroupSize = 2): ArrayBuffer {
  return parquetWriteBuffer({
    codec,
    compressors: {
      GZIP: (input: Uint8Array) => new Uint8Array(gzipSync(input)),
      BROTLI: (input: Uint8Array) => new Uint8Array(brotliCompressSync(input)),
      // No LZO compressor is at hand; the pages stay raw but the metadata says LZO, which is all the
      // refusal looks at (it happens before any page is decompressed).
      LZO: (input: Uint8Array) => input,
    },
    rowGroupSize,
    columnData: [
      { name: 'species', data: ['Adelie', 'Gentoo', null, 'Chinstrap', 'Adelie'], type: 'STRING' },
      { name: 'mass', data: [3750, 5000.5, 4100, null, 3900], type: 'DOUBLE' },
      { name: 'year', data: [2007n, 2008n, 2009n, 2007n, 2008n], type: 'INT64' },
      { name: 'ok', data: [true, false, true, true, false], type: 'BOOLEAN' },
    ],
  });
}

describe('Parquet', () => {
  it.each(['SNAPPY', 'UNCOMPRESSED', 'GZIP', 'BROTLI'] as const)('reads a %s file across row groups, with progress', async (codec) => {
    const events: ParseEvent[] = [];
    const file = await parsed(createParser().parseFile(new Blob([penguinParquet(codec)]), 'p.parquet', (e) => events.push(e)));
    expect(file.header).toEqual(['species', 'mass', 'year', 'ok']);
    expect(file.rowCount).toBe(5);
    expect(file.preview).toEqual([
      ['Adelie', '3750', '2007', 'true'],
      ['Gentoo', '5000.5', '2008', 'false'],
      ['', '4100', '2009', 'true'],
      ['Chinstrap', '', '2007', 'true'],
      ['Adelie', '3900', '2008', 'false'],
    ]);
    expect(file.guesses.map((g) => [g.type, g.missing])).toEqual([['category', 1], ['number', 1], ['number', 0], ['category', 0]]);
    expect(events.at(-1)).toMatchObject({ type: 'progress', rows: 5 });
  });

  it('is detected by its magic bytes whatever the name', async () => {
    const file = await parsed(createParser().parseFile(new Blob([penguinParquet('SNAPPY')]), 'download.bin', none));
    expect(file.rowCount).toBe(5);
  });

  it('names a compression it cannot read', async () => {
    expect(await failure(createParser().parseFile(new Blob([penguinParquet('LZO')]), 'l.parquet', none))).toBe(
      '"l.parquet" is compressed with LZO, which Loopbench cannot read; it reads Parquet that is uncompressed or ' +
        'compressed with Snappy, GZIP, Brotli, ZSTD or LZ4. Save the file again with one of those (Snappy is the usual default).',
    );
  });

  it('refuses a file cut short', async () => {
    const bytes = new Uint8Array(penguinParquet('SNAPPY'));
    const cut = bytes.slice(0, bytes.length - 30);
    expect(await failure(createParser().parseFile(new Blob([cut]), 'cut.parquet', none))).toMatch(
      /^"cut.parquet" is not a valid Parquet file/,
    );
  });
});

describe('JSON and JSON Lines', () => {
  it('reads an array of objects, with keys in first-seen order and missing keys empty', async () => {
    const text = JSON.stringify([{ a: 1, b: 'x' }, { b: 'y', c: true }, { a: 2.5 }]);
    const file = await parsed(createParser().parseFile(new Blob([text]), 'd.json', none));
    expect(file.header).toEqual(['a', 'b', 'c']);
    expect(file.preview).toEqual([['1', 'x', ''], ['', 'y', 'true'], ['2.5', '', '']]);
  });

  it('reads JSON Lines with CRLF and blank lines, and locates problems by line', async () => {
    const text = '{"x": 1, "y": "a"}\r\n\r\n{"x": "oops", "y": "b"}\r\n{"x": 3, "y": "a"}\r\n{"x": 4, "y": "b"}\r\n{"x": 5, "y": "a"}\r\n';
    const file = await parsed(createParser().parseFile(new Blob([text]), 'd.ndjson', none));
    expect(file.rowCount).toBe(5);
    expect(file.guesses[0].problems.map((p) => p.message)).toEqual(['"oops" is not a number (line 3, column "x")']);
  });

  it('reports the line of a bad JSON line far into the file', async () => {
    const lines = Array.from({ length: 50_000 }, (_, i) => JSON.stringify({ i, s: `row ${i}` }));
    lines[41_234] = '{"i": 41234, "s": "no closing brace"';
    expect(await failure(createParser().parseFile(new Blob([lines.join('\n')]), 'big.jsonl', none))).toMatch(
      /^"big.jsonl" line 41235 is not valid JSON/,
    );
  });
});

describe('the streaming tokenizer', () => {
  function tokenize(pieces: string[]): [number, string[]][] | string {
    const rows: [number, string[]][] = [];
    const t = new CsvTokenizer(44, (fields, line) => {
      rows.push([line, fields]);
    });
    for (const p of pieces) {
      const error = t.push(p);
      if (error) return error;
    }
    return t.finish() ?? rows;
  }

  it('gives the same rows and lines wherever the text is cut into chunks', () => {
    const text = 'a,"b ""q"""\r\n"x\r\ny",2\r3,"multi\nline\rend"\n\n"",last';
    const whole = tokenize([text]);
    expect(whole).toEqual([
      [1, ['a', 'b "q"']],
      [2, ['x\r\ny', '2']],
      [4, ['3', 'multi\nline\rend']],
      [7, ['']],
      [8, ['', 'last']],
    ]);
    for (let cut = 1; cut < text.length; cut++) {
      expect(tokenize([text.slice(0, cut), text.slice(cut)]), `cut at ${cut}`).toEqual(whole);
    }
    expect(tokenize([...text])).toEqual(whole);
  });

  it('reports an unclosed quote and a stray character after a quote at the row start line', () => {
    expect(tokenize(['a,b\n1,"x\ny\n'])).toBe('Line 2: a quoted value is never closed. Check for a missing closing double quote (").');
    expect(tokenize(['a,b\n"x\ny"z,1\n'])).toMatch(/^Line 2: a quoted value has extra characters after its closing quote/);
    // Spaces after a closing quote are tolerated, as spreadsheets write them.
    expect(tokenize(['"a"  ,b\n'])).toEqual([[1, ['a', 'b']]]);
  });
});

describe('delimiters', () => {
  it('detects comma, tab, semicolon and pipe, ignoring separators inside quotes', () => {
    expect(detectDelimiter('a,b,c\n1,2,3\n', true, false)).toBe(',');
    expect(detectDelimiter('a\tb\tc\n1\t2,5\t3\n', true, false)).toBe('\t');
    expect(detectDelimiter('a;b;c\n1,5;2,5;3\n', true, false)).toBe(';');
    expect(detectDelimiter('a|b\n"x,y,z"|2\n', true, false)).toBe('|');
    expect(detectDelimiter('single\n1\n2\n', true, false)).toBe(',');
    expect(detectDelimiter('single\n1\n2\n', true, true)).toBe('\t');
  });

  it('reads a TSV by content even when it is named .csv', async () => {
    const file = await parsed(createParser().parseFile(new Blob(['name\tnote\nx\ta, b\ny\tc\n']), 't.csv', none));
    expect(file.preview).toEqual([['x', 'a, b'], ['y', 'c']]);
  });
});

describe('limits', () => {
  it(`stops at ${MAX_ROWS.toLocaleString('en-US')} rows and names the limit`, () => {
    const rows = new RowCollector('tall.csv');
    const cells = ['1'];
    rows.add(['n'], 1);
    let stop: string | void = undefined;
    for (let i = 0; i <= MAX_ROWS && stop === undefined; i++) stop = rows.add(cells, i + 2);
    expect(rows.rowCount).toBe(MAX_ROWS);
    expect(stop).toBe('"tall.csv" has more than 5,000,000 rows; Loopbench imports at most 5,000,000. Split the file or sample it.');
  });
});
