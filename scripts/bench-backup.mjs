// The backup part of `npm run bench` (BENCH_ONLY=backup): the Workspace panel's backup and restore on the real app
// (built from the root vite.config.ts into BENCH_OUT/bench-backup-app, served by vite preview), against plain
// IndexedDB on the same database in the same page.
// Setup, through the UI in one browser context: penguins trained and registered as champion, "The data as it is"
// replayed from the Monitor's Traffic panel as BENCH_BACKUP_REQUESTS requests (100k), then the first
// BENCH_BACKUP_ROWS rows (200k) of the import bench's seeded 20-column CSV imported in the Data stage and saved as a
// version. Then, each side twice (Loopbench, plain, plain, Loopbench):
// - backup: Loopbench = click "Back up workspace" until the browser has saved the download; plain = one readonly
//   transaction over every store, getAll on each, in the page (no zip, no hashing, no JSON);
// - restore: Loopbench = "Replace everything" with the last backup, click "Yes, replace everything" until the app has
//   reloaded and shows its tabs; plain = the same records (read first, not timed) put in one readwrite transaction
//   into a fresh database with the same stores, keys and indexes (deleted afterwards).
// The page's long tasks come from a 'longtask' observer installed before the app loads, reported to node as they
// happen (so a reload loses none); responsiveness = the slowest round trip of a trivial page.evaluate sent every
// 250 ms while an operation runs. Stored data = the backup's entries unpacked (their byte lengths in manifest.json).

import { copyFile, mkdir, readFile, rename, stat } from 'node:fs/promises';
import { createReadStream, createWriteStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { join, resolve } from 'node:path';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { inflateRawSync } from 'node:zlib';
import { unzipSync } from 'fflate';
import { build, preview } from 'vite';
import { CSV_ROWS, CSV_SEED, ensureCsv } from './bench-csv.mjs';
import { goToStage } from './bench-app-page.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const appConfig = join(root, 'vite.config.ts');
const outRoot = resolve(root, process.env.BENCH_OUT?.trim() || '.tmp');

const ROWS = Number(process.env.BENCH_BACKUP_ROWS ?? 200_000);
const REQUESTS = Number(process.env.BENCH_BACKUP_REQUESTS ?? 100_000);
const EPOCHS = '10';
const ORDER = ['loopbench', 'plain', 'plain', 'loopbench'];
const PROBE_EVERY_MS = 250;
/** A page that answers a trivial evaluate within this long counts as responsive. */
const RESPONSIVE_MS = 200;
const STEP_TIMEOUT_MS = Number(process.env.BENCH_BACKUP_STEP_TIMEOUT_MS ?? 10 * 60_000);

// Beside the import bench's CSV (always in .tmp, as scripts/bench-import.mjs keeps it), whatever BENCH_OUT says.
const bigCsv = join(root, '.tmp', 'bench-import', `bench-${CSV_ROWS}x20-seed${CSV_SEED}.csv`);
const csvPath = join(root, '.tmp', 'bench-backup', `bench-${ROWS}x20-seed${CSV_SEED}.csv`);

const firstLine = (error) => (error instanceof Error ? error.message.split('\n')[0] : String(error));
const median = (values) => {
  const sorted = values.filter((v) => v !== null).sort((a, b) => a - b);
  if (sorted.length === 0) return null;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

/** The first ROWS rows of the import bench's CSV (the same seeded generator), written once. */
async function ensureSmallCsv() {
  if (await stat(csvPath).catch(() => null)) return;
  if (ROWS > CSV_ROWS) throw new Error(`BENCH_BACKUP_ROWS: at most ${CSV_ROWS}, got ${ROWS}`);
  await ensureCsv(bigCsv);
  await mkdir(join(root, '.tmp', 'bench-backup'), { recursive: true });
  const out = createWriteStream(`${csvPath}.partial`);
  const lines = createInterface({ input: createReadStream(bigCsv), crlfDelay: Infinity });
  let n = 0;
  for await (const line of lines) {
    if (!out.write(`${line}\n`)) await new Promise((wake) => out.once('drain', wake));
    if (++n > ROWS) break;
  }
  lines.close();
  await new Promise((done, fail) => out.end((e) => (e ? fail(e) : done())));
  await rename(`${csvPath}.partial`, csvPath);
}

/** Each entry of a zip: name, compression method, the compressed bytes (central directory, then the local header). */
function zipEntries(zip) {
  const view = Buffer.from(zip.buffer, zip.byteOffset, zip.byteLength);
  let end = view.length - 22;
  while (end >= 0 && view.readUInt32LE(end) !== 0x06054b50) end--;
  if (end < 0) throw new Error('the backup has no zip end record');
  let at = view.readUInt32LE(end + 16);
  const entries = [];
  for (let i = 0; i < view.readUInt16LE(end + 10); i++) {
    const nameLength = view.readUInt16LE(at + 28);
    const name = view.toString('utf8', at + 46, at + 46 + nameLength);
    const method = view.readUInt16LE(at + 10);
    const compressedSize = view.readUInt32LE(at + 20);
    const local = view.readUInt32LE(at + 42);
    const start = local + 30 + view.readUInt16LE(local + 26) + view.readUInt16LE(local + 28);
    entries.push({ name, method, data: view.subarray(start, start + compressedSize) });
    at += 46 + nameLength + view.readUInt16LE(at + 30) + view.readUInt16LE(at + 32);
  }
  return entries;
}

/**
 * The entries of a backup zlib cannot inflate. fflate 0.8.3's streaming ZipDeflate emitted such entries (back-references
 * to before an entry's start, fflate issue #260) until the backup deflated each entry whole (workers/backup/
 * whole-deflate.ts); this bench found it, and keeps checking with an inflater other than the app's own.
 */
function unreadableEntries(zip) {
  const broken = [];
  for (const { name, method, data } of zipEntries(zip)) {
    if (method === 0) continue;
    try {
      inflateRawSync(data);
    } catch {
      broken.push(name);
    }
  }
  return broken;
}

/** Installed before the app: every long task goes to node at once (absolute ms), and downloads, not the picker. */
function installProbes() {
  Object.defineProperty(window, 'showSaveFilePicker', { value: undefined, configurable: true });
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) window.__backupBenchTask?.(performance.timeOrigin + e.startTime, e.duration);
  }).observe({ type: 'longtask', buffered: true });
}

