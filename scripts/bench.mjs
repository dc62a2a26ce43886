// `npm run bench`: builds test/bench, serves it on localhost and, per tfjs backend, measures
// Loopbench's training worker against a plain tfjs model.fit of the same MLP in headless Chromium.
// Then imports a generated 1M-row CSV and flights-3m.parquet (scripts/bench-import.mjs) against plain papaparse.
// Prints a table per part and writes .tmp/bench.json. BENCH_BACKENDS=wasm,cpu limits the backends;
// BENCH_ONLY=train or BENCH_ONLY=import runs one part (both by default).

import { mkdir, writeFile } from 'node:fs/promises';
import { availableParallelism, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { build, preview } from 'vite';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './chromium.mjs';
import { formatImportTable, IMPORT_NOTES, prepareImportFiles, runImportBench } from './bench-import.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const configFile = fileURLToPath(new URL('../test/bench/vite.config.ts', import.meta.url));
const jsonPath = fileURLToPath(new URL('../.tmp/bench.json', import.meta.url));
const distDir = fileURLToPath(new URL('../.tmp/bench-dist', import.meta.url));

// Software WebGPU takes 6-16 s an epoch here, so it gets fewer epochs to keep the bench to minutes.
const PLAN = [
  { backend: 'wasm', epochs: 6, timeoutMs: 120_000 },
  { backend: 'cpu', epochs: 6, timeoutMs: 180_000 },
  { backend: 'webgl', epochs: 6, timeoutMs: 180_000 },
  { backend: 'webgpu', epochs: 3, timeoutMs: 240_000 },
];


function selectedParts() {
  const only = process.env.BENCH_ONLY?.trim();
  if (!only) return { train: true, import: true };
  if (only !== 'train' && only !== 'import') throw new Error(`BENCH_ONLY: expected "train" or "import", got "${only}"`);
  return { train: only === 'train', import: only === 'import' };
}

function selectedPlan() {
  const only = process.env.BENCH_BACKENDS?.split(',').map((b) => b.trim()).filter(Boolean);
  if (!only) return PLAN;
  const unknown = only.filter((b) => !PLAN.some((p) => p.backend === b));
  if (unknown.length > 0) throw new Error(`BENCH_BACKENDS: unknown backend ${unknown.join(', ')}`);
  return PLAN.filter((p) => only.includes(p.backend));
}

const ms = (value) => (value === null ? '-' : value.toFixed(0));

function formatTable(results) {
  const header = ['backend', 'epochs', 'loopbench ms/epoch', 'plain fit ms/epoch', 'ratio', 'longest main task ms'];
  const rows = results.map((r) => {
    // Neither side trained on this backend: the device does not offer it.
    if (r.loopbench.error !== null && r.plain.error !== null) {
      const reason = r.plain.error === r.loopbench.error ? r.plain.error : `${r.plain.error}; loopbench: ${r.loopbench.error}`;
      return [r.backend, String(r.epochs), `unavailable: ${reason}`];
    }
    return [
      r.backend,
      String(r.epochs),
      r.loopbench.error === null ? ms(r.loopbench.steadyMs) : `failed: ${r.loopbench.error}`,
      r.plain.error === null ? ms(r.plain.steadyMs) : `failed: ${r.plain.error}`,
      r.ratio === null ? '-' : r.ratio.toFixed(2),
      r.longTaskCount === 0 ? 'none >= 50' : ms(r.longestTaskMs),
    ];
  });
  // Unavailable rows run their reason across the remaining columns, so only full rows set widths.
  const full = [header, ...rows.filter((r) => r.length === header.length)];
  const widths = header.map((_, i) => Math.max(...full.map((r) => r[i].length)));
  const line = (cells) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]))).join('  ');
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

