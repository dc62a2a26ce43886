// The export bundle's standalone page, opened from disk with the network off, answers as the app does: the same
// prediction and probabilities for a typed row, the same warning words for an unseen category and a non-number, every
// row of a chosen or dropped CSV, and all of examples.json.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { unzipSync } from 'fflate';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import { expectNoNetwork, goToStage, launch, openApp, trainAndWait, watchPolicy } from './browser';
import { addPenguinRecipe } from './penguin-recipe';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

const ROW = {
  Island: 'Biscoe',
  'Beak Length (mm)': '47.5',
  'Beak Depth (mm)': '14.8',
  'Flipper Length (mm)': '217',
  'Body Mass (g)': '5200',
  Sex: 'MALE',
};
const ODD = { ...ROW, Island: 'Atlantis', 'Body Mass (g)': 'heavy' };

interface Shown {
  output: string;
  probabilities: [string, string][];
  warnings: string[];
}

/** Fills the one-row form (the app's Monitor form or the page's: both label every field with its column name). */
async function fillRow(page: Page, row: Record<string, string>): Promise<void> {
  const form = page.getByRole('form', { name: 'Prediction input' });
  for (const [name, value] of Object.entries(row)) await form.getByLabel(name, { exact: true }).fill(value);
  await form.getByRole('button', { name: 'Predict' }).click();
}

/** The answer as shown, read once `output` is there (the app's and the page's markup use the same names). */
async function shownAnswer(page: Page, warned: boolean): Promise<Shown> {
  const prediction = page.getByRole('status', { name: 'Prediction' });
  await prediction.locator('.output').waitFor();
  const rows = await prediction.getByRole('table', { name: 'Probabilities' }).getByRole('row').all();
  const probabilities: [string, string][] = [];
  for (const row of rows) {
    probabilities.push([(await row.getByRole('rowheader').textContent()) ?? '', (await row.locator('td.num').textContent()) ?? '']);
  }
  const alert = page.getByRole('alert', { name: 'Input warnings' });
  if (warned) await alert.waitFor();
  const warnings = warned ? await alert.getByRole('listitem').allTextContents() : [];
  if (!warned) expect(await alert.count()).toBe(0);
  return { output: (await prediction.locator('.output').textContent()) ?? '', probabilities, warnings };
}

