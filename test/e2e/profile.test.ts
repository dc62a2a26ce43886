// The Data stage's profile and validation on the built-in penguins sample: plots per column, then a
// suite suggested, tightened, saved, run, and still there after a reload.
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

test('penguins: profile plots, then a tightened suite fails where the data breaks it', async () => {
  const { context, page, errors } = await openApp(browser, inject('baseUrl'));
  await page.getByRole('heading', { name: 'Penguin species' }).waitFor();
  await goToStage(page, 'Data');

  // Profile: a histogram for a number column and the association bar for a feature.
  const histogram = page.getByRole('img', { name: 'Histogram of Body Mass (g)' });
  await histogram.waitFor({ timeout: 60_000 });
  expect(await histogram.locator('rect').count()).toBe(20);
  const association = page.getByRole('meter', { name: 'Association of Flipper Length (mm) with Species' });
  const eta = Number(await association.getAttribute('value'));
  expect(eta).toBeGreaterThan(0.8);
  expect(eta).toBeLessThanOrEqual(1);
  // The target leads the table.
  const firstRow = page.getByRole('table', { name: 'Column summary' }).locator('tbody tr').first();
  expect(await firstRow.locator('th').textContent()).toContain('Species');
  await page.getByRole('list', { name: 'Top categories of Island' }).getByText('Biscoe').waitFor();

  // Validation: suggest, tighten Body Mass's maximum below the heaviest penguin (6300 g), save, validate.
  await page.getByRole('button', { name: 'Suggest expectations from this version' }).click();
  await page.getByText(/^Suggested \d+ expectations from/).waitFor();
  const max = page.getByLabel('Maximum of Body Mass (g)');
  expect(Number(await max.inputValue())).toBeGreaterThan(6300);
  await max.fill('6000');
  await max.press('Tab');
  await page.getByRole('button', { name: 'Save suite' }).click();
  await page.getByText(/^Saved the suite with \d+ expectations\.$/).waitFor();

  await page.getByRole('button', { name: 'Validate this version' }).click();
  const verdict = page.getByRole('status', { name: 'Validation result' });
  await verdict.waitFor();
  const verdictText = (await verdict.textContent()) ?? '';
  expect(verdictText).toContain('Failed');
  const [, passed, total] = /(\d+) of (\d+) expectations passed/.exec(verdictText) ?? [];
  expect(Number(total)).toBeGreaterThan(10);
  expect(Number(passed)).toBe(Number(total) - 1);

  const table = page.getByRole('table', { name: 'Expectations' });
  const massRow = table.getByRole('row', { name: 'range of Body Mass (g)' });
  expect(await massRow.locator('.badge').textContent()).toBe('fail');
  const failing = Number(/(\d+) failing rows?/.exec((await massRow.textContent()) ?? '')?.[1]);
  expect(failing).toBeGreaterThan(0);
  expect(await table.locator('.badge', { hasText: /^fail$/ }).count()).toBe(1);
  expect(await table.locator('.badge', { hasText: /^pass$/ }).count()).toBe(Number(total) - 1);

  // The suite is stored with the project.
  await page.reload();
  await goToStage(page, 'Data');
  await page.getByLabel('Maximum of Body Mass (g)').waitFor();
  expect(await page.getByLabel('Maximum of Body Mass (g)').inputValue()).toBe('6000');
  await page.getByText('Suite saved').waitFor();
  expect(errors).toEqual([]);
  await context.close();
});
