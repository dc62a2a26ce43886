// The runs table, compare and portable records through the UI: two penguins runs with different
// learning rates and epochs, sorted and filtered, tagged and noted (kept across a reload), compared
// against what storage holds, exported as MLflow-shaped JSON and as CSV, and deleted with undo.
import { readFileSync } from 'node:fs';
import Papa from 'papaparse';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import type { Run } from '../../src/core/shared/types';
import type { MlflowExport } from '../../src/core/evaluate/runs/export-mlflow';
import { goToStage, launch, openApp, readStore, trainAndWait } from './browser';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

const storedRuns = (page: Page) => readStore<Run>(page, 'runs');

/** The flattened key of a run's learning rate and epochs, whatever the params shape. */
function findKey(params: unknown, name: string, prefix = ''): string | null {
  if (params === null || typeof params !== 'object') return null;
  for (const [k, v] of Object.entries(params)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (k === name && typeof v !== 'object') return key;
    const inner = findKey(v, name, key);
    if (inner) return inner;
  }
  return null;
}

/** A run name (it holds a date and time) as a literal pattern. */
function literally(text: string): RegExp {
  return new RegExp(text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
}

function runsTable(page: Page) {
  return page.getByRole('table', { name: 'Runs' });
}

async function download(page: Page, button: string): Promise<{ name: string; text: string }> {
  const pending = page.waitForEvent('download');
  await page.getByRole('button', { name: button }).click();
  const file = await pending;
  return { name: file.suggestedFilename(), text: readFileSync(await file.path(), 'utf8') };
}

test('runs: sort, filter, tag and note, compare, export, delete with undo', async () => {
  const { context, page, errors } = await openApp(browser, inject('baseUrl'));
  await page.getByRole('heading', { name: 'Penguin species' }).waitFor();

  await goToStage(page, 'Train');
  await page.getByLabel('Backend', { exact: true }).selectOption('wasm');
  await page.getByLabel('Learning rate').fill('0.01');
  await page.getByLabel('Epochs').fill('6');
  await trainAndWait(page);
  await page.getByLabel('Learning rate').fill('0.05');
  await page.getByLabel('Epochs').fill('9');
  await trainAndWait(page);
  await expect.poll(async () => (await storedRuns(page)).filter((r) => r.status === 'finished').length, { timeout: 180_000 }).toBe(2);

  const stored = await storedRuns(page);
  const lrKey = findKey(stored[0].params, 'learningRate')!;
  const epochsKey = findKey(stored[0].params, 'epochs')!;
  expect(lrKey).not.toBeNull();
  const lrOf = (r: Run) => Number(lrKey.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], r.params));
  const slow = stored.find((r) => lrOf(r) === 0.01)!;
  const fast = stored.find((r) => lrOf(r) === 0.05)!;
  expect(slow && fast).toBeTruthy();

  await goToStage(page, 'Evaluate');
  const table = runsTable(page);
  await table.getByRole('row', { name: literally(fast.name) }).waitFor();
  const rowNames = async () => (await table.locator('tbody tr th[scope="row"] button').allTextContents()).map((t) => t.trim());

  // The figures in the table are the stored ones, at four decimals.
  const accuracyHeader = table.getByRole('columnheader', { name: 'test accuracy' });
  const headers = (await table.locator('thead th').allTextContents()).map((t) => t.trim());
  const accuracyIndex = headers.indexOf('test accuracy');
  expect(accuracyIndex).toBeGreaterThan(0);
  for (const run of [slow, fast]) {
    const cells = await table.getByRole('row', { name: literally(run.name) }).locator('th, td').allTextContents();
    expect(cells[accuracyIndex].trim()).toBe(run.metrics.accuracy.toFixed(4));
  }

  // Sort by the learning rate both ways; aria-sort says which way.
  const lrHeader = table.getByRole('columnheader', { name: lrKey });
  await lrHeader.getByRole('button').click();
  await expect.poll(() => lrHeader.getAttribute('aria-sort')).toBe('descending');
  expect(await rowNames()).toEqual([fast.name, slow.name]);
  await lrHeader.getByRole('button').click();
  await expect.poll(() => lrHeader.getAttribute('aria-sort')).toBe('ascending');
  expect(await rowNames()).toEqual([slow.name, fast.name]);
  expect(await accuracyHeader.getAttribute('aria-sort')).toBe('none');

  // Filter: a structured condition on a param, then a status that matches nothing.
  await page.getByLabel('Condition column').selectOption(`param:${lrKey}`);
  await page.getByLabel('Condition operator').selectOption('>=');
  await page.getByLabel('Condition value').fill('0.03');
  await page.getByRole('button', { name: 'Add condition' }).click();
  await expect.poll(rowNames).toEqual([fast.name]);
  await page.getByRole('button', { name: `Remove condition ${lrKey} >= 0.03` }).click();
  await expect.poll(rowNames).toEqual([slow.name, fast.name]);
  await page.getByRole('checkbox', { name: 'failed' }).check();
  await table.getByText('No run matches the filter.').waitFor();
  await page.getByRole('checkbox', { name: 'failed' }).uncheck();
  await expect.poll(rowNames).toHaveLength(2);

  // Tag and note the faster run; both survive a reload. The note is typed first: adding a tag stores the run again,
  // and the note being typed must survive that.
  await table.getByRole('button', { name: `Tags and note of ${fast.name}` }).click();
  const note = page.getByRole('textbox', { name: 'Note', exact: true });
  await note.fill('Higher rate, more epochs, same data');
  await page.getByLabel('Tag name').fill('sweep');
  await page.getByLabel('Tag value').fill('lr');
  await page.getByRole('button', { name: 'Add tag' }).click();
  await page.getByRole('list', { name: 'Tags of this run' }).getByText('sweep=lr').waitFor();
  expect(await note.inputValue()).toBe('Higher rate, more epochs, same data');
  await page.getByRole('button', { name: 'Save note' }).click();
  await page.getByText(`Saved the note on "${fast.name}".`).waitFor();

  await page.reload();
  await goToStage(page, 'Evaluate');
  await table.getByRole('row', { name: literally(fast.name) }).getByText('Higher rate, more epochs, same data').waitFor();
  await page.getByLabel('Tag', { exact: true }).fill('sweep=lr');
  await expect.poll(rowNames).toEqual([fast.name]);
  await page.getByLabel('Tag', { exact: true }).fill('');
  const afterReload = await storedRuns(page);
  expect(afterReload.find((r) => r.id === fast.id)?.tags).toEqual({ sweep: 'lr', 'mlflow.note.content': 'Higher rate, more epochs, same data' });

  // The experiments lesson reads the same records: the one-setting change (here two) and the note, quoted.
  await page.getByRole('button', { name: 'Lessons' }).click();
  await page.getByRole('button', { name: /^Experiments you can repeat/ }).click();
  const lesson = page.getByRole('list', { name: 'Steps of Experiments you can repeat' });
  const change = (await lesson.getByRole('listitem', { name: /^Step 1: Change one thing and train again, done$/ }).locator('.evidence').textContent()) ?? '';
  expect(change).toContain(`Run "${fast.name}" differs from "${slow.name}" in `);
  expect(change).toContain(`${lrKey} 0.01 → 0.05`);
  expect(change).toContain(`${epochsKey} `);
  await lesson.getByRole('listitem', { name: /^Step 4: Write down what you learned, done$/ }).getByText(`Evidence: Note on "${fast.name}": "Higher rate, more epochs, same data"`).waitFor();
  await page.getByRole('button', { name: 'Close lessons' }).click();

  // Compare: parameters side by side, only the differences, metrics as stored.
  await table.getByRole('checkbox', { name: `Compare ${slow.name}` }).check();
  await table.getByRole('checkbox', { name: `Compare ${fast.name}` }).check();
  await page.getByRole('button', { name: 'Compare selected (2)' }).click();
  await page.getByRole('heading', { name: 'Compare 2 runs' }).waitFor();
  const params = page.getByRole('table', { name: 'Compared parameters' });
  const compared = await params.locator('thead th').allTextContents();
  const slowCol = compared.findIndex((t) => t.includes(slow.name));
  const fastCol = compared.findIndex((t) => t.includes(fast.name));
  const lrCells = await params.getByRole('row', { name: new RegExp(`^${literally(lrKey).source}`) }).locator('th, td').allTextContents();
  expect([lrCells[slowCol], lrCells[fastCol]]).toEqual(['0.01', '0.05']);
  const allRows = await params.locator('tbody th[scope="row"]').count();
  await page.getByRole('switch', { name: 'Only differences' }).check();
  const diffKeys = await params.locator('tbody th[scope="row"]').allTextContents();
  expect(diffKeys.sort()).toEqual([epochsKey, lrKey].sort());
  expect(allRows).toBeGreaterThan(diffKeys.length);

  const metricsTable = page.getByRole('table', { name: 'Compared metrics' });
  const metricHead = await metricsTable.locator('thead th').allTextContents();
  for (const run of [slow, fast]) {
    const col = metricHead.findIndex((t) => t.trim() === run.name);
    for (const [key, value] of Object.entries(run.metrics)) {
      const cells = await metricsTable.getByRole('row', { name: new RegExp(`^test ${key}\\b`) }).locator('th, td').allTextContents();
      expect(cells[col].trim()).toBe(Number.isNaN(value) ? '–' : value.toFixed(4));
    }
  }
  await page.getByRole('img', { name: /Parallel coordinates of 2 runs/ }).waitFor();
  await page.getByRole('figure', { name: /per epoch, one line per run/ }).locator('canvas').first().waitFor();
  // The curve summary (val_loss by default): epochs logged, the last value and the lowest, per run.
  const summary = page.getByRole('table', { name: 'Curve summary' });
  for (const run of [slow, fast]) {
    const losses = run.history.filter((p) => p.key === 'val_loss').sort((a, b) => a.step - b.step).map((p) => p.value);
    const cells = await summary.getByRole('row', { name: literally(run.name) }).locator('th, td').allTextContents();
    expect(cells.map((c) => c.trim())).toEqual([run.name, String(losses.length), losses.at(-1)!.toFixed(4), Math.min(...losses).toFixed(4)]);
  }
  await page.getByLabel('Scatter x axis').selectOption(`param:${lrKey}`);
  await page.getByLabel('Scatter y axis').selectOption('metric:accuracy');
  const points = page.getByRole('table', { name: 'Scatter points' });
  for (const run of [slow, fast]) {
    const cells = await points.getByRole('row', { name: literally(run.name) }).locator('th, td').allTextContents();
    expect(cells.map((c) => c.trim())).toEqual([run.name, String(lrOf(run)), run.metrics.accuracy.toFixed(4)]);
  }

  // Portable records: MLflow-shaped JSON and CSV of every run.
  const json = await download(page, 'Export runs as JSON');
  expect(json.name).toBe('penguin-species-runs.json');
  const exported = JSON.parse(json.text) as MlflowExport;
  expect(exported.experiment).toMatchObject({ experiment_id: 'sample-penguins', name: 'Penguin species', lifecycle_stage: 'active' });
  expect(exported.runs.map((r) => r.info.run_id).sort()).toEqual([slow.id, fast.id].sort());
  for (const run of [slow, fast]) {
    const out = exported.runs.find((r) => r.info.run_id === run.id)!;
    expect(out.info).toMatchObject({ run_name: run.name, status: 'FINISHED', start_time: run.startedAt, end_time: run.endedAt, experiment_id: 'sample-penguins' });
    expect(out.data.params).toContainEqual({ key: lrKey, value: String(lrOf(run)) });
    expect(out.data.metrics.filter((m) => m.key === 'loss')).toEqual(
      run.history.filter((p) => p.key === 'loss').map((p) => ({ key: 'loss', value: p.value, step: p.step, timestamp: p.timestamp })),
    );
    expect(out.data.metrics).toContainEqual(expect.objectContaining({ key: 'test_accuracy', value: run.metrics.accuracy }));
    expect(out.data.tags).toContainEqual({ key: 'mlflow.runName', value: run.name });
    expect(out.data.tags).toContainEqual({ key: 'loopbench.datasetVersion', value: run.datasetId });
    expect(out.data.tags).toContainEqual({ key: 'loopbench.backend', value: run.backend });
  }
  const fastOut = exported.runs.find((r) => r.info.run_id === fast.id)!;
  expect(fastOut.data.tags).toContainEqual({ key: 'mlflow.note.content', value: 'Higher rate, more epochs, same data' });
  expect(fastOut.data.tags).toContainEqual({ key: 'sweep', value: 'lr' });

  const csv = await download(page, 'Export runs as CSV');
  expect(csv.name).toBe('penguin-species-runs.csv');
  const rows = Papa.parse<Record<string, string>>(csv.text.trimEnd(), { header: true, newline: '\r\n' });
  expect(rows.errors).toEqual([]);
  expect(rows.data).toHaveLength(2);
  for (const run of [slow, fast]) {
    const row = rows.data.find((r) => r.run_id === run.id)!;
    expect(row).toMatchObject({ run_name: run.name, status: 'FINISHED', [`params.${lrKey}`]: String(lrOf(run)), 'metrics.test_accuracy': String(run.metrics.accuracy) });
  }
  expect(rows.data.find((r) => r.run_id === fast.id)?.['tags.mlflow.note.content']).toBe('Higher rate, more epochs, same data');

  // Delete with undo, then for good: the run and its weights leave storage.
  await page.getByRole('button', { name: 'Close comparison' }).click();
  await table.getByRole('button', { name: `Delete ${slow.name}` }).click();
  await expect.poll(rowNames).toEqual([fast.name]);
  await page.getByRole('button', { name: 'Undo' }).click();
  await expect.poll(async () => (await rowNames()).sort()).toEqual([slow.name, fast.name].sort());
  await table.getByRole('button', { name: `Delete ${slow.name}` }).click();
  await page.getByText(`Deleted "${slow.name}" and its weights.`).waitFor({ timeout: 20_000 });
  await page.reload();
  await goToStage(page, 'Evaluate');
  await table.getByRole('row', { name: literally(fast.name) }).waitFor();
  expect(await rowNames()).toEqual([fast.name]);
  expect((await storedRuns(page)).map((r) => r.id)).toEqual([fast.id]);
  const artifacts = await readStore<{ runId: string }>(page, 'artifacts');
  expect(artifacts.some((a) => a.runId === slow.id)).toBe(false);
  expect(artifacts.some((a) => a.runId === fast.id)).toBe(true);

  // A run a registered model version uses cannot be deleted, and the page says why.
  await goToStage(page, 'Deliver');
  await page.getByRole('button', { name: 'Register model' }).click();
  await page.getByText(/^Registered penguin-species version 1/).waitFor();
  await goToStage(page, 'Evaluate');
  await table.getByRole('button', { name: `Delete ${fast.name}` }).click();
  await page.getByRole('alert').filter({ hasText: 'registered model penguin-species version 1' }).waitFor();
  expect(await rowNames()).toEqual([fast.name]);

  expect(errors).toEqual([]);
  await context.close();
});
