// After the first load the service worker has everything: the loop works with the network off,
// and a new build is offered with a prompt instead of a silent reload.
import { appendFileSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import { expectNoNetwork, goToStage, launch, openApp, trainAndWait } from './browser';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

async function waitForServiceWorker(page: Page): Promise<void> {
  await page.waitForFunction(async () => {
    const registration = await navigator.serviceWorker.ready;
    return registration.active?.state === 'activated';
  });
}

test('the service worker precaches every file of the build, workers and wasm included', () => {
  const dist = inject('distDir');
  const sw = readFileSync(join(dist, 'sw.js'), 'utf8');
  // The production build minifies sw.js (`url:"…"`); a development-mode one writes JSON (`"url": "…"`).
  const precached = new Set([...sw.matchAll(/"?url"?:\s*"([^"]+)"/g)].map((m) => m[1]));
  const built = (readdirSync(dist, { recursive: true, withFileTypes: true }) as import('node:fs').Dirent[])
    .filter((e) => e.isFile())
    .map((e) => relative(dist, join(e.parentPath, e.name)))
    // The service worker and its runtime are not precached by themselves.
    .filter((f) => f !== 'sw.js' && !/^workbox-[\w-]+\.js$/.test(f));
  expect(built.some((f) => f.endsWith('.wasm'))).toBe(true);
  expect(built.some((f) => /train\.worker-.+\.js$/.test(f))).toBe(true);
  expect(built.filter((f) => !precached.has(f))).toEqual([]);
});

test('the whole loop works offline after the first load', async () => {
  const { context, page, errors } = await openApp(browser, inject('baseUrl'));
  await waitForServiceWorker(page);
  await page.getByText('Storage:').first().waitFor();

  await context.setOffline(true);
  await page.reload();
  await page.getByRole('tab', { name: 'Define' }).waitFor();
  await expectNoNetwork(context, inject('baseUrl'));

  // Each stage's screen is a chunk loaded on first visit: with the network off it can only come from the cache.
  await goToStage(page, 'Data');
  await page.getByRole('heading', { name: 'Dataset versions' }).waitFor();
  await goToStage(page, 'Evaluate');
  await page.getByRole('heading', { name: 'Runs', exact: true }).waitFor();
  await goToStage(page, 'Train');
  await page.getByLabel('Backend', { exact: true }).selectOption('wasm');
  await page.getByLabel('Epochs').fill('15');
  await trainAndWait(page);
  expect(await page.getByRole('heading', { name: /^Last run: / }).textContent()).toBe('Last run: finished');
  expect(await page.getByText(/^Trained on /).textContent()).toContain('wasm');

  await goToStage(page, 'Deliver');
  await page.getByRole('heading', { name: 'Register a model' }).waitFor();
  // Registering does not deploy: serving the version is a separate, explicit choice.
  await page.getByRole('checkbox', { name: 'Make it the champion' }).check();
  await page.getByRole('button', { name: 'Register model' }).click();
  await page.getByText(/as champion\.$/).waitFor();
  await goToStage(page, 'Monitor');
  await page.getByRole('heading', { name: 'Live predictions' }).waitFor();
  await page.getByLabel('Sex').selectOption('FEMALE');
  await page.getByRole('button', { name: 'Predict' }).click();
  await page.getByRole('status', { name: 'Prediction' }).waitFor();
  expect(errors).toEqual([]);
  await context.close();
});

test('a new build is offered with a prompt, not a silent reload', async () => {
  const { context, page } = await openApp(browser, inject('baseUrl'));
  await waitForServiceWorker(page);
  // A returning visitor's page is controlled by the installed worker; only then can a new one take over.
  await page.reload();
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
  // Serve a changed service worker, as a new deployment would.
  const swPath = join(inject('distDir'), 'sw.js');
  const original = readFileSync(swPath, 'utf8');
  appendFileSync(swPath, `\n// build ${Date.now()}\n`);
  try {
    await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.update());
    const prompt = page.getByRole('alertdialog', { name: 'New version available' });
    await prompt.waitFor();
    await Promise.all([
      page.waitForEvent('framenavigated'),
      prompt.getByRole('button', { name: 'Reload to update' }).click(),
    ]);
    await page.getByRole('tab', { name: 'Define' }).waitFor();
    expect(await prompt.count()).toBe(0);
  } finally {
    writeFileSync(swPath, original);
  }
  await context.close();
});
