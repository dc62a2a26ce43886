// A small grid sweep on penguins through the Train screen: four runs finish, the run marked best is the one with the
// highest stored goal metric, and a cancelled sweep stops its current run and never starts the rest.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import type { Run } from '../../src/core/types';
import { goToStage, launch, openApp, readStore, shownParameterCount } from './browser';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

test('penguins: a 2x2 grid sweep finishes with the best run marked; a cancelled sweep skips the rest', async () => {
  const { context, page, errors } = await openApp(browser, inject('baseUrl'));
  await goToStage(page, 'Train');
  await shownParameterCount(page);
  await page.getByRole('combobox', { name: 'Backend', exact: true }).selectOption('cpu');

  await page.getByRole('button', { name: 'Set up a sweep' }).click();
  await page.getByRole('checkbox', { name: 'Vary Learning rate' }).check();
  await page.getByLabel('Learning rate values').fill('0.003, 0.05');
  await page.getByRole('checkbox', { name: 'Vary Epochs' }).check();
  await page.getByLabel('Epochs values').fill('2, 6');
  await page.getByTestId('sweep-preview').filter({ hasText: 'This sweep queues 4 runs.' }).waitFor();

  // A value the validators refuse is reported before anything starts, and Start sweep waits.
  await page.getByLabel('Epochs values').fill('2, 0');
  await page.getByRole('alert', { name: 'Sweep problems' }).filter({ hasText: 'run 2 (hyper.learningRate=0.003, hyper.epochs=0): epochs must be an integer' }).waitFor();
  expect(await page.getByRole('button', { name: 'Start sweep' }).isDisabled()).toBe(true);
  await page.getByLabel('Epochs values').fill('2, 6');

  await page.getByRole('button', { name: 'Start sweep' }).click();
  await page.getByTestId('sweep-progress').waitFor();
  await page.getByTestId('sweep-outcome').filter({ hasText: 'Sweep finished: 4 of 4 runs trained.' }).waitFor({ timeout: 200_000 });

  const project = (await readStore<{ id: string; goal: { metric: string } }>(page, 'projects')).find((p) => p.id.includes('penguin'));
  const goal = project?.goal.metric ?? 'accuracy';
  const swept = (await readStore<Run>(page, 'runs')).filter((r) => r.tags.sweep);
  expect(swept).toHaveLength(4);
  expect(new Set(swept.map((r) => r.tags.sweep)).size).toBe(1);
  expect(swept.every((r) => r.status === 'finished')).toBe(true);
  const combos = swept.map((r) => `${r.params.hyper.learningRate}x${r.params.hyper.epochs}`).sort();
  expect(combos).toEqual(['0.003x2', '0.003x6', '0.05x2', '0.05x6']);
  const top = Math.max(...swept.map((r) => r.metrics[goal]));

  const results = page.getByRole('table', { name: 'Sweep results' });
  expect(await results.locator('tbody tr').count()).toBe(4);
  const bestRows = results.locator('tbody tr').filter({ has: page.getByText('best', { exact: true }) });
  expect(await bestRows.count()).toBe(1);
  const bestId = await bestRows.getAttribute('data-run-id');
  expect(swept.find((r) => r.id === bestId)?.metrics[goal]).toBe(top);
  expect(await bestRows.getAttribute('aria-current')).toBe('true');

  // A second sweep with long runs, cancelled during its first run.
  await page.getByLabel('Epochs values').fill('2000, 3000');
  await page.getByTestId('sweep-preview').filter({ hasText: 'This sweep queues 4 runs.' }).waitFor();
  await page.getByRole('button', { name: 'Start sweep' }).click();
  await page.getByTestId('sweep-progress').filter({ hasText: /Run 1 of 4 · 0 done · epoch [1-9]\d* of 2000/ }).waitFor({ timeout: 60_000 });
  await page.getByRole('button', { name: 'Cancel sweep' }).click();
  await page.getByTestId('sweep-outcome').filter({ hasText: 'Sweep cancelled: 1 of 4 runs ran (the last one stopped); the other 3 were not started.' }).waitFor({ timeout: 60_000 });
  // Nothing else starts afterwards.
  await page.waitForTimeout(1500);
  const second = (await readStore<Run>(page, 'runs')).filter((r) => r.tags.sweep && r.tags.sweep !== swept[0].tags.sweep);
  expect(second).toHaveLength(1);
  expect(second[0].status).toBe('finished');
  expect(second[0].note).toMatch(/^Stopped by the user after \d+ of 2000 epochs/);
  expect(second[0].model).not.toBeNull();
  expect(await page.getByRole('table', { name: 'Sweep results' }).locator('tbody tr').count()).toBe(1);

  expect(errors).toEqual([]);
  await context.close();
});
