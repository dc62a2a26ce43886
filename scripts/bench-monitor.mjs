// The monitor part of `npm run bench` (BENCH_ONLY=monitor), issue 16's bench rows.
// Drift: the analysis worker's bench path (workers/analysis/monitor-bench.ts, benchMonitorSignals) over a synthetic
// columnar log of 100k requests × 20 features, run in a fresh worker of the bench page (test/bench/monitor-bench.ts)
// per window size: one window of 100k and ten of 10k; each size runs four times in its worker (the first cold); goal:
// every run under a second.
// Replay: the real app (built from the root vite.config.ts into BENCH_OUT/bench-monitor-app, served by vite preview),
// per backend in a fresh browser context: penguins trained 40 epochs and registered as champion, then "The data as it
// is" replayed as 1,000,000 requests from the Monitor's Traffic panel. Read: requests/s from the result line (checked
// against the serving rows stored in the log); the page's long tasks (a 'longtask' observer installed before the app
// loads) from the click to the result line; the page's used JS heap at the start and when the log first holds each
// quarter of the requests (steady: it grows under 10 MB from the first quarter to the end). Then, reported apart, the
// windows step the page runs after every replay (dashboard and alert rules over the whole log): its time, long tasks
// and the heap it leaves. The predictor worker always tries wasm first and falls back to cpu; the cpu row blocks the
// wasm binaries for its context, so the same app serves on cpu; each row checks the predictor's tfjs engine.
// BENCH_MONITOR_REQUESTS sets the replay's size, BENCH_MONITOR_BACKENDS (wasm,cpu) its backends.

import { join, resolve } from 'node:path';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { build, preview } from 'vite';
import { goToStage, readStore } from './bench-app-page.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const appConfig = join(root, 'vite.config.ts');

const DRIFT_REQUESTS = 100_000;
const DRIFT_FEATURES = 20;
const DRIFT_WINDOWS = [100_000, 10_000];
const DRIFT_REPEATS = 4;
const DRIFT_GOAL_MS = 1000;

const REPLAY_REQUESTS = Number(process.env.BENCH_MONITOR_REQUESTS ?? 1_000_000);
const REPLAY_BACKENDS = (process.env.BENCH_MONITOR_BACKENDS ?? 'wasm,cpu').split(',').map((b) => b.trim()).filter(Boolean);
const EPOCHS = '40';
const RATE_GOAL = 5000;
const TASK_GOAL_MS = 50;
/** Steady: the heap grows less than this from the first quarter of the log to its end. */
const STEADY_BYTES = 10 * 1024 * 1024;
const QUARTERS = [0.25, 0.5, 0.75, 1];
const TRAIN_TIMEOUT_MS = 300_000;
// The windows and alert rules computed over the whole log after the replay.
const WATCH_TIMEOUT_MS = 15 * 60_000;

const firstLine = (error) => (error instanceof Error ? error.message.split('\n')[0] : String(error));
const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

async function runDrift(browser, benchUrl) {
  const page = await browser.newPage();
  const pageErrors = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  try {
    process.stdout.write(`Monitor bench: drift over ${DRIFT_REQUESTS} requests x ${DRIFT_FEATURES} features in a worker...\n`);
    await page.goto(benchUrl, { waitUntil: 'load' });
    await page.waitForFunction(() => typeof window.runMonitorDriftBench === 'function', null, { timeout: 30_000 });
    const loadBefore = loadavg()[0];
    const rows = await page.evaluate(
      ([r, f, sizes, repeats]) => window.runMonitorDriftBench(r, f, sizes, repeats, 300_000),
      [DRIFT_REQUESTS, DRIFT_FEATURES, DRIFT_WINDOWS, DRIFT_REPEATS],
    );
    const loadAverage = Math.max(loadBefore, loadavg()[0]);
    return rows.map((row) => {
      const error = row.error ?? pageErrors[0] ?? null;
      if (error !== null) return { ...row, error, loadAverage };
      return { ...row, coldMs: row.signalsMs[0], steadyMs: median(row.signalsMs.slice(1)), worstMs: Math.max(...row.signalsMs), loadAverage };
    });
  } catch (error) {
    const reason = pageErrors[0] ?? firstLine(error);
    return DRIFT_WINDOWS.map((windowSize) => ({ requests: DRIFT_REQUESTS, features: DRIFT_FEATURES, windowSize, error: reason, loadAverage: loadavg()[0] }));
  } finally {
    await page.close();
  }
}