function csvCell(value: unknown): string {
  const text = value === null || value === undefined ? '' : String(value);
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

test('the standalone page, opened from disk offline, answers rows and files as the app does', async () => {
  // The runtime is part of the build and precached, so exporting works offline too.
  expect(readFileSync(join(inject('distDir'), 'sw.js'), 'utf8')).toContain('"standalone-runtime.js"');

  const { context, page, errors } = await openApp(browser, inject('baseUrl'));
  await page.getByRole('heading', { name: 'Penguin species' }).waitFor();
  // Through a recipe: the page then asks for the imported columns and Island is free text, as in the app.
  await goToStage(page, 'Data');
  await page.getByText('No steps yet.').waitFor();
  await addPenguinRecipe(page);
  await page.getByRole('status', { name: 'Recipe preview rows' }).filter({ hasText: /→ \d+ after/ }).waitFor();
  await page.getByRole('button', { name: 'Apply recipe (new version)' }).click();
  await page.getByText(/^Made version ".+ \+ recipe"/).waitFor();
  await goToStage(page, 'Train');
  await page.getByLabel('Backend', { exact: true }).selectOption('cpu');
  await page.getByLabel('Epochs').fill('15');
  await trainAndWait(page);

  await goToStage(page, 'Deliver');
  await page.getByRole('checkbox', { name: 'Make it the champion' }).check();
  await page.getByRole('button', { name: 'Register model' }).click();
  await page.getByText('Registered penguin-species version 1 as champion.').waitFor();
  const downloadPromise = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export penguin-species version 1' }).click();
  const files = unzipSync(readFileSync(await (await downloadPromise).path()));
  const text = (name: string) => new TextDecoder().decode(files[name]);
  expect(text('README.md')).toContain('`standalone/index.html`');
  const examples = JSON.parse(text('examples.json')) as { input: Record<string, string | number | null>; output: string; probabilities: number[] }[];
  expect(examples.length).toBeGreaterThan(30);

  // What the app's own one-row form answers.
  await goToStage(page, 'Monitor');
  await page.getByRole('heading', { name: 'Live predictions' }).waitFor();
  await fillRow(page, ROW);
  const appPlain = await shownAnswer(page, false);
  expect(appPlain.probabilities.map(([label]) => label)).toEqual(['Adelie', 'Chinstrap', 'Gentoo']);
  await fillRow(page, ODD);
  await page.getByRole('alert', { name: 'Input warnings' }).getByText(/"Atlantis" never appeared in Island/).waitFor();
  const appOdd = await shownAnswer(page, true);
  expect(appOdd.warnings.some((w) => w.includes('"heavy" is not a number (Body Mass (g))'))).toBe(true);
  expect(errors).toEqual([]);
  await context.close();

  const dir = join(process.cwd(), '.tmp', `e2e-standalone-${process.pid}`);
  rmSync(dir, { recursive: true, force: true });
  for (const [name, bytes] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), bytes);
  }

  // A fresh browser profile with no network at all: only the folder on disk.
  const offline = await browser.newContext({ offline: true, acceptDownloads: true });
  const pageErrors: string[] = [];
  await watchPolicy(offline, pageErrors);
  const standalone = await offline.newPage();
  standalone.on('pageerror', (e) => pageErrors.push(e.message));
  standalone.on('console', (m) => {
    if (m.type() === 'error') pageErrors.push(m.text());
  });
  await standalone.goto(pathToFileURL(join(dir, 'standalone', 'index.html')).href);
  expect(await standalone.title()).toBe('penguin-species v1: predict offline');
  await standalone.getByRole('heading', { name: 'penguin-species v1', level: 1 }).waitFor();
  await standalone.getByRole('status').filter({ hasText: 'Ready: penguin-species v1 predicts Species' }).waitFor({ timeout: 60_000 });
  await expectNoNetwork(offline, inject('baseUrl'));
  // The raw columns of the import, as the app's form asks for them; Island suggests the islands seen in training.
  const form = standalone.getByRole('form', { name: 'Prediction input' });
  expect(await form.getByRole('textbox').count()).toBe(4);
  const island = form.getByRole('combobox', { name: 'Island', exact: true });
  const listId = await island.getAttribute('list');
  expect(await standalone.locator(`datalist[id="${listId}"] option`).evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value))).toEqual(['Biscoe', 'Dream', 'Torgersen']);

  await fillRow(standalone, ROW);
  expect(await shownAnswer(standalone, false)).toEqual(appPlain);
  await fillRow(standalone, ODD);
  await standalone.getByRole('alert', { name: 'Input warnings' }).getByText(/"Atlantis" never appeared/).waitFor();
  expect(await shownAnswer(standalone, true)).toEqual(appOdd);

  // An example row typed in: the exact probabilities the app's predictor gave it when the bundle was exported.
  const example = examples[0]!;
  await fillRow(standalone, Object.fromEntries(Object.entries(example.input).map(([k, v]) => [k, v === null ? '' : String(v)])));
  const exact = () =>
    standalone
      .getByRole('table', { name: 'Probabilities' })
      .locator('td[data-probability]')
      .evaluateAll((cells) => cells.map((c) => Number(c.getAttribute('data-probability'))));
  // Polled: the answer to the odd row is on screen until this one replaces it.
  await expect
    .poll(async () => (await exact()).map((p, i) => Math.abs(p - example.probabilities[i]!) < 1e-5), { timeout: 30_000 })
    .toEqual([true, true, true]);
  expect(await standalone.getByRole('status', { name: 'Prediction' }).locator('.output').textContent()).toBe(example.output);

  await standalone.getByRole('button', { name: 'Check examples' }).click();
  await standalone.getByRole('status', { name: 'Examples checked' }).filter({ hasText: `${examples.length} of ${examples.length} examples match.` }).waitFor();

  // A CSV file: ten example rows and the odd one, each answered with its line and warnings.
  const columns = Object.keys(ROW);
  const sample = examples.slice(0, 10);
  const csv = [columns.join(','), ...sample.map((e) => columns.map((c) => csvCell(e.input[c])).join(',')), columns.map((c) => csvCell(ODD[c as keyof typeof ODD])).join(',')].join('\n');
  await standalone.getByLabel('CSV file', { exact: true }).setInputFiles({ name: 'rows.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await standalone.getByRole('status').filter({ hasText: /^11 rows of rows\.csv answered/ }).waitFor();
  const answers = standalone.getByRole('table', { name: 'Answers' });
  const bodyRows = await answers.locator('tbody tr').all();
  expect(bodyRows).toHaveLength(11);
  for (let i = 0; i < sample.length; i++) {
    const cells = await bodyRows[i]!.getByRole('cell').allTextContents();
    expect(cells[0]).toBe(String(i + 2));
    expect(cells[1]).toBe(sample[i]!.output);
  }
  const oddCells = await bodyRows[10]!.getByRole('cell').allTextContents();
  expect(oddCells[0]).toBe('12');
  expect(oddCells[1]).toBe(appOdd.output);
  expect(oddCells.at(-1)).toBe(appOdd.warnings.join('; '));
  const answersDownload = standalone.waitForEvent('download');
  await standalone.getByRole('link', { name: 'Download answers' }).click();
  const answered = readFileSync(await (await answersDownload).path(), 'utf8').trimEnd().split('\r\n');
  expect(answered[0]).toBe(`${columns.join(',')},prediction,probability Adelie,probability Chinstrap,probability Gentoo,warnings,error`);
  expect(answered).toHaveLength(12);
  expect(answered[1]).toContain(`,${sample[0]!.output},`);

  // Dropped on the box instead of chosen: the same reading; a file that is no table says what is wrong.
  await standalone.evaluate((content) => {
    const transfer = new DataTransfer();
    transfer.items.add(new File([content], 'dropped.csv', { type: 'text/csv' }));
    document.querySelector('[aria-label="Drop a CSV file here"]')?.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
  }, csv.split('\n').slice(0, 3).join('\n'));
  await standalone.getByRole('status').filter({ hasText: /^2 rows of dropped\.csv answered/ }).waitFor();
  await standalone.getByLabel('CSV file', { exact: true }).setInputFiles({ name: 'ragged.csv', mimeType: 'text/csv', buffer: Buffer.from('a,b\n1,2,3\n') });
  await standalone.getByRole('alert').filter({ hasText: /^Could not answer ragged\.csv: .*line 2/i }).waitFor();

  expect(pageErrors).toEqual([]);
  await offline.close();
  rmSync(dir, { recursive: true, force: true });
}, 300_000);
