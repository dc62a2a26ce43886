// The hostile corpus: every file in test/fixtures/hostile/ plus a few generated giants goes through
// one parser. Each either imports with the right cells or is refused with a message naming the
// problem, and the same parser still imports a good file afterwards.

import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import { createParser } from '../../workers/parse/parser';
import type { ParseEvent, ParseOutcome, ParsedFile } from '../../src/core/contracts/parse';

const DIR = 'test/fixtures/hostile/';

type Expect = { header: string[]; rows: string[][]; problems?: RegExp[]; warning?: string } | { refused: RegExp };

const CORPUS: Record<string, Expect> = {
  'quote-in-unquoted-field.csv': { header: ['a', 'b'], rows: [['1', 'x"y'], ['2', 'z""w']] },
  'unterminated-quote-at-eof.csv': { refused: /^Line 3: a quoted value is never closed\./ },
  'only-delimiters.csv': { refused: /^The file "only-delimiters.csv" is empty\.$/ },
  'bom-header-only.csv': { refused: /^The file "bom-header-only.csv" has a header line but no data rows\.$/ },
  'crlf-inside-quotes.csv': { header: ['id', 'text'], rows: [['1', 'line one\r\nline two'], ['2', 'plain']] },
  'trailing-delimiter.csv': { header: ['a', 'b', 'Column 3'], rows: [['1', '2', ''], ['3', '4', '']] },
  'whitespace-only-lines.csv': { header: ['a', 'b'], rows: [['1', '2'], ['3', '4']] },
  'whitespace-only.csv': { refused: /^The file "whitespace-only.csv" is empty\.$/ },
  'mixed-line-endings.csv': { header: ['a', 'b'], rows: [['1', '2'], ['3', '4'], ['5', '6'], ['7', '8']] },
  'truncated.csv': { refused: /^Line 4 has 2 fields but the header has 3\./ },
  'binary.csv': { refused: /^binary.csv looks like a binary file, not text\.$/ },
  'invalid.parquet': { refused: /^"invalid.parquet" is not a valid Parquet file/ },
  'truncated.parquet': { refused: /^"truncated.parquet" is not a valid Parquet file/ },
  'invalid.json': { refused: /^"invalid.json" is not valid JSON: .*\(line 2, column \d+\)/ },
  'object-not-array.json': { refused: /is JSON but not an array of objects: it is an object/ },
  'array-of-numbers.json': { refused: /item 1 of the array is a number, not an object/ },
  'empty-array.json': { refused: /^"empty-array.json" has no rows\.$/ },
  'nested-values.json': {
    header: ['id', 'tags', 'meta', 'n'],
    rows: [['1', '["x","y"]', '{"k":true}', ''], ['2', '[]', '{}', '5']],
  },
  'bad-line.jsonl': { refused: /^"bad-line.jsonl" line 2 is not valid JSON/ },
  'array-line.jsonl': { refused: /^"array-line.jsonl" line 2 is an array, not an object/ },
  'semicolon.csv': { header: ['name', 'value', 'note'], rows: [['x', '1.5', 'a;b'], ['y', '2', 'c']] },
  'pipe.txt': { header: ['a', 'b', 'c'], rows: [['1', '2', '3'], ['4', '5', '6']] },
  'tabs.tsv': { header: ['a', 'b', 'c'], rows: [['1', 'two, with comma', '3'], ['4', '5', '6']] },
  'json-named.txt': { header: ['a', 'b'], rows: [['1', 'x'], ['2', 'y']] },
  'jsonl-named.json': { header: ['a', 'b'], rows: [['1', 'x'], ['2', 'y']] },
  'utf16le.csv': { header: ['town', 'n'], rows: [['café', '1'], ['naïve', '2']] },
  'utf16be.csv': { header: ['town', 'n'], rows: [['café', '1'], ['naïve', '2']] },
  'windows-1252.csv': {
    header: ['town', 'n'],
    rows: [['café', '1'], ['naïve', '2']],
    warning: 'windows-1252.csv is not UTF-8; it was read as Windows-1252. Check accented characters.',
  },
  'dangerous-names.csv': {
    header: ['__proto__', 'constructor', 'Column 3', 'prototype', 'toString', 'hasOwnProperty', 'label'],
    rows: [['1', '2', '3', '4', '5', '6', 'a'], ['7', '8', '9', '10', '11', '12', 'b']],
  },
  'duplicate-names.csv': { header: ['x', 'x (2)', 'x (3)', 'Column 4', 'Column 5'], rows: [['1', '2', '3', '4', '5']] },
  'stray-after-quote.csv': { refused: /^Line 3: a quoted value has extra characters after its closing quote\./ },
  'special-numbers.csv': {
    header: ['x', 'y', 'z', 'label'],
    rows: [['1', 'NaN', '1e39', 'a'], ['2', '3', '2', 'b'], ['3', 'Infinity', '3', 'a'], ['4', '5', '4', 'b'], ['5', '6', '-5e40', 'a'], ['6', '7', '6', 'b']],
    problems: [
      /^"Infinity" is not a finite number \(line 4, column "y"\)/,
      /^1 cell says "NaN" \(first at line 2\); NaN is treated as missing\.$/,
      /^2 values are beyond float32's range of ±3\.4e38 \(first "1e39" at line 2\)/,
    ],
  },
  'escaped-quotes.csv': { header: ['a', 'b'], rows: [['he said "hi"', '1'], ['', '2']] },
  'header-without-newline.csv': { refused: /has a header line but no data rows/ },
  'first-line-is-data.csv': { refused: /^The first line looks like data, not column names: 1, 2, 3\./ },
  'ragged.csv': { refused: /^Line 3 has 2 fields but the header has 3\. Line 4 has 4 fields but the header has 3\./ },
};