/** Installed before the app's scripts: every long task, and every 100 ms the heap and the replay's progress. */
function installProbes() {
  const probe = { longTasks: [], samples: [] };
  window.__monitorBench = probe;
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) probe.longTasks.push([entry.startTime, entry.duration]);
  }).observe({ type: 'longtask', buffered: true });
  setInterval(() => {
    const bar = document.querySelector('[role="progressbar"][aria-label="Replay progress"]');
    const result = document.querySelector('[role="status"][aria-label="Replay result"]');
    const heap = performance.memory ? performance.memory.usedJSHeapSize : null;
    probe.samples.push([performance.now(), heap, bar ? Number(bar.getAttribute('aria-valuenow')) : null, result !== null]);
  }, 100);
}

const usedHeap = (page) => page.evaluate(() => performance.memory?.usedJSHeapSize ?? null);

/** The heap after a full collection, so garbage not yet collected does not count as held. */
async function heapAfterGc(page, cdp) {
  await cdp.send('HeapProfiler.collectGarbage');
  // performance.memory updates at most every 50 ms, even with precise values.
  await page.waitForTimeout(200);
  return usedHeap(page);
}

/** Penguins trained on `trainBackend` and registered as champion; ends on the Monitor screen. */
async function championOnMonitor(page, trainBackend) {
  await page.getByRole('heading', { name: 'Penguin species' }).waitFor({ timeout: 60_000 });
  await goToStage(page, 'Train');
  await page.getByLabel('Backend', { exact: true }).selectOption(trainBackend);
  await page.getByLabel('Epochs').fill(EPOCHS);
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await page.getByRole('heading', { name: /^Last run: / }).waitFor({ timeout: TRAIN_TIMEOUT_MS });
  await goToStage(page, 'Deliver');
  await page.getByRole('combobox', { name: 'Run', exact: true }).selectOption({ index: 0 });
  await page.getByRole('checkbox', { name: 'Make it the champion' }).check();
  await page.getByRole('button', { name: 'Register model' }).click();
  await page.getByText(/Registered penguin-species version 1 as champion\./).waitFor({ timeout: 30_000 });
  await goToStage(page, 'Monitor');
  await page.getByRole('heading', { name: 'Traffic' }).waitFor();
}

/**
 * The backend the predictor worker serves on, read from tfjs's engine (tfjs keeps it on the worker's global as
 * `_tfengine`), and the wasm binaries the page's context requested: the evidence that a row ran where it says.
 */
async function predictorBackend(page) {
  const predictor = page.workers().find((w) => /predict/.test(w.url()));
  if (!predictor) throw new Error('no predictor worker is running on the page after the replay');
  return predictor.evaluate(() => globalThis._tfengine?.backendName ?? null);
}

/** Polls the page until the replay's result line shows, printing each quarter as it passes. */
async function waitForReplay(page, count, startedAt) {
  // Generous: a replay at 500 requests/s, ten times under the goal, still ends.
  const deadline = Date.now() + Math.max(10 * 60_000, (count / 500) * 1000);
  let printed = 0;
  for (;;) {
    const state = await page.evaluate(() => {
      const s = window.__monitorBench.samples;
      const last = s[s.length - 1];
      const error = document.querySelector('section[aria-labelledby="traffic-title"] [role="alert"]');
      return { done: last?.[2] ?? null, result: last?.[3] ?? false, error: error ? error.textContent : null };
    });
    if (state.result) return;
    if (state.error) throw new Error(`the replay showed an error: ${state.error.trim()}`);
    while (printed < QUARTERS.length - 1 && state.done !== null && state.done >= QUARTERS[printed] * count) {
      process.stdout.write(`  ${Math.round(QUARTERS[printed] * 100)}% logged after ${((Date.now() - startedAt) / 1000).toFixed(0)} s\n`);
      printed++;
    }
    if (Date.now() > deadline) throw new Error(`the replay had not ended after ${((Date.now() - startedAt) / 1000).toFixed(0)} s (${state.done ?? 0} logged)`);
    await page.waitForTimeout(1000);
  }
}

