// A pipeline in approval mode: a run that passes its gates waits at promote until a person approves (the alias moves,
// the reason audited) or rejects it (nothing moves); a paused trigger says why it did not run; a second start queues
// behind the first and can be cancelled; a finished run can be re-run and a waiting one cancelled.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import { goToStage, launch, openApp } from './browser';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

const NAME = 'approve penguins';
const TIMEOUT = 240_000;

const row = (page: Page, n: number) =>
  page.getByRole('table', { name: 'Pipeline runs' }).getByRole('row').filter({ hasText: `#${n}` }).filter({ hasText: NAME });

const championOf = (page: Page) =>
  page.getByRole('table', { name: 'Model versions' }).getByRole('row').filter({ has: page.locator('.badge', { hasText: 'champion' }) }).locator('td').first();

test('pipelines: approval, rejection, a paused trigger, a queued run cancelled, a re-run', async () => {
  const { context, page, errors } = await openApp(browser, inject('baseUrl'));
  await page.getByRole('heading', { name: 'Penguin species' }).waitFor();
  await goToStage(page, 'Train');
  await page.getByLabel('Backend', { exact: true }).selectOption('cpu');
  await page.getByLabel('Learning rate').fill('0.01');
  await page.getByLabel('Epochs').fill('30');

  await goToStage(page, 'Deliver');
  await page.getByRole('button', { name: 'New pipeline' }).click();
  const editor = page.getByRole('form', { name: 'Pipeline editor' });
  await editor.getByLabel('Pipeline name').fill(NAME);
  await editor.getByRole('combobox', { name: 'Promotion' }).selectOption('approval');
  await editor.getByRole('button', { name: 'Save pipeline' }).click();
  await editor.waitFor({ state: 'detached' });
  await page.getByRole('button', { name: `Pause new-data trigger of ${NAME}` }).click();
  await page.getByRole('button', { name: `Resume new-data trigger of ${NAME}` }).waitFor();

  // Run #1 passes its gates and waits; approving with a reason moves champion.
  await page.getByRole('button', { name: `Run ${NAME}` }).click();
  await row(page, 1).getByText('waiting for approval').waitFor({ timeout: TIMEOUT });
  const approval = page.getByRole('region', { name: `Run #1 of ${NAME}` });
  await approval.getByRole('button', { name: 'Approve promotion' }).click();
  await approval.getByRole('alert').filter({ hasText: /reason/i }).waitFor();
  expect(await championOf(page).count()).toBe(0);
  await approval.getByLabel('Approval reason').fill('looked at the slices');
  await approval.getByRole('button', { name: 'Approve promotion' }).click();
  await row(page, 1).getByText('passed').waitFor();
  await expect.poll(() => championOf(page).textContent()).toBe('1');
  await page.getByRole('table', { name: 'Audit log' }).getByText('approved: looked at the slices').waitFor();

  // New data does not start a paused pipeline, and the decision says so.
  await goToStage(page, 'Data');
  await page.getByLabel('Step kind').selectOption('impute');
  await page.getByRole('button', { name: 'Add step' }).click();
  await page.getByLabel('Step 1 column').selectOption('Sex');
  await page.getByLabel('Step 1 strategy').selectOption('most_frequent');
  await page.getByRole('button', { name: 'Apply recipe (new version)' }).click();
  await page.getByText(/^Made version ".+ \+ recipe"/).waitFor();
  await goToStage(page, 'Deliver');
  await page.getByRole('list', { name: 'Trigger decisions' }).getByText(/the new-version trigger is paused/).waitFor();
  expect(await page.getByRole('table', { name: 'Pipeline runs' }).locator('tbody tr').count()).toBe(1);

  // Run #2 starts; a second start queues #3 behind it, which is cancelled before it starts.
  await page.getByRole('button', { name: `Run ${NAME}` }).click();
  await page.getByRole('button', { name: `Run ${NAME}` }).click();
  await page.getByRole('status').filter({ hasText: /Queued "approve penguins" #3/ }).waitFor();
  await page.getByRole('button', { name: `Cancel run #3 of ${NAME}` }).click();
  await row(page, 3).getByText('cancelled').waitFor();

  // #2 waits and is rejected: it fails at promote with the reason, and champion stays where it was.
  await row(page, 2).getByText('waiting for approval').waitFor({ timeout: TIMEOUT });
  await page.getByRole('button', { name: `Show run #2 of ${NAME}` }).click();
  const second = page.getByRole('region', { name: `Run #2 of ${NAME}` });
  await second.getByLabel('Approval reason').fill('no change is needed this week');
  await second.getByRole('button', { name: 'Reject promotion' }).click();
  await second.getByRole('alert').filter({ hasText: 'rejected: no change is needed this week' }).waitFor();
  expect(await championOf(page).textContent()).toBe('1');

  // Re-running #2 makes #4, which waits in turn and is cancelled there.
  await page.getByRole('button', { name: `Re-run #2 of ${NAME}` }).click();
  await row(page, 4).getByText(/re-run of #2/).waitFor();
  await row(page, 4).getByText('waiting for approval').waitFor({ timeout: TIMEOUT });
  await page.getByRole('button', { name: `Cancel run #4 of ${NAME}` }).click();
  await row(page, 4).getByText('cancelled').waitFor();
  expect(await championOf(page).textContent()).toBe('1');
  expect(errors).toEqual([]);
  await context.close();
});
