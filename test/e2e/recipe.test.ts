// Recipes through the UI: build one on the penguins sample (fill, one-hot, filter), see its preview, apply it to make
// a derived version, see the lineage, and train on the new version.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import { goToStage, launch, openApp, trainAndWait } from './browser';
import { addPenguinRecipe } from './penguin-recipe';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

test('build, preview and apply a recipe, then train on the derived version', async () => {
  const { context, page, errors } = await openApp(browser, inject('baseUrl'));
  await page.getByRole('heading', { name: 'Penguin species' }).waitFor();
  await goToStage(page, 'Data');
  const versionSelect = page.getByRole('combobox', { name: 'Dataset version' });
  await versionSelect.waitFor();
  const parentId = await versionSelect.inputValue();
  const parentName = ((await versionSelect.locator('option:checked').textContent()) ?? '').split(' · ')[0];
  await page.getByRole('heading', { name: 'Recipe', exact: true }).waitFor();
  await page.getByText('No steps yet.').waitFor();

  await addPenguinRecipe(page);

  // A problem shows next to its step: a rename onto an existing name, then the step is removed.
  await page.getByLabel('Step kind').selectOption('rename');
  await page.getByRole('button', { name: 'Add step' }).click();
  await page.getByLabel('Step 4 new name').fill('Sex');
  await page.getByLabel('Step 4 new name').press('Tab');
  await page.getByRole('alert').filter({ hasText: /^Step 4 \(to\): a column named "Sex" already exists$/ }).waitFor();
  expect(await page.getByRole('button', { name: 'Apply recipe (new version)' }).isDisabled()).toBe(true);
  await page.getByRole('button', { name: 'Remove Step 4' }).click();

  // The answers to a many-valued category are offered with labelled inputs, checked like any other step.
  await page.getByLabel('Step kind').selectOption({ label: 'Hash into buckets' });
  await page.getByRole('button', { name: 'Add step' }).click();
  await page.getByLabel('Step 4 buckets').fill('1');
  await page.getByLabel('Step 4 buckets').press('Tab');
  await page.getByRole('alert').filter({ hasText: /^Step 4 \(buckets\): the number of buckets must be a whole number from 2 to 1000$/ }).waitFor();
  await page.getByRole('button', { name: 'Remove Step 4' }).click();
  await page.getByLabel('Step kind').selectOption({ label: 'Keep the top k values' });
  await page.getByRole('button', { name: 'Add step' }).click();
  expect(await page.getByLabel('Step 4 column').inputValue()).toBe('Sex');
  await page.getByLabel('Step 4 k').fill('1');
  await page.getByLabel('Step 4 k').press('Tab');
  await page.getByRole('table', { name: 'Recipe step counts' }).getByRole('row', { name: /^4\. Keep the top k values/ }).waitFor();
  await page.getByRole('button', { name: 'Remove Step 4' }).click();

  // The preview: rows before and after, per-step counts, the one-hot columns.
  const rowsStatus = page.getByRole('status', { name: 'Recipe preview rows' });
  await rowsStatus.filter({ hasText: /^Rows: 344 before → \d+ after/ }).waitFor();
  const after = Number(/→ (\d+) after/.exec((await rowsStatus.textContent()) ?? '')?.[1]);
  expect(after).toBeLessThan(344);
  expect(after).toBeGreaterThan(300);
  const counts = page.getByRole('table', { name: 'Recipe step counts' });
  const cells = async (name: RegExp) => counts.getByRole('row', { name }).getByRole('cell').allTextContents();
  // Rows before, after, filtered, imputed, clipped, unseen, unparseable, added, removed.
  const impute = await cells(/^1\. Fill missing values/);
  expect(Number(impute[3])).toBeGreaterThan(0);
  const onehot = await cells(/^2\. One-hot encode/);
  expect(onehot[7]).toContain('Island=Biscoe');
  expect(onehot[8]).toBe('Island');
  const filter = await cells(/^3\. Filter rows/);
  expect(Number(filter[2])).toBe(344 - after);
  await page.getByRole('table', { name: 'Recipe preview first rows' }).getByRole('columnheader', { name: 'Island=Dream' }).waitFor();
  // The recipe is plain JSON, shown as it will be stored.
  await page.getByText('Recipe JSON', { exact: true }).click();
  const json = JSON.parse(await page.getByLabel('Recipe JSON', { exact: true }).inputValue()) as { steps: { kind: string }[] };
  expect(json.steps.map((s) => s.kind)).toEqual(['impute', 'onehot', 'filter']);

  // Apply: a new version, selected, with the parent in the lineage.
  await page.getByRole('button', { name: 'Apply recipe (new version)' }).click();
  await page.getByText(new RegExp(`^Made version "${parentName} \\+ recipe" \\([0-9a-f]{12}\\) with ${after} rows`)).waitFor();
  const childId = await versionSelect.inputValue();
  expect(childId).not.toBe(parentId);
  expect(await versionSelect.locator('option:checked').textContent()).toContain(`${after} rows`);
  await page.getByRole('img', { name: /^Lineage: 2 dataset versions \(1 imported, 1 derived\)/ }).waitFor();
  await page
    .getByRole('list', { name: 'Lineage in words' })
    .getByText(`Version "${parentName} + recipe" (${childId.slice(0, 12)}): derived from "${parentName}"; used by no run.`)
    .waitFor();
  await page.getByText('No steps yet.').waitFor();

  // Train on it.
  await goToStage(page, 'Train');
  expect(await page.getByRole('combobox', { name: 'Dataset version' }).inputValue()).toBe(childId);
  await page.getByLabel('Backend', { exact: true }).selectOption('wasm');
  await page.getByLabel('Epochs').fill('3');
  await trainAndWait(page);
  expect(await page.getByRole('heading', { name: /^Last run: / }).textContent()).toBe('Last run: finished');

  expect(errors).toEqual([]);
  await context.close();
}, 300_000);