function parseResult(text) {
  const logged = /^Logged ([\d,]+) requests in (.+?) \(([\d,]+) requests\/s\)/.exec(text);
  if (!logged) throw new Error(`the replay result line does not read "Logged N requests in T (R requests/s)": ${text}`);
  const number = (s) => Number(s.replace(/,/g, ''));
  return { logged: number(logged[1]), shownDuration: logged[2], requestsPerSecond: number(logged[3]) };
}

/** The heap when the log first held each quarter of the requests; the last quarter is the first sample after the result. */
function heapAtQuarters(samples, count) {
  return QUARTERS.map((q) => {
    const at = q === 1 ? samples.find((s) => s[3]) : samples.find((s) => s[2] !== null && s[2] >= q * count);
    return { logged: Math.round(q * count), heapBytes: at ? at[1] : null };
  });
}

function tasksBetween(longTasks, from, to) {
  const inside = longTasks.filter(([start]) => start >= from && start < to).map(([, duration]) => duration);
  return { longestTaskMs: inside.length === 0 ? 0 : Math.max(...inside), longTaskCount: inside.length, over100: inside.filter((d) => d >= 100).length };
}

async function benchReplay(browser, url, backend) {
  // No service worker: its precache would fetch every asset during the measurement, and the cpu row's block of the
  // wasm binaries must see the worker's own requests.
  const context = await browser.newContext({ serviceWorkers: 'block' });
  const blockedWasm = [];
  if (backend === 'cpu') {
    await context.route(/\.wasm(\?.*)?$/, (route) => {
      blockedWasm.push(route.request().url());
      return route.abort();
    });
  }
  await context.addInitScript(installProbes);
  const page = await context.newPage();
  const pageErrors = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  const count = REPLAY_REQUESTS;
  const base = { backend, requests: count };
  try {
    process.stdout.write(`Monitor bench: ${backend}, training the penguins champion (${EPOCHS} epochs)...\n`);
    await page.goto(url);
    await page.getByRole('tab', { name: /Define/ }).waitFor({ timeout: 60_000 });
    await championOnMonitor(page, backend);
    await page.getByRole('radio', { name: 'The data as it is' }).check();
    await page.getByLabel('Requests', { exact: true }).fill(String(count));
    const cdp = await context.newCDPSession(page);
    const heapStartAfterGc = await heapAfterGc(page, cdp);
    const loadBefore = loadavg()[0];
    process.stdout.write(`Monitor bench: ${backend}, replaying ${count} requests...\n`);
    const clickedAt = await page.evaluate(() => {
      window.__monitorBench.samples = [];
      return performance.now();
    });
    const heapStart = await usedHeap(page);
    const started = Date.now();
    await page.getByRole('button', { name: 'Play traffic' }).click();
    await waitForReplay(page, count, started);
    const wallMs = Date.now() - started;
    const resultText = (await page.getByRole('status', { name: 'Replay result' }).textContent()) ?? '';
    const result = parseResult(resultText);
    if (result.logged !== count) throw new Error(`the replay logged ${result.logged} requests, not ${count}: ${resultText}`);
    const servedOn = await predictorBackend(page);
    if (servedOn !== backend) throw new Error(`the predictor worker served on ${servedOn}, not ${backend}`);
    const loadAverage = Math.max(loadBefore, loadavg()[0]);

    process.stdout.write(`Monitor bench: ${backend}, ${result.requestsPerSecond} requests/s; computing the windows and alert rules over the log...\n`);
    // A cheap check, polled twice a second: a text locator would walk the 10,000-window dashboard on the main thread.
    await page.waitForFunction(
      () => ![...document.querySelectorAll('[aria-busy="true"]')].some((e) => e.textContent.startsWith('Computing the windows and stepping the alert rules')),
      null,
      { polling: 500, timeout: WATCH_TIMEOUT_MS },
    );
    const watchEndedAt = await page.evaluate(() => performance.now());
    const watchError = await page.locator('section[aria-labelledby="traffic-title"] [role="alert"]').first().textContent({ timeout: 500 }).catch(() => null);
    const { samples, longTasks } = await page.evaluate(() => window.__monitorBench);
    const shownWindows = await page.evaluate(() => {
      const shown = /logged requests in (\d+) /.exec(document.querySelector('#stage-panel')?.textContent ?? '');
      return shown ? Number(shown[1]) : null;
    });
    const resultAt = samples.find((s) => s[3])?.[0] ?? watchEndedAt;
    const heapAfterWindows = await usedHeap(page);
    const heapEndAfterGc = await heapAfterGc(page, cdp);
    const quarters = heapAtQuarters(samples, count);
    // The result line is the worker's count: the stored log must hold as many serving requests.
    const stored = (await readStore(page, 'requestChunks')).filter((h) => h.role === 'serving').reduce((n, h) => n + h.rows, 0);
    if (stored !== count) throw new Error(`the request log holds ${stored} serving requests after the replay, not ${count}`);
    const during = samples.filter((s) => s[0] <= resultAt && s[1] !== null).map((s) => s[1]);
    const first = quarters[0].heapBytes;
    const last = quarters[quarters.length - 1].heapBytes;
    return {
      ...base,
      ...result,
      wallMs,
      servedOn,
      blockedWasmFetches: blockedWasm.length,
      replay: tasksBetween(longTasks, clickedAt, resultAt),
      storedRequests: stored,
      windows: { count: shownWindows, ms: watchEndedAt - resultAt, error: watchError?.trim() ?? null, ...tasksBetween(longTasks, resultAt, watchEndedAt) },
      heap: {
        startBytes: heapStart,
        quarters,
        peakBytes: during.length === 0 ? null : Math.max(...during),
        growthBytes: last !== null && heapStart !== null ? last - heapStart : null,
        growthFromFirstQuarterBytes: last !== null && first !== null ? last - first : null,
        afterWindowsBytes: heapAfterWindows,
        startAfterGcBytes: heapStartAfterGc,
        endAfterGcBytes: heapEndAfterGc,
      },
      error: pageErrors[0] ?? null,
      loadAverage,
    };
  } catch (error) {
    return { ...base, error: pageErrors[0] ?? firstLine(error), loadAverage: loadavg()[0] };
  } finally {
    await context.close();
  }
}

