// Live curves on long epochs: the worker reports running means about once a second, so the Train screen's curves and
// progress move inside an epoch instead of standing still until it ends.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import { goToStage, launch, openApp } from './browser';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

test('an epoch longer than a second shows its batches and a loss curve before it ends', async () => {
  const { context, page, errors } = await openApp(browser, inject('baseUrl'));
  await goToStage(page, 'Train');
  await page.getByRole('combobox', { name: 'Backend', exact: true }).selectOption('cpu');
  // A wide layer and one row per batch: several seconds per epoch on the cpu backend. More epochs than the test
  // watches (it stops the run), so a fast machine cannot finish training while the test still reads its progress.
  await page.getByLabel('Layer 1 units').fill('2048');
  await page.getByLabel('Epochs').fill('20');
  await page.getByLabel('Batch size').fill('1');
  await page.getByRole('button', { name: 'Train', exact: true }).click();

  const status = page.getByRole('status').filter({ hasText: /^Epoch 0 of 20 · batch \d+ of \d+ in epoch 1/ });
  await status.first().waitFor({ timeout: 60_000 });
  // Still inside the first epoch, the loss curve is already drawn from the running mean: the chart publishes how many
  // points its last paint put on the canvas. Both are read in one go, so an epoch ending in between cannot blur them.
  const drawnInFirstEpoch = () =>
    page.evaluate(() => ({
      points: Number(document.querySelector('figure[aria-label="Loss"]')?.getAttribute('data-points') ?? 0),
      firstEpoch: [...document.querySelectorAll('[role="status"]')].some((s) => /^Epoch 0 of 20 /.test(s.textContent ?? '')),
    }));
  let seen = { points: 0, firstEpoch: false };
  await expect.poll(async () => (seen = await drawnInFirstEpoch()).points, { timeout: 10_000 }).toBeGreaterThan(0);
  expect(seen.firstEpoch).toBe(true);
  // The batch shown now, read without waiting for an element (between epochs no status names a batch).
  const batch = async () => {
    const texts = await page.getByRole('status').allTextContents();
    return Math.max(0, ...texts.map((t) => Number(/batch (\d+) of/.exec(t)?.[1] ?? 0)));
  };
  const first = await batch();
  expect(first).toBeGreaterThan(0);
  await expect.poll(batch, { timeout: 10_000 }).toBeGreaterThan(first);
  await page.getByRole('button', { name: 'Stop', exact: true }).click();
  await page.getByRole('heading', { name: /^Last run: / }).waitFor({ timeout: 60_000 });
  expect(errors).toEqual([]);
  await context.close();
});
