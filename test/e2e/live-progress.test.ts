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
  // A wide layer and one row per batch: several seconds per epoch on the cpu backend.
  await page.getByLabel('Layer 1 units').fill('2048');
  await page.getByLabel('Epochs').fill('2');
  await page.getByLabel('Batch size').fill('1');
  await page.getByRole('button', { name: 'Train', exact: true }).click();

  const status = page.getByRole('status').filter({ hasText: /^Epoch 0 of 2 · batch \d+ of \d+ in epoch 1/ });
  await status.first().waitFor({ timeout: 60_000 });
  // Still inside the first epoch, the loss curve is already drawn from the running mean: the chart publishes how many
  // points its last paint put on the canvas. Both are read in one go, so an epoch ending in between cannot blur them.
  const drawnInFirstEpoch = () =>
    page.evaluate(() => ({
      points: Number(document.querySelector('figure[aria-label="Loss"]')?.getAttribute('data-points') ?? 0),
      firstEpoch: [...document.querySelectorAll('[role="status"]')].some((s) => /^Epoch 0 of 2/.test(s.textContent ?? '')),
    }));
  let seen = { points: 0, firstEpoch: false };
  await expect.poll(async () => (seen = await drawnInFirstEpoch()).points, { timeout: 10_000 }).toBeGreaterThan(0);
  expect(seen.firstEpoch).toBe(true);
  const first = Number(/batch (\d+) of/.exec((await status.first().textContent()) ?? '')?.[1]);
  await expect
    .poll(async () => Number(/batch (\d+) of/.exec((await page.getByRole('status').filter({ hasText: /batch \d+ of/ }).first().textContent()) ?? '')?.[1] ?? 0), {
      timeout: 10_000,
    })
    .toBeGreaterThan(first);
  await page.getByRole('button', { name: 'Stop', exact: true }).click();
  await page.getByRole('heading', { name: /^Last run: / }).waitFor({ timeout: 60_000 });
  expect(errors).toEqual([]);
  await context.close();
});
