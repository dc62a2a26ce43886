// Bring your own CSV: a regression project from a file, and every kind of bad file refused clearly
// without touching what was stored before.
import { readFileSync } from 'node:fs';
import { strToU8, zipSync } from 'fflate';
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

type Car = Record<string, string | number | null>;

function carsCsv(): string {
  const cars = JSON.parse(readFileSync('node_modules/vega-datasets/data/cars.json', 'utf8')) as Car[];
  const columns = ['Name', 'Miles_per_Gallon', 'Cylinders', 'Displacement', 'Horsepower', 'Weight_in_lbs', 'Acceleration', 'Origin'];
  const quote = (v: string | number | null) => (v === null ? '' : typeof v === 'number' ? String(v) : `"${v.replace(/"/g, '""')}, car"`);
  // Quoted names with commas and CRLF line ends: what spreadsheets export, with a row id in front.
  return [['id', ...columns].join(','), ...cars.map((c, i) => [i + 1, ...columns.map((k) => quote(c[k] ?? null))].join(','))].join('\r\n');
}

async function importFile(page: Page, name: string, content: string | Buffer): Promise<void> {
  await goToStage(page, 'Data');
  await page.getByLabel('Import data file').setInputFiles({ name, mimeType: 'text/csv', buffer: Buffer.from(content) });
}

test('an imported CSV walks the loop as a regression project', async () => {
  const { context, page, errors } = await openApp(browser, inject('baseUrl'));
  await page.getByLabel('Project name').fill('Cars MPG');
  await page.getByLabel('Task').selectOption('regression');
  await page.getByRole('button', { name: 'Create project' }).click();
  await page.getByRole('heading', { name: 'Bring data' }).waitFor();

  await importFile(page, 'cars.csv', carsCsv());
  await page.getByRole('table', { name: 'Import preview' }).waitFor();
  expect(await page.getByLabel('Type of Horsepower').inputValue()).toBe('number');
  expect(await page.getByLabel('Type of Origin').inputValue()).toBe('category');
  // The row id is ignored by default, with the reason next to it; the car names get a note on their many values.
  expect(await page.getByLabel('Role of id').inputValue()).toBe('ignore');
  const settings = page.getByRole('table', { name: 'Column settings' });
  await settings.getByText(/Suggested role: ignore\. Named like an identifier and unique per row: a model would memorise it/).waitFor();
  await settings.getByText(/Many categories: \d+ distinct values in 406 rows/).waitFor();
  await page.getByLabel('Role of Miles_per_Gallon').selectOption('target');
  await page.getByLabel('Role of Name').selectOption('ignore');
  await page.getByRole('button', { name: 'Save dataset version' }).click();
  await page.getByText(/^Saved version [0-9a-f]{12} with 406 rows\.$/).waitFor();

  await goToStage(page, 'Train');
  await page.getByLabel('Backend', { exact: true }).selectOption('wasm');
  await page.getByLabel('Epochs').fill('40');
  await trainAndWait(page);
  expect(await page.getByText(/^Trained on /).textContent()).toContain('wasm');

  await goToStage(page, 'Evaluate');
  const r2 = Number(await page.getByRole('table', { name: 'Test metrics' }).getByRole('row', { name: 'R²' }).getByRole('cell').textContent());
  expect(r2).toBeGreaterThan(0.6);

  await goToStage(page, 'Deliver');
  // Registering does not deploy: serving the version is a separate, explicit choice.
  await page.getByRole('checkbox', { name: 'Make it the champion' }).check();
  await page.getByRole('button', { name: 'Register model' }).click();
  await page.getByText('Registered cars-mpg version 1 as champion.').waitFor();

  await goToStage(page, 'Monitor');
  await page.getByLabel('Cylinders').fill('4');
  await page.getByLabel('Horsepower').fill('90');
  await page.getByLabel('Weight_in_lbs').fill('2200');
  await page.getByRole('button', { name: 'Predict', exact: true }).click();
  const mpg = Number(await page.getByRole('status', { name: 'Prediction' }).locator('.output').textContent());
  // A light four-cylinder car of the seventies did 25 to 35 miles per gallon.
  expect(mpg).toBeGreaterThan(20);
  expect(mpg).toBeLessThan(40);
  expect(errors).toEqual([]);
  await context.close();
});

