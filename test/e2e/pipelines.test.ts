// Deliver as CI/CD: a pipeline trains, tests and gates a candidate, and moves champion only on evidence. A worse
// candidate fails its change gate with the metric and both numbers and moves nothing; a model that breaks an
// invariance test fails with the offending rows; a new data version in the lineage starts the pipeline on its own;
// rollback restores the previous champion; the audit log keeps every step across a reload.
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

const RUN_TIMEOUT = 240_000;

/** The pipeline definition as JSON in the editor, changed by `edit`. */
async function editJson(page: Page, edit: (d: Record<string, any>) => void): Promise<void> {
  const box = page.getByRole('form', { name: 'Pipeline editor' }).getByLabel('Pipeline JSON');
  const d = JSON.parse(await box.inputValue());
  edit(d);
  await box.fill(JSON.stringify(d, null, 2));
}

async function save(page: Page): Promise<void> {
  await page.getByRole('form', { name: 'Pipeline editor' }).getByRole('button', { name: 'Save pipeline' }).click();
  await page.getByRole('form', { name: 'Pipeline editor' }).waitFor({ state: 'detached' });
}

/** Starts the pipeline and waits until run #n has ended; returns its status word. */
async function runAndWait(page: Page, name: string, n: number): Promise<string> {
  await page.getByRole('button', { name: `Run ${name}`, exact: true }).click();
  return waitForRun(page, name, n);
}

async function waitForRun(page: Page, name: string, n: number): Promise<string> {
  const row = page.getByRole('table', { name: 'Pipeline runs' }).getByRole('row').filter({ hasText: `#${n}` }).filter({ hasText: name });
  await row.filter({ hasText: /passed|failed|cancelled/ }).waitFor({ timeout: RUN_TIMEOUT });
  const text = (await row.textContent()) ?? '';
  return /passed/.test(text) ? 'passed' : /failed/.test(text) ? 'failed' : 'cancelled';
}

const championOf = (page: Page) =>
  page.getByRole('table', { name: 'Model versions' }).getByRole('row').filter({ has: page.locator('.badge', { hasText: 'champion' }) }).locator('td').first();

async function auditEvents(page: Page): Promise<string[][]> {
  const rows = page.getByRole('table', { name: 'Audit log' }).locator('tbody tr');
  return rows.evaluateAll((trs) => trs.map((tr) => [2, 3, 5].map((i) => tr.querySelectorAll('td')[i]?.textContent?.trim() ?? '')));
}

