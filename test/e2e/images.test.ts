// Images end to end: the drawn shapes sample with its gallery and class counts, a folder per class
// imported through the directory input, and hostile images and archives refused or skipped with their
// reasons shown, storing nothing.
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import { goToStage, launch, openApp } from './browser';
import { encodeBmp, encodeGif, pngBomb, samplePng, textNamedPng } from '../fixtures/image-files';

let browser: Browser;
let folder: string;
beforeAll(async () => {
  browser = await launch();
  folder = mkdtempSync(join(tmpdir(), 'loopbench-images-'));
  const root = join(folder, 'fruit');
  mkdirSync(join(root, 'red'), { recursive: true });
  mkdirSync(join(root, 'blue'), { recursive: true });
  // 40 per class: enough for the 10 validation and 10 test images a version needs.
  for (let i = 0; i < 40; i++) {
    writeFileSync(join(root, 'red', `r${i}.png`), samplePng('red', 16 + i));
    writeFileSync(join(root, 'blue', `b${i}.bmp`), encodeBmp(16, 16 + i, (x) => (x > 3 ? [30, 30, 220] : [255, 255, 255])));
  }
  writeFileSync(join(root, 'blue', 'notes.png'), textNamedPng());
  writeFileSync(join(root, 'red', 'huge.png'), pngBomb());
});
afterAll(async () => {
  await browser?.close();
  rmSync(folder, { recursive: true, force: true });
});

const hostile = (name: string) => ({ name, mimeType: 'application/octet-stream', buffer: readFileSync(`test/fixtures/hostile-images/${name}`) });

async function versionCount(page: Page): Promise<number> {
  const select = page.getByRole('combobox', { name: 'Dataset version' });
  return (await select.count()) === 0 ? 0 : select.locator('option').count();
}

test('the shapes sample opens with class counts, a filterable gallery and an image-aware Train stage', async () => {
  const { context, page, errors } = await openApp(browser, inject('baseUrl'));
  await page.getByRole('button', { name: 'Open sample: Shapes (image classification)' }).click();
  const counts = page.getByRole('table', { name: 'Class counts' });
  await counts.waitFor({ timeout: 60_000 });
  for (const label of ['circle', 'cross', 'square', 'triangle']) {
    expect(await counts.getByRole('row', { name: label }).getByRole('cell').textContent()).toBe('500');
  }
  const gallery = page.getByRole('list', { name: 'Image gallery' });
  expect(await gallery.getByRole('img').count()).toBe(48);
  await page.getByLabel('Show class').selectOption('triangle');
  await page.getByText('Showing 48 of 500 images labelled "triangle".').waitFor();
  const names = await gallery.getByRole('img').evaluateAll((imgs) => imgs.map((i) => i.getAttribute('alt')));
  expect(names.every((n) => /^triangle \d+$/.test(n ?? ''))).toBe(true);
  // The next page shows the next triangles (the gallery reads that page's pixels only).
  await page.getByRole('navigation', { name: 'Gallery pages' }).getByText('Page 1 of 11').waitFor();
  await page.getByRole('button', { name: 'Next page' }).click();
  await page.getByText('Page 2 of 11').waitFor();
  const next = await gallery.getByRole('img').evaluateAll((imgs) => imgs.map((i) => i.getAttribute('alt')));
  expect(next).toHaveLength(48);
  expect(next.every((n) => /^triangle \d+$/.test(n ?? '') && !names.includes(n))).toBe(true);
  await page.getByRole('button', { name: 'Previous page' }).click();
  await page.getByText('Page 1 of 11').waitFor();
  // The thumbnails are drawn: each has a data URL of its pixels.
  expect(await gallery.getByRole('img').first().getAttribute('src')).toMatch(/^data:image\/png;base64,/);
  await page.getByRole('table', { name: 'Column summary' }).getByText('2000 images, 32 x 32 x 3').waitFor();

  // The Train stage knows an image version when it sees one (it trains with the CNN family) and does not crash.
  await goToStage(page, 'Train');
  await page.getByText(/This version holds images/).waitFor();
  await page.getByRole('combobox', { name: 'Dataset version' }).waitFor();
  expect(errors).toEqual([]);
  await context.close();
});

test('a folder per class imports, with bad files skipped and listed', async () => {
  const { context, page, errors } = await openApp(browser, inject('baseUrl'));
  await page.getByLabel('Project name').fill('Fruit');
  await page.getByLabel('Task').selectOption('image');
  await page.getByLabel('Image width').fill('24');
  await page.getByRole('button', { name: 'Create project' }).click();
  await page.getByRole('heading', { name: 'Bring images' }).waitFor();
  await page.getByText('24 x 32 RGB').waitFor();

  await page.getByLabel('Import a folder per class').setInputFiles(join(folder, 'fruit'));
  await page.getByText(/^folder "fruit" \(2 classes\): 82 files/).waitFor();
  await page.getByRole('button', { name: 'Import images' }).click();
  await page.getByText(/^Imported 80 images as version [0-9a-f]{12}; 2 files were skipped/).waitFor({ timeout: 60_000 });
  const skipped = page.getByRole('list', { name: 'Skipped files' });
  await skipped.getByText(/huge\.png: its header claims 100000 x 100000 pixels/).waitFor();
  await skipped.getByText(/notes\.png: not an image/).waitFor();
  const counts = page.getByRole('table', { name: 'Class counts' });
  await counts.waitFor();
  expect(await counts.getByRole('row', { name: 'red' }).getByRole('cell').textContent()).toBe('40');
  expect(await counts.getByRole('row', { name: 'blue' }).getByRole('cell').textContent()).toBe('40');
  await page.getByRole('table', { name: 'Column summary' }).getByText('80 images, 24 x 32 x 3').waitFor();
  expect(await versionCount(page)).toBe(1);
  expect(errors).toEqual([]);
  await context.close();
});

