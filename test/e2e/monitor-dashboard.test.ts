// The monitoring dashboard on real served traffic: rows served through the one-row form become windows whose panels
// are drawn (with an alert rule's threshold on its panel), the drift heat map has a cell per feature and window, and
// a cell or a point drills into its window, reference beside current. Overrides change the test a column gets.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import type { Run } from '../../src/core/shared/types';
import { goToStage, launch, openApp, readStore, trainAndWait } from './browser';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

async function championOnMonitor(page: Page): Promise<void> {
  await page.getByRole('heading', { name: 'Penguin species' }).waitFor();
  await goToStage(page, 'Train');
  await page.getByLabel('Backend', { exact: true }).selectOption('cpu');
  await page.getByLabel('Epochs').fill('40');
  await trainAndWait(page);
  await expect.poll(async () => (await readStore<Run>(page, 'runs')).filter((r) => r.status === 'finished').length, { timeout: 180_000 }).toBe(1);
  await goToStage(page, 'Deliver');
  await page.getByRole('combobox', { name: 'Run', exact: true }).selectOption({ index: 0 });
  await page.getByRole('checkbox', { name: 'Make it the champion' }).check();
  await page.getByRole('button', { name: 'Register model' }).click();
  await page.getByText('Registered penguin-species version 1 as champion.').waitFor();
  await goToStage(page, 'Monitor');
  await page.getByRole('heading', { name: 'Monitoring dashboard' }).waitFor();
}

async function serve(page: Page, row: { island: string; beak: string; depth: string; flipper: string; mass: string; sex: string }): Promise<void> {
  const form = page.getByRole('form', { name: 'Prediction input' });
  await form.getByLabel('Island').selectOption(row.island);
  await form.getByLabel('Beak Length (mm)').fill(row.beak);
  await form.getByLabel('Beak Depth (mm)').fill(row.depth);
  await form.getByLabel('Flipper Length (mm)').fill(row.flipper);
  await form.getByLabel('Body Mass (g)').fill(row.mass);
  await form.getByLabel('Sex').selectOption(row.sex);
  const before = await page.getByRole('table', { name: 'Prediction log' }).locator('tbody tr').count();
  await form.getByRole('button', { name: 'Predict' }).click();
  await expect.poll(() => page.getByRole('table', { name: 'Prediction log' }).locator('tbody tr').count()).toBe(before + 1);
}

/** Waits until no computation is under way (the progress line is gone) and none failed. */
async function settled(page: Page): Promise<void> {
  await page.getByText('Computing signals in the analysis worker…').waitFor({ state: 'detached', timeout: 120_000 });
  const dashboard = page.getByRole('region', { name: 'Monitoring dashboard' });
  expect(await dashboard.getByRole('alert').allTextContents()).toEqual([]);
}

