// Reproduce through the UI: a penguins MLP trained on wasm and one on cpu (the backend forced on the form), each
// replayed from the runs list while the form names another backend. The verdict must say the replay is identical, and
// storage must agree: the reproduction ran on the original's backend with the same params and dataset version, and
// its test metrics and history equal the original's; its record carries every library version key.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import type { BackendName, Run } from '../../src/core/shared/types';
import { goToStage, launch, openApp, readStore, trainAndWait } from './browser';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

const BACKENDS: BackendName[] = ['wasm', 'cpu'];
const storedRuns = (page: Page) => readStore<Run>(page, 'runs');
/** The stored curves in order, without timestamps (which differ between any two runs). */
const curves = (run: Run) => run.history.map((p) => `${p.key}@${p.step}=${p.value}`);

test('reproduce a wasm run and a cpu run: identical figures, same record', async () => {
  const { context, page, errors } = await openApp(browser, inject('baseUrl'));
  await page.getByRole('heading', { name: 'Penguin species' }).waitFor();

  await goToStage(page, 'Train');
  await page.getByLabel('Epochs').fill('8');
  await page.getByLabel('Dropout').fill('0.2');
  for (const backend of BACKENDS) {
    await page.getByLabel('Backend', { exact: true }).selectOption(backend);
    await trainAndWait(page);
  }
  const originals = await storedRuns(page);
  expect(originals.map((r) => [r.backend, r.status]).sort()).toEqual([
    ['cpu', 'finished'],
    ['wasm', 'finished'],
  ]);
  // The form now names a backend neither run used: a replay must ignore it and use the run's own.
  await page.getByLabel('Backend', { exact: true }).selectOption('webgl');

  await goToStage(page, 'Evaluate');
  for (const original of originals) {
    const started = Date.now();
    await page.getByRole('button', { name: `Reproduce ${original.name}`, exact: true }).click();
    const panel = page.getByRole('region', { name: `Reproduction of ${original.name}` });
    await panel
      .getByText(/^Reproduced exactly: all \d+ test metrics and the final training loss are identical\.$/)
      .waitFor({ timeout: 60_000 });
    expect(await panel.getByText(`Same dataset version, settings, seed, backend (${original.backend}) and library versions`).isVisible()).toBe(true);
    console.log(`reproduced the ${original.backend} run in ${Date.now() - started} ms`);
  }

  const stored = await storedRuns(page);
  expect(stored).toHaveLength(4);
  for (const original of originals) {
    const copy = stored.find((r) => r.tags.reproduces === original.id);
    if (!copy) throw new Error(`no reproduction of ${original.name} was stored`);
    expect(copy.name).toBe(`reproduce of ${original.name}`);
    expect(copy.status).toBe('finished');
    expect(copy.backend).toBe(original.backend);
    expect(copy.datasetId).toBe(original.datasetId);
    expect(copy.params).toEqual(original.params);
    expect(Object.keys(copy.metrics).length).toBeGreaterThanOrEqual(4);
    expect(copy.metrics).toEqual(original.metrics);
    // Every epoch's four points exactly once, in order, and equal value for value.
    expect(curves(copy)).toHaveLength(original.params.hyper.epochs * 4);
    expect(curves(copy)).toEqual(curves(original));
    expect(copy.versions).toEqual(original.versions);
    expect(Object.keys(copy.versions).sort()).toEqual(
      ['backend', 'loopbench', 'tfjs', `tfjs-backend-${original.backend}`, 'tfjs-core', 'tfjs-layers'].sort(),
    );
    expect(copy.versions.backend).toBe(original.backend);
  }

  // Looking at a reproduction later shows its verdict too.
  const wasmRun = originals.find((r) => r.backend === 'wasm')!;
  await page.getByRole('button', { name: `Show reproduce of ${wasmRun.name}`, exact: true }).click();
  const evaluation = page.getByRole('region', { name: `Evaluation of reproduce of ${wasmRun.name}` });
  await evaluation.getByRole('group', { name: `Reproduction verdict for reproduce of ${wasmRun.name}` }).getByText(/^Reproduced exactly: /).waitFor();

  expect(errors).toEqual([]);
  await context.close();
});