test('pipelines: gate on evidence, behaviour tests, continuous training, rollback and an audit log that survives a reload', async () => {
  const { context, page, errors } = await openApp(browser, inject('baseUrl'));
  await page.getByRole('heading', { name: 'Penguin species' }).waitFor();

  // The Train form's settings are what a new pipeline trains.
  await goToStage(page, 'Train');
  await page.getByLabel('Backend', { exact: true }).selectOption('cpu');
  await page.getByLabel('Learning rate').fill('0.01');
  await page.getByLabel('Epochs').fill('40');

  await goToStage(page, 'Deliver');
  await page.getByRole('button', { name: 'New pipeline' }).click();
  const editor = page.getByRole('form', { name: 'Pipeline editor' });
  await editor.getByLabel('Pipeline name').fill('retrain penguins');
  // Stochastic training on a new version can cost a point of accuracy: allow that much, no more.
  await editJson(page, (d) => {
    d.tests = d.tests.map((t: any) => (t.kind === 'change' ? { ...t, absolute: -0.03 } : t));
  });
  await save(page);

  // Run #1: nothing to compare with; every gate that can be judged passes and champion moves to version 1.
  expect(await runAndWait(page, 'retrain penguins', 1)).toBe('passed');
  const view = page.getByRole('region', { name: 'Run #1 of retrain penguins' });
  const stages = view.getByRole('list', { name: 'Stages' }).getByRole('listitem');
  expect(await stages.count()).toBe(7);
  await stages.filter({ hasText: 'behaviour' }).filter({ hasText: 'skipped' }).waitFor();
  await stages.filter({ hasText: 'parity' }).filter({ hasText: 'passed' }).waitFor();
  await expect.poll(() => championOf(page).textContent()).toBe('1');

  // Run #2, a barely trained model (one epoch; a learning rate too small to learn would already fail the smoke test):
  // the change gate fails on accuracy with both numbers, and champion stays.
  await page.getByRole('button', { name: 'Edit retrain penguins' }).click();
  await editor.getByLabel('Epochs').fill('1');
  await save(page);
  expect(await runAndWait(page, 'retrain penguins', 2)).toBe('failed');
  const failed2 = page.getByRole('region', { name: 'Run #2 of retrain penguins' });
  const failure = failed2.getByRole('alert').filter({ hasText: 'Failed at stage' });
  await failure.waitFor();
  expect(await failure.textContent()).toMatch(/gates.*change threshold on accuracy: candidate 0\.\d{4} vs baseline [01]\.\d{4}/);
  const evidence = failed2.getByRole('table', { name: 'Gate evidence' });
  const changeRow = evidence.getByRole('row').filter({ hasText: /change/ }).filter({ hasText: 'accuracy' });
  await changeRow.filter({ hasText: 'failed' }).waitFor();
  expect(await championOf(page).textContent()).toBe('1');

  // Run #3: a good model that breaks an invariance test (body mass must not matter, which it does).
  await page.getByRole('button', { name: 'Edit retrain penguins' }).click();
  await editor.getByLabel('Epochs').fill('40');
  await editJson(page, (d) => {
    d.tests.push({ kind: 'invariance', name: 'body mass does not matter', column: 'Body Mass (g)', replacements: [2500, 6500], tolerance: 0.01, maxRows: 40 });
  });
  await save(page);
  expect(await runAndWait(page, 'retrain penguins', 3)).toBe('failed');
  const failed3 = page.getByRole('region', { name: 'Run #3 of retrain penguins' });
  expect(await failed3.getByRole('alert').filter({ hasText: 'Failed at stage' }).textContent()).toMatch(/behaviour.*invariance "body mass does not matter" failed on \d+ of \d+/);
  const offending = failed3.getByRole('table', { name: 'Offending rows of body mass does not matter' });
  expect(await offending.locator('tbody tr').count()).toBeGreaterThan(0);
  expect(await championOf(page).textContent()).toBe('1');

  // Drop the invariance test again; then a new version of the data (a recipe in the Data stage) starts run #4 alone.
  await page.getByRole('button', { name: 'Edit retrain penguins' }).click();
  await editJson(page, (d) => {
    d.tests = d.tests.filter((t: any) => t.kind !== 'invariance');
  });
  await save(page);
  await goToStage(page, 'Data');
  await page.getByLabel('Step kind').selectOption('impute');
  await page.getByRole('button', { name: 'Add step' }).click();
  await page.getByLabel('Step 1 column').selectOption('Sex');
  await page.getByLabel('Step 1 strategy').selectOption('most_frequent');
  await page.getByRole('button', { name: 'Apply recipe (new version)' }).click();
  await page.getByText(/^Made version ".+ \+ recipe"/).waitFor();
  await goToStage(page, 'Deliver');
  await page.getByRole('list', { name: 'Trigger decisions' }).getByText(/retrain penguins: new version .* started/).waitFor();
  const triggered = page.getByRole('table', { name: 'Pipeline runs' }).getByRole('row').filter({ hasText: '#4' });
  await triggered.getByText(/new version/).waitFor();
  expect(await waitForRun(page, 'retrain penguins', 4)).toBe('passed');
  await expect.poll(() => championOf(page).textContent()).toBe('4');

  // Rollback puts the previous champion back in one action.
  await page.getByLabel('Reason for the rollback').fill('the new data needs a closer look');
  await page.getByRole('button', { name: 'Roll back champion' }).click();
  await expect.poll(() => championOf(page).textContent()).toBe('1');

  const expected = [
    ['Rolled back', 'champion', 'version 1'],
    ['Alias moved', 'champion', 'version 4'],
    ['Gate passed', '—', 'version 4'],
    ['Registered', '—', 'version 4'],
    ['Registered', '—', 'version 3'],
    ['Gate failed', '—', 'version 2'],
    ['Registered', '—', 'version 2'],
    ['Alias moved', 'champion', 'version 1'],
    ['Gate passed', '—', 'version 1'],
    ['Registered', '—', 'version 1'],
  ];
  expect(await auditEvents(page)).toEqual(expected);
  await page.reload();
  await goToStage(page, 'Deliver');
  await page.getByRole('table', { name: 'Audit log' }).waitFor();
  expect(await auditEvents(page)).toEqual(expected);
  // The history and its evidence are stored too.
  expect(await page.getByRole('table', { name: 'Pipeline runs' }).locator('tbody tr').count()).toBe(4);
  expect(errors).toEqual([]);
  await context.close();
});