const parser = createParser();

async function run(blob: Blob, name: string): Promise<{ outcome: ParseOutcome; warnings: string[] }> {
  const warnings: string[] = [];
  const outcome = await parser.parseFile(blob, name, (e: ParseEvent) => {
    if (e.type === 'warning') warnings.push(e.message);
  });
  return { outcome, warnings };
}

/** After any file, good or bad, the same parser must still import a plain CSV. */
async function stillWorks(): Promise<void> {
  const { outcome } = await run(new Blob(['k,v\nx,1\ny,2\n']), 'after.csv');
  if (!outcome.ok) throw new Error(outcome.message);
  expect(outcome.file.preview).toEqual([['x', '1'], ['y', '2']]);
}

function ok(outcome: ParseOutcome): ParsedFile {
  if (!outcome.ok) throw new Error(outcome.message);
  return outcome.file;
}

describe('the hostile corpus', () => {
  it('has an expectation for every file in the folder', () => {
    expect(readdirSync(DIR).sort()).toEqual(Object.keys(CORPUS).sort());
  });

  for (const [name, expected] of Object.entries(CORPUS)) {
    it(name, async () => {
      const { outcome, warnings } = await run(new Blob([readFileSync(DIR + name)]), name);
      if ('refused' in expected) {
        expect(outcome.ok).toBe(false);
        if (!outcome.ok) expect(outcome.message).toMatch(expected.refused);
      } else {
        const file = ok(outcome);
        expect(file.header).toEqual(expected.header);
        expect(file.preview).toEqual(expected.rows);
        expect(file.rowCount).toBe(expected.rows.length);
        const problems = file.guesses.flatMap((g) => g.problems.map((p) => p.message));
        expect(problems).toHaveLength(expected.problems?.length ?? 0);
        (expected.problems ?? []).forEach((re, i) => expect(problems[i]).toMatch(re));
        expect(warnings).toEqual(expected.warning ? [expected.warning] : []);
      }
      await stillWorks();
    });
  }
});

describe('generated giants', () => {
  it('refuses a 100 MB single line with no line break as soon as the field passes 1 MB', async () => {
    const blob = new Blob(['a,b\n', 'x'.repeat(100 * 1024 * 1024)]);
    // Every read goes through slice(): the furthest byte asked for is how much of the file was read.
    let furthest = 0;
    const slice = blob.slice.bind(blob);
    vi.spyOn(blob, 'slice').mockImplementation((start = 0, end = blob.size) => {
      furthest = Math.max(furthest, Math.min(end, blob.size));
      return slice(start, end);
    });
    const { outcome } = await run(blob, 'one-line.csv');
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) expect(outcome.message).toMatch(/^Line 2: a value is longer than 1 MB \(1,048,576 characters\)/);
    // It stops at the limit rather than reading all 100 MB into one string: a few 1 MB chunks at most.
    expect(furthest).toBeGreaterThan(1024 * 1024);
    expect(furthest).toBeLessThanOrEqual(4 * 1024 * 1024);
    await stillWorks();
  });

  it('refuses a 100 MB single line of short fields at the column limit', async () => {
    const { outcome } = await run(new Blob(['1,'.repeat(50 * 1024 * 1024)]), 'wide-line.csv');
    expect(outcome).toEqual({ ok: false, message: 'Line 1 has more than 2,000 columns; Loopbench imports at most 2,000.' });
    await stillWorks();
  });

  it('refuses 10,000 columns, naming the limit', async () => {
    const header = Array.from({ length: 10_000 }, (_, i) => `c${i}`).join(',');
    const row = Array.from({ length: 10_000 }, (_, i) => String(i)).join(',');
    const { outcome } = await run(new Blob([`${header}\n${row}\n`]), 'wide.csv');
    expect(outcome).toEqual({ ok: false, message: 'Line 1 has more than 2,000 columns; Loopbench imports at most 2,000.' });
    const records = JSON.stringify([Object.fromEntries(Array.from({ length: 10_000 }, (_, i) => [`c${i}`, i]))]);
    const json = await run(new Blob([records]), 'wide.json');
    expect(json.outcome).toEqual({ ok: false, message: '"wide.json" has more than 2,000 columns; Loopbench imports at most 2,000.' });
    await stillWorks();
  });

  it('imports 2,000 columns, the limit itself', async () => {
    const header = Array.from({ length: 2_000 }, (_, i) => `c${i}`).join(',');
    const row = Array.from({ length: 2_000 }, (_, i) => String(i)).join(',');
    const file = ok((await run(new Blob([`${header}\n${row}\n${row}\n`]), 'wide.csv')).outcome);
    expect(file.header).toHaveLength(2_000);
    expect(file.preview[1][1_999]).toBe('1999');
  });

  it('refuses a 3 MB quoted field with its line', async () => {
    const text = `id,note\n1,short\n2,"${'y'.repeat(3 * 1024 * 1024)}"\n3,x\n`;
    const { outcome } = await run(new Blob([text]), 'long-field.csv');
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) expect(outcome.message).toMatch(/^Line 3: a value is longer than 1 MB/);
    await stillWorks();
  });

  it('imports a field just under 1 MB', async () => {
    const long = 'z'.repeat(1024 * 1024 - 1);
    const file = ok((await run(new Blob([`id,note\n1,"${long}"\n2,b\n`]), 'big-field.csv')).outcome);
    expect(file.preview[0][1]).toBe(long);
  });
});
