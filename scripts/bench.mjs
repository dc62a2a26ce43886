// `npm run bench`: builds test/bench, serves it on localhost and, per model and tfjs backend, measures
// Loopbench's training worker against a plain tfjs model.fit of the same model and data in headless Chromium:
// an MLP on a 100k-row table and the default CNN on the Shapes image sample; then how long the backend probe
// takes per family. Then imports a generated 1M-row CSV and flights-3m.parquet (scripts/bench-import.mjs) against
// plain papaparse. Prints a table per part and writes .tmp/bench.json. BENCH_BACKENDS=wasm,cpu limits the backends,
// BENCH_MODELS=mlp or cnn the models; BENCH_ONLY=train or BENCH_ONLY=import runs one part.
// BENCH_OUT=.tmp/other puts the built page and the JSON in another folder, so two benches can run at once.
// BENCH_ONLY=sweep runs only the sweep part (scripts/bench-sweep.mjs: one training worker against two and three at once).
// BENCH_ONLY=dataplane runs only the data plane part (scripts/bench-data-plane.mjs: the page's longest task and heap
// growth while recipe apply, training start, evaluation and an image import work by id on a 1M x 20 version).
// BENCH_ONLY=pipeline runs only the pipeline part (scripts/bench-pipeline.mjs: builds and serves the real app, runs a
// Deliver pipeline three times per backend, wasm and cpu, and reports its overhead beyond training and evaluation;
// goal under a second).
// BENCH_ONLY=monitor runs only the monitor part (scripts/bench-monitor.mjs: drift over 100k requests x 20 features in a
// bench page worker, goal under a second; then, on the real app, a million penguins requests replayed on wasm and on cpu:
// requests/s, the page's longest task and its heap as the log grows).
// BENCH_ONLY=backup runs only the workspace backup part (scripts/bench-backup.mjs: builds and serves the real app, makes
// a 200k x 20 version and a 100k-request log through the UI, then backs up and restores the workspace against plain
// IndexedDB getAll and put on the same database). By default every part but sweep and backup runs.

import { mkdir, writeFile } from 'node:fs/promises';
import { availableParallelism, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, preview } from 'vite';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './chromium.mjs';
import { formatImportTable, IMPORT_NOTES, prepareImportFiles, runImportBench } from './bench-import.mjs';
import { formatSweepTable, runSweepBench } from './bench-sweep.mjs';
import { formatDataPlaneTable, runDataPlaneBench } from './bench-data-plane.mjs';
import { formatPipelineTable, runPipelineBench } from './bench-pipeline.mjs';
import { failedMonitorRows, formatMonitorTables, runMonitorBench } from './bench-monitor.mjs';
import { formatBackupTable, runBackupBench } from './bench-backup.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const configFile = fileURLToPath(new URL('../test/bench/vite.config.ts', import.meta.url));
const outDir = resolve(root, process.env.BENCH_OUT?.trim() || '.tmp');
const jsonPath = join(outDir, 'bench.json');
const distDir = join(outDir, 'bench-dist');

// Each side runs twice (Loopbench, plain, plain, Loopbench: test/bench/main.ts); a side's steady figure is the median
// of its runs' epochs after their first (which carries warm-up). The same work varies by 20% and more from one epoch
// to the next on this machine's shared cores, so every row keeps at least four steady epochs a side: the CNN's short
// epochs (12 batches) train four epochs a run, five on cpu, where they vary most. Software WebGPU (SwiftShader) is
// 10-100x slower than the rest (MLP ~4 s per 10k rows, CNN ~2 s per batch of 32 images), so it trains less data,
// said in the printed notes, to keep the training part near a quarter hour.
const PLAN = [
  { model: 'mlp', backend: 'wasm', epochs: 3, rows: 100_000, timeoutMs: 240_000 },
  { model: 'mlp', backend: 'cpu', epochs: 3, rows: 100_000, timeoutMs: 300_000 },
  { model: 'mlp', backend: 'webgl', epochs: 3, rows: 100_000, timeoutMs: 300_000 },
  { model: 'mlp', backend: 'webgpu', epochs: 3, rows: 10_000, timeoutMs: 240_000, note: 'webgpu MLP: 10k rows (software adapter; 100k rows would take ~4 min a side)' },
  { model: 'cnn', backend: 'webgl', epochs: 4, rows: 400, timeoutMs: 240_000 },
  { model: 'cnn', backend: 'cpu', epochs: 5, rows: 400, timeoutMs: 360_000 },
  { model: 'cnn', backend: 'wasm', epochs: 4, rows: 400, timeoutMs: 60_000 },
  { model: 'cnn', backend: 'webgpu', epochs: 3, rows: 200, timeoutMs: 300_000, note: 'webgpu CNN: 200 images (software adapter)' },
];
const PROBE_FAMILIES = ['linear', 'mlp', 'cnn'];
// What both sides do per epoch (test/bench/loopbench-side.ts, plain-fit.worker.ts), so the ratio compares like with like.
const EQUAL_WORK =
  '90% of the rows train and 10% validate; each side trains the same model from the same initial weights, ' +
  'measures training loss and accuracy on every batch and validation loss and accuracy after every epoch ' +
  '(plain: model.fit with metrics: [accuracy] and validationData). Loopbench also reads back a checkpoint ' +
  '(weights and optimizer state) every epoch, as the app needs.';