/** While `work` runs, a trivial evaluate every PROBE_EVERY_MS; the slowest round trip. */
async function probing(page, work) {
  let slowest = 0;
  let running = true;
  const loop = (async () => {
    while (running) {
      const sent = Date.now();
      // A reload tears the context down mid-call: that round trip is not the page's answer time.
      const answered = await page.evaluate(() => 1).then(() => true, () => false);
      if (answered && running) slowest = Math.max(slowest, Date.now() - sent);
      await new Promise((wake) => setTimeout(wake, PROBE_EVERY_MS));
    }
  })();
  try {
    return { value: await work(), slowestAnswerMs: slowest };
  } finally {
    running = false;
    await loop;
  }
}

function tasksBetween(tasks, from, to) {
  const inside = tasks.filter(([start]) => start >= from && start < to).map(([, d]) => d);
  return { longestTaskMs: inside.length === 0 ? 0 : Math.max(...inside), longTaskCount: inside.length };
}

/** Record counts per store of the app's database, read in the page. */
function storeCounts(page) {
  return page.evaluate(
    () =>
      new Promise((done, fail) => {
        const open = indexedDB.open('loopbench');
        open.onerror = () => fail(open.error);
        open.onsuccess = () => {
          const db = open.result;
          const names = Array.from(db.objectStoreNames);
          const tx = db.transaction(names, 'readonly');
          const out = {};
          for (const name of names) {
            const req = tx.objectStore(name).count();
            req.onsuccess = () => (out[name] = req.result);
          }
          tx.oncomplete = () => {
            db.close();
            done(out);
          };
          tx.onerror = () => fail(tx.error);
        };
      }),
  );
}

/**
 * The plain side, in the page. 'read': getAll of every store in one readonly transaction, timed. 'write': the same
 * read untimed, then a fresh database with the same stores, keys and indexes, every record put in one readwrite
 * transaction, timed from the transaction's start to its complete; the fresh database is deleted afterwards.
 */
