// The Evaluate stage: figures computed in the predictor worker, checked against what is stored in IndexedDB and the
// run's own record; evaluating elsewhere (another split, a version without the model's columns); regression plots.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import { goToStage, launch, metricCell, openApp, readStore, trainAndWait } from './browser';
import { addPenguinRecipe } from './penguin-recipe';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

interface StoredRecord {
  id: string;
  split: string;
  datasetName: string;
  environment?: { browser: string; backend: string; tfjs: string };
  result: {
    figures: { count: number; accuracy?: number; perClass?: { label: string; f1: number }[]; confusion?: number[][]; mae?: number; r2?: number };
    rocAuc?: number;
  };
}

test('penguins: the figures shown are the ones stored, and evaluating elsewhere is checked and listed', async () => {
  const { context, page, errors } = await openApp(browser, inject('baseUrl'));
  await page.getByRole('heading', { name: 'Penguin species' }).waitFor();
  await goToStage(page, 'Train');
  await page.getByLabel('Backend', { exact: true }).selectOption('cpu');
  await page.getByLabel('Epochs').fill('30');
  await trainAndWait(page);

  await goToStage(page, 'Evaluate');
  // Opening the finished run evaluates its test split in the worker and stores the result.
  const metrics = page.getByRole('table', { name: 'Evaluation metrics' });
  await metrics.waitFor({ timeout: 60_000 });
  const [stored] = await readStore<StoredRecord>(page, 'evaluations');
  const [run] = await readStore<{ metrics: Record<string, number>; evaluation: { count: number; perClass: { label: string; f1: number }[] } }>(page, 'runs');
  expect(stored.split).toBe('test');
  const testRows = run.evaluation.count;
  expect(stored.result.figures.count).toBe(testRows);

  const accuracy = Number(await metricCell(page, 'Evaluation metrics', 'Accuracy'));
  expect(accuracy).toBe(Number(stored.result.figures.accuracy!.toFixed(4)));
  // The worker's evaluation agrees with the trainer's record (within one row: the backends' floats may differ).
  expect(Math.abs(accuracy - run.metrics.accuracy)).toBeLessThanOrEqual(1 / testRows + 1e-4);
  expect(Number(await metricCell(page, 'Test metrics', 'Accuracy'))).toBe(Number(run.metrics.accuracy.toFixed(4)));

  // The run records where it trained, and its details show it.
  const [{ environment }] = await readStore<{ environment: { browser: string; backend: string; tfjs: string; cores: number } }>(page, 'runs');
  expect(environment).toMatchObject({ backend: 'cpu', tfjs: '4.22.0', device: null });
  expect(environment.browser).toMatch(/Chrom/);
  expect(environment.cores).toBeGreaterThan(0);
  const env = page.getByRole('table', { name: 'Where it trained' });
  await expect.poll(() => env.getByRole('row', { name: /^Backend/ }).getByRole('cell').textContent()).toBe('cpu');
  expect(await env.getByRole('row', { name: /^TensorFlow\.js/ }).getByRole('cell').textContent()).toBe('4.22.0');
  expect(await env.getByRole('row', { name: /^Browser/ }).getByRole('cell').textContent()).toBe(environment.browser);
  // The stored evaluation records where the predictor computed it, and its details show it.
  const evaluatedIn = stored.environment!;
  expect(evaluatedIn).toMatchObject({ backend: expect.stringMatching(/^(wasm|cpu)$/), tfjs: '4.22.0', browser: environment.browser });
  const evalEnv = page.getByRole('table', { name: 'Where it was evaluated' });
  expect(await evalEnv.getByRole('row', { name: /^Backend/ }).getByRole('cell').textContent()).toBe(evaluatedIn.backend);
  await expect
    .poll(() => page.getByRole('table', { name: 'Stored evaluations' }).getByRole('row', { name: new RegExp(`^${stored.datasetName}`) }).first().textContent())
    .toContain(evaluatedIn.backend);

  const gentoo = stored.result.figures.perClass!.find((c) => c.label === 'Gentoo')!;
  const perClass = page.getByRole('table', { name: 'Per-class metrics' }).getByRole('row', { name: /^Gentoo/ }).getByRole('cell');
  expect(Number(await perClass.nth(2).textContent())).toBe(Number(gentoo.f1.toFixed(4)));
  expect(Math.abs(gentoo.f1 - run.evaluation.perClass.find((c) => c.label === 'Gentoo')!.f1)).toBeLessThan(0.05);

  const auc = Number(await metricCell(page, 'Evaluation metrics', /^ROC AUC/));
  expect(auc).toBe(Number(stored.result.rocAuc!.toFixed(4)));
  expect(auc).toBeGreaterThan(0.5);
  expect(auc).toBeLessThanOrEqual(1);
  await page.getByRole('img', { name: /ROC curves/ }).waitFor();
  await page.getByRole('table', { name: 'Calibration bins' }).waitFor();

  const confusion = page.getByRole('table', { name: 'Confusion matrix' });
  const counts = (await confusion.locator('tbody td').allTextContents()).map(Number);
  expect(counts.reduce((a, b) => a + b, 0)).toBe(testRows);
  expect(counts).toEqual(stored.result.figures.confusion!.flat());
  await page.getByLabel('Normalise rows (share of each actual class)').check();
  const rows = await confusion.locator('tbody tr').all();
  for (const row of rows) {
    const shares = (await row.locator('td').allTextContents()).map(Number);
    expect(shares.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 2);
  }

  // Slices: per island, worst first, counts summing to the evaluated rows.
  await page.getByLabel('Slice by column').selectOption('Island');
  const slices = page.getByRole('table', { name: 'Slices by Island' });
  const sliceRows = await slices.locator('tbody tr').all();
  const sliceCounts = await Promise.all(sliceRows.map(async (r) => Number(await r.locator('td').first().textContent())));
  expect(sliceCounts.reduce((a, b) => a + b, 0)).toBe(testRows);
  const sliceAccuracy = await Promise.all(sliceRows.map(async (r) => Number(await r.locator('td').nth(1).textContent())));
  expect([...sliceAccuracy].sort((a, b) => a - b)).toEqual(sliceAccuracy);
  const worst = page.getByRole('table', { name: 'Worst predictions' });
  expect(await worst.locator('tbody tr').count()).toBeGreaterThan(0);
  await worst.getByRole('columnheader', { name: 'Island' }).waitFor();

  // A version whose columns the model cannot read is refused with the reason.
  await goToStage(page, 'Data');
  await page.getByText('No steps yet.').waitFor();
  await addPenguinRecipe(page);
  await page.getByRole('status', { name: 'Recipe preview rows' }).filter({ hasText: /→ \d+ after/ }).waitFor();
  await page.getByRole('button', { name: 'Apply recipe (new version)' }).click();
  await page.getByText(/^Made version ".+ \+ recipe"/).waitFor();
  await goToStage(page, 'Evaluate');
  const versionSelect = page.getByLabel('Evaluate on dataset version');
  const options = await versionSelect.locator('option').allTextContents();
  expect(options).toHaveLength(2);
  await versionSelect.selectOption({ label: options.find((o) => o.includes('+ recipe'))! });
  await page.getByRole('alert').filter({ hasText: /missing "Island"/ }).waitFor();
  expect(await page.getByRole('button', { name: 'Evaluate', exact: true }).isDisabled()).toBe(true);

  // The run's own version, validation split: evaluated, stored and listed next to the test split.
  await versionSelect.selectOption({ label: options.find((o) => o.includes("(the run's version)"))! });
  await page.getByLabel('Evaluate on split').selectOption('validation');
  await page.getByRole('button', { name: 'Evaluate', exact: true }).click();
  await page.getByRole('heading', { name: /validation split: \d+ rows/ }).waitFor({ timeout: 60_000 });
  const list = page.getByRole('table', { name: 'Stored evaluations' });
  await list.getByRole('cell', { name: 'validation', exact: true }).waitFor();
  expect(await list.locator('tbody tr').count()).toBe(2);
  const records = await readStore<StoredRecord>(page, 'evaluations');
  expect(records.map((r) => r.split).sort()).toEqual(['test', 'validation']);
  const validation = records.find((r) => r.split === 'validation')!;
  expect(Number(await metricCell(page, 'Evaluation metrics', 'Accuracy'))).toBe(Number(validation.result.figures.accuracy!.toFixed(4)));

  await list.getByRole('button', { name: /^Delete evaluation on .+, validation$/ }).click();
  await expect.poll(() => list.locator('tbody tr').count()).toBe(1);
  expect((await readStore<StoredRecord>(page, 'evaluations')).map((r) => r.split)).toEqual(['test']);

  expect(errors).toEqual([]);
  await context.close();
});