async function runReplays(browser) {
  const appDir = join(resolve(root, process.env.BENCH_OUT?.trim() || '.tmp'), 'bench-monitor-app');
  process.stdout.write('Monitor bench: building the app...\n');
  await build({ configFile: appConfig, root, logLevel: 'warn', build: { outDir: appDir, emptyOutDir: true } });
  const server = await preview({ configFile: appConfig, root, logLevel: 'warn', build: { outDir: appDir }, preview: { strictPort: false } });
  const url = server.resolvedUrls?.local[0];
  try {
    if (!url) throw new Error('vite preview did not report a local URL for the app');
    const results = [];
    for (const backend of REPLAY_BACKENDS) results.push(await benchReplay(browser, url, backend));
    return results;
  } finally {
    await server.close();
  }
}

/** Drift rows (in the bench page's worker) and replay rows (the real app); a row with `error` set did not run. */
export async function runMonitorBench(browser, benchUrl) {
  const drift = await runDrift(browser, benchUrl);
  const replay = await runReplays(browser);
  return { drift, replay };
}

/** Rows that did not run, each named; a missed goal is not among them. */
export function failedMonitorRows({ drift, replay }) {
  return [
    ...drift.filter((r) => r.error !== null).map((r) => `drift, windows of ${r.windowSize} (${r.error})`),
    ...replay.filter((r) => r.error !== null).map((r) => `replay on ${r.backend} (${r.error})`),
  ];
}

const ms = (v) => (v === null || v === undefined ? '-' : v.toFixed(0));
const mb = (bytes) => (bytes === null || bytes === undefined ? '-' : (bytes / 1024 / 1024).toFixed(1));
const signedMb = (bytes) => (bytes === null || bytes === undefined ? '-' : `${bytes >= 0 ? '+' : ''}${mb(bytes)}`);
const verdict = (ok) => (ok ? 'PASS' : 'FAIL');

