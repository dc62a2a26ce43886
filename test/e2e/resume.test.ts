// Checkpoints, resume and run control through the UI: a run whose page was closed resumes from its last checkpoint
// in a new page and ends with every epoch in its history; a run whose worker died is noticed in the open page and
// resumes there; pause, continue and kill from the Train screen and the runs list.
import type { Browser, Page } from 'playwright-core';
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

/** Starts a penguins run on cpu with small batches, so epochs take long enough to act between them. */
async function startRun(page: Page, epochs: number): Promise<void> {
  await goToStage(page, 'Train');
  await page.getByLabel('Backend', { exact: true }).selectOption('cpu');
  await page.getByLabel('Epochs').fill(String(epochs));
  await page.getByLabel('Batch size').fill('4');
  await page.getByRole('button', { name: 'Train', exact: true }).click();
}

async function shownEpoch(page: Page): Promise<number> {
  const text = (await page.getByText(/^Epoch \d+ of \d+/).textContent()) ?? '';
  return Number(/^Epoch (\d+)/.exec(text)?.[1]);
}

const lossSteps = (history: MetricPoint[]) => history.filter((p) => p.key === 'loss').map((p) => p.step);

test('a run whose page was closed mid-run resumes in a new page and ends with every epoch', async () => {
  const { context, page, errors } = await openApp(browser, inject('baseUrl'));
  const EPOCHS = 40;
  await startRun(page, EPOCHS);
  await page.getByText(new RegExp(`^Epoch ([3-9]|[12]\\d) of ${EPOCHS}`)).waitFor({ timeout: 90_000 });
  expect(errors).toEqual([]);
  await page.close();

  const next = await context.newPage();
  await next.goto(inject('baseUrl'));
  await goToStage(next, 'Evaluate');
  const runs = next.getByRole('table', { name: 'Runs' });
  await runs.getByText(/Interrupted: .* It can resume after epoch \d+\./).first().waitFor({ timeout: 30_000 });
  const [interrupted] = await readStore<Run>(next, 'runs');
  expect(interrupted.status).toBe('failed');
  const [checkpoint] = await readStore<{ runId: string; epoch: number }>(next, 'checkpoints');
  expect(checkpoint.runId).toBe(interrupted.id);
  expect(checkpoint.epoch).toBeGreaterThanOrEqual(2);
  await runs.getByRole('button', { name: `Resume ${interrupted.name}` }).waitFor();

  await goToStage(next, 'Train');
  await next.getByRole('heading', { name: 'Interrupted runs' }).waitFor();
  await next.getByRole('button', { name: `Resume ${interrupted.name}` }).click();
  await next.getByText(new RegExp(`^Epoch \\d+ of ${EPOCHS}`)).waitFor();
  expect(await shownEpoch(next)).toBeGreaterThanOrEqual(checkpoint.epoch);
  await next.getByRole('heading', { name: 'Last run: finished' }).waitFor({ timeout: 180_000 });

  const [finished] = await readStore<Run>(next, 'runs');
  expect(finished.id).toBe(interrupted.id);
  expect(finished.status).toBe('finished');
  expect(finished.model).not.toBeNull();
  // Every epoch exactly once: the epoch in progress when the page closed was trained again, not recorded twice.
  expect(lossSteps(finished.history)).toEqual(Array.from({ length: EPOCHS }, (_, i) => i + 1));
  expect(await readStore(next, 'checkpoints')).toEqual([]);
  expect(await next.getByRole('heading', { name: 'Interrupted runs' }).count()).toBe(0);
  await context.close();
});

