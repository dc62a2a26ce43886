// A firing alert starts the pipelines that retrain the model it watches, when their alert trigger is on; the trigger
// decision is noted with its reason; the production lesson shows both as evidence.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import { goToStage, launch, openApp } from './browser';
import { addScenarioRules, alertRows, penguinChampionOnMonitor, play } from './monitor-helpers';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

test('monitor: a firing drift alert starts the retraining pipeline of the champion', async () => {
  const { context, page, errors } = await openApp(browser, inject('baseUrl'));
  await penguinChampionOnMonitor(page);

  await goToStage(page, 'Deliver');
  await page.getByRole('button', { name: 'New pipeline' }).click();
  const editor = page.getByRole('form', { name: 'Pipeline editor' });
  await editor.getByLabel('Pipeline name').fill('retrain on alert');
  await editor.getByRole('combobox', { name: 'Alert trigger' }).selectOption('on');
  await editor.getByRole('combobox', { name: 'New data trigger' }).selectOption('off');
  await editor.getByRole('button', { name: 'Save pipeline' }).click();
  await editor.waitFor({ state: 'detached' });

  await goToStage(page, 'Monitor');
  await addScenarioRules(page, /Covariate shift/, 1);
  await play(page);
  expect((await alertRows(page)).some((r) => r[1] === 'firing')).toBe(true);

  await goToStage(page, 'Deliver');
  await page.getByRole('list', { name: 'Trigger decisions' }).getByText(/retrain on alert: alert .* started/).waitFor({ timeout: 60_000 });
  const run = page.getByRole('table', { name: 'Pipeline runs' }).getByRole('row').filter({ hasText: '#1' });
  await run.getByText(/^alert /).waitFor();
  await run.getByText(/passed|failed/).waitFor({ timeout: 180_000 });

  // The production lesson reads the same records: the alert that fired, and the run it started.
  await page.getByRole('button', { name: 'Lessons' }).click();
  await page.getByRole('button', { name: /^Watch it in production/ }).click();
  const steps = page.getByRole('list', { name: 'Steps of Watch it in production' });
  await steps.getByRole('listitem', { name: /^Step 3: Watch an alert fire, done$/ }).getByText(/^Evidence: ".+" fired: [\d.e-]+ against the threshold [\d.e-]+\.$/).waitFor();
  await steps.getByRole('listitem', { name: /^Step 4: Let an alert start retraining, done$/ }).getByText(/^Evidence: An alert started a run of "retrain on alert"; it is (passed|failed)\.$/).waitFor();
  expect(errors).toEqual([]);
  await context.close();
});
