// Packed data files: a zip holding one data file (among a README and a zip tool's clutter) or a gzip-compressed CSV is
// unpacked and read as if picked itself, and said; of several data files the largest is read and the others offered;
// a zip with no data file, a damaged gzip and a gzip that decompresses past the limit are refused with their reason.

import { gzipSync, strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { createTestParser } from '../../workers/parse/parser';
import { unpack } from '../../workers/parse/formats/archive';
import type { ParseEvent } from '../../src/core/contracts/parse';
import { workbook } from '../fixtures/xlsx';

const csv = ['bill,island,species', ...Array.from({ length: 40 }, (_, i) => `${30 + i / 4},${['Dream', 'Biscoe'][i % 2]},${['Adelie', 'Gentoo'][i % 2]}`)].join('\n');

async function read(bytes: Uint8Array, name: string, pick?: string) {
  const notes: string[] = [];
  const outcome = await createTestParser().parseFile(new Blob([bytes as Uint8Array<ArrayBuffer>]), name, (e: ParseEvent) => {
    if (e.type === 'warning') notes.push(e.message);
  }, pick);
  return { outcome, notes };
}

describe('a zip archive', () => {
  it('holding one data file (in a folder, beside a README and macOS clutter) is read as that file', async () => {
    const zip = zipSync({
      'penguins/README.md': strToU8('# Penguins'),
      'penguins/data.csv': strToU8(csv),
      '__MACOSX/penguins/._data.csv': strToU8('junk'),
      'penguins/.DS_Store': strToU8('junk'),
    });
    const { outcome, notes } = await read(zip, 'archive.zip');
    if (!outcome.ok) throw new Error(outcome.message);
    expect(outcome.file.fileName).toBe('data.csv');
    expect(outcome.file.detected.kind).toBe('csv');
    expect(outcome.file.header).toEqual(['bill', 'island', 'species']);
    expect(outcome.file.rowCount).toBe(40);
    expect(notes).toEqual(['Read penguins/data.csv from the zip archive archive.zip.']);
  });

  it('holding an Excel workbook reads the workbook', async () => {
    const book = await workbook([{ sheet: 'S', data: [[{ value: 'a' }, { value: 'b' }], ...Array.from({ length: 5 }, (_, i) => [{ value: i }, { value: `x${i}` }])] }]);
    const { outcome } = await read(zipSync({ 'report.xlsx': book }), 'report.zip');
    if (!outcome.ok) throw new Error(outcome.message);
    expect(outcome.file.detected.kind).toBe('xlsx');
    expect(outcome.file.rowCount).toBe(5);
  });

  it('with several data files reads the largest, offers the others, and reads the one picked', async () => {
    const test = csv.split('\n').slice(0, 11).join('\n');
    const several = zipSync({ 'sample_submission.csv': strToU8('id,label\n1,a\n2,b'), 'data/train.csv': strToU8(csv), 'data/test.csv': strToU8(test) });
    const first = await read(several, 'kaggle.zip');
    if (!first.outcome.ok) throw new Error(first.outcome.message);
    expect(first.outcome.file.fileName).toBe('train.csv');
    expect(first.outcome.file.rowCount).toBe(40);
    expect(first.outcome.file.inside).toEqual({ kind: 'file', options: ['sample_submission.csv', 'data/train.csv', 'data/test.csv'], chosen: 'data/train.csv' });
    expect(first.notes).toEqual(['Read data/train.csv, the largest of its 3 data files, from the zip archive kaggle.zip. Choose another under "File in the archive".']);

    const picked = await read(several, 'kaggle.zip', 'data/test.csv');
    if (!picked.outcome.ok) throw new Error(picked.outcome.message);
    expect(picked.outcome.file.fileName).toBe('test.csv');
    expect(picked.outcome.file.rowCount).toBe(10);
    expect(picked.outcome.file.inside?.chosen).toBe('data/test.csv');
    expect(picked.notes).toEqual(['Read data/test.csv from the zip archive kaggle.zip.']);
    const missing = await read(several, 'kaggle.zip', 'other.csv');
    expect(missing.outcome.ok === false && missing.outcome.message).toBe('"kaggle.zip" holds no data file other.csv.');
  });

  it('with no data file is refused with what it holds; a zip inside is not opened', async () => {
    const none = zipSync({ 'a.png': new Uint8Array(8), 'b.png': new Uint8Array(8), 'LICENSE': strToU8('MIT') });
    const nested = zipSync({ 'inner.csv.zip': zipSync({ 'inner.csv': strToU8(csv) }) });
    const cases: [string, Uint8Array, string][] = [
      ['pictures.zip', none, '"pictures.zip" holds no data file (CSV, TSV, JSON, JSON Lines, Parquet or Excel .xlsx): it has a.png, b.png, LICENSE.'],
      ['nested.zip', nested, '"nested.zip" holds no data file (CSV, TSV, JSON, JSON Lines, Parquet or Excel .xlsx): it has inner.csv.zip.'],
    ];
    for (const [name, bytes, message] of cases) {
      const { outcome } = await read(bytes, name);
      expect(outcome.ok === false && outcome.message, name).toBe(message);
    }
  });

  it('that is damaged is refused by the reader of untrusted zips', async () => {
    const zip = zipSync({ 'data.csv': strToU8(csv) });
    const { outcome } = await read(zip.slice(0, zip.length - 10), 'cut.zip');
    expect(outcome.ok === false && outcome.message).toMatch(/^"cut\.zip" could not be unzipped: /);
  });
});

describe('a gzip-compressed file', () => {
  it('is decompressed and read under its own name', async () => {
    const { outcome, notes } = await read(gzipSync(strToU8(csv)), 'penguins.csv.gz');
    if (!outcome.ok) throw new Error(outcome.message);
    expect(outcome.file.fileName).toBe('penguins.csv');
    expect(outcome.file.rowCount).toBe(40);
    expect(notes).toEqual(['Decompressed penguins.csv.gz (gzip) and read it as penguins.csv.']);
  });

  it('is refused when damaged, or when it decompresses past the limit, which stops the decompression', async () => {
    const gz = gzipSync(strToU8(csv));
    const damaged = gz.slice();
    damaged.fill(0x55, 20, 60);
    const { outcome } = await read(damaged, 'broken.csv.gz');
    expect(outcome.ok === false && outcome.message).toMatch(/^"broken\.csv\.gz" could not be decompressed: .*\(is the download complete\?\)\.$/);

    const bomb = gzipSync(new Uint8Array(8 * 1024 * 1024));
    const result = await unpack(new Blob([bomb as Uint8Array<ArrayBuffer>]), 'zeros.gz', bomb.subarray(0, 4), undefined, 1024 * 1024);
    expect(result).toEqual({ error: '"zeros.gz" decompresses to more than 1 MB, the largest file Loopbench imports.' });
  });
});
