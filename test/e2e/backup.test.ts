// Backing up the whole workspace and restoring it in a fresh browser profile: the same projects, versions, runs,
// registry and pipelines come back with identical record hashes (computed in the page over IndexedDB); a damaged
// backup is refused and changes nothing; a version exports as CSV with formula-like cells guarded.
import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import { goToStage, launch, openApp, readStore, trainAndWait } from './browser';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

type Penguin = Record<string, string | number | null>;

/** The penguins with a Note column whose first cell a spreadsheet would run as a formula. */
function penguinsWithNote(): string {
  const penguins = JSON.parse(readFileSync('node_modules/vega-datasets/data/penguins.json', 'utf8')) as Penguin[];
  const columns = [...Object.keys(penguins[0]), 'Note'];
  const cell = (v: string | number | null | undefined) => (v === null || v === undefined ? '' : String(v));
  const rows = penguins.map((p, i) => columns.map((c) => (c === 'Note' ? (i === 0 ? '=1+1' : 'ok') : cell(p[c]))).join(','));
  return [columns.join(','), ...rows].join('\n');
}

/**
 * SHA-256 of every record of every store but `meta` (which the app itself writes as it runs), read in the page
 * straight from IndexedDB: typed arrays and buffers hashed as their kind and bytes, object keys sorted.
 */
function workspaceHashes(page: Page): Promise<Record<string, string[]>> {
  return page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const open = indexedDB.open('loopbench');
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error);
    });
    const hex = (bytes: Uint8Array) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
    const canonical = (value: unknown): unknown => {
      if (value instanceof ArrayBuffer) return { buffer: hex(new Uint8Array(value)) };
      if (ArrayBuffer.isView(value)) return { [value.constructor.name]: hex(new Uint8Array(value.buffer, value.byteOffset, value.byteLength)) };
      if (typeof value === 'number' && !Number.isFinite(value)) return { number: String(value) };
      if (Array.isArray(value)) return value.map(canonical);
      if (value && typeof value === 'object') {
        return Object.fromEntries(Object.keys(value).sort().filter((k) => (value as Record<string, unknown>)[k] !== undefined).map((k) => [k, canonical((value as Record<string, unknown>)[k])]));
      }
      return value;
    };
    const out: Record<string, string[]> = {};
    for (const name of Array.from(db.objectStoreNames)) {
      if (name === 'meta') continue;
      const records = await new Promise<unknown[]>((resolve, reject) => {
        const all = db.transaction(name, 'readonly').objectStore(name).getAll();
        all.onsuccess = () => resolve(all.result);
        all.onerror = () => reject(all.error);
      });
      const hashes: string[] = [];
      for (const record of records) {
        const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(JSON.stringify(canonical(record))));
        hashes.push(hex(new Uint8Array(digest)));
      }
      out[name] = hashes.sort();
    }
    db.close();
    return out;
  });
}

async function openWorkspace(page: Page): Promise<void> {
  // Downloads, not the save picker: the test reads the file the browser saves.
  await page.evaluate(() => {
    delete (window as { showSaveFilePicker?: unknown }).showSaveFilePicker;
  });
  await page.getByRole('button', { name: 'Workspace', exact: true }).click();
  await page.getByRole('region', { name: 'Workspace' }).waitFor();
}

