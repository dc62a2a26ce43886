// Shared steps of the Monitor e2e files: a champion to monitor, a replay played to the end, the Alerts panel and the
// stored alert state read back, the request log read from IndexedDB (to place an alert in its window, or to build a
// labels file from real request ids), and one window's figures as the drill-down shows them.
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import type { AlertEvent, AlertRule } from '../../src/core/monitor/alerts/types';
import type { Run } from '../../src/core/shared/types';
import { goToStage, readStore, trainAndWait } from './browser';

/** Trains the open project's model on cpu, registers it as champion, then opens Monitor. */
export async function championOnMonitor(page: Page, epochs = 40): Promise<void> {
  await goToStage(page, 'Train');
  await page.getByLabel('Backend', { exact: true }).selectOption('cpu');
  // Enough epochs to pass the project's bar, so the gate lets it become champion.
  await page.getByLabel('Epochs').fill(String(epochs));
  await trainAndWait(page);
  await expect.poll(async () => (await readStore<Run>(page, 'runs')).filter((r) => r.status === 'finished').length, { timeout: 180_000 }).toBe(1);
  await goToStage(page, 'Deliver');
  await page.getByRole('combobox', { name: 'Run', exact: true }).selectOption({ index: 0 });
  await page.getByRole('checkbox', { name: 'Make it the champion' }).check();
  await page.getByRole('button', { name: 'Register model' }).click();
  await page.getByText(/^Registered .+ version 1 as champion\.$/).waitFor();
  await goToStage(page, 'Monitor');
  await page.getByRole('heading', { name: 'Traffic' }).waitFor();
}

/** The penguins project (the one a fresh profile opens on), trained and served as champion. */
export async function penguinChampionOnMonitor(page: Page): Promise<void> {
  await page.getByRole('heading', { name: 'Penguin species' }).waitFor();
  await championOnMonitor(page);
}

/** Plays the chosen scenario with the form as it is and waits until the windows and alert rules have caught up. */
export async function play(page: Page): Promise<string> {
  await page.getByRole('button', { name: 'Play traffic' }).click();
  const result = page.getByRole('status', { name: 'Replay result' });
  await result.waitFor({ timeout: 180_000 });
  await page.getByText('Computing the windows and stepping the alert rules…').waitFor({ state: 'detached', timeout: 180_000 });
  return (await result.textContent()) ?? '';
}

/** Chooses a scenario card and adds its suggested rules (for the control: every other penguin scenario's rules). */
export async function addScenarioRules(page: Page, card: RegExp, added: number): Promise<void> {
  await page.getByRole('radio', { name: card }).check();
  await page.getByRole('button', { name: "Add this scenario's alert rules" }).click();
  await page.getByText(new RegExp(`^Added ${added} rule\\(s\\): `)).waitFor();
  await page.getByText('Evaluating the rules on the logged traffic…').waitFor({ state: 'detached' });
}

/** Rule name, state and value of every row of the Alerts table. */
export async function alertRows(page: Page): Promise<string[][]> {
  const table = page.getByRole('table', { name: 'Alerts' });
  if ((await table.count()) === 0) return [];
  return table.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [0, 1, 2].map((i) => tr.querySelectorAll('td')[i]?.textContent?.trim() ?? '')));
}

export async function feedItems(page: Page): Promise<string[]> {
  const feed = page.getByRole('list', { name: 'Alert feed' });
  if ((await feed.count()) === 0) return [];
  return feed.locator('li').allTextContents();
}

/** The project's alert state as stored in settings (`monitor:alerts:<projectId>`), or null before any rule exists. */
export interface StoredAlerts {
  rules: AlertRule[];
  feed: { events: AlertEvent[] };
  /** Per window kind and size: the index of the last window the rules were stepped through. */
  evaluated: Record<string, number>;
}

export async function storedAlerts(page: Page): Promise<StoredAlerts | null> {
  const meta = await readStore<{ key: string; value: StoredAlerts }>(page, 'meta');
  return meta.find((m) => m.key.startsWith('monitor:alerts:'))?.value ?? null;
}

/** The last window each rule window was evaluated up to, as stored with the project's alerts. */
export async function evaluatedWindows(page: Page): Promise<Record<string, number>> {
  return (await storedAlerts(page))?.evaluated ?? {};
}

/** One logged request as the log stores it, class indexes turned back into names. */
export interface LoggedRow {
  id: number;
  at: number;
  output: string | null;
  label: string | null;
  /** The model's classes, in its probability order (the same for every row of one model). */
  classes: string[];
}

/**
 * The serving log of the open project's champion in log order (chunks by first request time, then storage order, as
 * the windows are cut), read straight from IndexedDB like `readStore`. Typed arrays are turned into plain arrays in
 * the page, so only JSON crosses to the test.
 */