test('hostile archives and images are refused with their reasons and store nothing', async () => {
  const { context, page, errors } = await openApp(browser, inject('baseUrl'));
  await page.getByLabel('Project name').fill('Hostile');
  await page.getByLabel('Task').selectOption('image');
  await page.getByRole('button', { name: 'Create project' }).click();
  await page.getByRole('heading', { name: 'Bring images' }).waitFor();
  const zipInput = page.getByLabel('Import a zip with a folder per class');
  const importButton = page.getByRole('button', { name: 'Import images' });
  const alert = page.getByRole('alert');

  const cases: [string, RegExp][] = [
    ['zip-bomb-declared.zip', /declare more than 1024 MiB uncompressed \(a zip bomb/],
    ['zip-bomb-ratio.zip', /would inflate \d+ times .*\(a zip bomb\)/],
    ['zip-bomb-actual.zip', /inflates to more than 100 bytes although it declares 100 \(a zip bomb\)/],
    ['zip-slip.zip', /its path climbs out of the archive with "\.\."/],
    ['zip-absolute-path.zip', /it has an absolute path/],
    ['zip-nested.zip', /nested archives are not unpacked/],
  ];
  for (const [name, message] of cases) {
    await zipInput.setInputFiles(hostile(name));
    await importButton.click();
    await alert.filter({ hasText: `Nothing was saved: "${name}" was refused: ` }).waitFor({ timeout: 30_000 });
    expect(await alert.textContent()).toMatch(message);
    await page.getByRole('button', { name: `Remove archive "${name}"` }).click();
  }

  // Labelled files that are all bad: each listed with its reason, and the import refused.
  await page.getByLabel('Class label for files').fill('cat');
  await page.getByLabel('Add image files with this label').setInputFiles([
    hostile('huge-dimensions.png'),
    hostile('truncated.jpg'),
    hostile('text-named.png'),
  ]);
  await importButton.click();
  await alert.filter({ hasText: 'Nothing was saved: No image could be imported: all 3 files were skipped.' }).waitFor();
  const skipped = page.getByRole('list', { name: 'Skipped files' });
  await skipped.getByText(/huge-dimensions\.png: .*decompression bomb/).waitFor();
  await skipped.getByText('truncated.jpg: the file is truncated: its end marker is missing').waitFor();
  await skipped.getByText(/text-named\.png: not an image/).waitFor();
  await page.getByText('No data yet.', { exact: false }).waitFor();
  expect(await versionCount(page)).toBe(0);
  expect(errors).toEqual([]);
  await context.close();
});

test('labelled files of every format decode, into a grey project', async () => {
  const { context, page, errors } = await openApp(browser, inject('baseUrl'));
  await page.getByLabel('Project name').fill('Formats');
  await page.getByLabel('Task').selectOption('image');
  await page.getByLabel('Image colour').selectOption('grey');
  await page.getByRole('button', { name: 'Create project' }).click();
  await page.getByRole('heading', { name: 'Bring images' }).waitFor();

  // JPEG and WebP come from the browser's own encoders; PNG, BMP and GIF from test/fixtures/image-files.ts.
  const encoded = await page.evaluate(async () => {
    const canvas = new OffscreenCanvas(40, 30);
    const ctx = canvas.getContext('2d')!;
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, 40, 30);
    ctx.fillStyle = '#c00';
    ctx.fillRect(10, 5, 20, 20);
    const bytes = async (type: string) => Array.from(new Uint8Array(await (await canvas.convertToBlob({ type })).arrayBuffer()));
    return { jpeg: await bytes('image/jpeg'), webp: await bytes('image/webp') };
  });
  const file = (name: string, mimeType: string, bytes: Uint8Array | number[]) => ({ name, mimeType, buffer: Buffer.from(bytes) });
  await page.getByLabel('Class label for files').fill('dark');
  // Each format 14 times (dark) or 20 times (light): enough for the 10 validation and 10 test images a version needs.
  const times = <T>(n: number, make: (i: number) => T): T[] => Array.from({ length: n }, (_, i) => make(i));
  await page.getByLabel('Add image files with this label').setInputFiles([
    ...times(14, (i) => file(`a${i}.jpg`, 'image/jpeg', encoded.jpeg)),
    ...times(14, (i) => file(`b${i}.webp`, 'image/webp', encoded.webp)),
    ...times(14, (i) => file(`c${i}.gif`, 'image/gif', encodeGif(12, 9, [[0, 0, 0], [255, 255, 255]], (x) => (x < 9 ? 0 : 1)))),
  ]);
  await page.getByLabel('Class label for files').fill('light');
  await page.getByLabel('Add image files with this label').setInputFiles([
    ...times(20, (i) => file(`d${i}.png`, 'image/png', samplePng('blue', 30))),
    ...times(20, (i) => file(`e${i}.bmp`, 'image/bmp', encodeBmp(10, 10, () => [250, 250, 250]))),
  ]);
  await page.getByText('42 files labelled "dark"', { exact: false }).waitFor();
  await page.getByRole('button', { name: 'Import images' }).click();
  await page.getByText(/^Imported 82 images as version [0-9a-f]{12}\.$/).waitFor({ timeout: 60_000 });
  await page.getByRole('table', { name: 'Column summary' }).getByText('82 images, 32 x 32 x 1').waitFor();
  const counts = page.getByRole('table', { name: 'Class counts' });
  expect(await counts.getByRole('row', { name: 'dark' }).getByRole('cell').textContent()).toBe('42');
  expect(errors).toEqual([]);
  await context.close();
});
