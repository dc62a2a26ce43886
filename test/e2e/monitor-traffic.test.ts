// Traffic and alerts on the Monitor screen: a scenario's own alert rules added in one click, its traffic replayed on
// the virtual clock, and the alert it promises fires (table and feed, still there after a reload); the control replay,
// watched by every other penguin scenario's rules, fires nothing.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import { goToStage, launch, openApp } from './browser';
import { alertRows, evaluatedWindows, feedItems, penguinChampionOnMonitor, play } from './monitor-helpers';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

const MASS_RULE = 'Covariate shift: penguins get heavier: feature drift of "Body Mass (g)"';

test('covariate shift: its rule is added in one click and fires on the replay; the feed lists it', async () => {
  const { context, page, errors } = await openApp(browser, inject('baseUrl'));
  await penguinChampionOnMonitor(page);

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
  expect(await evaluatedWindows(page)).toEqual({ 'penguin-species@1 count:100': 19 });

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
  await penguinChampionOnMonitor(page);

  await page.getByRole('radio', { name: /Control/ }).check();
  await page.getByRole('button', { name: "Add this scenario's alert rules" }).click();
  await page.getByText(/^Added 4 rule\(s\): /).waitFor();

  const result = await play(page);
  expect(result).toMatch(/^Logged 2,000 requests/);
  // Every window was stepped, so "nothing fired" is a finding, not a rule that never ran.
  expect(await evaluatedWindows(page)).toEqual({ 'penguin-species@1 count:100': 19 });
  const rows = await alertRows(page);
  const feed = await feedItems(page);
  expect(rows.filter((r) => r[1] === 'firing'), JSON.stringify(rows)).toEqual([]);
  expect(feed.filter((f) => f.includes('firing')), JSON.stringify(feed)).toEqual([]);
  console.info(`control replay: ${rows.length} alert(s) shown, ${feed.length} feed event(s): ${JSON.stringify(feed)}`);
  expect(errors).toEqual([]);
  await context.close();
});
