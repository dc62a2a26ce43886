// The image gallery reads what it shows: a column's cells at some rows come from the chunks holding them alone,
// the gallery counts classes from the label column without touching a pixel, and a page reads only its images.
// Every chunk record IndexedDB hands back is counted by a Dexie middleware on the chunks table.

import { describe, expect, it } from 'vitest';
import type { DBCoreTable } from 'dexie';
import type { DatasetVersion, Table } from '../../src/core/shared/types';
import { datasetChunkCount } from '../../src/core/data/version-record';
import type { ChunkRecord, LoopbenchDb } from '../../src/platform/db';
import { DatasetsRepo } from '../../src/platform/repositories/datasets';
import { GALLERY_SIZE, GalleryPages } from '../../src/state/data/gallery-pages';
import { openFresh } from './storage-fixtures';

const ROWS = 250;
const CHUNK_ROWS = 40;
const SHAPES = ['circle', 'square', 'cross'];
const SIDE = 2;
const IMAGE_BYTES = SIDE * SIDE * 3;

const labelCode = (r: number) => (r % 17 === 5 ? -1 : r % 3);
const pixel = (r: number, i: number) => (r * 7 + i) % 256;

function imageVersion(): { meta: DatasetVersion; table: Table; assignment: Uint8Array } {
  const pixels = new Uint8Array(ROWS * IMAGE_BYTES).map((_, i) => pixel(Math.floor(i / IMAGE_BYTES), i % IMAGE_BYTES));
  const codes = Int32Array.from({ length: ROWS }, (_, r) => labelCode(r));
  const weight = Float64Array.from({ length: ROWS }, (_, r) => r * 0.5);
  const meta: DatasetVersion = {
    id: 'images-v1',
    projectId: 'p1',
    name: 'shapes',
    createdAt: 1,
    rowCount: ROWS,
    schema: [
      { name: 'image', type: 'image', role: 'feature' },
      { name: 'shape', type: 'category', role: 'target' },
      { name: 'weight', type: 'number', role: 'ignore' },
    ],
    summaries: [],
    split: { method: 'random', seed: 1, fractions: [0.8, 0.1, 0.1], counts: { train: 200, validation: 25, test: 25 } },
    source: { kind: 'file', fileName: 'shapes.zip', byteLength: 1 },
    parents: [],
    chunkRows: CHUNK_ROWS,
    chunkCount: datasetChunkCount(ROWS, CHUNK_ROWS),
  };
  const table: Table = {
    names: meta.schema.map((c) => c.name),
    rowCount: ROWS,
    columns: [
      { kind: 'image', pixels, width: SIDE, height: SIDE, channels: 3 },
      { kind: 'category', codes, dictionary: SHAPES },
      { kind: 'number', values: weight },
    ],
  };
  return { meta, table, assignment: new Uint8Array(ROWS) };
}

/** Stores the image version, then reopens the database with a middleware that notes every chunk record read. */
async function stored(): Promise<{ repo: DatasetsRepo; reads: string[]; meta: DatasetVersion }> {
  const db: LoopbenchDb = await openFresh();
  const { meta, table, assignment } = imageVersion();
  await new DatasetsRepo(db).save(meta, table, assignment);
  db.close();
  const reads: string[] = [];
  const note = (record: ChunkRecord | undefined) => {
    if (record) reads.push(`${record.column}:${record.chunk}`);
  };
  db.use({
    stack: 'dbcore',
    name: 'count-chunk-reads',
    create: (down) => ({
      ...down,
      table: (name) => {
        const table = down.table(name);
        if (name !== 'chunks') return table;
        const counted: DBCoreTable = {
          ...table,
          get: async (req) => {
            const record = await table.get(req);
            note(record);
            return record;
          },
          getMany: async (req) => {
            const records = await table.getMany(req);
            records.forEach(note);
            return records;
          },
          query: async (req) => {
            const response = await table.query(req);
            if (req.values) response.result.forEach(note);
            return response;
          },
          openCursor: () => Promise.reject(new Error('the gallery reads chunks by key, not by cursor')),
        };
        return counted;
      },
    }),
  });
  await db.open();
  return { repo: new DatasetsRepo(db), reads, meta };
}

const chunksOf = (column: number, rows: Iterable<number>) => [...new Set([...rows].map((r) => `${column}:${Math.floor(r / CHUNK_ROWS)}`))].sort();

