// The image import pipeline in Node: sources, zip checks, inflating with fflate and the skip-and-list
// policy run for real; only the browser's decoder is replaced (by one that reads the header's size and
// fills the pixels), since createImageBitmap exists only in a browser. Then the storage round trip.

import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { ImageImporter, type DecodeImage, type ImageBuildRequest } from '../../workers/images/importer';
import { sniffImage } from '../../src/core/data/images/sniff';
import type { ImageInput } from '../../src/core/contracts/images';
import type { ImageShape } from '../../src/core/shared/types';
import { DatasetsRepo } from '../../src/platform/repositories/datasets';
import { versionRecord } from '../../src/core/data/version-record';
import type { LoopbenchDb } from '../../src/platform/db';
import { drawShapes } from '../../src/core/data/images/shapes';
import { buildImageDataset } from '../../src/core/data/images/dataset';
import { openFresh } from './storage-fixtures';
import { samplePng, textNamedPng, truncatedJpeg, pngBomb, zipClasses } from '../fixtures/image-files';

const SHAPE: ImageShape = { width: 8, height: 8, channels: 3 };
const SPLIT = { method: 'stratified' as const, seed: 1, fractions: [0.5, 0.25, 0.25] as [number, number, number] };

/** Fills each image with its header's width (mod 256), so tests can tell images apart. */
const fakeDecoder = (): DecodeImage => async (bytes, _format, out) => {
  const sniffed = sniffImage(bytes);
  if (!sniffed.ok) throw new Error('cannot decode');
  if (sniffed.format === 'bmp' && bytes.length < 60) throw new Error('bad pixel data');
  out.fill(sniffed.width % 256);
};

const fixture = (name: string) => new Blob([readFileSync(`test/fixtures/hostile-images/${name}`)]);
const blob = (bytes: Uint8Array) => new Blob([bytes as Uint8Array<ArrayBuffer>]);

function request(inputs: ImageInput[], shape = SHAPE): ImageBuildRequest {
  return { inputs, shape, split: SPLIT };
}

/** Good labelled files, 20 per class: with them an import has enough images for 10 validation and 10 test ones. */
function enough(): { file: Blob; path: string; label: string }[] {
  return Array.from({ length: 40 }, (_, i) => ({ file: blob(samplePng(i % 2 ? 'red' : 'blue')), path: `more/${i}.png`, label: i % 2 ? 'red' : 'blue' }));
}

function run(inputs: ImageInput[], importer = new ImageImporter(fakeDecoder)) {
  const events: number[] = [];
  return importer.run(request(inputs), (e) => events.push(e.done)).then((outcome) => ({ outcome, events }));
}

