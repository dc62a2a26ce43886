// The pipeline part of `npm run bench` (BENCH_ONLY=pipeline): what a Deliver pipeline run costs beyond the training
// and scoring it orders. Unlike the other parts it drives the real app (built from the root vite.config.ts into
// BENCH_OUT/bench-app and served by vite preview): per backend, in a fresh browser context, it sets the Train form,
// saves a pipeline whose only tests are the value and change thresholds (so no smoke, leakage or parity work hides in
// the figure), runs it three times one after another and reads each stored run from IndexedDB. Overhead = the run's
// wall time (endedAt - startedAt) - outputs.workMs.training - outputs.workMs.evaluation.

import { join, resolve } from 'node:path';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { build, preview } from 'vite';
import { goToStage, readStore } from './bench-app-page.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const appConfig = join(root, 'vite.config.ts');
const BACKENDS = ['wasm', 'cpu'];
const RUNS = 3;
const EPOCHS = '40';
const LEARNING_RATE = '0.01';
const GOAL_MS = 1000;
const RUN_TIMEOUT_MS = 300_000;
const STAGES = ['data', 'train', 'evaluate', 'behaviour', 'parity', 'gates', 'promote'];

const firstLine = (error) => (error instanceof Error ? error.message.split('\n')[0] : String(error));

/** Saves a new pipeline with the Train form's settings and only the performance thresholds as tests; its stored id. */
async function createPipeline(page, name) {
  await goToStage(page, 'Deliver');
  await page.getByRole('button', { name: 'New pipeline' }).click();
  const editor = page.getByRole('form', { name: 'Pipeline editor' });
  await editor.getByLabel('Pipeline name').fill(name);
  const box = editor.getByLabel('Pipeline JSON');
  const definition = JSON.parse(await box.inputValue());
  const thresholds = definition.tests.filter((t) => t.kind === 'value' || t.kind === 'change');
  if (thresholds.length !== 2) throw new Error(`the new pipeline's tests have no value and change threshold to keep: ${JSON.stringify(definition.tests)}`);
  definition.tests = thresholds;
  await box.fill(JSON.stringify(definition, null, 2));
  await editor.getByRole('button', { name: 'Save pipeline' }).click();
  try {
    await editor.waitFor({ state: 'detached', timeout: 30_000 });
  } catch {
    const problems = await editor.getByRole('alert', { name: 'Pipeline problems' }).textContent({ timeout: 1_000 }).catch(() => null);
    throw new Error(`the pipeline editor did not close after "Save pipeline": ${problems ?? 'no problems shown'}`);
  }
  const saved = (await readStore(page, 'pipelines')).find((p) => p.name === name);
  if (!saved) throw new Error(`pipeline "${name}" is not in the pipelines store after saving`);
  return saved.id;
}

/** Starts run #n, waits until the runs table shows it ended, and returns the stored record once it has an end. */
async function runOnce(page, name, pipelineId, n) {
  await page.getByRole('button', { name: `Run ${name}`, exact: true }).click();
  const row = page.getByRole('table', { name: 'Pipeline runs' }).getByRole('row').filter({ hasText: `#${n}` }).filter({ hasText: name });
  await row.filter({ hasText: /passed|failed|cancelled/ }).waitFor({ timeout: RUN_TIMEOUT_MS });
  // The table follows the run's state on the page; the store may take one more write to catch up.
  const deadline = Date.now() + 10_000;
  for (;;) {
    const runs = (await readStore(page, 'pipelineRuns')).filter((r) => r.pipelineId === pipelineId).sort((a, b) => a.createdAt - b.createdAt);
    const run = runs[n - 1];
    if (run && run.endedAt !== null && run.startedAt !== null) return run;
    if (Date.now() > deadline) throw new Error(`run #${n} of "${name}" ended on screen but its stored record has no end (${runs.length} stored)`);
    await new Promise((wake) => setTimeout(wake, 100));
  }
}

/** The figures of one stored run; `error` says why it does not count as completed. */
function measure(backend, n, run, loadAverage) {
  const work = run.outputs?.workMs ?? null;
  const totalMs = run.endedAt - run.startedAt;
  const stages = Object.fromEntries(
    STAGES.map((name) => {
      const s = run.stages.find((x) => x.name === name);
      return [name, { status: s?.status ?? 'missing', ms: s && s.startedAt !== null && s.endedAt !== null ? s.endedAt - s.startedAt : null }];
    }),
  );
  const inStages = Object.values(stages).reduce((sum, s) => sum + (s.ms ?? 0), 0);
  let error = null;
  if (work === null) error = `run #${n} stored no outputs.workMs`;
  else if (run.status === 'failed' && run.failure?.stage !== 'gates') error = `run #${n} failed at stage ${run.failure?.stage}: ${run.failure?.reason}`;
  else if (run.status !== 'passed' && run.status !== 'failed') error = `run #${n} ended ${run.status}`;
  const trainingMs = work?.training ?? null;
  const evaluationMs = work?.evaluation ?? null;
  const overheadMs = work === null ? null : totalMs - trainingMs - evaluationMs;
  return {
    backend,
    run: n,
    status: run.status,
    failure: run.failure ?? null,
    totalMs,
    trainingMs,
    evaluationMs,
    overheadMs,
    overheadShare: overheadMs === null ? null : overheadMs / totalMs,
    // From the click's record to the first stage: not part of the run's time, shown so a slow start is not hidden.
    queuedMs: run.startedAt - run.createdAt,
    stages,
    betweenStagesMs: totalMs - inStages,
    error,
    loadAverage,
  };
}