test('bad files get a clear message and leave stored data intact', async () => {
  const { context, page } = await openApp(browser, inject('baseUrl'));
  await goToStage(page, 'Data');
  const versions = page.getByRole('combobox', { name: 'Dataset version' });
  const before = await versions.locator('option').allTextContents();
  const alert = page.getByRole('alert');

  const refused: [string, string | Buffer, RegExp][] = [
    ['empty.csv', '', /empty/i],
    ['header-only.csv', 'a,b,c\n', /header line but no data rows/],
    ['no-header.csv', '1,2,3\n4,5,6\n', /looks like data, not column names/i],
    ['ragged.csv', 'a,b,c\n1,2,3\n4,5\n6,7,8\n', /Line 3 has 2 fields but the header has 3/],
    ['binary.csv', Buffer.from([0x49, 0x00, 0x01, 0x02, 0x00, 0x00, 0x08, 0x00, 0xff, 0x00]), /binary.csv looks like a binary file/],
    // Workbooks Loopbench does not read are told for what they are, with how to get a CSV out of them.
    [
      'old.xls',
      Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0x00, 0x00]),
      /^old\.xls is a spreadsheet workbook \(Excel 97–2003\), which Loopbench does not read: save the sheet as CSV \(in Excel: File → Save As → "CSV UTF-8"\)/,
    ],
    [
      'pictures.zip',
      Buffer.from(zipSync({ 'a.png': new Uint8Array(8), 'LICENSE': strToU8('MIT') })),
      /^"pictures\.zip" holds no data file \(CSV, TSV, JSON, JSON Lines, Parquet or Excel \.xlsx\): it has a\.png, LICENSE\.$/,
    ],
  ];
  for (const [name, content, message] of refused) {
    await importFile(page, name, content);
    await alert.filter({ hasText: message }).waitFor();
  }

  // Not UTF-8: read as Windows-1252, and the user is told so.
  await importFile(page, 'latin1.csv', Buffer.from([0x6e, 0x61, 0x6d, 0x65, 0x2c, 0x6e, 0x0a, 0x63, 0x61, 0x66, 0xe9, 0x2c, 0x31, 0x0a]));
  await page.getByText('latin1.csv is not UTF-8; it was read as Windows-1252. Check accented characters.').waitFor();
  await page.getByRole('table', { name: 'Import preview' }).getByRole('cell', { name: 'café' }).waitFor();
  await page.getByRole('button', { name: 'Discard import' }).click();

  // These parse, but cannot become a version until fixed: the reason names the column and line.
  await importFile(page, 'one-class.csv', 'x,Species\n1,Adelie\n2,Adelie\n3,Adelie\n');
  // One class is no classification target, so none is preselected; chosen anyway, saving says why it cannot be.
  await page.getByText(/No column fits a classification target .*"Species" has only 1 value/).waitFor();
  await page.getByLabel('Role of Species').selectOption('target');
  await page.getByRole('button', { name: 'Save dataset version' }).click();
  await alert.filter({ hasText: /only one class \("Adelie"\)/ }).waitFor();
  await page.getByRole('button', { name: 'Discard import' }).click();

  await importFile(page, 'bad-number.csv', 'x,y,Species\n1,2,A\n2,3,B\n3,abc,A\n4,5,B\n5,6,A\n6,7,B\n');
  await page.getByRole('table', { name: 'Column settings' }).getByText(/"abc" is not a number \(line 4/).waitFor();
  await page.getByRole('button', { name: 'Save dataset version' }).click();
  await alert.filter({ hasText: /"abc" is not a number \(line 4, column "y"\)/ }).waitFor();
  await page.getByRole('button', { name: 'Discard import' }).click();

  // A file too small to test a model on is refused with how many rows it would take.
  await importFile(page, 'tiny.csv', 'x,Species\n1,A\n2,B\n3,A\n4,B\n5,A\n6,B\n');
  await page.getByLabel('Role of Species').selectOption('target');
  await page.getByRole('button', { name: 'Save dataset version' }).click();
  await alert.filter({ hasText: /The (test|validation) split would get \d rows?; at least 10 are needed, so the file needs at least \d+ rows with a target/ }).waitFor();
  await page.getByRole('button', { name: 'Discard import' }).click();

  // Dates are a type, and the time split offers only date columns (the first by default).
  const days = Array.from({ length: 80 }, (_, i) => `${i + 1},2021-${String((i % 12) + 1).padStart(2, '0')}-15,${i % 3},${i % 2 ? 'A' : 'B'}`);
  await importFile(page, 'dated.csv', ['id,day,n,Species', ...days].join('\n'));
  expect(await page.getByLabel('Type of day').inputValue()).toBe('date');
  await page.getByLabel('Split method').selectOption('time');
  const chooser = page.getByLabel('Date column');
  expect(await chooser.locator('option').allTextContents()).toEqual(['day']);
  expect(await chooser.inputValue()).toBe('day');
  await page.getByLabel('Type of day').selectOption('category');
  await page.getByText(/A time split needs a date column; this file has none/).waitFor();
  await page.getByRole('button', { name: 'Discard import' }).click();

  await page.reload();
  await goToStage(page, 'Data');
  expect(await page.getByRole('combobox', { name: 'Dataset version' }).locator('option').allTextContents()).toEqual(before);
  await context.close();
});
