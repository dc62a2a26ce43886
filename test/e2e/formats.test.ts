// Every format through the UI: a TSV, a JSON array, JSON Lines and a Parquet file each become a
// stored version; hostile files are refused with their reason and leave the stored versions as they were.
import { readFileSync } from 'node:fs';
import { gzipSync, strToU8, zipSync } from 'fflate';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { workbook } from '../fixtures/xlsx';
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
const penguins = JSON.parse(readFileSync('node_modules/vega-datasets/data/penguins.json', 'utf8')) as Penguin[];
const COLUMNS = Object.keys(penguins[0]);
/** Four disjoint quarters (every fourth row), so each file is a different version with all three species. */
const quarter = (k: number) => penguins.filter((_, i) => i % 4 === k);

function tsv(rows: Penguin[]): string {
  return [COLUMNS.join('\t'), ...rows.map((r) => COLUMNS.map((c) => r[c] ?? '').join('\t'))].join('\n');
}

function parquet(rows: Penguin[]): Buffer {
  const columnData = COLUMNS.map((name) => {
    const numeric = rows.some((r) => typeof r[name] === 'number');
    return numeric
      ? { name, type: 'DOUBLE' as const, data: rows.map((r) => (r[name] === null ? null : Number(r[name]))) }
      : { name, type: 'STRING' as const, data: rows.map((r) => (r[name] === null ? null : String(r[name]))) };
  });
  return Buffer.from(parquetWriteBuffer({ columnData, rowGroupSize: 30 }));
}

/** An Excel workbook of the rows, as Excel would save it (a real writer: shared strings, styles). */
async function xlsx(rows: Penguin[]): Promise<Buffer> {
  const data = [COLUMNS.map((value) => ({ value })), ...rows.map((r) => COLUMNS.map((c) => (r[c] === null ? null : { value: r[c] as string | number })))];
  // A cover sheet first, as reports have: the importer reads the first sheet with data and says so.
  return Buffer.from(await workbook([{ sheet: 'About', data: [[{ value: 'Palmer penguins, every fifth row' }]] }, { sheet: 'penguins', data }]));
}

async function importFile(page: Page, name: string, content: string | Buffer, mimeType = 'application/octet-stream'): Promise<void> {
  await page.getByLabel('Import data file').setInputFiles({ name, mimeType, buffer: Buffer.from(content) });
}

test('TSV, JSON, JSON Lines, Parquet and Excel each import and save as a version; hostile files change nothing', async () => {
  const { context, page, errors } = await openApp(browser, inject('baseUrl'));
  await goToStage(page, 'Data');
  const versions = page.getByRole('combobox', { name: 'Dataset version' });
  await versions.waitFor();

  const files: [string, string | Buffer, number][] = [
    ['penguins.tsv', tsv(quarter(0)), quarter(0).length],
    ['penguins.json', JSON.stringify(quarter(1)), quarter(1).length],
    ['penguins.jsonl', quarter(2).map((r) => JSON.stringify(r)).join('\n'), quarter(2).length],
    ['penguins.parquet', parquet(quarter(3)), quarter(3).length],
    // Every fifth row: another set of rows than any quarter, so another version.
    ['penguins.xlsx', await xlsx(penguins.filter((_, i) => i % 5 === 0)), penguins.filter((_, i) => i % 5 === 0).length],
  ];
  for (const [name, content, rows] of files) {
    await importFile(page, name, content);
    await page.getByRole('heading', { name: `${name}: ${rows} rows, ${COLUMNS.length} columns` }).waitFor();
    expect(await page.getByLabel('Type of Body Mass (g)').inputValue()).toBe('number');
    expect(await page.getByLabel('Role of Species').inputValue()).toBe('target');
    if (name.endsWith('.xlsx')) {
      await page.getByText('penguins.xlsx has 2 sheets: "penguins" was read, the first with a header row and data. Choose another under "Sheet".').waitFor();
      const sheet = page.getByRole('combobox', { name: 'Sheet', exact: true });
      expect(await sheet.inputValue()).toBe('penguins');
      expect(await sheet.locator('option').allTextContents()).toEqual(['About', 'penguins']);
    }
    await page.getByRole('button', { name: 'Save dataset version' }).click();
    await page.getByText(new RegExp(`^Saved version [0-9a-f]{12} with ${rows} rows\\.$`)).waitFor();
  }

  // Packed as dataset sites hand files out: a gzip-compressed CSV, and a zip with the CSV beside its README.
  const csvOf = (rows: Penguin[]) => tsv(rows).replace(/\t/g, ',');
  const fifth = (k: number) => penguins.filter((_, i) => i % 5 === k);
  const packed: [string, Buffer, string, number][] = [
    ['penguins.csv.gz', Buffer.from(gzipSync(strToU8(csvOf(fifth(1))))), 'penguins.csv', fifth(1).length],
    ['palmer.zip', Buffer.from(zipSync({ 'palmer/README.md': strToU8('# Palmer'), 'palmer/penguins-size.csv': strToU8(csvOf(fifth(2))) })), 'penguins-size.csv', fifth(2).length],
  ];
  for (const [name, content, inner, rows] of packed) {
    await importFile(page, name, content);
    await page.getByRole('heading', { name: `${inner}: ${rows} rows, ${COLUMNS.length} columns` }).waitFor();
    await page.getByText(name.endsWith('.gz') ? `Decompressed ${name} (gzip) and read it as ${inner}.` : `Read palmer/${inner} from the zip archive ${name}.`).waitFor();
    await page.getByRole('button', { name: 'Save dataset version' }).click();
    await page.getByText(new RegExp(`^Saved version [0-9a-f]{12} with ${rows} rows\\.$`)).waitFor();
  }
  // A competition download: train and test files in one zip. The larger is read, and the other is one choice away.
  const kaggle = Buffer.from(zipSync({ 'train.csv': strToU8(csvOf(fifth(3))), 'test.csv': strToU8(csvOf(fifth(4).slice(0, 40))) }));
  await importFile(page, 'kaggle.zip', kaggle);
  await page.getByRole('heading', { name: `train.csv: ${fifth(3).length} rows, ${COLUMNS.length} columns` }).waitFor();
  await page.getByText('Read train.csv, the largest of its 2 data files, from the zip archive kaggle.zip. Choose another under "File in the archive".').waitFor();
  await page.getByRole('combobox', { name: 'File in the archive' }).selectOption('test.csv');
  await page.getByRole('heading', { name: `test.csv: 40 rows, ${COLUMNS.length} columns` }).waitFor();
  expect(await page.getByRole('combobox', { name: 'File in the archive' }).inputValue()).toBe('test.csv');
  await page.getByRole('button', { name: 'Discard import' }).click();

  // Dangerous and blank names are ordinary columns in the import table and in the saved version.
  const proto = ['__proto__,constructor,,Species', ...quarter(0).map((r, i) => `${i % 7},${i % 2 ? 'toString' : 'valueOf'},${i},${r.Species}`)];
  await importFile(page, 'proto.csv', proto.join('\n'), 'text/csv');
  await page.getByRole('heading', { name: `proto.csv: ${quarter(0).length} rows, 4 columns` }).waitFor();
  expect(await page.getByLabel('Type of __proto__').inputValue()).toBe('number');
  expect(await page.getByLabel('Role of __proto__').inputValue()).toBe('feature');
  expect(await page.getByLabel('Type of constructor').inputValue()).toBe('category');
  // The blank-named column counts the rows (0, 1, 2...): named or not, it is suggested as ignored like any identifier.
  expect(await page.getByLabel('Role of Column 3').inputValue()).toBe('ignore');
  await page.getByLabel('Role of constructor').selectOption('ignore');
  await page.getByRole('button', { name: 'Save dataset version' }).click();
  await page.getByText(new RegExp(`^Saved version [0-9a-f]{12} with ${quarter(0).length} rows\\.$`)).waitFor();
  await page.getByRole('table', { name: 'Data preview' }).getByRole('columnheader', { name: '__proto__' }).waitFor();

  const saved = await versions.locator('option').allTextContents();
  for (const [name] of files) expect(saved.some((o) => o.startsWith(name.replace(/\.[^.]+$/, '')))).toBe(true);
  const selectedBefore = await versions.inputValue();

  const alert = page.getByRole('alert');
  await importFile(page, 'not-really.csv', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d]));
  await alert.filter({ hasText: 'not-really.csv looks like a binary file, not text.' }).waitFor();
  await importFile(page, 'broken.parquet', Buffer.from('PAR1 this is not a parquet footer PAR1'));
  await alert.filter({ hasText: /"broken\.parquet" is not a valid Parquet file/ }).waitFor();

  await page.reload();
  await goToStage(page, 'Data');
  // Each option names the version's content hash: the same list means the same stored data.
  expect(await versions.locator('option').allTextContents()).toEqual(saved);
  expect(await versions.inputValue()).toBe(selectedBefore);
  expect(errors).toEqual([]);
  await context.close();
});

