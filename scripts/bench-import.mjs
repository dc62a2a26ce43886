// The import half of `npm run bench`: a generated 1,000,000-row CSV and vega-datasets' flights-3m.parquet,
// each imported end to end by Loopbench (parse worker, build with typing, split and hash, IndexedDB save)
// and, for the CSV, parsed by plain papaparse in a worker, all in the bench page in headless Chromium.

import { copyFile, mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { CSV_ROWS, CSV_SEED, CSV_TARGET, ensureCsv } from './bench-csv.mjs';
import { loadavg } from 'node:os';
import { rendererMemoryNow, sampleRendererMemory } from './renderer-memory.mjs';

const CSV_NAME = `bench-${CSV_ROWS}x20-seed${CSV_SEED}.csv`;
const csvPath = fileURLToPath(new URL(`../.tmp/bench-import/${CSV_NAME}`, import.meta.url));
const parquetPath = fileURLToPath(new URL('../node_modules/vega-datasets/data/flights-3m.parquet', import.meta.url));
const PARQUET_NAME = 'flights-3m.parquet';
const TIMEOUT_MS = 240_000;

/** Generates the CSV if needed and puts both files next to the built page, where the preview server serves them. */
export async function prepareImportFiles(distDir) {
  process.stdout.write('Preparing import files (the CSV is generated once into .tmp/bench-import)...\n');
  await ensureCsv(csvPath);
  await mkdir(`${distDir}/data`, { recursive: true });
  await copyFile(csvPath, `${distDir}/data/${CSV_NAME}`);
  await copyFile(parquetPath, `${distDir}/data/${PARQUET_NAME}`);
}

const PLAN = [
  { label: `CSV ${CSV_ROWS / 1e6}M x 20`, side: 'loopbench', fileName: CSV_NAME, target: CSV_TARGET, task: 'classification' },
  { label: `CSV ${CSV_ROWS / 1e6}M x 20`, side: 'papaparse', fileName: CSV_NAME, target: CSV_TARGET, task: 'classification' },
  // Flight delays, a regression: its airports ("origin") include some with one flight, which no stratified split takes.
  { label: PARQUET_NAME, side: 'loopbench', fileName: PARQUET_NAME, target: 'delay', task: 'regression' },
];

export async function runImportBench(browser, url) {
  const results = [];
  for (const row of PLAN) {
    process.stdout.write(`Importing ${row.fileName} with ${row.side}...\n`);
    // A fresh page per row, so one import's garbage and leftover IndexedDB work cannot weigh on the next.
    const page = await browser.newPage();
    const pageErrors = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    const loadBefore = loadavg()[0];
    let idleRss = null;
    let memory = null;
    let result;
    try {
      await page.goto(url, { waitUntil: 'load' });
      await page.waitForFunction(() => typeof window.runImportBench === 'function', null, { timeout: 30_000 });
      // The loaded page at rest, so the table can show what the import itself added.
      idleRss = await rendererMemoryNow();
      memory = sampleRendererMemory();
      result = await page.evaluate((request) => window.runImportBench(request), {
        side: row.side,
        url: `data/${row.fileName}`,
        fileName: row.fileName,
        target: row.target,
        task: row.task,
        timeoutMs: TIMEOUT_MS,
      });
    } catch (error) {
      const reason = pageErrors[0] ?? (error instanceof Error ? error.message.split('\n')[0] : String(error));
      result = { side: row.side, fileName: row.fileName, bytes: 0, rows: 0, totalMs: null, phases: null, datasetId: null, peakPageHeapBytes: null, longestTaskMs: 0, longTaskCount: 0, longestTaskPhase: null, error: reason };
    } finally {
      await page.close();
    }
    const peakRendererRssBytes = memory === null ? null : await memory.stop();
    results.push({ label: row.label, ...result, idleRendererRssBytes: idleRss, peakRendererRssBytes, loadAverage: Math.max(loadBefore, loadavg()[0]) });
  }
  // The issue's measure: Loopbench's end-to-end throughput over papaparse's on the same file.
  for (const r of results) {
    const papa = results.find((p) => p.side === 'papaparse' && p.fileName === r.fileName);
    const ok = r.side === 'loopbench' && papa && r.totalMs !== null && papa.totalMs !== null && papa.rows > 0;
    r.ratio = ok ? r.rows / r.totalMs / (papa.rows / papa.totalMs) : null;
  }
  return results;
}

const mb = (bytes) => bytes / (1024 * 1024);
const rssCell = (peak, idle) => (idle === null ? mb(peak).toFixed(0) : `${mb(peak).toFixed(0)} (+${mb(Math.max(0, peak - idle)).toFixed(0)})`);

export function formatImportTable(results) {
  const header = ['file', 'side', 'rows', 'MB', 's', 'rows/s', 'MB/s', 'ratio', 'read/parse/store s', 'peak page heap MB', 'renderer RSS MB peak (+import)', 'longest main task ms'];
  const rows = results.map((r) => {
    const head = [r.label, r.side];
    if (r.totalMs === null) return [...head, `failed: ${r.error}`];
    const seconds = r.totalMs / 1000;
    return [
      ...head,
      r.rows.toLocaleString('en-US'),
      mb(r.bytes).toFixed(0),
      seconds.toFixed(1),
      Math.round(r.rows / seconds).toLocaleString('en-US'),
      (mb(r.bytes) / seconds).toFixed(1),
      r.side === 'papaparse' ? '(baseline)' : r.ratio === null ? 'n/a' : r.ratio.toFixed(2),
      r.phases === null ? '-' : [r.phases.readMs, r.phases.parseMs, r.phases.storeMs].map((v) => (v === null ? '-' : (v / 1000).toFixed(1))).join(' / '),
      r.peakPageHeapBytes === null ? '-' : mb(r.peakPageHeapBytes).toFixed(0),
      r.peakRendererRssBytes === null ? '-' : rssCell(r.peakRendererRssBytes, r.idleRendererRssBytes),
      r.longTaskCount === 0 ? 'none >= 50' : `${r.longestTaskMs.toFixed(0)}${r.longestTaskPhase === null ? '' : ` (${r.longestTaskPhase})`}`,
    ];
  });
  // Failed rows run their reason across the remaining columns, so only full rows set widths.
  const full = [header, ...rows.filter((r) => r.length === header.length)];
  const widths = header.map((_, i) => Math.max(...full.map((r) => r[i].length)));
  const line = (cells) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]))).join('  ');
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

export const IMPORT_NOTES = [
  's = end to end from the File to the stored version (Loopbench: parse worker, then buildAndStore = type + split + hash + IndexedDB write, in the worker),',
  '  papaparse: Papa.parse of the same File in its own worker; ratio = Loopbench rows/s / papaparse rows/s (goal >= 0.7).',
  'read = until the parse worker\'s progress reported every byte read, decoded and tokenized;',
  '  parse = parseFile in all (read, then the raw table and the type guesses); store = buildAndStore (the page only gets the record back).',
  'longest main task: the page\'s longest task >= 50 ms and the phase it started in (parse, store, or after = clean-up).',
  'peak page heap = performance.memory.usedJSHeapSize sampled every 100 ms (Chromium-only, non-standard; the page only, not its workers);',
  'renderer RSS = resident memory of the browser\'s renderer processes (page and its workers together; workers have no performance.memory),',
  '  sampled from /proc every 100 ms; (+import) = peak minus the loaded page at rest just before the import.',
].join('\n');
