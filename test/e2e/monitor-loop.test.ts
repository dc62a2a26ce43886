// Closing the loop: traffic served by a champion a pipeline promoted becomes a dataset version of production traffic
// (labels as the target), which joins the champion's lineage and starts the pipeline on its own; the Monitor screen
// tells where the champion came from.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import type { DatasetVersion } from '../../src/core/shared/types';
import { goToStage, launch, openApp, readStore } from './browser';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

test('monitor: production traffic becomes a dataset version and starts the retraining pipeline', async () => {
  const { context, page, errors } = await openApp(browser, inject('baseUrl'));
  await page.getByRole('heading', { name: 'Penguin species' }).waitFor();
  await goToStage(page, 'Train');
  await page.getByLabel('Backend', { exact: true }).selectOption('cpu');
  await page.getByLabel('Epochs').fill('30');

  // A pipeline makes the champion.
  await goToStage(page, 'Deliver');
  await page.getByRole('button', { name: 'New pipeline' }).click();
  const editor = page.getByRole('form', { name: 'Pipeline editor' });
  await editor.getByLabel('Pipeline name').fill('retrain');
  const box = editor.getByLabel('Pipeline JSON');
  const d = JSON.parse(await box.inputValue());
  // Production data is another sample of the same penguins: allow a small drop, no more.
  d.tests = [{ kind: 'value', metric: 'accuracy', lower: 0.8 }, { kind: 'change', metric: 'accuracy', absolute: -0.1 }];
  await box.fill(JSON.stringify(d, null, 2));
  await editor.getByRole('button', { name: 'Save pipeline' }).click();
  await editor.waitFor({ state: 'detached' });
  await page.getByRole('button', { name: 'Run retrain', exact: true }).click();
  const runs = page.getByRole('table', { name: 'Pipeline runs' });
  await runs.getByRole('row').filter({ hasText: '#1' }).getByText('passed').waitFor({ timeout: 180_000 });

  // Traffic with labels that arrive an hour later (virtual time).
  await goToStage(page, 'Monitor');
  await page.getByRole('radio', { name: /Control: nothing changes/ }).check();
  await page.getByRole('button', { name: 'Play traffic' }).click();
  await page.getByRole('status', { name: 'Replay result' }).waitFor({ timeout: 180_000 });

  await page.getByRole('button', { name: 'Make a dataset version from the whole log' }).click();
  const outcome = page.getByRole('status', { name: 'Loop outcome' });
  await outcome.waitFor({ timeout: 120_000 });
  await page.getByRole('list', { name: 'Pipeline decisions' }).getByText(/retrain/).waitFor();
  const versions = await readStore<DatasetVersion>(page, 'datasets');
  const production = versions.find((v) => v.source.kind === 'production');
  expect(production).toBeDefined();
  expect(production!.parents).toHaveLength(1);
  expect(versions.some((v) => v.id === production!.parents[0])).toBe(true);

  // The new version started the pipeline by itself.
  await goToStage(page, 'Deliver');
  const triggered = runs.getByRole('row').filter({ hasText: '#2' });
  await triggered.getByText(/new version/).waitFor({ timeout: 60_000 });
  await triggered.getByText(/passed|failed/).waitFor({ timeout: 180_000 });

  await goToStage(page, 'Monitor');
  const history = page.getByRole('table', { name: 'Champion history' });
  await history.waitFor();
  expect(await history.locator('tbody tr').count()).toBeGreaterThan(0);
  expect(errors).toEqual([]);
  await context.close();
});
