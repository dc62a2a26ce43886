// The whole loop on the built-in penguins sample, clicked through as a newcomer would.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { unzipSync } from 'fflate';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import { goToStage, launch, openApp, trainAndWait } from './browser';
import { ONNX_NODE_SCRIPT, sameAsExamples } from '../fixtures/onnx-node';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

test('penguins: define, data, train, evaluate, deliver, export, monitor, reload', async () => {
  const { context, page, errors } = await openApp(browser, inject('baseUrl'));

  await page.getByRole('heading', { name: 'Penguin species' }).waitFor();

  await goToStage(page, 'Data');
  const version = page.getByRole('combobox', { name: 'Dataset version' });
  await version.waitFor();
  expect(await version.locator('option').first().textContent()).toContain('344 rows');
  await page.getByRole('table', { name: 'Column summary' }).getByRole('row', { name: /Species/ }).waitFor();
  const splitText = (await page.getByText(/^stratified, seed 42:/).textContent()) ?? '';
  const testRows = Number(/(\d+)\s+test/.exec(splitText)?.[1]);
  expect(testRows).toBeGreaterThan(40);

  await goToStage(page, 'Train');
  await page.getByLabel('Epochs').fill('30');
  await trainAndWait(page);
  expect(await page.getByRole('heading', { name: /^Last run: / }).textContent()).toBe('Last run: finished');
  // Auto picked a backend by measuring; the probe table says which one and why.
  await page.getByRole('table', { name: 'Backend probe' }).waitFor();
  const trainedOn = await page.getByText(/^Trained on /).textContent();
  expect(trainedOn).toMatch(/Trained on (webgpu|webgl|wasm|cpu)/);

  await goToStage(page, 'Evaluate');
  const metrics = page.getByRole('table', { name: 'Test metrics' });
  const accuracyText = await metrics.getByRole('row', { name: /Accuracy/ }).getByRole('cell').textContent();
  expect(Number(accuracyText)).toBeGreaterThan(0.85);
  const confusion = page.getByRole('table', { name: 'Confusion matrix' });
  const cells = await confusion.locator('tbody td').allTextContents();
  expect(cells.map(Number).reduce((a, b) => a + b, 0)).toBe(testRows);
  await page.getByRole('table', { name: 'Runs' }).getByText('finished').waitFor();

  await goToStage(page, 'Deliver');
  // Registering does not deploy: serving the version is a separate, explicit choice.
  await page.getByRole('checkbox', { name: 'Make it the champion' }).check();
  await page.getByRole('button', { name: 'Register model' }).click();
  await page.getByText('Registered penguin-species version 1 as champion.').waitFor();
  const row = page.getByRole('table', { name: 'Model versions' }).getByRole('row', { name: /penguin-species/ });
  await row.getByText('champion').waitFor();

  const downloadPromise = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export penguin-species version 1' }).click();
  const download = await downloadPromise;
  expect(download.suggestedFilename()).toBe('penguin-species-v1.zip');
  const zipPath = await download.path();
  const files = unzipSync(readFileSync(zipPath));
  expect(Object.keys(files)).toEqual(
    expect.arrayContaining(['model/model.json', 'model/model.onnx', 'preprocessing.json', 'MODEL_CARD.md', 'predict.mjs', 'examples.json']),
  );
  // The bundle, run by Node with nothing from Loopbench, reproduces the app's predictions.
  const dir = join(process.cwd(), '.tmp', 'e2e-bundle');
  rmSync(dir, { recursive: true, force: true });
  for (const [name, bytes] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), bytes);
  }
  const verify = execFileSync('node', ['predict.mjs', '--verify'], { cwd: dir, encoding: 'utf8' });
  expect(verify).toContain(`${testRows} of ${testRows} examples match`);
  // The ONNX model written in the page answers the same, in ONNX Runtime (docs/deploying.md's Node example).
  writeFileSync(join(dir, 'onnx-predict.mjs'), ONNX_NODE_SCRIPT);
  const examples = JSON.parse(readFileSync(join(dir, 'examples.json'), 'utf8')) as { output: string; probabilities: number[] }[];
  expect(sameAsExamples(execFileSync('node', ['onnx-predict.mjs'], { cwd: dir, encoding: 'utf8' }), examples, 1e-5)).toBe(true);

  await goToStage(page, 'Monitor');
  await page.getByRole('heading', { name: 'Live predictions' }).waitFor();
  await page.getByLabel('Island', { exact: true }).selectOption('Biscoe');
  await page.getByLabel('Beak Length (mm)').fill('47.5');
  await page.getByLabel('Beak Depth (mm)').fill('14.8');
  await page.getByLabel('Flipper Length (mm)').fill('217');
  await page.getByLabel('Body Mass (g)').fill('5200');
  await page.getByLabel('Sex', { exact: true }).selectOption('MALE');
  await page.getByRole('button', { name: 'Predict', exact: true }).click();
  const prediction = page.getByRole('status', { name: 'Prediction' });
  await prediction.waitFor();
  expect(await prediction.locator('.output').textContent()).toBe('Gentoo');
  await page.getByRole('table', { name: 'Prediction log' }).getByRole('cell', { name: 'Gentoo' }).waitFor();

  // Everything survives a reload: data, run, model and the prediction log.
  await page.reload();
  await goToStage(page, 'Monitor');
  await page.getByRole('table', { name: 'Prediction log' }).getByRole('cell', { name: 'Gentoo' }).waitFor();
  await goToStage(page, 'Evaluate');
  await page.getByRole('table', { name: 'Runs' }).getByText('finished').waitFor();
  await goToStage(page, 'Deliver');
  await page.getByRole('table', { name: 'Model versions' }).getByText('champion').waitFor();
  await goToStage(page, 'Data');
  expect(await page.getByRole('combobox', { name: 'Dataset version' }).locator('option').count()).toBe(1);

  expect(errors).toEqual([]);
  await context.close();
});

