import { describe, expect, it } from 'vitest';
import { drawShapes, SHAPE_CLASSES } from '../../src/core/data/images/shapes';
import { buildImageDataset, classCounts } from '../../src/core/data/images/dataset';
import { hashDataset } from '../../src/core/data/hash';
import { summarizeImages } from '../../src/core/data/images/summary';
import { profileTable } from '../../src/core/data/profile';
import { diffSummaries } from '../../src/core/data/diff';
import { validateRecipe } from '../../src/core/recipe';
import { previewRows } from '../../src/core/data/table-view';
import { imageAt } from '../../src/core/data/columns';
import { SPLIT_TEST, SPLIT_TRAIN, type ColumnSchema, type ImageColumnData, type SplitSpec, type Table } from '../../src/core/shared/types';
import { decodeChunks, encodeColumn } from '../../src/platform/repositories/dataset-chunks';
import { chunkRowsFor, IMAGE_CHUNK_BYTES } from '../../src/core/data/version-record';
import { SPLIT_COLUMN } from '../../src/platform/db';

const SPLIT: SplitSpec = { method: 'stratified', seed: 42, fractions: [0.7, 0.15, 0.15] };

describe('drawShapes', () => {
  it('draws the same pixels for the same seed, different ones for another', () => {
    const a = drawShapes(10, 1);
    const b = drawShapes(10, 1);
    const c = drawShapes(10, 2);
    expect(a.pixels).toEqual(b.pixels);
    expect(a.labels).toEqual(b.labels);
    expect(a.pixels).not.toEqual(c.pixels);
  });

  it('makes balanced classes of 32x32 RGB images that are not blank', () => {
    const sample = drawShapes(25);
    expect(sample.shape).toEqual({ width: 32, height: 32, channels: 3 });
    expect(sample.pixels.length).toBe(100 * 32 * 32 * 3);
    for (const label of SHAPE_CLASSES) expect(sample.labels.filter((l) => l === label)).toHaveLength(25);
    for (let i = 0; i < 100; i++) {
      const image = sample.pixels.subarray(i * 3072, (i + 1) * 3072);
      let min = 255;
      let max = 0;
      for (const v of image) {
        min = Math.min(min, v);
        max = Math.max(max, v);
      }
      // A shape on a background, plus noise: a wide range of values in every image.
      expect(max - min).toBeGreaterThan(60);
    }
  });

  it('draws grey images when asked for one channel', () => {
    const grey = drawShapes(2, 5, { width: 16, height: 12, channels: 1 });
    expect(grey.pixels.length).toBe(8 * 16 * 12);
  });
});

describe('buildImageDataset', () => {
  it('builds a stratified, content-addressed version with an image feature and a label target', async () => {
    const sample = drawShapes(50);
    const built = await buildImageDataset(sample.pixels, sample.labels, sample.shape, SPLIT);
    if (!built.ok) throw new Error(built.message);
    const { dataset } = built;
    expect(dataset.schema).toEqual([
      { name: 'image', type: 'image', role: 'feature' },
      { name: 'label', type: 'category', role: 'target' },
    ]);
    expect(dataset.counts).toEqual({ train: 140, validation: 32, test: 28 });
    const label = dataset.table.columns[1];
    if (label.kind !== 'category') throw new Error('label is not a category');
    expect(label.dictionary).toEqual(['circle', 'cross', 'square', 'triangle']);
    // Stratified: each class has the same share of the training split.
    for (let code = 0; code < 4; code++) {
      let train = 0;
      for (let r = 0; r < 200; r++) if (label.codes[r] === code && dataset.assignment[r] === SPLIT_TRAIN) train++;
      expect(train).toBe(35);
    }
    expect(dataset.summaries[0]).toMatchObject({ kind: 'image', count: 200, width: 32, height: 32, channels: 3 });
    const again = await buildImageDataset(sample.pixels.slice(), [...sample.labels], sample.shape, SPLIT);
    expect(again.ok && again.dataset.id).toBe(dataset.id);
    expect(classCounts(label.codes, label.dictionary)).toEqual(['circle', 'cross', 'square', 'triangle'].map((l) => ({ label: l, count: 50 })));
  });

  it('refuses one class, a time split, and pixels that do not match the labels', async () => {
    const shape = { width: 2, height: 2, channels: 1 as const };
    expect(await buildImageDataset(new Uint8Array(8), ['a', 'a'], shape, SPLIT)).toMatchObject({ ok: false, message: /at least two classes/ });
    expect(await buildImageDataset(new Uint8Array(8), ['a', 'b'], shape, { ...SPLIT, method: 'time' })).toMatchObject({ ok: false, message: /no date column/ });
    expect(await buildImageDataset(new Uint8Array(7), ['a', 'b'], shape, SPLIT)).toMatchObject({ ok: false, message: /Expected 2 images/ });
    expect(await buildImageDataset(new Uint8Array(0), [], shape, SPLIT)).toMatchObject({ ok: false });
  });
});

