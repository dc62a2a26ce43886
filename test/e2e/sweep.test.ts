// A small grid sweep on penguins through the Train screen, forced onto wasm, where the 2-core test machine trains two
// runs at once (core/train/sweep/concurrency.ts): four runs finish, two of them provably trained at the same time, the run
// marked best is the one with the highest stored goal metric, and a cancelled sweep stops both running runs (kept as
// stopped) and never starts the rest.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import type { Run } from '../../src/core/shared/types';
import { goToStage, launch, openApp, readStore, shownParameterCount } from './browser';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

/** The wall-clock span of a run's epochs, from its stored history. */
function epochSpan(run: Run): [number, number] {
  const times = run.history.map((p) => p.timestamp);
  return [Math.min(...times), Math.max(...times)];
}

/** Waits until the panel lists `count` runs training at once, each past its first epoch (polled in the page). */
async function liveRows(page: Page, count: number, epochs: RegExp): Promise<void> {
  await page.waitForFunction(
    ([n, source]) => [...document.querySelectorAll('[data-testid="sweep-live"] li')].filter((li) => new RegExp(source).test(li.textContent ?? '')).length >= n,
    [count, epochs.source] as const,
    { timeout: 90_000, polling: 50 },
  );
}

test('penguins on wasm: a 2x2 grid sweep trains two at once and finishes with the best run marked; a cancel stops both', async () => {
  const { context, page, errors } = await openApp(browser, inject('baseUrl'));
  await goToStage(page, 'Train');
  await shownParameterCount(page);
  await page.getByRole('combobox', { name: 'Backend', exact: true }).selectOption('wasm');

  await page.getByRole('button', { name: 'Set up a sweep' }).click();
  await page.getByRole('checkbox', { name: 'Vary Learning rate' }).check();
  await page.getByLabel('Learning rate values').fill('0.003, 0.05');
  await page.getByRole('checkbox', { name: 'Vary Epochs' }).check();
  await page.getByLabel('Epochs values').fill('40, 60');
  await page.getByTestId('sweep-preview').filter({ hasText: 'This sweep queues 4 runs.' }).waitFor();

  // A value the validators refuse is reported before anything starts, and Start sweep waits.
  await page.getByLabel('Epochs values').fill('2, 0');
  await page.getByRole('alert', { name: 'Sweep problems' }).filter({ hasText: 'run 2 (hyper.learningRate=0.003, hyper.epochs=0): epochs must be an integer' }).waitFor();
  expect(await page.getByRole('button', { name: 'Start sweep' }).isDisabled()).toBe(true);
  await page.getByLabel('Epochs values').fill('40, 60');

  await page.getByRole('button', { name: 'Start sweep' }).click();
  await page.getByTestId('sweep-progress').filter({ hasText: 'up to 2 at once' }).waitFor({ timeout: 60_000 });
  // Two live rows at once, both past their first epoch: the panel shows every running run.
  await liveRows(page, 2, /epoch [1-9]\d* of (40|60)/);
  expect(await page.getByRole('button', { name: 'Train', exact: true }).isDisabled()).toBe(true);
  await page.getByTestId('sweep-outcome').filter({ hasText: 'Sweep finished: 4 of 4 runs trained.' }).waitFor({ timeout: 200_000 });

  const project = (await readStore<{ id: string; goal: { metric: string } }>(page, 'projects')).find((p) => p.id.includes('penguin'));
  const goal = project?.goal.metric ?? 'accuracy';
  const swept = (await readStore<Run>(page, 'runs')).filter((r) => r.tags.sweep);
  expect(swept).toHaveLength(4);
  expect(new Set(swept.map((r) => r.tags.sweep)).size).toBe(1);
  expect(swept.every((r) => r.status === 'finished')).toBe(true);
  expect(swept.every((r) => r.backend === 'wasm')).toBe(true);
  const combos = swept.map((r) => `${r.params.hyper.learningRate}x${r.params.hyper.epochs}`).sort();
  expect(combos).toEqual(['0.003x40', '0.003x60', '0.05x40', '0.05x60']);
  // The first two runs of the queue trained at the same time: their epochs interleave in wall-clock time.
  const [first, second] = [1, 2].map((n) => swept.find((r) => r.name.startsWith(`sweep ${n}/4 `)));
  expect(first && second).toBeTruthy();
  const [a, b] = [epochSpan(first!), epochSpan(second!)];
  expect(a[0] < b[1] && b[0] < a[1]).toBe(true);
  const top = Math.max(...swept.map((r) => r.metrics[goal]));

  const results = page.getByRole('table', { name: 'Sweep results' });
  expect(await results.locator('tbody tr').count()).toBe(4);
  const bestRows = results.locator('tbody tr').filter({ has: page.getByText('best', { exact: true }) });
  expect(await bestRows.count()).toBe(1);
  const bestId = await bestRows.getAttribute('data-run-id');
  expect(swept.find((r) => r.id === bestId)?.metrics[goal]).toBe(top);
  expect(await bestRows.getAttribute('aria-current')).toBe('true');

  // A second sweep with long runs, cancelled while its first two train at once.
  await page.getByLabel('Epochs values').fill('2000, 3000');
  await page.getByTestId('sweep-preview').filter({ hasText: 'This sweep queues 4 runs.' }).waitFor();
  await page.getByRole('button', { name: 'Start sweep' }).click();
  await liveRows(page, 2, /epoch [1-9]\d* of (2000|3000)/);
  // Both are recorded as running meanwhile, each under its own lock.
  const running = (await readStore<Run>(page, 'runs')).filter((r) => r.tags.sweep && r.tags.sweep !== swept[0].tags.sweep && r.status === 'running');
  expect(running).toHaveLength(2);
  await page.getByRole('button', { name: 'Cancel sweep' }).click();
  await page
    .getByTestId('sweep-outcome')
    .filter({ hasText: 'Sweep cancelled: 2 of 4 runs ran (the ones training were stopped); the other 2 were not started.' })
    .waitFor({ timeout: 60_000 });
  // Nothing else starts afterwards.
  await page.waitForTimeout(1500);
  const cancelled = (await readStore<Run>(page, 'runs')).filter((r) => r.tags.sweep && r.tags.sweep !== swept[0].tags.sweep);
  expect(cancelled).toHaveLength(2);
  for (const run of cancelled) {
    expect(run.status).toBe('finished');
    expect(run.note).toMatch(/^Stopped by the user after \d+ of (2000|3000) epochs/);
    expect(run.model).not.toBeNull();
  }
  expect(await page.getByRole('table', { name: 'Sweep results' }).locator('tbody tr').count()).toBe(2);
  expect(await page.getByRole('button', { name: 'Train', exact: true }).isDisabled()).toBe(false);

  expect(errors).toEqual([]);
  await context.close();
});
