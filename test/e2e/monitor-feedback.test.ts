// The feedback-loop scenario on the Seattle weather sample, clicked through: the champion serves the scenario's
// traffic and is retrained on its own answers every three windows, each new model registered and made champion; the
// dashboard then shows every version of the model as one series. The top-class share runs past the scenario's rule
// (above 0.75 two windows in a row by window 20) while the true weather, from the logged labels, stays where it was.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import { launch, openApp, readStore } from './browser';
import { championOnMonitor, loggedRequests, play, type LoggedRow } from './monitor-helpers';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

const WINDOW = 100;

/** Per window of the log (in log order): its top-class share and how many of its requests had each true label. */
function perWindow(rows: readonly LoggedRow[]): { topShare: number; labels: Map<string, number> }[] {
  const out: { topShare: number; labels: Map<string, number> }[] = [];
  for (let k = 0; k * WINDOW < rows.length; k++) {
    const window = rows.slice(k * WINDOW, (k + 1) * WINDOW);
    const answers = new Map<string, number>();
    const labels = new Map<string, number>();
    for (const r of window) {
      if (r.output !== null) answers.set(r.output, (answers.get(r.output) ?? 0) + 1);
      if (r.label !== null) labels.set(r.label, (labels.get(r.label) ?? 0) + 1);
    }
    out.push({ topShare: Math.max(...answers.values()) / window.length, labels });
  }
  return out;
}

test('feedback loop: retrained on its own answers, the top-class share runs away while the true weather stays', async () => {
  const { context, page, errors } = await openApp(browser, inject('baseUrl'));
  await page.getByRole('button', { name: 'Open sample: Seattle weather (classification)' }).click();
  await page.getByRole('combobox', { name: 'Project' }).locator('option:checked', { hasText: 'Seattle weather' }).waitFor({ state: 'attached', timeout: 60_000 });
  await page.getByRole('combobox', { name: 'Dataset version' }).waitFor();
  await championOnMonitor(page);

  await page.getByRole('radio', { name: /Feedback loop/ }).check();
  expect(await page.getByLabel('Requests', { exact: true }).inputValue()).toBe('3000');
  const result = await play(page);
  const retrained = Number(/retrained (\d+) times? on its own answers/.exec(result)?.[1]);
  console.info(`feedback loop: ${result}`);
  expect(retrained).toBeGreaterThanOrEqual(1);
  expect(result).toMatch(/^Logged 3,000 requests/);
  expect(result).toContain(`version ${retrained + 1} is the champion now`);

  // The champion moved once per retraining, each time with the loop's reason.
  const [model] = await readStore<{ aliases: Record<string, number>; audit: { kind: string; alias?: string; why?: string }[] }>(page, 'models');
  expect(model.aliases.champion).toBe(retrained + 1);
  const moves = model.audit.filter((e) => e.kind === 'alias' && e.alias === 'champion').slice(1);
  expect(moves).toHaveLength(retrained);
  for (const m of moves) expect(m.why).toMatch(/^feedback loop: retrained on its own answers \(windows \d+–\d+\)$/);

  // The dashboard reads every version of the model, and its windows are the whole replay's.
  expect(await page.getByRole('combobox', { name: /^Log\b/ }).inputValue()).toBe('all');
  await page.getByText(/^\s*3000 logged requests in 30 windows/).waitFor({ timeout: 60_000 });
  expect(await page.getByText(/could not be computed/).count()).toBe(0);

  const rows = await loggedRequests(page);
  expect(rows).toHaveLength(3000);
  const windows = perWindow(rows);
  const shares = windows.map((w) => w.topShare);
  console.info(`feedback loop, top-class share per window: ${shares.map((s) => s.toFixed(2)).join(' ')}`);
  expect((shares[0] + shares[1] + shares[2]) / 3).toBeLessThan(0.75);
  const fires = shares.findIndex((s, w) => w >= 1 && s > 0.75 && shares[w - 1] > 0.75);
  expect(fires).toBeGreaterThanOrEqual(3);
  expect(fires).toBeLessThanOrEqual(20);

  // The truth: a class every version knows (a label the serving model does not know is not logged) keeps its share.
  const known = rows.reduce((set, r) => new Set(r.classes.filter((c) => set.has(c))), new Set(rows[0].classes));
  expect(known.size).toBeGreaterThanOrEqual(2);
  for (const label of known) {
    const share = (from: number, to: number) => windows.slice(from, to).reduce((a, w) => a + (w.labels.get(label) ?? 0), 0) / ((to - from) * WINDOW);
    console.info(`true share of "${label}": windows 0–9 ${share(0, 10).toFixed(3)}, 20–29 ${share(20, 30).toFixed(3)}`);
    expect(Math.abs(share(20, 30) - share(0, 10))).toBeLessThan(0.06);
  }
  expect(errors).toEqual([]);
  await context.close();
});
