// Model families through the UI: the parameter count and layer view before training, validation next to the
// field, training the linear model and an MLP with early stopping, and the CNN offered only for image projects.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import { chooseFamily, goToStage, launch, openApp, shownParameterCount, trainAndWait } from './browser';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

test('penguins: linear and MLP families, parameter counts, validation, training', async () => {
  const { context, page, errors } = await openApp(browser, inject('baseUrl'));
  await page.getByRole('heading', { name: 'Penguin species' }).waitFor();
  await goToStage(page, 'Train');

  // 9 encoded inputs (4 numbers, island x3, sex x2) and 3 species. Default MLP, one layer of 16: 10*16 + 17*3.
  expect(await shownParameterCount(page)).toBe(211);
  const families = await page.getByRole('combobox', { name: 'Model family' }).locator('option').allTextContents();
  expect(families).toEqual(['Linear / logistic', 'MLP']);

  await chooseFamily(page, 'Linear / logistic');
  await expect.poll(() => shownParameterCount(page)).toBe(30);
  const layers = page.getByRole('table', { name: 'Layers' });
  expect(await layers.getByRole('row').count()).toBe(2);
  await layers.getByRole('row', { name: /output.*softmax regression over 3 classes.*\[3\].*30/ }).waitFor();

  await page.getByRole('combobox', { name: 'Backend', exact: true }).selectOption('cpu');
  await page.getByLabel('Epochs').fill('25');
  await trainAndWait(page);
  expect(await page.getByRole('heading', { name: /^Last run: / }).textContent()).toBe('Last run: finished');

  // The MLP: two layers of 16 now, with a wrong unit count first (the message sits by the field, Train waits).
  await chooseFamily(page, 'MLP');
  await expect.poll(() => shownParameterCount(page)).toBe(211);
  await page.getByRole('button', { name: 'Add layer' }).click();
  await expect.poll(() => shownParameterCount(page)).toBe(10 * 16 + 17 * 16 + 17 * 3);
  await page.getByLabel('Layer 2 units').fill('0');
  await page.getByRole('alert').filter({ hasText: 'layers[1].units must be an integer from 1 to 4096' }).waitFor();
  expect(await page.getByRole('button', { name: 'Train', exact: true }).isDisabled()).toBe(true);
  await page.getByLabel('Layer 2 units').fill('8');
  await expect.poll(() => shownParameterCount(page)).toBe(10 * 16 + 17 * 8 + 9 * 3);
  expect(await page.getByRole('table', { name: 'Layers' }).getByRole('row').count()).toBe(4);

  await page.getByLabel('Epochs').fill('200');
  await page.getByLabel('Early stopping').check();
  await page.getByLabel('Patience').fill('3');
  await page.getByLabel('Min delta').fill('0.01');
  await trainAndWait(page);
  expect(await page.getByRole('heading', { name: /^Last run: / }).textContent()).toBe('Last run: finished');
  // Penguins are learnt long before 200 epochs: early stopping ends the run and says so.
  await page.getByText(/^Early stopping after epoch \d+ of 200/).waitFor();

  await goToStage(page, 'Evaluate');
  const runs = page.getByRole('table', { name: 'Runs' });
  await expect.poll(() => runs.getByText('finished').count()).toBe(2);
  const accuracyText = await page.getByRole('table', { name: 'Test metrics' }).getByRole('row', { name: /Accuracy/ }).getByRole('cell').textContent();
  expect(Number(accuracyText)).toBeGreaterThan(0.85);

  expect(errors).toEqual([]);
  await context.close();
});

test('shapes (images): only the CNN is offered, not on wasm, with its layer view', async () => {
  const { context, page, errors } = await openApp(browser, inject('baseUrl'));
  await page.getByRole('button', { name: 'Open sample: Shapes (image classification)' }).click();
  await page.getByRole('table', { name: 'Class counts' }).waitFor({ timeout: 60_000 });
  await goToStage(page, 'Train');
  const count = await shownParameterCount(page);
  expect(await page.getByRole('combobox', { name: 'Model family' }).locator('option').allTextContents()).toEqual(['CNN']);
  const wasm = page.getByRole('combobox', { name: 'Backend', exact: true }).locator('option[value="wasm"]');
  expect(await wasm.isDisabled()).toBe(true);
  const layers = page.getByRole('table', { name: 'Layers' });
  await layers.getByRole('row', { name: /conv_1.*\[32, 32, 8\]/ }).waitFor();
  // Default CNN on 32x32x3: conv 3x3x3->8, pool, conv 3x3x8->16, pool, 8*8*16 -> 32 -> classes.
  const classes = Number((await layers.getByRole('row', { name: /^output/ }).getByRole('cell').nth(1).textContent())?.match(/\[(\d+)\]/)?.[1]);
  expect(classes).toBe(4);
  expect(count).toBe((27 + 1) * 8 + (72 + 1) * 16 + (1024 + 1) * 32 + 33 * classes);
  await page.getByLabel('Conv block 2 pool').fill('9');
  await page.getByRole('alert').filter({ hasText: 'conv[1].pool must be an integer from 1 to 4' }).waitFor();
  expect(errors).toEqual([]);
  await context.close();
});