describe('DatasetsRepo.cells: a bounded read of some rows of one column', () => {
  it('returns exactly the rows asked for, reading only the chunks that hold them', async () => {
    const { repo, reads, meta } = await stored();
    const range = Array.from({ length: 40 }, (_, i) => 85 + i);
    const weight = await repo.cells(meta.id, 2, range);
    expect(weight.kind === 'number' && Array.from(weight.values)).toEqual(range.map((r) => r * 0.5));
    expect(reads.sort()).toEqual(['2:2', '2:3']);

    // An image column keeps its shape on chunk 0: read once, with the chunks holding the rows, then remembered.
    reads.length = 0;
    const picked = [130, 45, 131, 45];
    const images = await repo.cells(meta.id, 0, picked);
    expect(images.kind).toBe('image');
    if (images.kind !== 'image') return;
    expect({ width: images.width, height: images.height, channels: images.channels }).toEqual({ width: SIDE, height: SIDE, channels: 3 });
    picked.forEach((r, i) => {
      expect(Array.from(images.pixels.subarray(i * IMAGE_BYTES, (i + 1) * IMAGE_BYTES))).toEqual(Array.from({ length: IMAGE_BYTES }, (_, b) => pixel(r, b)));
    });
    expect(reads.sort()).toEqual(['0:0', '0:1', '0:3']);
    reads.length = 0;
    await repo.cells(meta.id, 0, [249]);
    expect(reads).toEqual(['0:6']);

    await expect(repo.cells(meta.id, 0, [ROWS])).rejects.toThrow(`has no row ${ROWS}`);
    await expect(repo.cells(meta.id, 3, [0])).rejects.toThrow('has no column 3');
  });

  it('reads one column whole from its own chunks only', async () => {
    const { repo, reads, meta } = await stored();
    const labels = await repo.column(meta.id, 1);
    expect(labels.kind === 'category' && Array.from(labels.codes)).toEqual(Array.from({ length: ROWS }, (_, r) => labelCode(r)));
    expect(reads.sort()).toEqual(chunksOf(1, Array.from({ length: ROWS }, (_, r) => r)));
  });
});

describe('DatasetsRepo.assignment: the split alone', () => {
  it('reads only the split column, as a promotion gate needs to find the test rows', async () => {
    const { repo, reads, meta } = await stored();
    const assignment = await repo.assignment(meta.id);
    expect(reads.sort()).toEqual(chunksOf(-1, Array.from({ length: ROWS }, (_, r) => r)));
    expect(Array.from(assignment)).toEqual(Array.from((await repo.load(meta.id)).assignment));
  });
});

describe('the gallery', () => {
  it('counts classes from the labels alone and reads the pixels of its page only', async () => {
    const { repo, reads, meta } = await stored();
    const pages = await GalleryPages.open(repo, meta);
    expect(reads.every((read) => read.startsWith('1:'))).toBe(true);
    const count = (code: number) => Array.from({ length: ROWS }, (_, r) => labelCode(r)).filter((c) => c === code).length;
    expect(pages.facts.classes).toEqual(
      SHAPES.map((label, code) => ({ label, count: count(code) })).sort((a, b) => b.count - a.count || a.label.localeCompare(b.label)),
    );

    reads.length = 0;
    const all = pages.matching('');
    const first = await pages.page(all, 0);
    expect(first.thumbnails.map((t) => t.row)).toEqual(Array.from({ length: GALLERY_SIZE }, (_, r) => r));
    expect(reads.sort()).toEqual(chunksOf(0, Array.from({ length: GALLERY_SIZE }, (_, r) => r)));

    reads.length = 0;
    const squares = pages.matching('square');
    expect(squares.length).toBe(count(1));
    expect(pages.pageCount(squares)).toBe(Math.ceil(count(1) / GALLERY_SIZE));
    const second = await pages.page(squares, 1);
    const shown = Array.from(squares.subarray(GALLERY_SIZE, 2 * GALLERY_SIZE));
    expect(second.thumbnails.map((t) => t.row)).toEqual(shown);
    expect(second.thumbnails.every((t) => t.label === 'square')).toBe(true);
    expect(reads.sort()).toEqual(chunksOf(0, shown));
    expect(reads).not.toContain('0:0');
    const { row, rgba } = second.thumbnails[0];
    expect(Array.from(rgba.subarray(0, 4))).toEqual([pixel(row, 0), pixel(row, 1), pixel(row, 2), 255]);
  });
});
