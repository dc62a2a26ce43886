// A full disk, made with Chromium's DevTools protocol (the origin's quota lowered before the app opens its storage):
// an import too large for the space left fails with the clear message and stores nothing, and succeeds once the quota
// is back; a run during which the disk fills pauses with the message, is not blamed on a reload, and resumes once
// space is freed.
import type { Browser, BrowserContext, CDPSession, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import type { Run } from '../../src/core/shared/types';
import { goToStage, launch, readStore, watchPolicy } from './browser';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

const MB = 1024 * 1024;
const origin = () => new URL(inject('baseUrl')).origin;

interface Opened {
  context: BrowserContext;
  page: Page;
  errors: string[];
  /** Sets the origin's quota, or gives back the browser's own with null. */
  setQuota: (bytes: number | null) => Promise<void>;
}

/**
 * The app in a fresh profile whose quota is `quota` bytes from the start: Chromium reads an origin's quota when its
 * storage is first opened, so an override set later does not reach writes (and estimate() reports usage plus a fixed
 * allowance whatever the override, so it is the writes themselves that are refused).
 */
async function openWithQuota(quota: number): Promise<Opened> {
  const context = await browser.newContext({ acceptDownloads: true });
  const errors: string[] = [];
  await watchPolicy(context, errors);
  const page = await context.newPage();
  page.on('pageerror', (e) => errors.push(e.message));
  // The session stays open: the override lasts as long as the session that set it.
  const cdp: CDPSession = await context.newCDPSession(page);
  const setQuota = async (bytes: number | null) => {
    await cdp.send('Storage.overrideQuotaForOrigin', bytes === null ? { origin: origin() } : { origin: origin(), quotaSize: bytes });
  };
  await setQuota(quota);
  await page.goto(inject('baseUrl'));
  await page.getByRole('tab', { name: /Define/ }).waitFor({ timeout: 60_000 });
  return { context, page, errors, setQuota };
}

/** Records in each object store of the app's database (counted, not read: the chunks are large). */
function counts(page: Page, stores: string[]): Promise<Record<string, number>> {
  return page.evaluate(
    (names) =>
      new Promise<Record<string, number>>((resolve, reject) => {
        const open = indexedDB.open('loopbench');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          const tx = db.transaction(names, 'readonly');
          const out: Record<string, number> = {};
          for (const name of names) {
            const request = tx.objectStore(name).count();
            request.onsuccess = () => (out[name] = request.result);
          }
          tx.oncomplete = () => {
            db.close();
            resolve(out);
          };
          tx.onerror = () => reject(tx.error);
        };
      }),
    stores,
  );
}

/** A regression table of `rows` rows and 10 number columns: about 1 MB per 10,000 rows. */
function bigCsv(rows: number): string {
  const lines = ['a,b,c,d,e,f,g,h,i,y'];
  let seed = 7;
  const next = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648).toFixed(6);
  for (let r = 0; r < rows; r++) lines.push([next(), next(), next(), next(), next(), next(), next(), next(), next(), next()].join(','));
  return lines.join('\n');
}

