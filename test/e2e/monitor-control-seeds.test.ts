// False alarms on unchanged traffic: the control replay with seeds 1 to 3, each watched by every other penguin
// scenario's rules, fires nothing. A chance window that crosses a drift threshold makes a rule pending; `for: 2` then
// drops it when the next window is calm. The per-seed counts are printed for the notes.
//
// Each seed gets a fresh profile (about five seconds with the training), so each replay's feed and stored alert state
// are its own and every event can be placed in a window of that replay's log.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import { scenarioById, scenarioRules } from '../../src/core/monitor/scenarios';
import { launch, openApp } from './browser';
import { addScenarioRules, evaluatedWindows, loggedRequests, penguinChampionOnMonitor, placedEvents, play, type PlacedEvent } from './monitor-helpers';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

// Seeds 4 and 5 were measured too when this was written (0 firing; 2 and 0 single-window dips): three keep the suite short.
const SEEDS = [1, 2, 3];

interface SeedOutcome {
  seed: number;
  firing: PlacedEvent[];
  pending: PlacedEvent[];
  dropped: PlacedEvent[];
  /** The predicted classes in log order: different seeds must replay different traffic. */
  answers: string;
}

test('control replay over three seeds: no alert fires (false alarms counted per seed)', async () => {
  const control = scenarioById('control');
  const rules = scenarioRules(control);
  const windows = control.count / control.windowSize;
  const outcomes: SeedOutcome[] = [];

  for (const seed of SEEDS) {
    const { context, page, errors } = await openApp(browser, inject('baseUrl'));
    await penguinChampionOnMonitor(page);
    await addScenarioRules(page, /^Control/, rules.length);
    await page.getByLabel('Seed').fill(String(seed));
    const result = await play(page);
    expect(result).toMatch(/^Logged 2,000 requests/);
    expect(await evaluatedWindows(page), `seed ${seed}`).toEqual({ [`penguin-species@1 count:${control.windowSize}`]: windows - 1 });
    const events = await placedEvents(page, control.windowSize);
    const log = await loggedRequests(page);
    outcomes.push({
      seed,
      firing: events.filter((e) => e.kind === 'firing'),
      pending: events.filter((e) => e.kind === 'pending'),
      dropped: events.filter((e) => e.kind === 'dropped'),
      answers: log.map((r) => r.output).join(','),
    });
    expect(errors, `seed ${seed}`).toEqual([]);
    await context.close();
  }

  for (const o of outcomes) {
    const where = (list: PlacedEvent[]) => list.map((e) => `${e.ruleId} @${e.window} (${e.value.toPrecision(3)})`).join('; ') || '—';
    console.info(
      `control seed ${o.seed}: ${o.firing.length} firing, ${o.pending.length} pending, ${o.dropped.length} pending-then-dropped over ${windows} windows × ${rules.length} rules. ` +
        `Pending (window, value): ${where(o.pending)}. Firing: ${where(o.firing)}.`,
    );
  }
  const falseAlarms = outcomes.reduce((n, o) => n + o.firing.length, 0);
  console.info(`control, seeds ${SEEDS.join(', ')}: ${falseAlarms} false alarm(s) in ${SEEDS.length * windows} windows.`);
  expect(new Set(outcomes.map((o) => o.answers)).size).toBe(SEEDS.length);
  expect(
    outcomes.map((o) => ({ seed: o.seed, firing: o.firing })),
    'a control seed fired: report it, do not loosen the rules',
  ).toEqual(SEEDS.map((seed) => ({ seed, firing: [] })));
});