async function main() {
  const parts = selectedParts();
  const plan = parts.train ? selectedPlan() : [];
  const started = Date.now();
  process.stdout.write('Building the bench page...\n');
  await build({ configFile, logLevel: 'warn' });
  const server = await preview({ configFile, logLevel: 'warn' });
  const url = server.resolvedUrls?.local[0];
  if (!url) throw new Error('vite preview did not report a local URL');
  // After the build (which empties its folder), so the preview server serves the files beside the page.
  const importFiles = parts.import ? await prepareImportFiles(distDir) : null;

  // Precise values make performance.memory update every 50 ms instead of a coarse, 20-minute-cached bucket.
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS, '--enable-precise-memory-info'] });
  const chromiumVersion = browser.version();
  const results = [];
  let imports = [];
  try {
    for (const { backend, epochs, timeoutMs } of plan) {
      process.stdout.write(`Measuring ${backend} (${epochs} epochs each side)...\n`);
      // A fresh page per backend, so one backend's leftovers cannot slow the next.
      const page = await browser.newPage();
      const pageErrors = [];
      const loadBefore = loadavg()[0];
      page.on('pageerror', (error) => pageErrors.push(error.message));
      try {
        await page.goto(url, { waitUntil: 'load' });
        await page.waitForFunction(() => typeof window.runBackendBench === 'function', null, { timeout: 30_000 });
        const result = await page.evaluate(
          ([b, e, t]) => window.runBackendBench(b, e, t),
          [backend, epochs, timeoutMs],
        );
        results.push({ ...result, loadAverage: Math.max(loadBefore, loadavg()[0]) });
      } catch (error) {
        const reason = pageErrors[0] ?? (error instanceof Error ? error.message.split('\n')[0] : String(error));
        const failed = { backendUsed: null, epochMs: [], steadyMs: null, error: reason };
        results.push({ backend, epochs, rows: 0, loopbench: failed, plain: failed, ratio: null, longestTaskMs: 0, longTaskCount: 0, loadAverage: loadavg()[0] });
      } finally {
        await page.close();
      }
    }
    if (importFiles !== null) imports = await runImportBench(browser, url, importFiles);
  } finally {
    await browser.close();
    await server.close();
  }

  const report = {
    measuredAt: new Date().toISOString(),
    durationMs: Date.now() - started,
    chromium: chromiumVersion,
    model: 'MLP 2x64 relu, adam 0.01, batch 256, 10000 x 20 rows, 3 classes',
    results,
    imports,
  };
  await mkdir(fileURLToPath(new URL('../.tmp', import.meta.url)), { recursive: true });
  await writeFile(jsonPath, JSON.stringify(report, null, 2));
  if (parts.train) {
    process.stdout.write(`\n${formatTable(results)}\n\nsteady ms/epoch = median of epochs after the first; ratio = loopbench / plain fit.\n`);
  }
  if (parts.import) process.stdout.write(`\n${formatImportTable(imports)}\n\n${IMPORT_NOTES}\n`);
  // Other work on the machine slows both sides unevenly; say so rather than let a noisy ratio pass for a finding.
  // The bench itself keeps one to two cores busy, hence the allowance of one over the core count.
  const busiest = Math.max(0, ...[...results, ...imports].map((r) => r.loadAverage));
  if (busiest > availableParallelism() + 1) {
    process.stdout.write(`Warning: load average reached ${busiest.toFixed(1)} on ${availableParallelism()} cores during the run; timings are noisy.\n`);
  }
  process.stdout.write(`Took ${((Date.now() - started) / 1000).toFixed(0)} s; JSON in ${jsonPath.replace(root, '')}\n`);

  // A backend plain tfjs trains on but Loopbench does not is a Loopbench bug, not a device limit.
  const broken = results.filter((r) => r.plain.error === null && r.loopbench.error !== null);
  if (broken.length > 0) {
    process.stderr.write(`Loopbench failed where plain tfjs trained: ${broken.map((r) => `${r.backend} (${r.loopbench.error})`).join(', ')}\n`);
    process.exitCode = 1;
  }
  // An unsupported codec is a known limit and printed as such; any other failed import is a bug.
  const failedImports = imports.filter((r) => r.side === 'loopbench' && r.error !== null && r.unsupportedCodecs.length === 0);
  if (failedImports.length > 0) {
    process.stderr.write(`Loopbench import failed: ${failedImports.map((r) => `${r.fileName} (${r.error})`).join(', ')}\n`);
    process.exitCode = 1;
  }
}

main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