test('an import too large for the space left fails with the clear message, stores nothing, and succeeds once there is space', async () => {
  const { context, page, errors, setQuota } = await openWithQuota(4 * MB);
  await page.getByLabel('Project name').fill('Big table');
  await page.getByLabel('Task').selectOption('regression');
  await page.getByRole('button', { name: 'Create project' }).click();
  await page.getByRole('heading', { name: 'Bring data' }).waitFor();
  const csv = bigCsv(60_000);
  expect(csv.length).toBeGreaterThan(4 * MB);
  await goToStage(page, 'Data');
  await page.getByLabel('Import data file').setInputFiles({ name: 'big.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await page.getByRole('table', { name: 'Import preview' }).waitFor({ timeout: 60_000 });
  await page.getByLabel('Role of y').selectOption('target');

  const stores = ['datasets', 'chunks'];
  const before = await counts(page, stores);
  expect(before.datasets).toBe(1); // the penguins sample
  // The version needs about five megabytes of the four the origin may use: its transaction is refused part-way.
  await page.getByRole('button', { name: 'Save dataset version' }).click();
  const alert = page.getByRole('alert').filter({ hasText: /Could not save the dataset version "big": storage is full/ });
  await alert.waitFor({ timeout: 60_000 });
  const message = (await alert.textContent()) ?? '';
  expect(message).toMatch(/storage is full \(\d+(\.\d)? (KB|MB) used/);
  expect(message).toMatch(/The largest items: dataset version "penguins" \(\d+(\.\d)? KB\)/);
  expect(message).toMatch(/Delete what you no longer need/);
  expect(await page.getByText(/QuotaExceededError|AbortError/).count()).toBe(0);
  expect(await counts(page, stores)).toEqual(before);

  await setQuota(null);
  await page.getByRole('button', { name: 'Save dataset version' }).click();
  await page.getByText(/^Saved version [0-9a-f]{12} with 60000 rows\.$/).waitFor({ timeout: 120_000 });
  const after = await counts(page, stores);
  expect(after.datasets).toBe(before.datasets + 1);
  expect(after.chunks).toBeGreaterThan(before.chunks);
  expect(errors).toEqual([]);
  await context.close();
});

/** Writes random (incompressible) bytes to a database of its own until the origin's storage refuses more. */
function fillDisk(page: Page): Promise<number> {
  return page.evaluate(
    () =>
      new Promise<number>((resolve, reject) => {
        const open = indexedDB.open('disk-filler');
        open.onupgradeneeded = () => open.result.createObjectStore('blocks');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          const random = (n: number) => {
            const bytes = new Uint8Array(n);
            for (let i = 0; i < n; i += 65536) crypto.getRandomValues(bytes.subarray(i, Math.min(n, i + 65536)));
            return bytes;
          };
          let size = 1 << 20;
          let total = 0;
          let key = 0;
          const step = () => {
            if (key > 4000) return reject(new Error(`the disk never filled: ${total} bytes written`));
            const tx = db.transaction('blocks', 'readwrite');
            tx.objectStore('blocks').put(random(size), key++);
            tx.oncomplete = () => {
              total += size;
              step();
            };
            // Refused: go on with smaller blocks, down to 512 bytes, so nothing is left for the run.
            tx.onabort = () => {
              if (size <= 512) {
                db.close();
                resolve(total);
              } else {
                size >>= 1;
                step();
              }
            };
          };
          step();
        };
      }),
  );
}

function freeDisk(page: Page): Promise<void> {
  return page.evaluate(
    () =>
      new Promise<void>((resolve, reject) => {
        const deleting = indexedDB.deleteDatabase('disk-filler');
        deleting.onsuccess = () => resolve();
        deleting.onerror = () => reject(deleting.error);
      }),
  );
}

test('a run during which the disk fills pauses with the message, is not blamed on a reload, and resumes once there is space', async () => {
  const { context, page, errors, setQuota } = await openWithQuota(16 * MB);
  const EPOCHS = 400;
  await goToStage(page, 'Train');
  await page.getByLabel('Backend', { exact: true }).selectOption('cpu');
  await page.getByLabel('Epochs').fill(String(EPOCHS));
  await page.getByLabel('Batch size').fill('8');
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await page.getByText(new RegExp(`^Epoch ([3-9]|\\d{2,}) of ${EPOCHS}`)).waitFor({ timeout: 90_000 });
  await expect.poll(async () => (await readStore(page, 'checkpoints')).length, { timeout: 30_000 }).toBe(1);

  expect(await fillDisk(page)).toBeGreaterThan(0);
  const alert = page.getByRole('alert').filter({ hasText: /^Paused: the (checkpoint|training history) at epoch \d+ could not be saved because storage is full/ });
  await alert.waitFor({ timeout: 60_000 });
  const message = (await alert.textContent()) ?? '';
  expect(message).toMatch(/Free space and resume: it continues after epoch \d+\./);
  expect(message).toMatch(/Delete what you no longer need/);
  // Training stopped: the live view is gone, well before the last epoch.
  await page.getByRole('heading', { name: /^Last run: / }).waitFor({ timeout: 30_000 });
  expect(await page.getByText(/QuotaExceededError|AbortError/).count()).toBe(0);
  const [checkpoint] = await readStore<{ runId: string; epoch: number }>(page, 'checkpoints');
  expect(checkpoint.epoch).toBeLessThan(EPOCHS);
  expect(message).toContain(`it continues after epoch ${checkpoint.epoch}.`);

  // Reloaded while the disk is still full, Loopbench opens: deleting things in it is how space is freed. A run whose
  // end could not be stored (the disk has under 512 bytes left, so it is still 'running' in storage and its end is
  // remembered in localStorage) is said to be marked at the next start.
  const [stopped] = await readStore<Run>(page, 'runs');
  expect(stopped.status).toBe('running');
  await page.reload();
  await goToStage(page, 'Train');
  await page.getByText(/^Runs that stopped while Loopbench was closed could not be marked as stopped; they will be when it next opens\. Storage is full/).waitFor();

  // Space freed (the filler deleted, and the quota raised: Chromium may count a deleted database's bytes for a while).
  await freeDisk(page);
  await setQuota(null);
  // After a reload the run is not blamed on the reload: it keeps why it stopped, and resumes from its checkpoint.
  await page.reload();
  await goToStage(page, 'Train');
  await page.getByRole('heading', { name: 'Interrupted runs' }).waitFor({ timeout: 30_000 });
  const [paused] = await readStore<Run>(page, 'runs');
  expect(paused.status).toBe('failed');
  expect(paused.note).toMatch(/^Paused: the (checkpoint|training history) at epoch \d+ could not be saved because storage is full/);
  expect(paused.note).not.toContain('Interrupted: the page was closed or reloaded');
  await page.getByRole('button', { name: `Resume ${paused.name}` }).click();
  await page.getByText(new RegExp(`^Epoch (\\d+) of ${EPOCHS}`)).waitFor({ timeout: 60_000 });
  await expect.poll(async () => Number(/^Epoch (\d+)/.exec((await page.getByText(/^Epoch \d+ of /).textContent()) ?? '')?.[1]), { timeout: 60_000 }).toBeGreaterThan(checkpoint.epoch);
  await page.getByRole('button', { name: 'Kill this run' }).click();
  await page.getByRole('heading', { name: 'Last run: killed' }).waitFor({ timeout: 60_000 });
  expect(errors).toEqual([]);
  await context.close();
});