async function benchBackend(browser, url, backend) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const pageErrors = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  const results = [];
  const name = `bench ${backend}`;
  try {
    await page.goto(url);
    await page.getByRole('tab', { name: /Define/ }).waitFor({ timeout: 60_000 });
    await page.getByRole('heading', { name: 'Penguin species' }).waitFor({ timeout: 60_000 });
    await goToStage(page, 'Train');
    await page.getByLabel('Backend', { exact: true }).selectOption(backend);
    await page.getByLabel('Learning rate').fill(LEARNING_RATE);
    await page.getByLabel('Epochs').fill(EPOCHS);
    const pipelineId = await createPipeline(page, name);
    for (let n = 1; n <= RUNS; n++) {
      process.stdout.write(`Pipeline bench: ${backend}, run ${n}/${RUNS}...\n`);
      const loadBefore = loadavg()[0];
      const run = await runOnce(page, name, pipelineId, n);
      results.push(measure(backend, n, run, Math.max(loadBefore, loadavg()[0])));
    }
  } catch (error) {
    const reason = pageErrors[0] ?? firstLine(error);
    results.push({ backend, run: results.length + 1, error: reason, loadAverage: loadavg()[0] });
  } finally {
    await context.close();
  }
  const errorsOnPage = pageErrors.length > 0 ? `page error: ${pageErrors[0]}` : null;
  return errorsOnPage ? results.map((r) => ({ ...r, error: r.error ?? errorsOnPage })) : results;
}

/** Builds the app, serves it and measures every backend; a row with `error` set is a run that did not complete. */
export async function runPipelineBench(browser) {
  const appDir = join(resolve(root, process.env.BENCH_OUT?.trim() || '.tmp'), 'bench-app');
  process.stdout.write('Pipeline bench: building the app...\n');
  await build({ configFile: appConfig, root, logLevel: 'warn', build: { outDir: appDir, emptyOutDir: true } });
  const server = await preview({ configFile: appConfig, root, logLevel: 'warn', build: { outDir: appDir }, preview: { strictPort: false } });
  const url = server.resolvedUrls?.local[0];
  try {
    if (!url) throw new Error('vite preview did not report a local URL for the app');
    const results = [];
    for (const backend of BACKENDS) results.push(...(await benchBackend(browser, url, backend)));
    return results;
  } finally {
    await server.close();
  }
}

const ms = (v) => (v === null || v === undefined ? '-' : v.toFixed(0));

export function formatPipelineTable(results, alignedTable) {
  const header = ['backend', 'run #', 'status', 'total ms', 'training ms', 'evaluation ms', 'overhead ms', 'share', `< ${GOAL_MS} ms`];
  const rows = results.map((r) => {
    const lead = [r.backend, String(r.run)];
    if (r.totalMs === undefined) return [...lead, `failed: ${r.error}`];
    const status = r.status === 'failed' ? `failed at ${r.failure?.stage}` : r.status;
    const goal = r.overheadMs === null ? '-' : r.overheadMs < GOAL_MS ? 'PASS' : 'FAIL';
    const share = r.overheadShare === null ? '-' : `${(r.overheadShare * 100).toFixed(1)}%`;
    return [...lead, status, ms(r.totalMs), ms(r.trainingMs), ms(r.evaluationMs), ms(r.overheadMs), share, goal];
  });
  // Where the overhead sits: each stage's time less the work inside it (training in train, scoring in evaluate).
  const stageHeader = ['backend', 'run #', 'queued', ...STAGES.map((s) => (s === 'train' ? 'train-work' : s === 'evaluate' ? 'evaluate-work' : s)), 'between'];
  const stageRows = results
    .filter((r) => r.totalMs !== undefined)
    .map((r) => {
      const cell = (name) => {
        const s = r.stages[name];
        if (s.ms === null) return s.status;
        const less = name === 'train' ? (r.trainingMs ?? 0) : name === 'evaluate' ? (r.evaluationMs ?? 0) : 0;
        return ms(s.ms - less) + (s.status === 'skipped' ? ' (skipped)' : '');
      };
      return [r.backend, String(r.run), ms(r.queuedMs), ...STAGES.map(cell), ms(r.betweenStagesMs)];
    });
  const notes = [
    `goal: overhead under ${GOAL_MS} ms (PASS/FAIL per row). Penguins, the Train form's model, ${EPOCHS} epochs, lr ${LEARNING_RATE}; tests: value and change thresholds only; ${RUNS} runs one after another per backend, fresh browser context per backend.`,
    'overhead = (endedAt - startedAt) - workMs.training - workMs.evaluation, from the stored run (IndexedDB pipelineRuns).',
  ];
  return [
    'Pipeline overhead, the real app:',
    alignedTable(header, rows),
    ...notes,
    '',
    'Overhead per stage, ms (train-work / evaluate-work = the stage less its training / scoring; queued = startedAt - createdAt, not in the total; between = total - the stages):',
    alignedTable(stageHeader, stageRows),
  ].join('\n');
}