function plainSide(page, mode) {
  return page.evaluate(async (m) => {
    const request = (r) => new Promise((done, fail) => ((r.onsuccess = () => done(r.result)), (r.onerror = () => fail(r.error))));
    const finished = (tx) => new Promise((done, fail) => ((tx.oncomplete = () => done()), (tx.onerror = () => fail(tx.error)), (tx.onabort = () => fail(tx.error ?? new Error('aborted')))));
    const readStarted = performance.now();
    const source = await request(indexedDB.open('loopbench'));
    const names = Array.from(source.objectStoreNames);
    const tx = source.transaction(names, 'readonly');
    const shapes = names.map((name) => {
      const store = tx.objectStore(name);
      const indexes = Array.from(store.indexNames).map((i) => {
        const index = store.index(i);
        return { name: i, keyPath: index.keyPath, unique: index.unique, multiEntry: index.multiEntry };
      });
      return { name, keyPath: store.keyPath, autoIncrement: store.autoIncrement, indexes };
    });
    // Out-of-line keys need their keys to be copied.
    const reads = shapes.map((s) => Promise.all([request(tx.objectStore(s.name).getAll()), s.keyPath === null ? request(tx.objectStore(s.name).getAllKeys()) : null]));
    const data = await Promise.all(reads);
    await finished(tx);
    const readMs = performance.now() - readStarted;
    source.close();
    const records = data.reduce((n, [values]) => n + values.length, 0);
    if (m === 'read') return { ms: readMs, records };

    const name = `plain-bench-${Date.now()}`;
    const opening = indexedDB.open(name, 1);
    opening.onupgradeneeded = () => {
      for (const s of shapes) {
        const store = opening.result.createObjectStore(s.name, s.keyPath === null ? { autoIncrement: s.autoIncrement } : { keyPath: s.keyPath, autoIncrement: s.autoIncrement });
        for (const i of s.indexes) store.createIndex(i.name, i.keyPath, { unique: i.unique, multiEntry: i.multiEntry });
      }
    };
    const fresh = await request(opening);
    const writeStarted = performance.now();
    const wtx = fresh.transaction(names, 'readwrite');
    shapes.forEach((s, i) => {
      const store = wtx.objectStore(s.name);
      const [values, keys] = data[i];
      values.forEach((v, j) => (keys === null ? store.put(v) : store.put(v, keys[j])));
    });
    await finished(wtx);
    const writeMs = performance.now() - writeStarted;
    fresh.close();
    await request(indexedDB.deleteDatabase(name));
    return { ms: writeMs, records };
  }, mode);
}

async function openWorkspace(page) {
  const panel = page.getByRole('region', { name: 'Workspace' });
  if (!(await panel.isVisible())) await page.getByRole('button', { name: 'Workspace', exact: true }).click();
  await panel.waitFor();
}

/** The workspace the brief asks for, made through the UI: champion, request log, a 200k-row version. */
async function makeWorkspace(page) {
  await page.getByRole('heading', { name: 'Penguin species' }).waitFor({ timeout: 60_000 });
  process.stdout.write(`Backup bench: training the penguins champion (${EPOCHS} epochs)...\n`);
  await goToStage(page, 'Train');
  await page.getByLabel('Backend', { exact: true }).selectOption('wasm');
  await page.getByLabel('Epochs').fill(EPOCHS);
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await page.getByRole('heading', { name: /^Last run: / }).waitFor({ timeout: STEP_TIMEOUT_MS });
  await goToStage(page, 'Deliver');
  await page.getByRole('combobox', { name: 'Run', exact: true }).selectOption({ index: 0 });
  await page.getByRole('checkbox', { name: 'Make it the champion' }).check();
  await page.getByRole('button', { name: 'Register model' }).click();
  await page.getByText(/Registered penguin-species version 1 as champion\./).waitFor({ timeout: 30_000 });

  process.stdout.write(`Backup bench: replaying ${REQUESTS} requests from the Traffic panel...\n`);
  await goToStage(page, 'Monitor');
  await page.getByRole('heading', { name: 'Traffic' }).waitFor();
  await page.getByRole('radio', { name: 'The data as it is' }).check();
  await page.getByLabel('Requests', { exact: true }).fill(String(REQUESTS));
  await page.getByRole('button', { name: 'Play traffic' }).click();
  await page.getByRole('status', { name: 'Replay result' }).waitFor({ timeout: STEP_TIMEOUT_MS });
  // The windows and alert rules the page computes after a replay: let them finish before anything is timed.
  await page.waitForFunction(
    () => ![...document.querySelectorAll('[aria-busy="true"]')].some((e) => e.textContent.startsWith('Computing the windows and stepping the alert rules')),
    null,
    { polling: 500, timeout: STEP_TIMEOUT_MS },
  );

  process.stdout.write(`Backup bench: importing ${ROWS} x 20 CSV in the Data stage...\n`);
  await goToStage(page, 'Data');
  await page.getByLabel('Import data file').setInputFiles(csvPath);
  const form = page.getByRole('form', { name: 'Configure import' });
  await form.waitFor({ timeout: STEP_TIMEOUT_MS });
  await form.getByLabel('Role of label').selectOption('target');
  await form.getByRole('button', { name: 'Save dataset version' }).click();
  await page.getByText(new RegExp(`^Saved version [0-9a-f]{12} with ${ROWS} rows\\.$`)).waitFor({ timeout: STEP_TIMEOUT_MS });
}