test('backup: back up, restore in a fresh profile, refuse a damaged file, export a version as CSV', async () => {
  const { context, page, errors } = await openApp(browser, inject('baseUrl'));
  await page.getByRole('heading', { name: 'Penguin species' }).waitFor();

  // A second version whose Note column starts with a formula, exported as CSV: the cell is guarded.
  await goToStage(page, 'Data');
  await page.getByLabel('Import data file').setInputFiles({ name: 'penguins-noted.csv', mimeType: 'text/csv', buffer: Buffer.from(penguinsWithNote()) });
  await page.getByRole('button', { name: 'Save dataset version' }).click();
  await page.getByText(/^Saved version [0-9a-f]{12} with 344 rows\.$/).waitFor();
  const csvDownload = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export CSV' }).click();
  const csv = readFileSync((await (await csvDownload).path())!, 'utf8').split('\r\n');
  expect(csv[0]).toMatch(/,Note$/);
  expect(csv[1]).toMatch(/,'=1\+1$/);
  expect(csv[2]).toMatch(/,ok$/);
  await page.getByText(/^Exported 344 rows as penguins-noted-[0-9a-f]{8}\.csv\.$/).waitFor();

  await goToStage(page, 'Train');
  await page.getByLabel('Backend', { exact: true }).selectOption('cpu');
  await page.getByLabel('Epochs').fill('5');
  await trainAndWait(page);
  await goToStage(page, 'Deliver');
  await page.getByRole('button', { name: 'Register model' }).click();
  await page.getByText('Registered penguin-species version 1.').waitFor();
  await page.getByRole('button', { name: 'New pipeline' }).click();
  const editor = page.getByRole('form', { name: 'Pipeline editor' });
  await editor.getByLabel('Pipeline name').fill('nightly retrain');
  await editor.getByRole('button', { name: 'Save pipeline' }).click();
  await editor.waitFor({ state: 'detached' });

  const before = await workspaceHashes(page);
  expect(before.projects.length).toBeGreaterThan(0);
  expect(before.datasets).toHaveLength(2);
  expect(before.runs).toHaveLength(1);
  expect(before.models).toHaveLength(1);
  expect(before.pipelines).toHaveLength(1);
  expect(before.chunks.length).toBeGreaterThan(0);
  expect(before.artifacts.length).toBeGreaterThan(0);

  await openWorkspace(page);
  await page.getByLabel('Include checkpoints').check();
  const backupDownload = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Back up workspace' }).click();
  const backup = await backupDownload;
  expect(backup.suggestedFilename()).toMatch(/^loopbench-backup-.*\.zip$/);
  const zip = readFileSync((await backup.path())!);
  await page.getByText(/^Backed up [\d,]+ records \([\d.]+ MB\) to loopbench-backup-.*\.zip\.$/).waitFor();
  expect(errors).toEqual([]);
  await context.close();

  // A fresh profile: only the sample the app opens with.
  const fresh = await openApp(browser, inject('baseUrl'));
  const other = fresh.page;
  await other.getByRole('heading', { name: 'Penguin species' }).waitFor();
  expect(await workspaceHashes(other)).not.toEqual(before);
  await openWorkspace(other);
  await other.getByLabel('Replace everything').check();
  await other.getByLabel('Restore from backup').setInputFiles({ name: 'backup.zip', mimeType: 'application/zip', buffer: zip });
  await other.getByRole('group', { name: 'Confirm replace' }).waitFor();
  const reloaded = other.waitForEvent('load');
  await other.getByRole('button', { name: 'Yes, replace everything' }).click();
  await reloaded;
  await other.getByRole('heading', { name: 'Penguin species' }).waitFor({ timeout: 60_000 });
  expect(await workspaceHashes(other)).toEqual(before);

  // What the user sees: both versions, the run, the registered model and the pipeline.
  await goToStage(other, 'Data');
  expect(await other.getByRole('combobox', { name: 'Dataset version' }).locator('option').count()).toBe(2);
  await goToStage(other, 'Deliver');
  await other.getByText('nightly retrain').first().waitFor();
  await other.getByText(/penguin-species/).first().waitFor();
  expect((await readStore<{ status: string }>(other, 'runs')).map((r) => r.status)).toEqual(['finished']);

  // A damaged backup (bytes flipped in the middle) is refused with its reason, and nothing changes.
  const damaged = Buffer.from(zip);
  for (let i = Math.floor(damaged.length / 2); i < Math.floor(damaged.length / 2) + 64; i++) damaged[i] ^= 0xff;
  await openWorkspace(other);
  await other.getByLabel('Merge (keep what exists)').check();
  await other.getByLabel('Restore from backup').setInputFiles({ name: 'damaged.zip', mimeType: 'application/zip', buffer: damaged });
  const refusal = other.getByRole('region', { name: 'Workspace' }).getByRole('alert');
  await refusal.waitFor({ timeout: 60_000 });
  expect(await refusal.textContent()).toMatch(/^"damaged\.zip" cannot be restored: .+ Nothing was changed\.$/);
  expect(await workspaceHashes(other)).toEqual(before);

  expect(fresh.errors).toEqual([]);
  await fresh.context.close();
});
