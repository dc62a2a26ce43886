// A first visit downloads the shell and the Define screen only; every other screen, and the state and libraries
// only it needs, arrive when the stage is opened. `npm run build` prints the same figure this test bounds.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import { FIRST_SCREEN_LIMIT_KB, firstScreenSize } from '../../scripts/first-screen.mjs';
import { goToStage, launch } from './browser';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

test(`the first screen's JavaScript is at most ${FIRST_SCREEN_LIMIT_KB} KB gzipped`, () => {
  const size = firstScreenSize(inject('distDir'));
  expect(size.files[0]?.file).toMatch(/^assets\/index-.+\.js$/);
  expect(size.gzip).toBeGreaterThan(0);
  expect(size.gzip).toBeLessThanOrEqual(FIRST_SCREEN_LIMIT_KB * 1024);
});

test('the page loads only the first screen until a stage is opened, then that stage on demand', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(inject('baseUrl'));
  await page.getByRole('heading', { name: 'Built-in samples' }).waitFor({ timeout: 60_000 });
  // The document's own resource timeline: what the page fetched, not what its workers did (workers have their own).
  const pageScripts = () =>
    page.evaluate(() =>
      performance
        .getEntriesByType('resource')
        .map((e) => new URL(e.name).pathname.slice(1))
        .filter((path) => path.endsWith('.js')),
    );

  const firstScreen = firstScreenSize(inject('distDir')).files.map((f) => f.file);
  const beforeStages = await pageScripts();
  expect(beforeStages).toEqual(expect.arrayContaining(firstScreen));
  // Besides: the service worker's window helper, fetched once the page is up to offer updates later, and the entry
  // of a worker the first start uses (it imports the penguins sample off the main thread).
  const besides = (f: string) => /\/workbox-window\.[\w.-]+\.js$/.test(f) || /\.worker-[\w-]+\.js$/.test(f);
  expect(beforeStages.filter((f) => !firstScreen.includes(f) && !besides(f))).toEqual([]);

  await goToStage(page, 'Train');
  await page.getByRole('heading', { name: 'Train a model' }).waitFor();
  const loadedForTrain = (await pageScripts()).filter((f) => !beforeStages.includes(f));
  expect(loadedForTrain.some((f) => /\/TrainScreen-[\w-]+\.js$/.test(f))).toBe(true);
  expect(errors).toEqual([]);
  await context.close();
});