async function loopbenchBackup(page, tasks, saveAs) {
  await openWorkspace(page);
  const download = page.waitForEvent('download', { timeout: STEP_TIMEOUT_MS });
  const started = Date.now();
  const { value, slowestAnswerMs } = await probing(page, async () => {
    await page.getByRole('button', { name: 'Back up workspace' }).click();
    const saved = await download;
    const path = await saved.path();
    const savedMs = Date.now() - started;
    await page.getByText(/^Backed up [\d,]+ records \([\d.]+ MB\) to loopbench-backup-.*\.zip\.$/).waitFor({ timeout: STEP_TIMEOUT_MS });
    return { path, savedMs };
  });
  const ended = Date.now();
  await copyFile(value.path, saveAs);
  const zip = await readFile(saveAs);
  const manifest = JSON.parse(new TextDecoder().decode(unzipSync(zip, { filter: (f) => f.name === 'manifest.json' })['manifest.json']));
  const storedBytes = Object.values(manifest.entries).reduce((n, e) => n + e.bytes, 0);
  const records = Object.values(manifest.stores).reduce((n, s) => n + s.records, 0);
  return { brokenEntries: unreadableEntries(zip), restoreFile: saveAs, ms: value.savedMs, zipBytes: zip.byteLength, storedBytes, entries: Object.keys(manifest.entries).length + 1, records, slowestAnswerMs, ...tasksBetween(tasks, started, ended) };
}

/** Restores `file` (the app's own, unrepaired) with "Replace everything": the refusal the panel shows, or null if it reloaded. */
async function refusalOf(page, file) {
  await openWorkspace(page);
  await page.getByLabel('Replace everything').check();
  await page.getByLabel('Restore from backup').setInputFiles(file);
  await page.getByRole('button', { name: 'Yes, replace everything' }).click();
  const alert = page.getByRole('region', { name: 'Workspace' }).getByRole('alert');
  const loaded = page.waitForEvent('load', { timeout: STEP_TIMEOUT_MS }).then(() => null);
  const shown = alert.textContent({ timeout: STEP_TIMEOUT_MS });
  const refusal = await Promise.race([shown, loaded]);
  return refusal === null ? null : refusal.trim();
}

async function loopbenchRestore(page, tasks, file) {
  await openWorkspace(page);
  await page.getByLabel('Replace everything').check();
  await page.getByLabel('Restore from backup').setInputFiles(file);
  await page.getByRole('group', { name: 'Confirm replace' }).waitFor();
  const started = Date.now();
  let reloadedMs = null;
  const { slowestAnswerMs } = await probing(page, async () => {
    const loaded = page.waitForEvent('load', { timeout: STEP_TIMEOUT_MS });
    await page.getByRole('button', { name: 'Yes, replace everything' }).click();
    await loaded;
    reloadedMs = Date.now() - started;
    await page.getByRole('tab', { name: /Define/ }).waitFor({ timeout: STEP_TIMEOUT_MS });
  });
  const ended = Date.now();
  return { ms: ended - started, reloadEventMs: reloadedMs, slowestAnswerMs, ...tasksBetween(tasks, started, ended) };
}

async function plainTimed(page, tasks, mode) {
  const started = Date.now();
  const { value, slowestAnswerMs } = await probing(page, () => plainSide(page, mode));
  return { ms: value.ms, records: value.records, slowestAnswerMs, ...tasksBetween(tasks, started, Date.now()) };
}