test('columns named __proto__ and constructor train, serve and predict like any other', async () => {
  const { context, page, errors } = await openApp(browser, inject('baseUrl'));
  await page.getByLabel('Project name').fill('Proto');
  await page.getByLabel('Task').selectOption('classification');
  await page.getByRole('button', { name: 'Create project' }).click();
  await page.getByRole('heading', { name: 'Bring data' }).waitFor();
  await goToStage(page, 'Data');

  // The class follows "__proto__" alone, so a model that reads the column gets it right.
  const lines = ['__proto__,constructor,,label'];
  for (let i = 0; i < 120; i++) lines.push(`${i % 2 ? 5 + (i % 3) : -5 - (i % 3)},${i % 3 ? 'a' : 'b'},${i % 5},${i % 2 ? 'high' : 'low'}`);
  await importFile(page, 'proto.csv', lines.join('\n'), 'text/csv');
  await page.getByRole('heading', { name: 'proto.csv: 120 rows, 4 columns' }).waitFor();
  await page.getByRole('button', { name: 'Save dataset version' }).click();
  await page.getByText(/^Saved version [0-9a-f]{12} with 120 rows\.$/).waitFor();

  await goToStage(page, 'Train');
  await page.getByLabel('Backend', { exact: true }).selectOption('wasm');
  await page.getByLabel('Epochs').fill('30');
  await trainAndWait(page);
  await goToStage(page, 'Deliver');
  // Registering does not deploy: serving the version is a separate, explicit choice.
  await page.getByRole('checkbox', { name: 'Make it the champion' }).check();
  await page.getByRole('button', { name: 'Register model' }).click();
  await page.getByText(/^Registered .* version 1 as champion\.$/).waitFor();

  await goToStage(page, 'Monitor');
  await page.getByLabel('__proto__', { exact: true }).fill('6');
  await page.getByLabel('constructor', { exact: true }).selectOption('a');
  await page.getByLabel('Column 3', { exact: true }).fill('2');
  await page.getByRole('button', { name: 'Predict', exact: true }).click();
  const output = page.getByRole('status', { name: 'Prediction' }).locator('.output');
  await output.waitFor();
  expect(await output.textContent()).toBe('high');
  await page.getByLabel('__proto__', { exact: true }).fill('-6');
  await page.getByRole('button', { name: 'Predict', exact: true }).click();
  await page.getByRole('status', { name: 'Prediction' }).locator('.output').filter({ hasText: 'low' }).waitFor();
  expect(errors).toEqual([]);
  await context.close();
});
