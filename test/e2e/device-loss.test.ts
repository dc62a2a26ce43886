// A lost GPU device mid-run: the GPU process is crashed for real (Chromium's DevTools protocol), which loses every
// WebGPU device and WebGL context in the browser. The run must go on from its last checkpoint on a CPU-side backend
// and end with every epoch recorded once.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import type { MetricPoint, Run } from '../../src/core/shared/types';
import { goToStage, launch, openApp, readStore } from './browser';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

const lossSteps = (history: MetricPoint[]) => history.filter((p) => p.key === 'loss').map((p) => p.step);

test.each(['webgpu', 'webgl'] as const)('a run on %s whose GPU process crashes continues from its checkpoint on wasm and finishes', async (gpu) => {
  const { context, page, errors } = await openApp(browser, inject('baseUrl'));
  const lostNote = new RegExp(`^The ${gpu} device was lost during epoch \\d+; the run went on from its checkpoint after epoch \\d+ on wasm\\.`);
  // Long enough that the crash lands mid-run however fast the GPU is: the wait below matches any of epochs 2–19, a span
  // of seconds that Playwright's polling cannot step over (with 12 epochs, epochs 2–5 once went by between two polls).
  const EPOCHS = 60;
  await goToStage(page, 'Train');
  await page.getByLabel('Backend', { exact: true }).selectOption(gpu);
  await page.getByLabel('Epochs').fill(String(EPOCHS));
  await page.getByLabel('Batch size').fill('32');
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await page.getByText(new RegExp(`^Epoch ([2-9]|1\\d) of ${EPOCHS}`)).waitFor({ timeout: 120_000 });
  const [before] = await readStore<Run>(page, 'runs');
  expect(before.backend).toBe(gpu);
  await expect.poll(async () => (await readStore<{ epoch: number }>(page, 'checkpoints'))[0]?.epoch ?? 0, { timeout: 30_000 }).toBeGreaterThanOrEqual(1);

  const cdp = await browser.newBrowserCDPSession();
  await cdp.send('Browser.crashGpuProcess');

  // What the user sees while it switches, then the finished run.
  await page.getByRole('status').filter({ hasText: new RegExp(`^The ${gpu} device was lost: the run continues from its checkpoint after epoch \\d+ on wasm\\.$`) }).waitFor({ timeout: 30_000 });
  await page.getByRole('heading', { name: 'Training on wasm' }).waitFor();
  await page.getByRole('heading', { name: 'Last run: finished' }).waitFor({ timeout: 180_000 });
  await page.getByText(lostNote).waitFor();
  const [run] = await readStore<Run>(page, 'runs');
  expect(run.status).toBe('finished');
  expect(run.backend).toBe('wasm');
  expect(run.versions.backend).toBe('wasm');
  expect(run.note).toMatch(lostNote);
  expect(lossSteps(run.history)).toEqual(Array.from({ length: EPOCHS }, (_, i) => i + 1));
  expect(run.model).not.toBeNull();
  expect(await readStore(page, 'checkpoints')).toEqual([]);
  // The note is shown with the run in the runs list.
  await goToStage(page, 'Evaluate');
  await page.getByRole('table', { name: 'Runs' }).getByText(new RegExp(`The ${gpu} device was lost`)).first().waitFor();
  expect(errors).toEqual([]);
  await context.close();
});
