// Versions and lineage through the UI: the built-in samples, comparing two versions, naming and
// tagging one, deleting (refused while a run uses the version), and the lineage picture.
import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import { goToStage, launch, openApp, trainAndWait } from './browser';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

type Penguin = Record<string, string | number | null>;

/** penguins.json as a CSV without the Island column: a second version of the same data. */
function penguinsWithoutIsland(): string {
  const penguins = JSON.parse(readFileSync('node_modules/vega-datasets/data/penguins.json', 'utf8')) as Penguin[];
  const columns = Object.keys(penguins[0]).filter((c) => c !== 'Island');
  const cell = (v: string | number | null | undefined) => (v === null || v === undefined ? '' : String(v));
  return [columns.join(','), ...penguins.map((p) => columns.map((c) => cell(p[c])).join(','))].join('\n');
}

function versionSelect(page: Page) {
  return page.getByRole('combobox', { name: 'Dataset version' });
}

function splitFacts(page: Page) {
  return page.getByText(/^(by time \(date\)|random, seed 42|stratified, seed 42): \d+ train/);
}

test('samples, compare, rename and tag, delete refused and allowed, lineage', async () => {
  const { context, page, errors } = await openApp(browser, inject('baseUrl'));
  await page.getByRole('heading', { name: 'Penguin species' }).waitFor();

  // Cars: a regression sample made from JSON records on first open.
  await page.getByRole('button', { name: 'Open sample: Cars (regression)' }).click();
  await page.getByRole('heading', { name: 'Dataset versions' }).waitFor();
  expect(await page.getByRole('combobox', { name: 'Project', exact: true }).locator('option:checked').textContent()).toBe('Car fuel economy');
  expect(await versionSelect(page).locator('option').first().textContent()).toContain('406 rows');
  expect(await splitFacts(page).textContent()).toMatch(/^random, seed 42: \d+ train/);

  // Seattle weather: a CSV through the parser worker, split by time on its date column.
  await goToStage(page, 'Define');
  await page.getByRole('button', { name: 'Open sample: Seattle weather (classification)' }).click();
  await versionSelect(page).locator('option', { hasText: '1461 rows' }).waitFor({ state: 'attached' });
  const split = /^by time \(date\): (\d+) train, (\d+) validation,\s+(\d+) test/.exec((await splitFacts(page).textContent()) ?? '');
  expect(split).not.toBeNull();
  const [train, validation, testRows] = split!.slice(1).map(Number);
  expect(train + validation + testRows).toBe(1461);
  expect(train).toBeGreaterThan(1000);

  // The same file and choices made by hand in the import form give the very same version.
  const sampleId = await versionSelect(page).inputValue();
  await page.getByLabel('Import data file').setInputFiles({
    name: 'seattle-weather.csv',
    mimeType: 'text/csv',
    buffer: readFileSync('node_modules/vega-datasets/data/seattle-weather.csv'),
  });
  await page.getByLabel('Role of date').selectOption('ignore');
  await page.getByLabel('Split method').selectOption('time');
  expect(await page.getByLabel('Date column').inputValue()).toBe('date');
  await page.getByRole('button', { name: 'Save dataset version' }).click();
  await page.getByText(`An identical version already exists (${sampleId.slice(0, 12)}); it is selected.`).waitFor();

  // Opening a sample again opens the same project; nothing is duplicated.
  await goToStage(page, 'Define');
  await page.getByRole('button', { name: 'Open sample: Cars (regression)' }).click();
  await page.getByRole('heading', { name: 'Dataset versions' }).waitFor();
  const projects = await page.getByRole('combobox', { name: 'Project', exact: true }).locator('option').allTextContents();
  expect(projects.filter((p) => p === 'Car fuel economy')).toHaveLength(1);
  expect(await versionSelect(page).locator('option').count()).toBe(1);

  // A second version of penguins, without the Island column.
  await page.getByRole('combobox', { name: 'Project', exact: true }).selectOption({ label: 'Penguin species' });
  await goToStage(page, 'Data');
  await page.getByLabel('Import data file').setInputFiles({
    name: 'penguins-no-island.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(penguinsWithoutIsland()),
  });
  await page.getByRole('button', { name: 'Save dataset version' }).click();
  await page.getByText(/^Saved version [0-9a-f]{12} with 344 rows\.$/).waitFor();
  expect(await versionSelect(page).locator('option').count()).toBe(2);

  // Compare: by default the older version against the newer one.
  const schemaChanges = page.getByRole('list', { name: 'Schema changes' });
  await schemaChanges.waitFor();
  expect((await schemaChanges.getByRole('listitem').allTextContents()).map((t) => t.replace(/\s+/g, ' ').trim())).toEqual([
    'removed Island (category, feature)',
  ]);
  const stats = page.getByRole('table', { name: 'Column statistic changes' });
  await stats.getByRole('rowheader', { name: 'Species' }).waitFor();
  expect(await stats.getByRole('rowheader', { name: 'Island' }).count()).toBe(0);

  // Name and tag the new version (selected after saving); its id stays the same.
  const newId = await versionSelect(page).inputValue();
  await page.getByLabel('Name of this version').fill('penguins without island');
  await page.getByRole('button', { name: 'Rename' }).click();
  await page.getByText(`Renamed the version to "penguins without island"; its id stays ${newId.slice(0, 12)}.`).waitFor();
  await page.getByLabel('New tag').fill('no-island');
  await page.getByRole('button', { name: 'Add tag' }).click();
  await page.getByRole('list', { name: 'Tags of this version' }).getByText('no-island').waitFor();
  expect(await versionSelect(page).inputValue()).toBe(newId);
  expect(await versionSelect(page).locator('option:checked').textContent()).toBe(
    `penguins without island · 344 rows · ${newId.slice(0, 12)} · no-island`,
  );

  // A quick run on the original version.
  await versionSelect(page).selectOption({ index: 1 });
  const usedId = await versionSelect(page).inputValue();
  expect(usedId).not.toBe(newId);
  await goToStage(page, 'Train');
  await page.getByLabel('Backend', { exact: true }).selectOption('wasm');
  await page.getByLabel('Epochs').fill('3');
  await trainAndWait(page);
  expect(await page.getByRole('heading', { name: /^Last run: / }).textContent()).toBe('Last run: finished');

  // The lineage shows both versions and the run trained on the original.
  await goToStage(page, 'Data');
  await page.getByRole('img', { name: 'Lineage: 2 dataset versions (2 imported, 0 derived) and 1 run trained on them.' }).waitFor();
  const words = page.getByRole('list', { name: 'Lineage in words' });
  const runLine = (await words.getByText(/^Run "run .+": trained on "penguins"\.$/).textContent()) ?? '';
  const runName = /^Run "(.+)": trained/.exec(runLine)?.[1];
  expect(runName).toBeTruthy();
  await words.getByText(`Version "penguins" (${usedId.slice(0, 12)}): imported; used by "${runName}".`).waitFor();
  await words.getByText(`Version "penguins without island" (${newId.slice(0, 12)}): imported; used by no run.`).waitFor();

  // Deleting the version the run used is refused, with the reason.
  expect(await versionSelect(page).inputValue()).toBe(usedId);
  await page.getByRole('button', { name: 'Delete version' }).click();
  await page.getByRole('alert').filter({ hasText: `Version "penguins" is used by 1 run: "${runName}"; delete them first or keep the version.` }).waitFor();
  expect(await versionSelect(page).locator('option').count()).toBe(2);

  // The unused one can go, after a confirmation.
  await versionSelect(page).selectOption(newId);
  await page.getByRole('button', { name: 'Delete version' }).click();
  await page.getByRole('button', { name: 'Delete permanently' }).click();
  await page.getByText(`Deleted version "penguins without island" (${newId.slice(0, 12)}) and its stored data.`).waitFor();
  expect(await versionSelect(page).locator('option').count()).toBe(1);
  expect(await versionSelect(page).inputValue()).toBe(usedId);
  await page.getByRole('img', { name: 'Lineage: 1 dataset version (1 imported, 0 derived) and 1 run trained on them.' }).waitFor();

  // All of it is stored: after a reload the deletion and the lineage are still there.
  await page.reload();
  await page.getByRole('combobox', { name: 'Project', exact: true }).selectOption({ label: 'Penguin species' });
  await goToStage(page, 'Data');
  expect(await versionSelect(page).locator('option').count()).toBe(1);
  await page.getByRole('list', { name: 'Lineage in words' }).getByText(`Run "${runName}": trained on "penguins".`).waitFor();
  expect(errors).toEqual([]);
  await context.close();
});
