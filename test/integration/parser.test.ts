// The parse worker's implementation driven directly in Node, with real Blobs.

import { closeSync, mkdtempSync, openAsBlob, openSync, ftruncateSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createTestParser } from '../../workers/parse/parser';
import { sampleRecords } from '../fixtures/tabular';
import { SPLIT_NONE } from '../../src/core/shared/types';
import type { DatasetChoices, ParseEvent } from '../../src/core/contracts/parse';
import { failure, parsed } from '../fixtures/support';

const csv = (text: string) => new Blob([text]);

const none = () => {};

describe('parseFile', () => {
  it('reads quoted commas, quoted newlines, escaped quotes, CRLF and blank lines', async () => {
    const text =
      'name,"note",value\r\n' +
      '"Smith, J","line one\r\nline two",1.5\r\n' + // lines 2-3
      'plain,"he said ""hi""",2\r\n' + // line 4
      '\r\n' + // line 5, blank
      'c,d,3\r\n' +
      'e,f,abc\r\n' + // line 7
      'g,h,4\r\n' +
      'i,j,5\r\n';
    const parser = createTestParser();
    const file = await parsed(parser.parseFile(csv(text), 'notes.csv', none));
    expect(file.header).toEqual(['name', 'note', 'value']);
    expect(file.rowCount).toBe(6);
    expect(file.byteLength).toBe(new TextEncoder().encode(text).length);
    expect(file.preview[0]).toEqual(['Smith, J', 'line one\r\nline two', '1.5']);
    expect(file.preview[1]).toEqual(['plain', 'he said "hi"', '2']);
    const value = file.guesses[2];
    expect(value.type).toBe('number');
    expect(value.problems).toEqual([
      { column: 'value', line: 7, value: 'abc', message: '"abc" is not a number (line 7, column "value")' },
    ]);
    expect(file.guesses[0]).toMatchObject({ type: 'category', unique: 6 });
  });

  it('counts lines in LF files with multi-line quoted values', async () => {
    const rows = ['k,v', '"a\nb\nc",1', ...Array.from({ length: 8 }, (_, i) => `r${i},${i}`), 'bad,x'];
    const file = await parsed(createTestParser().parseFile(csv(rows.join('\n')), 'lf.csv', none));
    // Header on line 1, the quoted value spans lines 2-4, then one row per line: 'bad' is on line 13.
    expect(file.guesses[1].problems.map((p) => p.line)).toEqual([13]);
  });

  it('keeps exact lines and every row across chunk boundaries and pauses', async () => {
    // ~2.6 MB: several 1 MB read chunks, so quoted two-line values straddle chunk ends.
    const n = 100_000;
    const rows = ['id,note,value'];
    for (let i = 0; i < n; i++) rows.push(`${i},"note ${i}\r\nsecond half",${i === 87_654 ? 'abc' : i}`);
    const file = await parsed(createTestParser().parseFile(csv(rows.join('\r\n')), 'long.csv', none));
    expect(file.rowCount).toBe(n);
    expect(file.guesses[0]).toMatchObject({ type: 'number', unique: n });
    // Row i starts on line 2 + 2i.
    expect(file.guesses[2].problems.map((p) => p.line)).toEqual([2 + 2 * 87_654]);
  });

  it('strips a byte order mark from the first column name', async () => {
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode('a,b\n1,2\n')]);
    const file = await parsed(createTestParser().parseFile(new Blob([bytes]), 'bom.csv', none));
    expect(file.header).toEqual(['a', 'b']);
  });

  it('makes duplicate and blank column names usable', async () => {
    const file = await parsed(createTestParser().parseFile(csv('x,x,\n1,2,3\n'), 'dup.csv', none));
    expect(file.header).toEqual(['x', 'x (2)', 'Column 3']);
  });

  it('reports read progress and a final row count', async () => {
    const events: ParseEvent[] = [];
    const text = 'a,b\n' + Array.from({ length: 1000 }, (_, i) => `${i},${i * 2}`).join('\n');
    await parsed(createTestParser().parseFile(csv(text), 'p.csv', (e) => events.push(e)));
    const last = events.at(-1);
    expect(last).toEqual({ type: 'progress', bytesRead: text.length, totalBytes: text.length, rows: 1000 });
  });

  it('rejects an empty file', async () => {
    expect(await failure(createTestParser().parseFile(csv(''), 'x.csv', none))).toBe('The file "x.csv" is empty.');
    expect(await failure(createTestParser().parseFile(csv('\n \r\n'), 'x.csv', none))).toBe('The file "x.csv" is empty.');
  });

  it('rejects a header with no rows', async () => {
    expect(await failure(createTestParser().parseFile(csv('a,b,c\n\n'), 'h.csv', none))).toBe(
      'The file "h.csv" has a header line but no data rows.',
    );
  });

  it('rejects a file whose first line is data', async () => {
    expect(await failure(createTestParser().parseFile(csv('1,2.5,3\n4,5,6\n'), 'n.csv', none))).toMatch(
      /^The first line looks like data, not column names: 1, 2.5, 3\./,
    );
  });

  it('lists ragged rows by line with the total count', async () => {
    const text = ['a,b,c', '1,2,3', '1,2', '1,2,3', '1,2,3,4', '1', '1,2,3', '1,2', '1,2,3,4,5'].join('\n');
    expect(await failure(createTestParser().parseFile(csv(text), 'r.csv', none))).toBe(
      'Line 3 has 2 fields but the header has 3. Line 5 has 4 fields but the header has 3. ' +
        'Line 6 has 1 field but the header has 3. 5 lines in all have the wrong number of fields. ' +
        'A value that contains the separator must be in double quotes.',
    );
  });

  it('reads text that is not UTF-8 as Windows-1252 and says so', async () => {
    const bytes = new Uint8Array([...new TextEncoder().encode('town,n\nParis,1\ncaf'), 0xe9, 0x80, ...new TextEncoder().encode(',2\n')]);
    const events: ParseEvent[] = [];
    const file = await parsed(createTestParser().parseFile(new Blob([bytes]), 'latin1.csv', (e) => events.push(e)));
    expect(file.preview[1]).toEqual(['café€', '2']);
    expect(events.filter((e) => e.type === 'warning')).toEqual([
      { type: 'warning', message: 'latin1.csv is not UTF-8; it was read as Windows-1252. Check accented characters.' },
    ]);
  });

  it('reports an unclosed quote with its line', async () => {
    const text = 'a,b\n1,2\n3,"never closed\n5,6\n';
    expect(await failure(createTestParser().parseFile(csv(text), 'q.csv', none))).toBe(
      'Line 3: a quoted value is never closed. Check for a missing closing double quote (").',
    );
  });

  it('reports a stray character after a closing quote', async () => {
    const text = 'a,b\n1,2\n3,4\n5,"six"x\n';
    expect(await failure(createTestParser().parseFile(csv(text), 'q.csv', none))).toMatch(
      /^Line 4: a quoted value has extra characters after its closing quote\./,
    );
  });

  it('refuses files over 512 MB before reading them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'loopbench-'));
    try {
      // A sparse file: its size costs neither memory nor disk.
      const path = join(dir, 'huge.csv');
      const fd = openSync(path, 'w');
      ftruncateSync(fd, 513 * 1024 * 1024);
      closeSync(fd);
      const blob = await openAsBlob(path);
      expect(await failure(createTestParser().parseFile(blob, 'huge.csv', none))).toBe(
        'The file "huge.csv" is 513 MB; Loopbench can import files up to 512 MB.',
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('can be cancelled in the middle of a large file', async () => {
    const rows = ['id,a,b,c,d,label'];
    for (let i = 0; i < 200_000; i++) rows.push(`${i},${i * 0.5},${i % 7},${(i * 13) % 101},x${i % 5},${i % 2 ? 'yes' : 'no'}`);
    const blob = csv(rows.join('\n'));
    const parser = createTestParser();
    let cancelAt = -1;
    const outcome = parser.parseFile(blob, 'big.csv', (e) => {
      // Ask from a later task, as a real cancel message would arrive: it only lands if parsing yields.
      if (cancelAt < 0 && e.type === 'progress' && e.rows > 0) {
        cancelAt = e.rows;
        setTimeout(() => parser.cancel(), 0);
      }
    });
    expect(await failure(outcome)).toBe('Import cancelled.');
    expect(cancelAt).toBeGreaterThan(0);
    expect(cancelAt).toBeLessThan(200_000);

    // The parser still works afterwards.
    const again = await parsed(parser.parseFile(csv('a,b\n1,x\n'), 'small.csv', none));
    expect(again.rowCount).toBe(1);
  });
});

const PENGUIN_CHOICES: DatasetChoices = {
  name: 'penguins',
  task: 'classification',
  target: 'Species',
  types: {},
  roles: {},
  split: { method: 'stratified', seed: 42, fractions: [0.7, 0.15, 0.15] },
};

describe('build', () => {
  it('builds the penguins sample into a stratified dataset', async () => {
    const parser = createTestParser();
    const file = await parsed(parser.parseRecords(sampleRecords('penguins.json'), 'penguins.json', 12345));
    expect(file.rowCount).toBe(344);
    expect(file.guesses.map((g) => g.type)).toEqual(['category', 'category', 'number', 'number', 'number', 'number', 'category']);
    expect(file.preview).toHaveLength(20);
    const outcome = await parser.build(file.handle, PENGUIN_CHOICES);
    if (!outcome.ok) throw new Error(outcome.problems.map((p) => p.message).join('\n'));
    const ds = outcome.dataset;
    expect(ds.table.rowCount).toBe(344);
    const species = ds.table.columns[0];
    if (species.kind !== 'category') throw new Error('Species should be a category');
    expect(species.dictionary).toEqual(['Adelie', 'Chinstrap', 'Gentoo']);
    const withTarget = [...species.codes].filter((c) => c >= 0).length;
    expect(ds.counts.train + ds.counts.validation + ds.counts.test).toBe(withTarget);
    expect(ds.assignment.filter((a) => a === SPLIT_NONE)).toHaveLength(344 - withTarget);
    // Per species, largest-remainder rounding of 70/15/15%: Adelie 152 -> 106/23/23,
    // Chinstrap 68 -> 48/10/10, Gentoo 124 -> 87/19/18.
    expect(ds.counts).toEqual({ train: 241, validation: 52, test: 51 });
    expect(ds.summaries[5]).toMatchObject({ kind: 'number', missing: 2, min: 2700, max: 6300 });

    // The same records give the same id; a different seed a different one.
    const again = await parser.build(file.handle, PENGUIN_CHOICES);
    const reseeded = await parser.build(file.handle, { ...PENGUIN_CHOICES, split: { ...PENGUIN_CHOICES.split, seed: 1 } });
    if (!again.ok || !reseeded.ok) throw new Error('rebuild failed');
    expect(again.dataset.id).toBe(ds.id);
    expect(reseeded.dataset.id).not.toBe(ds.id);
  });

  it('gives the same dataset id for the same data as CSV and as records', async () => {
    const parser = createTestParser();
    const records = sampleRecords('penguins.json');
    const header = Object.keys(records[0]);
    const quote = (v: unknown) => (v === null ? '' : /[",\n]/.test(String(v)) ? `"${String(v).replace(/"/g, '""')}"` : String(v));
    const text = [header.map(quote).join(','), ...records.map((r) => header.map((h) => quote(r[h])).join(','))].join('\r\n');
    const fromCsv = await parsed(parser.parseFile(csv(text), 'penguins.csv', none));
    const fromRecords = await parsed(parser.parseRecords(records, 'penguins.json', 0));
    const a = await parser.build(fromCsv.handle, PENGUIN_CHOICES);
    const b = await parser.build(fromRecords.handle, PENGUIN_CHOICES);
    if (!a.ok || !b.ok) throw new Error('build failed');
    expect(a.dataset.id).toBe(b.dataset.id);
  });

  it('reports a non-numeric value in a number column by line', async () => {
    const parser = createTestParser();
    const text = 'species,mass\nA,1\nB,2\nA,abc\nB,4\n';
    const file = await parsed(parser.parseFile(csv(text), 'm.csv', none));
    const outcome = await parser.build(file.handle, { ...PENGUIN_CHOICES, target: 'species', types: { mass: 'number' } });
    if (outcome.ok) throw new Error('expected the build to fail');
    expect(outcome.problems[0]).toEqual({
      column: 'mass',
      line: 4,
      value: 'abc',
      message: '"abc" is not a number (line 4, column "mass")',
    });
  });

  it('reports a target with one class', async () => {
    const parser = createTestParser();
    const file = await parsed(parser.parseFile(csv('species,mass\nAdelie,1\nAdelie,2\n,3\n'), 'one.csv', none));
    const outcome = await parser.build(file.handle, { ...PENGUIN_CHOICES, target: 'species' });
    expect(outcome).toEqual({
      ok: false,
      problems: [
        {
          column: 'species',
          line: 0,
          value: '',
          message: 'Target "species" has only one class ("Adelie"); classification needs at least two.',
        },
      ],
    });
  });

  it('forgets a released file', async () => {
    const parser = createTestParser();
    const file = await parsed(parser.parseFile(csv('s,m\na,1\nb,2\n'), 'r.csv', none));
    parser.release(file.handle);
    const outcome = await parser.build(file.handle, { ...PENGUIN_CHOICES, target: 's' });
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) expect(outcome.problems[0].message).toBe('The parsed file is no longer loaded; import it again.');
  });
});
