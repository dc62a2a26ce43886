// The registry as deployments: two versions, champion moved with a reason, rolled back, and the audit log that
// explains each step still there after a reload.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import type { Run } from '../../src/core/shared/types';
import { goToStage, launch, openApp, readStore, trainAndWait } from './browser';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

const finishedRuns = async (page: Page) => (await readStore<Run>(page, 'runs')).filter((r) => r.status === 'finished').length;

/** The audit log's rows as the user reads them, without the time column. */
async function auditRows(page: Page): Promise<string[][]> {
  const rows = page.getByRole('table', { name: 'Audit log' }).locator('tbody tr');
  return (await rows.evaluateAll((trs) => trs.map((tr) => Array.from(tr.querySelectorAll('td'), (td) => td.textContent?.trim() ?? '')))).map((cells) => cells.slice(1));
}

test('registry: register two versions, move champion with a reason, roll back, and read the audit log after a reload', async () => {
  const { context, page, errors } = await openApp(browser, inject('baseUrl'));
  await page.getByRole('heading', { name: 'Penguin species' }).waitFor();

  await goToStage(page, 'Train');
  await page.getByLabel('Backend', { exact: true }).selectOption('cpu');
  // Enough epochs to pass the project's bar, twice with the same settings: the second is no worse, so the gate in
  // front of champion lets both through (gates.test.ts covers a refusal).
  await page.getByLabel('Epochs').fill('40');
  await trainAndWait(page);
  await trainAndWait(page);
  await expect.poll(() => finishedRuns(page), { timeout: 180_000 }).toBe(2);

  await goToStage(page, 'Deliver');
  const champion = page.getByRole('checkbox', { name: 'Make it the champion' });
  expect(await champion.isChecked()).toBe(false);
  const runs = page.getByRole('combobox', { name: 'Run', exact: true });
  await runs.selectOption({ index: 0 });
  await champion.check();
  await page.getByRole('button', { name: 'Register model' }).click();
  await page.getByText('Registered penguin-species version 1 as champion.').waitFor();
  await runs.selectOption({ index: 1 });
  await page.getByRole('button', { name: 'Register model' }).click();
  await page.getByText('Registered penguin-species version 2.').waitFor();

  // A move without a reason is refused; with one, champion goes to version 2.
  await page.getByRole('combobox', { name: 'Version' }).selectOption({ label: 'penguin-species version 2' });
  await page.getByLabel('Alias', { exact: true }).fill('champion');
  await page.getByRole('button', { name: 'Move alias' }).click();
  await page.getByRole('alert').filter({ hasText: 'say why the alias moves' }).waitFor();
  await page.getByLabel('Reason for the move').fill('higher accuracy on the test split');
  await page.getByRole('button', { name: 'Move alias' }).click();
  await page.getByText('champion now points at penguin-species version 2.').waitFor();

  // An alias that was only ever set has nowhere to roll back to: the core's reason is shown, nothing moves.
  await page.getByRole('combobox', { name: 'Version' }).selectOption({ label: 'penguin-species version 1' });
  await page.getByLabel('Alias', { exact: true }).fill('staging');
  await page.getByLabel('Reason for the move').fill('smoke tests');
  await page.getByRole('button', { name: 'Move alias' }).click();
  await page.getByText('staging now points at penguin-species version 1.').waitFor();
  await page.getByLabel('Reason for the rollback').fill('undo');
  await page.getByRole('button', { name: 'Roll back staging' }).click();
  await page.getByRole('alert').filter({ hasText: '"staging" pointed at no version before it was set to version 1' }).waitFor();

  await page.getByLabel('Reason for the rollback').fill('version 2 mislabels Chinstrap');
  await page.getByRole('button', { name: 'Roll back champion' }).click();
  await page.getByText('Rolled champion back to penguin-species version 1.').waitFor();

  const expected = [
    ['penguin-species', 'Rolled back', 'champion', 'version 2', 'version 1', 'version 2 mislabels Chinstrap'],
    ['penguin-species', 'Alias moved', 'staging', '—', 'version 1', 'smoke tests'],
    ['penguin-species', 'Alias moved', 'champion', 'version 1', 'version 2', 'higher accuracy on the test split'],
    ['penguin-species', 'Gate passed', '—', '—', 'version 2', expect.stringMatching(/^blessed on rows /)],
    ['penguin-species', 'Registered', '—', '—', 'version 2', '—'],
    ['penguin-species', 'Alias moved', 'champion', '—', 'version 1', 'made champion when registered'],
    ['penguin-species', 'Gate passed', '—', '—', 'version 1', expect.stringMatching(/^blessed on rows /)],
    ['penguin-species', 'Registered', '—', '—', 'version 1', '—'],
  ];
  expect(await auditRows(page)).toEqual(expected);

  await page.reload();
  await goToStage(page, 'Deliver');
  await page.getByRole('table', { name: 'Audit log' }).waitFor();
  expect(await auditRows(page)).toEqual(expected);
  const v1 = page.getByRole('table', { name: 'Model versions' }).getByRole('row').filter({ has: page.getByRole('cell', { name: '1', exact: true }) });
  expect(await v1.locator('.badge').allTextContents()).toEqual(['champion', 'staging']);
  expect(errors).toEqual([]);
  await context.close();
});