test('stop ends a long run cleanly, keeps a usable model, and the page stays responsive', async () => {
  const { context, page, errors } = await openApp(browser, inject('baseUrl'));
  await page.getByText(/^Storage: .+ used of .+ available$/).waitFor();
  await page.getByText(/Persistent storage (granted|not granted)/).waitFor();

  await goToStage(page, 'Train');
  await page.getByLabel('Backend', { exact: true }).selectOption('cpu');
  await page.getByLabel('Epochs').fill('5000');
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await page.getByText(/^Epoch [3-9]\d* of 5000/).waitFor({ timeout: 60_000 });
  // The page answers while the worker trains: switching stages and back works at once.
  await goToStage(page, 'Define');
  await page.getByRole('heading', { name: 'Penguin species' }).waitFor({ timeout: 2_000 });
  await goToStage(page, 'Train');
  await page.getByRole('button', { name: 'Stop' }).click();
  await page.getByRole('heading', { name: 'Last run: finished' }).waitFor({ timeout: 60_000 });
  await page.getByText(/^Stopped by the user after \d+ of 5000 epochs\.$/).waitFor();

  await goToStage(page, 'Evaluate');
  const accuracy = await page.getByRole('table', { name: 'Test metrics' }).getByRole('row', { name: /Accuracy/ }).getByRole('cell').textContent();
  expect(Number(accuracy)).toBeGreaterThan(0.5);
  await goToStage(page, 'Deliver');
  // Registering does not deploy: serving the version is a separate, explicit choice.
  await page.getByRole('checkbox', { name: 'Make it the champion' }).check();
  await page.getByRole('button', { name: 'Register model' }).click();
  // A run stopped this early may fall short of the project's bar: then the gate refuses it, and serving it anyway
  // takes an override with a reason.
  const promoted = page.getByText('Registered penguin-species version 1 as champion.');
  const refused = page.getByRole('button', { name: 'Promote anyway' });
  await promoted.or(refused).waitFor({ timeout: 60_000 });
  if (await refused.isVisible()) {
    await page.getByLabel('Reason to override the gate').fill('checking that a stopped run serves');
    await refused.click();
    await page.getByText('champion now points at penguin-species version 1.').waitFor();
  }
  await goToStage(page, 'Monitor');
  await page.getByRole('button', { name: 'Predict', exact: true }).click();
  await page.getByRole('status', { name: 'Prediction' }).waitFor();
  expect(errors).toEqual([]);
  await context.close();
});

test('a run whose tab was closed is marked interrupted; one another tab trains is left alone', async () => {
  const { context, page: trainer } = await openApp(browser, inject('baseUrl'));
  await goToStage(trainer, 'Train');
  await trainer.getByLabel('Backend', { exact: true }).selectOption('cpu');
  await trainer.getByLabel('Epochs').fill('5000');
  await trainer.getByRole('button', { name: 'Train', exact: true }).click();
  await trainer.getByText(/^Epoch [1-9]\d* of 5000/).waitFor({ timeout: 60_000 });

  const watcher = await context.newPage();
  await watcher.goto(inject('baseUrl'));
  await goToStage(watcher, 'Evaluate');
  const runs = watcher.getByRole('table', { name: 'Runs' });
  await runs.getByText('running', { exact: true }).waitFor();

  await trainer.close();
  await watcher.reload();
  await goToStage(watcher, 'Evaluate');
  await runs.getByText('failed', { exact: true }).waitFor();
  await runs.getByText('Interrupted: the page was closed or reloaded during training.').waitFor();
  await context.close();
});