test('a model trained through a recipe is evaluated on the raw import by replaying the recipe', async () => {
  const { context, page, errors } = await openApp(browser, inject('baseUrl'));
  await page.getByRole('heading', { name: 'Penguin species' }).waitFor();
  await goToStage(page, 'Data');
  await page.getByText('No steps yet.').waitFor();
  await addPenguinRecipe(page);
  await page.getByRole('status', { name: 'Recipe preview rows' }).filter({ hasText: /→ \d+ after/ }).waitFor();
  await page.getByRole('button', { name: 'Apply recipe (new version)' }).click();
  await page.getByText(/^Made version ".+ \+ recipe"/).waitFor();
  await goToStage(page, 'Train');
  await page.getByLabel('Backend', { exact: true }).selectOption('cpu');
  await page.getByLabel('Epochs').fill('30');
  await trainAndWait(page);

  await goToStage(page, 'Evaluate');
  await page.getByRole('table', { name: 'Evaluation metrics' }).waitFor({ timeout: 60_000 });
  const versionSelect = page.getByLabel('Evaluate on dataset version');
  const options = await versionSelect.locator('option').allTextContents();
  await versionSelect.selectOption({ label: options.find((o) => !o.includes('+ recipe'))! });
  await page.getByText(/The recipe between this version and the\s+model's is replayed on every row first/).waitFor();
  await page.getByRole('button', { name: 'Evaluate', exact: true }).click();
  const list = page.getByRole('table', { name: 'Stored evaluations' });
  await list.getByRole('cell', { name: 'recipes replayed (1)' }).waitFor({ timeout: 60_000 });
  // The root's test rows that the recipe's filter keeps are exactly the derived version's test rows.
  await page.getByText(/dropped by a recipe filter/).waitFor();
  const records = await readStore<StoredRecord & { mode: string }>(page, 'evaluations');
  const own = records.find((r) => r.mode === 'own')!;
  const replayed = records.find((r) => r.mode === 'chain')!;
  expect(replayed.result.figures.count).toBe(own.result.figures.count);
  expect(replayed.result.figures.confusion).toEqual(own.result.figures.confusion);
  expect(Number(await metricCell(page, 'Evaluation metrics', 'Accuracy'))).toBe(Number(replayed.result.figures.accuracy!.toFixed(4)));
  expect(errors).toEqual([]);
  await context.close();
});

test('cars: regression figures and the residual plot', async () => {
  const { context, page, errors } = await openApp(browser, inject('baseUrl'));
  await page.getByRole('button', { name: 'Open sample: Cars' }).click();
  await page.getByRole('combobox', { name: 'Project' }).locator('option:checked', { hasText: 'Car fuel economy' }).waitFor({ state: 'attached', timeout: 60_000 });
  await page.getByRole('combobox', { name: 'Dataset version' }).waitFor();
  await goToStage(page, 'Train');
  await page.getByLabel('Backend', { exact: true }).selectOption('cpu');
  await page.getByLabel('Epochs').fill('40');
  await trainAndWait(page);

  await goToStage(page, 'Evaluate');
  const metrics = page.getByRole('table', { name: 'Evaluation metrics' });
  await metrics.waitFor({ timeout: 60_000 });
  const [stored] = await readStore<StoredRecord>(page, 'evaluations');
  const runs = await readStore<{ metrics: Record<string, number> }>(page, 'runs');
  const mae = Number(await metricCell(page, 'Evaluation metrics', 'MAE'));
  const r2 = Number(await metricCell(page, 'Evaluation metrics', 'R²'));
  expect(mae).toBe(Number(stored.result.figures.mae!.toFixed(4)));
  expect(r2).toBe(Number(stored.result.figures.r2!.toFixed(4)));
  expect(Math.abs(mae - runs[0].metrics.mae)).toBeLessThan(1e-3);
  expect(Number(await metricCell(page, 'Evaluation metrics', 'RMSE'))).toBeGreaterThan(0);
  expect(await metricCell(page, 'Evaluation metrics', /^MAPE/)).toMatch(/^\d+\.\d\d%$/);
  await page.getByRole('img', { name: /^Residuals: \d+ points/ }).waitFor();
  await page.getByRole('img', { name: /^Predicted vs actual: \d+ points/ }).waitFor();
  await page.getByRole('table', { name: /^Slices by / }).waitFor();
  expect(errors).toEqual([]);
  await context.close();
});
