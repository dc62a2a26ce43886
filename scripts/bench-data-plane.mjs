// The data plane part of `npm run bench` (BENCH_ONLY=dataplane): a 1M x 20 version is stored in the browser (setup,
// one page), then each flow runs on a fresh page of the same browser context (same IndexedDB) with the app's own
// worker clients, which pass the version's id: the page's longest task and its peak JS heap growth per flow.

import { loadavg } from 'node:os';

const ROWS = Number(process.env.BENCH_DATAPLANE_ROWS ?? 1_000_000);
const FLOWS = [
  { flow: 'recipe', what: 'recipe apply (scale one column; the worker reads, derives and stores)', timeoutMs: 600_000 },
  { flow: 'train', what: 'training start, until the first batch', timeoutMs: 600_000 },
  { flow: 'evaluate', what: 'evaluation of a linear model on the test split (100k rows)', timeoutMs: 600_000 },
  { flow: 'images', what: 'image import of 2,000 generated 32x32 BMPs (stored by the worker)', timeoutMs: 600_000 },
];

export async function runDataPlaneBench(browser, url) {
  const context = await browser.newContext();
  const results = [];
  try {
    const run = async (flow, timeoutMs) => {
      const page = await context.newPage();
      const pageErrors = [];
      page.on('pageerror', (error) => pageErrors.push(error.message));
      try {
        await page.goto(url, { waitUntil: 'load' });
        await page.waitForFunction(() => typeof window.runDataPlaneBench === 'function', null, { timeout: 30_000 });
        const result = await page.evaluate(([f, r, t]) => window.runDataPlaneBench(f, r, t), [flow, ROWS, timeoutMs]);
        return { ...result, error: result.error ?? pageErrors[0] ?? null, loadAverage: loadavg()[0] };
      } finally {
        await page.close();
      }
    };
    process.stdout.write(`Data plane: storing a ${ROWS} x 20 version in the browser (setup)...\n`);
    const setup = await run('setup', 900_000);
    if (setup.error !== null) throw new Error(`the setup failed: ${setup.error}`);
    for (const { flow, what, timeoutMs } of FLOWS) {
      process.stdout.write(`Data plane: ${what}...\n`);
      results.push({ ...(await run(flow, timeoutMs)), what });
    }
  } finally {
    await context.close();
  }
  return results;
}

const mb = (bytes) => (bytes === null ? '-' : (bytes / 1024 / 1024).toFixed(1));

export function formatDataPlaneTable(results, alignedTable) {
  const header = ['flow', 'rows', 'total s', 'longest page task ms', 'long tasks', 'peak heap growth MB'];
  const rows = results.map((r) =>
    r.error !== null
      ? [r.flow, String(r.rows), `failed: ${r.error}`]
      : [
          r.flow,
          String(r.flow === 'images' ? 2000 : r.rows),
          (r.totalMs / 1000).toFixed(1),
          r.longTaskCount === 0 ? 'none >= 50' : r.longestTaskMs.toFixed(0),
          String(r.longTaskCount),
          mb(r.peakHeapGrowthBytes),
        ],
  );
  const notes = results.map((r) => `- ${r.flow}: ${r.what}`).join('\n');
  return `Data plane, the page while workers work by id on a ${ROWS} x 20 version:\n${alignedTable(header, rows)}\n${notes}`;
}