export async function runBackupBench(browser) {
  const appDir = join(outRoot, 'bench-backup-app');
  await ensureSmallCsv();
  process.stdout.write('Backup bench: building the app...\n');
  await build({ configFile: appConfig, root, logLevel: 'warn', build: { outDir: appDir, emptyOutDir: true } });
  const server = await preview({ configFile: appConfig, root, logLevel: 'warn', build: { outDir: appDir }, preview: { strictPort: false } });
  const url = server.resolvedUrls?.local[0];
  const context = await browser.newContext({ acceptDownloads: true, serviceWorkers: 'block' });
  const tasks = [];
  const pageErrors = [];
  const result = { rows: ROWS, requests: REQUESTS, backup: [], restore: [], error: null, loadAverage: loadavg()[0] };
  try {
    if (!url) throw new Error('vite preview did not report a local URL for the app');
    await context.exposeBinding('__backupBenchTask', (_source, start, duration) => tasks.push([start, duration]));
    await context.addInitScript(installProbes);
    const page = await context.newPage();
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(url);
    await page.getByRole('tab', { name: /Define/ }).waitFor({ timeout: 60_000 });
    await makeWorkspace(page);
    result.countsBefore = await storeCounts(page);
    await mkdir(join(outRoot, 'bench-backup'), { recursive: true });
    const file = join(outRoot, 'bench-backup', 'loopbench-backup.zip');
    let run = 0;
    for (const side of ORDER) {
      run++;
      process.stdout.write(`Backup bench: backup run ${run}/${ORDER.length}, ${side}...\n`);
      const loadBefore = loadavg()[0];
      const figures = side === 'loopbench' ? await loopbenchBackup(page, tasks, file) : await plainTimed(page, tasks, 'read');
      result.backup.push({ side, run, ...figures, loadAverage: Math.max(loadBefore, loadavg()[0]) });
    }
    const last = result.backup.filter((r) => r.side === 'loopbench').at(-1);
    result.brokenEntries = result.backup.filter((r) => r.side === 'loopbench').map((r) => r.brokenEntries.length);
    if (last.brokenEntries.length > 0) {
      process.stdout.write(`Backup bench: the last backup has ${last.brokenEntries.length} entries zlib cannot inflate; restoring it as saved (not timed)...\n`);
      result.refusal = await refusalOf(page, file);
    }
    run = 0;
    for (const side of ORDER) {
      run++;
      process.stdout.write(`Backup bench: restore run ${run}/${ORDER.length}, ${side}...\n`);
      const loadBefore = loadavg()[0];
      const figures = side === 'loopbench' ? await loopbenchRestore(page, tasks, last.restoreFile) : await plainTimed(page, tasks, 'write');
      result.restore.push({ side, run, ...figures, loadAverage: Math.max(loadBefore, loadavg()[0]) });
    }
    // A replace with the workspace's own backup leaves every store as it was (meta aside: the app writes it as it runs).
    result.countsAfter = await storeCounts(page);
    const differ = Object.keys(result.countsBefore).filter((s) => s !== 'meta' && result.countsBefore[s] !== result.countsAfter[s]);
    if (differ.length > 0) throw new Error(`after the restores, record counts differ in ${differ.map((s) => `${s} (${result.countsBefore[s]} -> ${result.countsAfter[s]})`).join(', ')}`);
  } catch (error) {
    result.error = pageErrors[0] ?? firstLine(error);
    // What the page showed when it failed, for the reader of the error.
    await context.pages()[0]?.screenshot({ path: join(outRoot, 'bench-backup', 'failure.png'), fullPage: true }).catch(() => {});
  } finally {
    await context.close();
    await server.close();
  }
  if (result.error === null && pageErrors.length > 0) result.error = `page error: ${pageErrors[0]}`;
  result.loadAverage = Math.max(result.loadAverage, ...result.backup.map((r) => r.loadAverage), ...result.restore.map((r) => r.loadAverage));
  result.summary = summarise(result);
  return result;
}

function summarise({ backup, restore }) {
  const of = (rows, side, key) => median(rows.filter((r) => r.side === side).map((r) => r[key] ?? null));
  const lb = backup.find((r) => r.side === 'loopbench');
  const storedBytes = lb?.storedBytes ?? null;
  const backupMs = of(backup, 'loopbench', 'ms');
  const readMs = of(backup, 'plain', 'ms');
  const restoreMs = of(restore, 'loopbench', 'ms');
  const writeMs = of(restore, 'plain', 'ms');
  const worst = (rows, side, key) => Math.max(0, ...rows.filter((r) => r.side === side).map((r) => r[key] ?? 0));
  return {
    storedBytes,
    zipBytes: lb?.zipBytes ?? null,
    records: lb?.records ?? null,
    backup: { loopbenchMs: backupMs, plainMs: readMs, ratio: backupMs && readMs ? backupMs / readMs : null, longestTaskMs: worst(backup, 'loopbench', 'longestTaskMs'), slowestAnswerMs: worst(backup, 'loopbench', 'slowestAnswerMs'), plainLongestTaskMs: worst(backup, 'plain', 'longestTaskMs') },
    restore: { loopbenchMs: restoreMs, plainMs: writeMs, ratio: restoreMs && writeMs ? restoreMs / writeMs : null, reloadEventMs: of(restore, 'loopbench', 'reloadEventMs'), longestTaskMs: worst(restore, 'loopbench', 'longestTaskMs'), slowestAnswerMs: worst(restore, 'loopbench', 'slowestAnswerMs'), plainLongestTaskMs: worst(restore, 'plain', 'longestTaskMs') },
  };
}