export function loggedRequests(page: Page): Promise<LoggedRow[]> {
  return page.evaluate(
    () =>
      new Promise<LoggedRow[]>((resolve, reject) => {
        const open = indexedDB.open('loopbench');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          const tx = db.transaction(['requestChunks', 'requestChunkData'], 'readonly');
          const heads = tx.objectStore('requestChunks').getAll();
          const data = tx.objectStore('requestChunkData').getAll();
          tx.oncomplete = () => {
            db.close();
            type Head = { id: number; role: string; firstAt: number; classes: string[] };
            type Columns = { ids: Float64Array; at: Float64Array; output: Int16Array; labels: Int16Array };
            const columnsOf = new Map((data.result as { chunkId: number; columns: Columns }[]).map((d) => [d.chunkId, d.columns]));
            const serving = (heads.result as Head[]).filter((h) => h.role === 'serving').sort((a, b) => a.firstAt - b.firstAt || a.id - b.id);
            const rows: LoggedRow[] = [];
            for (const h of serving) {
              const c = columnsOf.get(h.id);
              if (!c) return reject(new Error(`request-log chunk ${h.id} has no columns`));
              for (let r = 0; r < c.ids.length; r++) {
                const name = (i: number) => (i < 0 ? null : (h.classes[i] ?? null));
                rows.push({ id: c.ids[r]!, at: c.at[r]!, output: name(c.output[r]!), label: name(c.labels[r]!), classes: h.classes });
              }
            }
            resolve(rows);
          };
          tx.onerror = () => reject(tx.error);
        };
      }),
  );
}

/** The count window (of `size` requests, in log order) an alert event was computed on, found by its start time. */
export function windowOf(rows: readonly LoggedRow[], size: number, event: Pick<AlertEvent, 'window'>): number {
  for (let k = 0; k * size < rows.length; k++) if (rows[k * size]!.at === event.window.start) return k;
  throw new Error(`No window of ${size} requests starts at ${event.window.start} (${new Date(event.window.start).toISOString()}).`);
}

/** An alert event placed in its window: rule id, kind and window index. */
export interface PlacedEvent {
  ruleId: string;
  kind: AlertEvent['kind'];
  window: number;
  value: number;
}

/** Every stored alert event of rules on count windows of `size`, with the window it happened in. */
export async function placedEvents(page: Page, size: number): Promise<PlacedEvent[]> {
  const stored = await storedAlerts(page);
  const rows = await loggedRequests(page);
  return (stored?.feed.events ?? []).map((e) => ({ ruleId: e.ruleId, kind: e.kind, window: windowOf(rows, size, e), value: e.value }));
}

/** A window's figures as its drill-down shows them: the CBPE estimate, the realized accuracy and the labelled rows. */
export interface WindowFigures {
  estimated: number | null;
  realized: number | null;
  labelled: number;
  /** The raw texts, for failure messages. */
  texts: Record<string, string>;
}

const percent = (text: string | undefined, pattern: RegExp): number | null => {
  const m = text ? pattern.exec(text) : null;
  return m ? Number(m[1]) / 100 : null;
};

/** Opens window `index` in the dashboard's drill-down (the keyboard's way, the "Drill window" select) and reads it. */
export async function windowFigures(page: Page, index: number): Promise<WindowFigures> {
  const dashboard = page.getByRole('region', { name: 'Monitoring dashboard' });
  await dashboard.getByLabel('Drill window').selectOption(String(index));
  const figures = dashboard.locator(`dl[aria-label="Model figures of window ${index}"]`);
  await figures.waitFor();
  const texts = await figures.evaluate((dl) => {
    const out: Record<string, string> = {};
    for (const dt of dl.querySelectorAll('dt')) {
      const dd = dt.nextElementSibling;
      out[dt.textContent?.trim() ?? ''] = dd?.textContent?.replace(/\s+/g, ' ').trim() ?? '';
    }
    return out;
  });
  const labelled = /\((\d+) labelled\)/.exec(texts['Realized'] ?? '');
  if (!labelled) throw new Error(`Window ${index} shows no labelled count: ${JSON.stringify(texts)}`);
  return {
    estimated: percent(texts['Accuracy estimated (CBPE)'], /^([\d.]+)%/),
    realized: percent(texts['Realized'], /^accuracy ([\d.]+)%/),
    labelled: Number(labelled[1]),
    texts,
  };
}

/** Waits until the dashboard's computation has ended, with no error shown. */
export async function dashboardSettled(page: Page): Promise<void> {
  const dashboard = page.getByRole('region', { name: 'Monitoring dashboard' });
  await page.getByText('Computing signals in the analysis worker…').waitFor({ state: 'detached', timeout: 120_000 });
  expect(await dashboard.getByRole('alert').allTextContents()).toEqual([]);
}
