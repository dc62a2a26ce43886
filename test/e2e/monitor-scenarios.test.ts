// The penguin scenarios besides covariate shift, each watched by every penguin scenario's rules: the rule a scenario
// states fires in the window it states, its other rules fire no earlier than the change, and no other rule fires.
// The new-category replay then goes on: its alerts and dashboard come back after a reload, and with the network off
// (after a reload served by the service worker) a short replay is scored, windowed and alerted on all the same.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import { scenarioById, scenarioRules, type ScenarioId } from '../../src/core/monitor/scenarios';
import { expectNoNetwork, goToStage, launch, openApp } from './browser';
import { addScenarioRules, alertRows, dashboardSettled, evaluatedWindows, feedItems, penguinChampionOnMonitor, placedEvents, play, type PlacedEvent } from './monitor-helpers';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

async function waitForServiceWorker(page: Page): Promise<void> {
  await page.waitForFunction(async () => (await navigator.serviceWorker.ready).active?.state === 'activated');
}

/**
 * Adds every penguin scenario's rules (the control's button), plays scenario `id` with its defaults and checks its
 * expectation on the stored alert events; returns the events, placed in their windows.
 */
async function playAndCheck(page: Page, id: ScenarioId, card: RegExp): Promise<PlacedEvent[]> {
  const scenario = scenarioById(id);
  const { fromWindow, withinWindows } = scenario.expect;
  const own = scenarioRules(scenario);
  const [stated, ...also] = own;
  const windows = scenario.count / scenario.windowSize;

  await addScenarioRules(page, /^Control/, scenarioRules(scenarioById('control')).length);
  await page.getByRole('radio', { name: card }).check();
  await page.getByText('What should be seen, and when:').waitFor();
  const result = await play(page);
  expect(result).toMatch(new RegExp(`^Logged ${scenario.count.toLocaleString('en')} requests`));
  // Every window was stepped, so "nothing else fired" is a finding, not a rule that never ran.
  expect(await evaluatedWindows(page)).toEqual({ [`penguin-species@1 count:${scenario.windowSize}`]: windows - 1 });

  const events = await placedEvents(page, scenario.windowSize);
  const firing = events.filter((e) => e.kind === 'firing');
  const shown = JSON.stringify(events);
  console.info(`${id}: ${JSON.stringify(firing)}; all events ${shown}`);

  const statedFired = firing.filter((e) => e.ruleId === stated!.id);
  expect(statedFired, shown).toHaveLength(1);
  expect(statedFired[0]!.window, shown).toBeGreaterThanOrEqual(fromWindow);
  expect(statedFired[0]!.window, shown).toBeLessThan(fromWindow + withinWindows);
  for (const rule of also) {
    const fired = firing.filter((e) => e.ruleId === rule.id);
    expect(fired.length, `${rule.id}: ${shown}`).toBeGreaterThan(0);
    // It needs `for` windows in a row from the change at the earliest.
    expect(fired[0]!.window, shown).toBeGreaterThanOrEqual(fromWindow + rule.for - 1);
  }
  const ownIds = new Set(own.map((r) => r.id));
  expect(firing.filter((e) => !ownIds.has(e.ruleId)), shown).toEqual([]);

  // The screen says the same: the scenario's rules are the firing rows, and the feed lists each firing.
  const rows = await alertRows(page);
  const firingRows = rows.filter((r) => r[1] === 'firing').map((r) => r[0]);
  expect(firingRows.sort(), JSON.stringify(rows)).toEqual(own.map((r) => `${r.name} (warning)`).sort());
  const feed = await feedItems(page);
  for (const rule of own) expect(feed.some((f) => f.includes('firing') && f.includes(rule.name)), JSON.stringify(feed)).toBe(true);
  return events;
}

test('a new category: the unseen-category share fires in the window it appears, Island drifts; kept across a reload and working offline', async () => {
  const { context, page, errors } = await openApp(browser, inject('baseUrl'));
  await penguinChampionOnMonitor(page);
  await playAndCheck(page, 'new-category', /^A new category/);
  const scenario = scenarioById('new-category');
  const unseenRule = scenarioRules(scenario)[0]!;

  const dashboard = page.getByRole('region', { name: 'Monitoring dashboard' });
  await dashboardSettled(page);
  const requestsPanel = dashboard.getByRole('img', { name: /^Requests: newest window \(19\) 100, over 20 windows$/ });
  await requestsPanel.waitFor();
  const unseenPanelName = await dashboard.getByRole('img', { name: /^Unseen-category share: / }).getAttribute('aria-label');
  const rowsBefore = await alertRows(page);
  const feedBefore = await feedItems(page);

  // A reload keeps the alerts, the feed, and the dashboard (computed again on opening Monitor over the stored log).
  await waitForServiceWorker(page);
  await page.reload();
  await goToStage(page, 'Monitor');
  await page.getByRole('table', { name: 'Alerts' }).waitFor();
  expect(await alertRows(page)).toEqual(rowsBefore);
  expect(await feedItems(page)).toEqual(feedBefore);
  await requestsPanel.waitFor({ timeout: 120_000 });
  await dashboardSettled(page);
  expect(await dashboard.getByRole('img', { name: /^Unseen-category share: / }).getAttribute('aria-label')).toBe(unseenPanelName);
  const island = dashboard.getByRole('table', { name: 'Drift by feature and window' }).getByRole('row', { name: /^Island/ });
  expect((await island.getByRole('cell').allTextContents())[scenario.expect.fromWindow]).toContain('drifted');

  // Offline: the page comes back from the service worker's cache, and a short replay is scored, logged, windowed and
  // stepped through the rules in the workers.
  await context.setOffline(true);
  await page.reload();
  await page.getByRole('tab', { name: 'Define' }).waitFor();
  await expectNoNetwork(context, inject('baseUrl'));
  await goToStage(page, 'Monitor');
  expect(await alertRows(page)).toEqual(rowsBefore);
  await page.getByRole('radio', { name: /^A new category/ }).check();
  await page.getByLabel('Requests', { exact: true }).fill('200');
  const result = await play(page);
  expect(result).toMatch(/^Logged 200 requests/);
  expect(await evaluatedWindows(page)).toEqual({ 'penguin-species@1 count:100': 21 });
  // The short replay's second half carries the new island: window 20 resolves the alert, window 21 fires a new one.
  const unseen = (await placedEvents(page, 100)).filter((e) => e.ruleId === unseenRule.id && e.window >= 20);
  expect(unseen.map((e) => [e.kind, e.window])).toEqual([
    ['resolved', 20],
    ['firing', 21],
  ]);
  await dashboard.getByRole('button', { name: 'Refresh signals' }).click();
  await dashboardSettled(page);
  await dashboard.getByRole('img', { name: /^Requests: newest window \(21\) 100, over 22 windows$/ }).waitFor();
  await expectNoNetwork(context, inject('baseUrl'));

  expect(errors).toEqual([]);
  await context.close();
});

test('an upstream fault: the missing share of the blanked column fires in the window it starts, nothing else', async () => {
  const { context, page, errors } = await openApp(browser, inject('baseUrl'));
  await penguinChampionOnMonitor(page);
  await playAndCheck(page, 'upstream-fault', /^Upstream fault/);
  expect(errors).toEqual([]);
  await context.close();
});
