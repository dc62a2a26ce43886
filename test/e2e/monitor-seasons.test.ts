// Seasons on the Seattle weather sample: four years replayed day by day, a window per season. Nothing is broken, yet
// the predicted classes follow the seasons, so the prediction-drift rule the scenario states fires within its first
// windows, and temperature drifts against the year-round reference.
// About 8 s: a cpu training of the weather model and 1,461 replayed days.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import { scenarioById, scenarioRules } from '../../src/core/monitor/scenarios';
import { goToStage, launch, openApp } from './browser';
import { championOnMonitor, evaluatedWindows, placedEvents, play } from './monitor-helpers';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

test('seasons: prediction drift fires within the first seasons, temp_max drifts', async () => {
  const scenario = scenarioById('seasonal');
  const { fromWindow, withinWindows } = scenario.expect;
  const [stated, ...also] = scenarioRules(scenario);
  const { context, page, errors } = await openApp(browser, inject('baseUrl'));

  await goToStage(page, 'Define');
  await page.getByRole('button', { name: 'Open sample: Seattle weather (classification)' }).click();
  await page.getByRole('combobox', { name: 'Dataset version' }).locator('option', { hasText: '1461 rows' }).waitFor({ state: 'attached' });
  // The sample as shipped ignores "date": the replay still reads each row's date for its clock.
  await championOnMonitor(page);

  await page.getByRole('radio', { name: /^Seasons/ }).check();
  await page.getByText('What should be seen, and when:').waitFor();
  expect(await page.getByLabel('Requests', { exact: true }).inputValue()).toBe(String(scenario.count));
  await page.getByRole('button', { name: "Add this scenario's alert rules" }).click();
  await page.getByText(/^Added 2 rule\(s\): /).waitFor();
  expect(await play(page)).toMatch(/^Logged 1,461 requests/);
  // 1,461 days in windows of 91: 16 whole seasons, and 5 days that do not make a complete window.
  const complete = Math.floor(scenario.count / scenario.windowSize);
  expect(await evaluatedWindows(page)).toEqual({ [`seattle-weather@1 count:${scenario.windowSize}`]: complete - 1 });

  const events = await placedEvents(page, scenario.windowSize);
  const shown = JSON.stringify(events);
  console.info(`seasonal: ${shown}`);
  const firing = events.filter((e) => e.kind === 'firing');
  const statedFired = firing.filter((e) => e.ruleId === stated!.id);
  expect(statedFired.length, shown).toBeGreaterThan(0);
  expect(statedFired[0]!.window, shown).toBeGreaterThanOrEqual(fromWindow);
  expect(statedFired[0]!.window, shown).toBeLessThan(fromWindow + withinWindows);
  // "Feature drift on temp_max in every season": it fires at once and never resolves.
  for (const rule of also) {
    const own = events.filter((e) => e.ruleId === rule.id);
    expect(own.map((e) => [e.kind, e.window]), shown).toEqual([['firing', 0]]);
  }

  expect(errors).toEqual([]);
  await context.close();
});