describe('ImageImporter', () => {
  it('imports a zip with a folder per class, skipping and listing the bad file', async () => {
    const { outcome, events } = await run([{ kind: 'zip', file: blob(zipClasses(20)), name: 'classes.zip' }]);
    if (!outcome.ok) throw new Error(outcome.message);
    expect(outcome.imported).toBe(40);
    expect(outcome.skipped).toEqual([
      { file: 'classes.zip/shapes/blue/notes.png', reason: 'not an image: the content is not PNG, JPEG, GIF, WebP or BMP' },
    ]);
    const label = outcome.dataset.table.columns[1];
    if (label.kind !== 'category') throw new Error('no label column');
    expect(label.dictionary).toEqual(['blue', 'red']);
    const image = outcome.dataset.table.columns[0];
    if (image.kind !== 'image') throw new Error('no image column');
    expect(image.pixels.length).toBe(40 * 8 * 8 * 3);
    expect(events.at(-1)).toBe(41);
  });

  it('imports labelled files and lists each hostile file with its reason', async () => {
    const files = [
      { file: blob(samplePng('red')), path: 'a.png', label: 'red' },
      { file: blob(samplePng('blue')), path: 'b.png', label: 'blue' },
      { file: fixture('huge-dimensions.png'), path: 'huge-dimensions.png', label: 'red' },
      { file: fixture('truncated.jpg'), path: 'truncated.jpg', label: 'red' },
      { file: fixture('text-named.png'), path: 'text-named.png', label: 'blue' },
      { file: blob(new Uint8Array(1)), path: '.DS_Store', label: 'blue' },
      ...enough(),
    ];
    const { outcome } = await run([{ kind: 'files', files }]);
    if (!outcome.ok) throw new Error(outcome.message);
    expect(outcome.imported).toBe(42);
    expect(outcome.skipped.map((s) => s.file)).toEqual(['huge-dimensions.png', 'truncated.jpg', 'text-named.png']);
    expect(outcome.skipped[0].reason).toMatch(/claims 100000 x 100000 pixels/);
    expect(outcome.skipped[1].reason).toMatch(/truncated/);
  });

  it('refuses the import when nothing valid remains', async () => {
    const files = [
      { file: blob(pngBomb()), path: 'x.png', label: 'a' },
      { file: blob(truncatedJpeg()), path: 'y.jpg', label: 'b' },
      { file: blob(textNamedPng()), path: 'z.png', label: 'b' },
    ];
    const { outcome } = await run([{ kind: 'files', files }]);
    expect(outcome).toMatchObject({ ok: false, message: 'No image could be imported: all 3 files were skipped.' });
    expect(outcome.skipped).toHaveLength(3);
  });

  it.each([
    ['zip-bomb-declared.zip', /declare more than 1024 MiB/],
    ['zip-bomb-ratio.zip', /would inflate \d+ times/],
    ['zip-bomb-actual.zip', /entry "circle\/zeros.bmp" it inflates to more than 100 bytes although it declares 100 \(a zip bomb\)/],
    ['zip-slip.zip', /climbs out of the archive/],
    ['zip-absolute-path.zip', /absolute path/],
    ['zip-nested.zip', /nested archives are not unpacked/],
  ])('refuses the hostile archive %s as a whole', async (name, message) => {
    const good = { kind: 'files' as const, files: [{ file: blob(samplePng('red')), path: 'a.png', label: 'red' }] };
    const { outcome } = await run([good, { kind: 'zip', file: fixture(name), name }]);
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) expect(outcome.message).toMatch(message);
  });

  it('skips a file whose pixel data does not decode', async () => {
    const files = [
      { file: blob(samplePng('red')), path: 'red/a.png', label: 'red' },
      { file: blob(samplePng('blue')), path: 'blue/b.png', label: 'blue' },
      // A BMP header with no pixel data: the header is fine, the (fake) decoder throws.
      { file: blob(Uint8Array.from([0x42, 0x4d, 0, 0, 0, 0, 0, 0, 0, 0, 54, 0, 0, 0, 40, 0, 0, 0, 4, 0, 0, 0, 4, 0, 0, 0])), path: 'blue/c.bmp', label: 'blue' },
      ...enough(),
    ];
    const { outcome } = await run([{ kind: 'files', files }]);
    expect(outcome.ok && outcome.skipped).toEqual([{ file: 'blue/c.bmp', reason: 'the BMP data does not decode (bad pixel data)' }]);
  });

  it('stops when cancelled and returns nothing', async () => {
    const importer = new ImageImporter(() => async (_bytes, _format, out) => {
      out.fill(1);
      importer.cancel();
    });
    const files = Array.from({ length: 5 }, (_, i) => ({ file: blob(samplePng('red')), path: `${i}.png`, label: i % 2 ? 'a' : 'b' }));
    const { outcome } = await run([{ kind: 'files', files }], importer);
    expect(outcome).toMatchObject({ ok: false, cancelled: true, message: 'The import was cancelled; nothing was saved.' });
  });

  it('refuses an input size outside the limits before reading anything', async () => {
    const importer = new ImageImporter(fakeDecoder);
    const outcome = await importer.run(request([], { width: 4, height: 4, channels: 3 }), () => undefined);
    expect(outcome).toMatchObject({ ok: false, message: /8 to 256 pixels per side/ });
  });
});

describe('image versions in storage', () => {
  let db: LoopbenchDb;
  afterEach(() => db?.close());

  it('round-trips the shapes sample through IndexedDB in chunks of a few MiB', async () => {
    db = await openFresh();
    const repo = new DatasetsRepo(db);
    const sample = drawShapes(500);
    const built = await buildImageDataset(sample.pixels, sample.labels, sample.shape, SPLIT);
    if (!built.ok) throw new Error(built.message);
    const { dataset } = built;
    const meta = versionRecord(dataset, {
      projectId: 'p1',
      name: 'shapes',
      createdAt: 1,
      source: { kind: 'sample', fileName: 'shapes', byteLength: 0 },
      split: SPLIT,
    });
    expect(meta.chunkCount).toBe(2);
    expect(await repo.save(meta, dataset.table, dataset.assignment)).toBe('created');
    const imageChunks = await db.chunks.where('[datasetId+column+chunk]').between([meta.id, 0, 0], [meta.id, 0, 99]).toArray();
    expect(imageChunks.map((c) => c.kind)).toEqual(['image', 'image']);
    expect(Math.max(...imageChunks.map((c) => c.data.byteLength))).toBeLessThanOrEqual(4 * 1024 * 1024);

    const loaded = await repo.load(meta.id);
    const [image, original] = [loaded.table.columns[0], dataset.table.columns[0]];
    if (image.kind !== 'image' || original.kind !== 'image') throw new Error('the image column was not kept');
    expect({ ...image, pixels: null }).toEqual({ ...original, pixels: null });
    // Compared as bytes: a deep equality over 6 MB of elements takes minutes.
    expect(Buffer.compare(Buffer.from(image.pixels), Buffer.from(original.pixels))).toBe(0);
    expect(loaded.table.columns[1]).toEqual(dataset.table.columns[1]);
    expect(loaded.assignment).toEqual(dataset.assignment);
    // Saving the same content again is recognised by its id.
    expect(await repo.save(meta, dataset.table, dataset.assignment)).toBe('exists');
  });
});
