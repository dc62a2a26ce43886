// Traffic and alerts on the Monitor screen: a scenario's own alert rules added in one click, its traffic replayed on
// the virtual clock, and the alert it promises fires (table and feed, still there after a reload); the control replay,
// watched by every other penguin scenario's rules, fires nothing.
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

const MASS_RULE = 'Covariate shift: penguins get heavier: feature drift of "Body Mass (g)"';

/** Trains the penguins model on cpu and registers it as champion, then opens Monitor. */
async function championOnMonitor(page: Page): Promise<void> {
  await page.getByRole('heading', { name: 'Penguin species' }).waitFor();
  await goToStage(page, 'Train');
  await page.getByLabel('Backend', { exact: true }).selectOption('cpu');
  // Enough epochs to pass the project's bar, so the gate lets it become champion.
  await page.getByLabel('Epochs').fill('40');
  await trainAndWait(page);
  await expect.poll(async () => (await readStore<Run>(page, 'runs')).filter((r) => r.status === 'finished').length, { timeout: 180_000 }).toBe(1);
  await goToStage(page, 'Deliver');
  await page.getByRole('combobox', { name: 'Run', exact: true }).selectOption({ index: 0 });
  await page.getByRole('checkbox', { name: 'Make it the champion' }).check();
  await page.getByRole('button', { name: 'Register model' }).click();
  await page.getByText('Registered penguin-species version 1 as champion.').waitFor();
  await goToStage(page, 'Monitor');
  await page.getByRole('heading', { name: 'Traffic' }).waitFor();
}

/** Plays the chosen scenario with its defaults and waits until the windows and alert rules have caught up. */
async function play(page: Page): Promise<string> {
  await page.getByRole('button', { name: 'Play traffic' }).click();
  const result = page.getByRole('status', { name: 'Replay result' });
  await result.waitFor({ timeout: 180_000 });
  await page.getByText('Computing the windows and stepping the alert rules…').waitFor({ state: 'detached', timeout: 180_000 });
  return (await result.textContent()) ?? '';
}

/** Rule name and state of every row of the Alerts table. */
async function alertRows(page: Page): Promise<string[][]> {
  const table = page.getByRole('table', { name: 'Alerts' });
  if ((await table.count()) === 0) return [];
  return table.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [0, 1, 2].map((i) => tr.querySelectorAll('td')[i]?.textContent?.trim() ?? '')));
}

async function feedItems(page: Page): Promise<string[]> {
  const feed = page.getByRole('list', { name: 'Alert feed' });
  if ((await feed.count()) === 0) return [];
  return feed.locator('li').allTextContents();
}

/** The last window each rule window was evaluated up to, as stored with the project's alerts. */
async function evaluatedWindows(page: Page): Promise<Record<string, number>> {
  const meta = await readStore<{ key: string; value: { evaluated?: Record<string, number> } }>(page, 'meta');
  return meta.find((m) => m.key.startsWith('monitor:alerts:'))?.value.evaluated ?? {};
}

test('covariate shift: its rule is added in one click and fires on the replay; the feed lists it', async () => {
  const { context, page, errors } = await openApp(browser, inject('baseUrl'));
  await championOnMonitor(page);

  await page.getByRole('radio', { name: /Covariate shift/ }).check();
  await page.getByText('What should be seen, and when:').waitFor();
  // The form takes the scenario's own defaults.
  expect(await page.getByLabel('Requests', { exact: true }).inputValue()).toBe('2000');
  expect(await page.getByLabel('Labels arrive after (hours)').inputValue()).toBe('3');
  await page.getByRole('button', { name: "Add this scenario's alert rules" }).click();
  await page.getByText(`Added 1 rule(s): ${MASS_RULE}.`).waitFor();
  expect(await page.getByLabel('Alert rules (JSON)').inputValue()).toContain('"column": "Body Mass (g)"');

  const result = await play(page);
  expect(result).toMatch(/^Logged 2,000 requests in .+ \([\d,]+ requests\/s\)\./);
  expect(await evaluatedWindows(page)).toEqual({ 'count:100': 19 });

  const rows = await alertRows(page);
  const feed = await feedItems(page);
  // When it does not fire, the feed's pending and dropped events hold the windows' p-values: shown in the failure.
  expect(rows.map((r) => r.slice(0, 2)), `alerts ${JSON.stringify(rows)}; feed ${JSON.stringify(feed)}`).toEqual([[`${MASS_RULE} (warning)`, 'firing']]);
  // A KS p-value at or under 0.05 fired it.
  expect(Number(rows[0]![2]!.split(' ')[0])).toBeLessThanOrEqual(0.05);
  const fired = feed.filter((f) => f.includes('firing') && f.includes(MASS_RULE));
  expect(fired, JSON.stringify(feed)).toHaveLength(1);
  // `for` 2: a pending window came first.
  expect(feed.some((f) => f.includes('pending') && f.includes(MASS_RULE)), JSON.stringify(feed)).toBe(true);

  // Acknowledged by a person, and all of it kept across a reload.
  await page.getByLabel('Acknowledged by').fill('on-call');
  await page.getByRole('button', { name: `Acknowledge ${MASS_RULE}` }).click();
  await page.getByRole('table', { name: 'Alerts' }).getByText(/^on-call, /).waitFor();
  await page.reload();
  await goToStage(page, 'Monitor');
  await page.getByRole('table', { name: 'Alerts' }).getByText(/^on-call, /).waitFor();
  expect((await alertRows(page)).map((r) => r[1])).toEqual(['firing']);
  expect((await feedItems(page)).filter((f) => f.includes('firing'))).toHaveLength(1);
  expect(errors).toEqual([]);
  await context.close();
});

test('control: unchanged traffic, watched by the other penguin scenarios\' rules, fires nothing', async () => {
  const { context, page, errors } = await openApp(browser, inject('baseUrl'));
  await championOnMonitor(page);

  await page.getByRole('radio', { name: /Control/ }).check();
  await page.getByRole('button', { name: "Add this scenario's alert rules" }).click();
  await page.getByText(/^Added 4 rule\(s\): /).waitFor();

  const result = await play(page);
  expect(result).toMatch(/^Logged 2,000 requests/);
  // Every window was stepped, so "nothing fired" is a finding, not a rule that never ran.
  expect(await evaluatedWindows(page)).toEqual({ 'count:100': 19 });
  const rows = await alertRows(page);
  const feed = await feedItems(page);
  expect(rows.filter((r) => r[1] === 'firing'), JSON.stringify(rows)).toEqual([]);
  expect(feed.filter((f) => f.includes('firing')), JSON.stringify(feed)).toEqual([]);
  console.info(`control replay: ${rows.length} alert(s) shown, ${feed.length} feed event(s): ${JSON.stringify(feed)}`);
  expect(errors).toEqual([]);
  await context.close();
});