// Not the loop: the cpu rows gain from these kernels, so the table says where the gain comes from.
const KERNELS =
  "Kernels: on cpu, Loopbench's worker replaces tfjs-backend-cpu's BatchMatMul, Conv2DBackpropFilter and MaxPoolGrad with its own " +
  "(the same results, bit for bit; workers/kernels); every other backend runs tfjs's kernels. The plain side runs tfjs as shipped.";

function selectedParts() {
  const only = process.env.BENCH_ONLY?.trim();
  if (!only) return { train: true, import: true, sweep: false, dataplane: true, pipeline: true, monitor: true, backup: false };
  const parts = ['train', 'import', 'sweep', 'dataplane', 'pipeline', 'monitor', 'backup'];
  if (!parts.includes(only)) throw new Error(`BENCH_ONLY: expected one of ${parts.join(', ')}, got "${only}"`);
  return Object.fromEntries(parts.map((part) => [part, part === only]));
}

function listFromEnv(name, key) {
  const only = process.env[name]?.split(',').map((b) => b.trim()).filter(Boolean);
  if (!only) return null;
  const unknown = only.filter((b) => !PLAN.some((p) => p[key] === b));
  if (unknown.length > 0) throw new Error(`${name}: unknown ${key} ${unknown.join(', ')}`);
  return only;
}

function selectedPlan() {
  const backends = listFromEnv('BENCH_BACKENDS', 'backend');
  const models = listFromEnv('BENCH_MODELS', 'model');
  return PLAN.filter((p) => (!backends || backends.includes(p.backend)) && (!models || models.includes(p.model)));
}

const ms = (value) => (value === null ? '-' : value.toFixed(0));

function alignedTable(header, rows) {
  // Rows shorter than the header run their last cell across the remaining columns, so only full rows set widths.
  const full = [header, ...rows.filter((r) => r.length === header.length)];
  const widths = header.map((_, i) => Math.max(...full.map((r) => r[i].length)));
  const line = (cells) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]))).join('  ');
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

function formatTable(results) {
  const header = ['model', 'backend', 'rows', 'epochs', 'loopbench ms/epoch', 'plain fit ms/epoch', 'ratio', 'longest main task ms'];
  const rows = results.map((r) => {
    const lead = [r.model, r.backend, String(r.rows), String(r.epochs)];
    // Neither side trained on this backend: the device does not offer it, or the model cannot train there.
    if (r.loopbench.error !== null && r.plain.error !== null) {
      const reason = r.plain.error === r.loopbench.error ? r.plain.error : `${r.plain.error}; loopbench: ${r.loopbench.error}`;
      return [...lead, `not run: ${reason}`];
    }
    return [
      ...lead,
      r.loopbench.error === null ? ms(r.loopbench.steadyMs) : `failed: ${r.loopbench.error}`,
      r.plain.error === null ? ms(r.plain.steadyMs) : `failed: ${r.plain.error}`,
      r.ratio === null ? '-' : r.ratio.toFixed(2),
      r.longTaskCount === 0 ? 'none >= 50' : ms(r.longestTaskMs),
    ];
  });
  return alignedTable(header, rows);
}

function formatProbeTable(probes) {
  const backends = ['webgpu', 'webgl', 'wasm', 'cpu'];
  const header = ['family', 'probe s', 'best', ...backends.map((b) => `${b} ms/step`)];
  const rows = probes.map((p) => {
    if (p.error !== null) return [p.family, `failed: ${p.error}`];
    const cell = (b) => {
      const m = p.measurements.find((x) => x.backend === b);
      if (!m) return '-';
      if (m.ok) return m.msPerStep.toFixed(1);
      return /too slow/.test(m.error) ? 'too slow' : /cannot train/.test(m.error) ? 'cannot train' : 'failed';
    };
    return [p.family, (p.durationMs / 1000).toFixed(1), p.best, ...backends.map(cell)];
  });
  return alignedTable(header, rows);
}