function imageTable(rows: number, shape = { width: 4, height: 3, channels: 3 as const }): { schema: ColumnSchema[]; table: Table } {
  const size = shape.width * shape.height * shape.channels;
  const pixels = Uint8Array.from({ length: rows * size }, (_, i) => (i * 7) % 256);
  const image: ImageColumnData = { kind: 'image', pixels, ...shape };
  return {
    schema: [
      { name: 'image', type: 'image', role: 'feature' },
      { name: 'label', type: 'category', role: 'target' },
    ],
    table: {
      names: ['image', 'label'],
      columns: [image, { kind: 'category', codes: Int32Array.from({ length: rows }, (_, r) => r % 2), dictionary: ['a', 'b'] }],
      rowCount: rows,
    },
  };
}

describe('hashing images', () => {
  it('changes the id when one pixel changes, and when the shape changes', async () => {
    const { schema, table } = imageTable(5);
    const id = await hashDataset(schema, SPLIT, table);
    const image = table.columns[0] as ImageColumnData;
    const changed = { ...table, columns: [{ ...image, pixels: image.pixels.slice() }, table.columns[1]] };
    (changed.columns[0] as ImageColumnData).pixels[37] ^= 1;
    expect(await hashDataset(schema, SPLIT, changed)).not.toBe(id);
    const reshaped = { ...table, columns: [{ ...image, width: 3, height: 4 }, table.columns[1]] };
    expect(await hashDataset(schema, SPLIT, reshaped)).not.toBe(id);
    expect(await hashDataset(schema, SPLIT, { ...table })).toBe(id);
  });
});

describe('image chunks', () => {
  it('keeps chunks of an image version to a few MiB', () => {
    const { table } = imageTable(2, { width: 32, height: 32, channels: 3 });
    expect(chunkRowsFor(table)).toBe(Math.floor(IMAGE_CHUNK_BYTES / 3072));
    const big = imageTable(1, { width: 256, height: 256, channels: 3 });
    expect(chunkRowsFor(big.table) * 256 * 256 * 3).toBeLessThanOrEqual(IMAGE_CHUNK_BYTES);
    expect(chunkRowsFor({ names: [], columns: [{ kind: 'number', values: new Float64Array(1) }], rowCount: 1 })).toBe(65536);
  });

  it('encodes and decodes an image column across chunks', () => {
    const { schema, table } = imageTable(7);
    const assignment = new Uint8Array(7).fill(SPLIT_TEST);
    const chunkRows = 3;
    const chunks = [
      ...encodeColumn('d', SPLIT_COLUMN, assignment, 7, chunkRows),
      ...table.columns.flatMap((c, i) => encodeColumn('d', i, c, 7, chunkRows)),
    ];
    const imageChunks = chunks.filter((c) => c.kind === 'image');
    expect(imageChunks.map((c) => c.data.byteLength)).toEqual([3 * 36, 3 * 36, 36]);
    expect(imageChunks[0].image).toEqual({ width: 4, height: 3, channels: 3 });
    const meta = { id: 'd', rowCount: 7, chunkRows, chunkCount: 3, schema } as Parameters<typeof decodeChunks>[0];
    const decoded = decodeChunks(meta, chunks);
    expect(decoded.table.columns[0]).toEqual(table.columns[0]);
    expect(decoded.assignment).toEqual(assignment);
    // A chunk with a partial image is refused, not read as shifted pixels.
    const broken = chunks.map((c) => (c.kind === 'image' && c.chunk === 1 ? { ...c, data: c.data.slice(0, 100) } : c));
    expect(() => decodeChunks(meta, broken)).toThrow(/wrong length/);
  });
});

describe('image columns elsewhere', () => {
  it('are summarised, profiled, previewed and diffed without miscasts', () => {
    const { schema, table } = imageTable(4, { width: 1, height: 1, channels: 3 });
    const image = table.columns[0] as ImageColumnData;
    image.pixels.set([0, 10, 20, 2, 12, 22, 4, 14, 24, 6, 16, 26]);
    const summary = summarizeImages(image);
    expect(summary).toEqual({ kind: 'image', missing: 0, count: 4, width: 1, height: 1, channels: 3, meanIntensity: [3, 13, 23] });
    expect(Array.from(imageAt(image, 2))).toEqual([4, 14, 24]);
    const profile = profileTable(schema, table);
    expect(profile.columns[0]).toMatchObject({ kind: 'image', count: 4, association: null, meanIntensity: [3, 13, 23] });
    expect(previewRows(table, 1)).toEqual([['image 1x1x3', 'a']]);
    const darker = { ...summary, meanIntensity: [1, 11, 21] };
    const diff = diffSummaries('image', summary, 4, darker, 4);
    expect(diff.stats.map((s) => s.key)).toEqual(['missing', 'mean']);
    expect(diff.stats[1]).toMatchObject({ from: 13, to: 11, changed: true });
  });

  it('are refused by recipes with a message naming the column', () => {
    const { schema } = imageTable(1);
    const check = validateRecipe({ version: 1, steps: [] }, schema);
    expect(check.ok).toBe(false);
    if (!check.ok) expect(check.problems[0].message).toMatch(/"image" is an image column: recipes transform numbers and categories/);
  });
});