export function formatMonitorTables({ drift, replay }, alignedTable) {
  const driftHeader = ['requests x features', 'windows', 'cold ms', 'steady ms', 'worst ms', 'build ms', 'drifted', `< ${DRIFT_GOAL_MS} ms`];
  const driftRows = drift.map((r) => {
    const lead = [`${r.requests} x ${r.features}`, r.windows === undefined || r.windows === null ? `of ${r.windowSize}` : `${r.windows} of ${r.windowSize}`];
    if (r.error !== null) return [...lead, `failed: ${r.error}`];
    return [...lead, ms(r.coldMs), ms(r.steadyMs), ms(r.worstMs), ms(median(r.buildMs)), `${r.driftedWindows}/${r.windows}`, verdict(r.worstMs < DRIFT_GOAL_MS)];
  });
  const replayHeader = ['backend', 'requests', 'requests/s', 'wall s', 'longest task ms', 'tasks >= 50', `>= ${RATE_GOAL}/s`, `no task >= ${TASK_GOAL_MS}`];
  const replayRows = replay.map((r) => {
    if (r.error !== null && r.replay === undefined) return [r.backend, String(r.requests), `failed: ${r.error}`];
    return [
      r.backend,
      String(r.logged),
      String(r.requestsPerSecond),
      (r.wallMs / 1000).toFixed(0),
      r.replay.longTaskCount === 0 ? 'none >= 50' : ms(r.replay.longestTaskMs),
      String(r.replay.longTaskCount),
      verdict(r.requestsPerSecond >= RATE_GOAL),
      verdict(r.replay.longTaskCount === 0),
    ];
  });
  const heapHeader = ['backend', 'start MB', ...QUARTERS.map((q) => `at ${Math.round(q * 100)}% MB`), 'peak MB', 'growth MB', 'growth 25%->100% MB', 'steady'];
  const heapRows = replay
    .filter((r) => r.heap !== undefined)
    .map((r) => {
      const h = r.heap;
      const steady = h.growthFromFirstQuarterBytes === null ? '-' : verdict(h.growthFromFirstQuarterBytes < STEADY_BYTES);
      return [r.backend, mb(h.startBytes), ...h.quarters.map((q) => mb(q.heapBytes)), mb(h.peakBytes), signedMb(h.growthBytes), signedMb(h.growthFromFirstQuarterBytes), steady];
    });
  const afterHeader = ['backend', 'windows', 'windows step s', 'longest task ms', 'tasks >= 50', `no task >= ${TASK_GOAL_MS}`, 'heap after MB', 'after GC: start MB', 'end MB', 'error'];
  const afterRows = replay
    .filter((r) => r.windows !== undefined)
    .map((r) => [
      r.backend,
      r.windows.count === null ? '-' : String(r.windows.count),
      (r.windows.ms / 1000).toFixed(1),
      r.windows.longTaskCount === 0 ? 'none >= 50' : ms(r.windows.longestTaskMs),
      String(r.windows.longTaskCount),
      verdict(r.windows.longTaskCount === 0),
      mb(r.heap.afterWindowsBytes),
      mb(r.heap.startAfterGcBytes),
      mb(r.heap.endAfterGcBytes),
      r.windows.error ?? r.error ?? '-',
    ]);
  const evidence = replay
    .filter((r) => r.servedOn !== undefined)
    .map((r) => `${r.backend}: the predictor worker's tfjs engine reports ${r.servedOn}${r.blockedWasmFetches > 0 ? ` (${r.blockedWasmFetches} wasm binary fetch(es) blocked in this context)` : ''}`);
  return [
    `Monitor drift: signals of every window over a synthetic log, in a browser worker (benchMonitorSignals, ${DRIFT_REPEATS} runs per size in one fresh worker):`,
    alignedTable(driftHeader, driftRows),
    `cold = the worker's first run; steady = median of the others; worst = the slowest run, which the goal is held to; build = making the log and its reference (not timed in the row); drifted = windows whose dataset drift test fired (the log's second half is shifted).`,
    '',
    `Monitor replay, the real app: penguins champion (${EPOCHS} epochs), "The data as it is" as ${REPLAY_REQUESTS} requests from the Traffic panel:`,
    alignedTable(replayHeader, replayRows),
    `requests/s = the result line (the predictor worker's own count and clock); wall = click to the result line; tasks = the page's long tasks from the click to the result line.`,
    ...evidence.map((e) => `- ${e}`),
    '',
    `Page heap during the replay (performance.memory.usedJSHeapSize, precise; sampled when the progress bar first reaches each share of the log; steady = growth from 25% to 100% < ${mb(STEADY_BYTES)} MB):`,
    alignedTable(heapHeader, heapRows),
    '',
    'After the replay: the dashboard (count windows of 100) and the alert rules computed over the whole log in the analysis worker, then drawn on the page;',
    'heap after = used JS heap once drawn; after GC = after a full collection (CDP HeapProfiler.collectGarbage), before the click and at the end:',
    alignedTable(afterHeader, afterRows),
  ].join('\n');
}