test('served rows become panels, a heat map and a drill-down', async () => {
  const { context, page, errors } = await openApp(browser, inject('baseUrl'));
  await championOnMonitor(page);
  const dashboard = page.getByRole('region', { name: 'Monitoring dashboard' });
  await dashboard.getByText(/The log of penguin-species version 1 is empty: serve rows with the form, replay traffic or score a file/).waitFor();

  // An alert rule on the error rate, to be drawn as a threshold on its panel.
  const rule = { id: 'errors', name: 'Errors', signal: 'error_rate', window: { kind: 'count', size: 1 }, comparator: '>', threshold: 0.5, for: 1, severity: 'warning' };
  await page.getByLabel('Alert rules (JSON)').fill(JSON.stringify([rule]));
  await page.getByRole('button', { name: 'Save rules' }).click();

  await serve(page, { island: 'Biscoe', beak: '47.5', depth: '14.8', flipper: '217', mass: '5200', sex: 'MALE' });
  await serve(page, { island: 'Dream', beak: '39.2', depth: '18.1', flipper: '190', mass: '3600', sex: 'FEMALE' });
  await serve(page, { island: 'Torgersen', beak: '41.0', depth: '19.0', flipper: '195', mass: '9900', sex: 'MALE' });

  // One request per window: three windows.
  await dashboard.getByLabel('Requests per window').fill('1');
  await dashboard.getByLabel('Requests per window').press('Enter');
  await dashboard.getByRole('button', { name: 'Refresh signals' }).click();
  await settled(page);

  const requests = dashboard.getByRole('img', { name: 'Requests: newest window (2) 1, over 3 windows' });
  await requests.waitFor();
  await expect.poll(() => requests.getAttribute('data-points')).toBe('3');
  const errorRate = dashboard.getByRole('img', { name: 'Error rate: newest window (2) 0.0%, over 3 windows' });
  await expect.poll(() => errorRate.getAttribute('data-points')).toBe('3');
  await dashboard.getByRole('list', { name: 'Error rate legend' }).getByText('alert "Errors": > 50.0%').waitFor();
  const latency = dashboard.getByRole('img', { name: /^Latency: newest window \(2\) p50 [\d.]+ ms, p95 [\d.]+ ms, p99 [\d.]+ ms, over 3 windows$/ });
  await expect.poll(() => latency.getAttribute('data-points')).toBe('9');
  await dashboard.getByRole('img', { name: /^Accuracy: estimated vs realized: newest window \(2\) estimated \(CBPE\) [\d.]+%, realized –/ }).waitFor();

  const heat = dashboard.getByRole('table', { name: 'Drift by feature and window' });
  expect(await heat.getByRole('columnheader').allTextContents()).toEqual(['Feature (test)', '0', '1', '2']);
  const massRow = heat.getByRole('row', { name: /^Body Mass \(g\)/ });
  expect(await massRow.getByRole('cell').count()).toBe(3);
  // Each cell's text is its score; the 9900 g penguin is far outside every training mass.
  const massCells = await massRow.getByRole('cell').allTextContents();
  for (const text of massCells) expect(text.trim()).toMatch(/^[\d.e+-]+( ▲ drifted)?$/);
  expect(massCells[2]).toContain('drifted');
  await heat.getByRole('row', { name: /^\(prediction\)/ }).waitFor();

  // A heat-map cell drills into its window and column.
  await massRow.getByRole('button', { name: /^Window 2, Body Mass \(g\):/ }).click();
  const drill = dashboard.getByRole('region', { name: 'Window 2' });
  await drill.waitFor();
  expect(await drill.getByLabel('Drill column').locator('option:checked').textContent()).toBe('Body Mass (g)');
  await drill.getByRole('table', { name: 'Drift in window 2' }).getByRole('row', { name: /^Body Mass \(g\)/ }).getByText('▲ drifted').waitFor();
  const shares = drill.getByRole('table', { name: 'Body Mass (g): reference vs current shares' });
  await shares.waitFor();
  const current = await shares.locator('tbody tr td:nth-child(3)').allTextContents();
  // One request in the window: one bin holds all of it.
  expect(current.filter((t) => t.startsWith('100.0%'))).toHaveLength(1);
  await drill.getByRole('img', { name: /^Body Mass \(g\): reference vs current shares over \d+ bins; .+: drifted$/ }).waitFor();

  // The prediction's categories, from the column select.
  await drill.getByLabel('Drill column').selectOption({ label: 'the prediction' });
  const classes = drill.getByRole('table', { name: 'Prediction: reference vs current shares' });
  await classes.waitFor();
  expect(await classes.locator('tbody th').allTextContents()).toEqual(expect.arrayContaining([expect.stringMatching(/Adelie|Gentoo|Chinstrap/)]));

  // Clicking a point on a panel selects its window.
  const over = requests.locator('.u-over');
  const box = (await over.boundingBox())!;
  await over.click({ position: { x: 2, y: box.height / 2 } });
  await dashboard.getByRole('region', { name: 'Window 0' }).waitFor();
  expect(await dashboard.getByLabel('Drill window').inputValue()).toBe('0');

  // Overrides: PSI for Body Mass; the heat map's row names the test it now uses. Bad JSON is refused with its reason.
  await dashboard.getByText('Drift tests per column').click();
  const overrides = dashboard.getByLabel('Drift test overrides (JSON)');
  await overrides.fill('{ "Body Mass (g)": ');
  await dashboard.getByRole('button', { name: 'Save overrides' }).click();
  await dashboard.getByRole('alert').getByText(/^The JSON does not parse:/).waitFor();
  await overrides.fill('{ "Body Mass (g)": { "test": "psi", "threshold": 0.2 } }');
  await dashboard.getByRole('button', { name: 'Save overrides' }).click();
  await dashboard.getByText('Saved; the signals are computed again with them.').waitFor();
  await settled(page);
  await expect.poll(() => massRow.getByRole('rowheader').textContent()).toBe('Body Mass (g) psi');

  expect(errors).toEqual([]);
  await context.close();
});