test('pause and continue on the Train screen, then kill from the runs list', async () => {
  const { context, page, errors } = await openApp(browser, inject('baseUrl'));
  await startRun(page, 2000);
  await page.getByText(/^Epoch [1-9]\d* of 2000/).waitFor({ timeout: 90_000 });

  await page.getByRole('button', { name: 'Pause this run' }).click();
  await page.getByText(/Paused after epoch \d+/).waitFor({ timeout: 30_000 });
  const pausedAt = await shownEpoch(page);
  await page.waitForTimeout(1500);
  expect(await shownEpoch(page)).toBe(pausedAt);
  await page.getByRole('button', { name: 'Continue this run' }).click();
  await page.getByText(new RegExp(`^Epoch (?!${pausedAt} )\\d+ of 2000`)).waitFor({ timeout: 30_000 });

  await goToStage(page, 'Evaluate');
  const runs = page.getByRole('table', { name: 'Runs' });
  const [live] = await readStore<Run>(page, 'runs');
  await runs.getByRole('button', { name: `Pause ${live.name}` }).click();
  await runs.getByRole('button', { name: `Continue ${live.name}` }).click();
  await runs.getByRole('button', { name: `Kill ${live.name}` }).click();
  await runs.getByText('killed', { exact: true }).waitFor({ timeout: 30_000 });

  const [killed] = await readStore<Run>(page, 'runs');
  expect(killed.status).toBe('killed');
  expect(killed.model).toBeNull();
  expect(killed.note).toMatch(/^Killed by the user after \d+ of 2000 epochs\.$/);
  expect(lossSteps(killed.history).length).toBeGreaterThan(pausedAt);
  expect(await readStore(page, 'artifacts')).toEqual([]);
  expect(await readStore(page, 'checkpoints')).toEqual([]);
  await expect(runs.getByRole('button', { name: `Resume ${killed.name}` }).count()).resolves.toBe(0);
  expect(errors).toEqual([]);
  await context.close();
});

test('a trainer worker that dies mid-run is noticed without a reload, and the run resumes from its checkpoint', async () => {
  const { context, page, errors } = await openApp(browser, inject('baseUrl'));
  const EPOCHS = 30;
  await startRun(page, EPOCHS);
  await page.getByText(new RegExp(`^Epoch ([3-9]|1\\d) of ${EPOCHS}`)).waitFor({ timeout: 90_000 });
  const trainer = page.workers().find((w) => w.url().includes('train'));
  expect(trainer).toBeDefined();
  // A long synchronous step (as a CNN batch on cpu) stops the worker's own timers for longer than the page's
  // silence limit (20 s): its nested heartbeat keeps it from being declared dead, and the run goes on.
  await trainer?.evaluate(() => {
    const until = Date.now() + 25_000;
    while (Date.now() < until) {
      // busy
    }
  });
  const busyUntil = await shownEpoch(page);
  await page.getByText(new RegExp(`^Epoch (?!${busyUntil} )\\d+ of ${EPOCHS}`)).waitFor({ timeout: 30_000 });
  expect(await page.getByRole('alert').count()).toBe(0);
  // The worker ends itself, as a crash would: no message reaches the page.
  await trainer?.evaluate(() => self.close()).catch(() => undefined);
  const diedAt = await shownEpoch(page);
  await page.waitForTimeout(1000);
  expect(await shownEpoch(page)).toBe(diedAt);

  // The page notices the silence (20 s) and says so where the run was, with Resume offered.
  await page
    .getByRole('alert')
    .filter({ hasText: /^Training failed: The training worker stopped responding \(it crashed or was closed\)/ })
    .waitFor({ timeout: 60_000 });
  await page.getByRole('heading', { name: 'Last run: failed' }).waitFor();
  const [failed] = await readStore<Run>(page, 'runs');
  expect(failed.status).toBe('failed');
  expect(failed.note).toMatch(/^The training worker stopped responding/);
  const [checkpoint] = await readStore<{ runId: string; epoch: number }>(page, 'checkpoints');
  expect(checkpoint.runId).toBe(failed.id);
  expect(checkpoint.epoch).toBeGreaterThanOrEqual(diedAt - 1);
  await page.getByRole('heading', { name: 'Interrupted runs' }).waitFor();
  await page.getByRole('button', { name: `Resume ${failed.name}` }).click();
  await page.getByText(new RegExp(`^Epoch \\d+ of ${EPOCHS}`)).waitFor();
  await page.getByRole('heading', { name: 'Last run: finished' }).waitFor({ timeout: 180_000 });
  const [finished] = await readStore<Run>(page, 'runs');
  expect(finished.id).toBe(failed.id);
  expect(finished.status).toBe('finished');
  expect(lossSteps(finished.history)).toEqual(Array.from({ length: EPOCHS }, (_, i) => i + 1));
  expect(await readStore(page, 'checkpoints')).toEqual([]);
  expect(await page.getByRole('heading', { name: 'Interrupted runs' }).count()).toBe(0);
  expect(errors).toEqual([]);
  await context.close();
});
