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
  const loss = page.getByRole('figure', { name: 'Loss' });
  // Still inside the first epoch, the curve is already drawn from the running mean.
  expect(await page.getByRole('status').filter({ hasText: /^Epoch 0 of 2/ }).count()).toBe(1);
  expect(await loss.getByText(/^The curve appears/).count()).toBe(0);
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