const s = (v) => (v === null || v === undefined ? '-' : (v / 1000).toFixed(2));
const mb = (v) => (v === null || v === undefined ? '-' : (v / 1024 ** 2).toFixed(1));
const rate = (bytes, msValue) => (bytes === null || !msValue ? '-' : (bytes / 1024 ** 2 / (msValue / 1000)).toFixed(1));
const task = (v) => (v === 0 ? 'none >= 50' : v.toFixed(0));

export function formatBackupTable(result, alignedTable) {
  const head = `Workspace backup and restore, the real app: ${result.rows} x 20 CSV version + ${result.requests} logged requests + penguins run and champion`;
  if (result.summary.records === null) return `${head}\nfailed: ${result.error}`;
  const { storedBytes, zipBytes, records, backup: b, restore: r } = result.summary;
  const header = ['operation', 'loopbench s', 'plain s', 'ratio', 'stored MB/s (lb)', 'stored MB/s (plain)', 'zip MB', 'longest task ms (lb)', 'slowest answer ms (lb)', `responsive (< ${RESPONSIVE_MS} ms)`, 'longest task ms (plain)'];
  const rows = [
    ['backup / getAll', s(b.loopbenchMs), s(b.plainMs), b.ratio === null ? '-' : b.ratio.toFixed(1), rate(storedBytes, b.loopbenchMs), rate(storedBytes, b.plainMs), mb(zipBytes), task(b.longestTaskMs), String(b.slowestAnswerMs), b.slowestAnswerMs < RESPONSIVE_MS ? 'yes' : 'no', task(b.plainLongestTaskMs)],
    ['restore / put', s(r.loopbenchMs), s(r.plainMs), r.ratio === null ? '-' : r.ratio.toFixed(1), rate(storedBytes, r.loopbenchMs), rate(storedBytes, r.plainMs), '-', task(r.longestTaskMs), String(r.slowestAnswerMs), r.slowestAnswerMs < RESPONSIVE_MS ? 'yes' : 'no', task(r.plainLongestTaskMs)],
  ];
  const runHeader = ['operation', 'run', 'side', 's', 'longest task ms', 'slowest answer ms', 'load avg'];
  const runRows = [...result.backup.map((x) => ['backup', x]), ...result.restore.map((x) => ['restore', x])].map(([op, x]) => [
    op,
    String(x.run),
    x.side,
    s(x.ms) + (x.reloadEventMs ? ` (reload event ${s(x.reloadEventMs)})` : ''),
    task(x.longestTaskMs),
    String(x.slowestAnswerMs),
    x.loadAverage.toFixed(1),
  ]);
  return [
    head,
    `stored data: ${records.toLocaleString('en-US')} records, ${mb(storedBytes)} MB unpacked (the backup's entries per manifest.json); zip ${mb(zipBytes)} MB`,
    alignedTable(header, rows),
    'Each side ran twice (Loopbench, plain, plain, Loopbench); medians. backup = click until the download is saved; getAll = every store read in one readonly transaction in the page;',
    'restore = "Yes, replace everything" until the reloaded app shows its tabs; put = the same records into a fresh database (same stores, keys, indexes), one readwrite transaction.',
    'longest task = the page\'s longest task (longtask observer), worst of the runs; slowest answer = the slowest round trip of a page.evaluate sent every 250 ms during the run.',
    alignedTable(runHeader, runRows),
    ...(result.brokenEntries?.some((n) => n > 0)
      ? [
          `DEFECT: of the zip's entries, ${result.brokenEntries.join(' and ')} (per Loopbench backup) hold deflate data zlib rejects;`,
          result.refusal ? `  the app's restore of its own backup said: ${result.refusal}` : '  yet the app restored its own backup as saved (and reloaded)',
        ]
      : []),
    ...(result.error ? [`error: ${result.error}`] : []),
  ].join('\n');
}
