// Packed data files: a zip holding one data file (among a README and a zip tool's clutter) or a gzip-compressed CSV is
// unpacked and read as if picked itself, and said; a zip with several data files or none, a damaged gzip and a gzip
// that decompresses past the limit are refused with their reason.

import { gzipSync, strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { createTestParser } from '../../workers/parse/parser';
import { unpack } from '../../workers/parse/formats/archive';
import type { ParseEvent } from '../../src/core/contracts/parse';
import { workbook } from '../fixtures/xlsx';

const csv = ['bill,island,species', ...Array.from({ length: 40 }, (_, i) => `${30 + i / 4},${['Dream', 'Biscoe'][i % 2]},${['Adelie', 'Gentoo'][i % 2]}`)].join('\n');

async function read(bytes: Uint8Array, name: string) {
  const notes: string[] = [];
  const outcome = await createTestParser().parseFile(new Blob([bytes as Uint8Array<ArrayBuffer>]), name, (e: ParseEvent) => {
    if (e.type === 'warning') notes.push(e.message);
  });
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

  it('with several data files, or none, is refused with what it holds; a zip inside is not opened', async () => {
    const several = zipSync({ 'train.csv': strToU8(csv), 'test.csv': strToU8(csv), 'sample_submission.csv': strToU8('id\n1') });
    const none = zipSync({ 'a.png': new Uint8Array(8), 'b.png': new Uint8Array(8), 'LICENSE': strToU8('MIT') });
    const nested = zipSync({ 'inner.csv.zip': zipSync({ 'inner.csv': strToU8(csv) }) });
    const cases: [string, Uint8Array, string][] = [
      ['kaggle.zip', several, '"kaggle.zip" holds 3 data files (train.csv, test.csv, sample_submission.csv): unzip it and import the one to train on.'],
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
    const result = await unpack(new Blob([bomb as Uint8Array<ArrayBuffer>]), 'zeros.gz', bomb.subarray(0, 4), 1024 * 1024);
    expect(result).toEqual({ error: '"zeros.gz" decompresses to more than 1 MB, the largest file Loopbench imports.' });
  });
});