async function main() {
  const parts = selectedParts();
  const plan = parts.train ? selectedPlan() : [];
  const started = Date.now();
  // The pipeline part builds and serves the app itself; the others need the bench page (monitor: for its drift rows).
  const benchPage = parts.train || parts.import || parts.sweep || parts.dataplane || parts.monitor;
  let server = null;
  let url = null;
  if (benchPage) {
    process.stdout.write('Building the bench page...\n');
    await build({ configFile, logLevel: 'warn', build: { outDir: distDir } });
    // Another bench may hold the configured port: preview then takes the next free one.
    server = await preview({ configFile, logLevel: 'warn', build: { outDir: distDir }, preview: { strictPort: false } });
    url = server.resolvedUrls?.local[0];
    if (!url) throw new Error('vite preview did not report a local URL');
  }
  // After the build (which empties its folder), so the preview server serves the files beside the page.
  if (parts.import) await prepareImportFiles(distDir);

  // Precise values make performance.memory update every 50 ms instead of a coarse, 20-minute-cached bucket.
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS, '--enable-precise-memory-info'] });
  const chromiumVersion = browser.version();
  const results = [];
  const probes = [];
  let imports = [];
  let sweeps = [];
  let dataplane = [];
  let pipeline = [];
  let monitor = { drift: [], replay: [] };
  let backup = null;
  try {
    for (const { model, backend, epochs, rows, timeoutMs } of plan) {
      process.stdout.write(`Measuring the ${model} on ${backend} (${rows} rows, ${epochs} epochs each side)...\n`);
      // A fresh page per backend, so one backend's leftovers cannot slow the next.
      const page = await browser.newPage();
      const pageErrors = [];
      const loadBefore = loadavg()[0];
      page.on('pageerror', (error) => pageErrors.push(error.message));
      try {
        await page.goto(url, { waitUntil: 'load' });
        await page.waitForFunction(() => typeof window.runBackendBench === 'function', null, { timeout: 30_000 });
        const result = await page.evaluate(
          ([m, b, e, r, t]) => window.runBackendBench(m, b, e, r, t),
          [model, backend, epochs, rows, timeoutMs],
        );
        results.push({ ...result, loadAverage: Math.max(loadBefore, loadavg()[0]) });
      } catch (error) {
        const reason = pageErrors[0] ?? (error instanceof Error ? error.message.split('\n')[0] : String(error));
        const failed = { backendUsed: null, epochMs: [], steadyMs: null, error: reason };
        results.push({ model, backend, epochs, rows, loopbench: failed, plain: failed, ratio: null, longestTaskMs: 0, longTaskCount: 0, loadAverage: loadavg()[0] });
      } finally {
        await page.close();
      }
    }
    if (parts.train) {
      for (const family of PROBE_FAMILIES) {
        process.stdout.write(`Timing the backend probe for the ${family}...\n`);
        const page = await browser.newPage();
        try {
          await page.goto(url, { waitUntil: 'load' });
          await page.waitForFunction(() => typeof window.runProbeBench === 'function', null, { timeout: 30_000 });
          probes.push({ ...(await page.evaluate(([f, t]) => window.runProbeBench(f, t), [family, 180_000])), loadAverage: loadavg()[0] });
        } catch (error) {
          probes.push({ family, durationMs: null, best: null, measurements: [], error: error instanceof Error ? error.message.split('\n')[0] : String(error), loadAverage: loadavg()[0] });
        } finally {
          await page.close();
        }
      }
    }
    if (parts.import) imports = await runImportBench(browser, url);
    if (parts.sweep) sweeps = await runSweepBench(browser, url, listFromEnv('BENCH_BACKENDS', 'backend') ?? ['wasm', 'cpu']);
    if (parts.dataplane) dataplane = await runDataPlaneBench(browser, url);
    if (parts.pipeline) pipeline = await runPipelineBench(browser);
    if (parts.monitor) monitor = await runMonitorBench(browser, url);
    if (parts.backup) backup = await runBackupBench(browser);
  } finally {
    await browser.close();
    await server?.close();
  }

  const report = {
    measuredAt: new Date().toISOString(),
    durationMs: Date.now() - started,
    chromium: chromiumVersion,
    equalWork: EQUAL_WORK,
    kernels: KERNELS,
    models: {
      mlp: 'MLP 2x64 relu, adam 0.01, batch 256, synthetic rows x 20 features, 3 classes',
      cnn: 'default CNN (conv 8 + 16, 3x3, pool 2; dense 32), adam 0.003, batch 32, Shapes sample 32x32 RGB, 4 classes',
    },
    results,
    probes,
    imports,
    sweeps,
    dataplane,
    pipeline,
    monitor,
    backup,
  };
  await mkdir(outDir, { recursive: true });
  await writeFile(jsonPath, JSON.stringify(report, null, 2));
  if (parts.train) {
    const notes = [...plan.filter((p) => p.note).map((p) => p.note), KERNELS].map((note) => `- ${note}`);
    process.stdout.write(`\nTraining, same work on both sides: ${EQUAL_WORK}\n${formatTable(results)}\n\nsteady ms/epoch = each side ran twice (Loopbench, plain, plain, Loopbench); the median of its runs' epochs after their first; ratio = loopbench / plain fit.\n`);
    if (notes.length > 0) process.stdout.write(`${notes.join('\n')}\n`);
    if (probes.length > 0) process.stdout.write(`\nBackend probe per family (the app's training worker, fresh):\n${formatProbeTable(probes)}\n`);
  }
  if (parts.import) process.stdout.write(`\n${formatImportTable(imports)}\n\n${IMPORT_NOTES}\n`);
  if (parts.sweep) process.stdout.write(`\n${formatSweepTable(sweeps, alignedTable)}\n`);
  if (parts.dataplane) process.stdout.write(`\n${formatDataPlaneTable(dataplane, alignedTable)}\n`);
  if (parts.pipeline) process.stdout.write(`\n${formatPipelineTable(pipeline, alignedTable)}\n`);
  if (parts.monitor) process.stdout.write(`\n${formatMonitorTables(monitor, alignedTable)}\n`);
  if (backup !== null) process.stdout.write(`\n${formatBackupTable(backup, alignedTable)}\n`);
  // Other work on the machine slows both sides unevenly; say so rather than let a noisy ratio pass for a finding.
  // The bench itself keeps one to two cores busy, hence the allowance of one over the core count.
  const busiest = Math.max(0, ...[...results, ...probes, ...imports, ...sweeps, ...pipeline, ...monitor.drift, ...monitor.replay, ...(backup ? [backup] : [])].map((r) => r.loadAverage));
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
  // The app reads every codec the bench files use (ZSTD included): a failed import is a bug.
  const failedImports = imports.filter((r) => r.side === 'loopbench' && r.error !== null);
  if (failedImports.length > 0) {
    process.stderr.write(`Loopbench import failed: ${failedImports.map((r) => `${r.fileName} (${r.error})`).join(', ')}\n`);
    process.exitCode = 1;
  }
  const failedFlows = dataplane.filter((r) => r.error !== null);
  if (failedFlows.length > 0) {
    process.stderr.write(`Data plane bench failed: ${failedFlows.map((r) => `${r.flow} (${r.error})`).join(', ')}\n`);
    process.exitCode = 1;
  }
  const failedSweeps = sweeps.filter((r) => r.error !== null);
  if (failedSweeps.length > 0) {
    process.stderr.write(`Sweep bench failed: ${failedSweeps.map((r) => `${r.workers} ${r.backend} worker(s) (${r.error})`).join(', ')}\n`);
    process.exitCode = 1;
  }
  // A run that did not complete is a failure; an overhead over the goal is a finding, printed in the table.
  const failedPipelines = pipeline.filter((r) => r.error !== null);
  if (failedPipelines.length > 0) {
    process.stderr.write(`Pipeline bench failed: ${failedPipelines.map((r) => `${r.backend} run #${r.run} (${r.error})`).join(', ')}\n`);
    process.exitCode = 1;
  }
  if (backup !== null && backup.error !== null) {
    process.stderr.write(`Backup bench failed: ${backup.error}\n`);
    process.exitCode = 1;
  }
  // A backup the app itself refuses to restore is a Loopbench bug.
  if (backup?.refusal) {
    process.stderr.write(`Backup bench: the app refused to restore its own backup: ${backup.refusal}\n`);
    process.exitCode = 1;
  }
  // A row that did not run is a failure; a missed goal (rate, long task, heap, drift time) is printed as FAIL.
  const failedMonitor = failedMonitorRows(monitor);
  if (failedMonitor.length > 0) {
    process.stderr.write(`Monitor bench failed: ${failedMonitor.join(', ')}\n`);
    process.exitCode = 1;
  }
}

main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
