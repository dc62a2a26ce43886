// Two tabs of one profile: a goal saved in tab B shows in tab A without a reload, and A's form, edited before that,
// cannot save over it (the stored goal stays B's); a newer schema opened in tab B closes tab A's storage, which then
// shows the reload message and writes nothing.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import type { Project } from '../../src/core/shared/types';
import { SCHEMA_VERSION } from '../../src/platform/db';
import { launch, openApp, readStore } from './browser';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

/** A second tab of the same profile, once it has loaded the workbench. */
async function secondTab(page: Page, errors: string[]): Promise<Page> {
  const other = await page.context().newPage();
  other.on('pageerror', (e) => errors.push(e.message));
  await other.goto(inject('baseUrl'));
  await other.getByRole('heading', { name: 'Penguin species' }).waitFor({ timeout: 60_000 });
  return other;
}

const storedGoal = async (page: Page) => (await readStore<Project>(page, 'projects')).map((p) => p.goal);

test("a goal saved in one tab shows in the other, whose stale form cannot undo it", async () => {
  const { context, page: a, errors } = await openApp(browser, inject('baseUrl'));
  await a.getByRole('heading', { name: 'Penguin species' }).waitFor();
  const b = await secondTab(a, errors);
  const formA = a.getByRole('form', { name: 'Project goal' });
  const formB = b.getByRole('form', { name: 'Project goal' });
  const before = await a.getByTestId('project-goal').textContent();

  // Tab A starts an edit and leaves it; tab B saves another goal meanwhile.
  await formA.getByLabel('Bar').fill('0.5');
  await formB.getByLabel('Bar').fill('0.97');
  await formB.getByRole('button', { name: 'Save goal' }).click();
  await b.getByRole('status').filter({ hasText: 'Goal saved' }).waitFor();

  // Tab A shows B's goal without a reload, and keeps its own unsaved edit in the form.
  await expect.poll(() => a.getByTestId('project-goal').textContent(), { timeout: 10_000 }).toMatch(/≥ 0\.97$/);
  expect(before).not.toMatch(/0\.97/);
  expect(await formA.getByLabel('Bar').inputValue()).toBe('0.5');

  // Saving the stale form is refused with the newer goal, and storage keeps B's.
  await formA.getByRole('button', { name: 'Save goal' }).click();
  const refusal = a.getByRole('alert').filter({ hasText: /^\s*Not saved: the goal was changed to Accuracy ≥ 0\.97 \(in another tab\)/ });
  await refusal.waitFor();
  expect(await storedGoal(a)).toEqual([{ metric: 'accuracy', bar: 0.97 }]);
  expect(await a.getByRole('status').filter({ hasText: 'Goal saved' }).count()).toBe(0);

  // Loading the newer goal fills the form with it; a save from there is B's goal changed on purpose.
  await refusal.getByRole('button', { name: 'Load the newer goal' }).click();
  expect(await formA.getByLabel('Bar').inputValue()).toBe('0.97');
  await formA.getByLabel('Bar').fill('0.92');
  await formA.getByRole('button', { name: 'Save goal' }).click();
  await a.getByRole('status').filter({ hasText: 'Goal saved' }).waitFor();
  expect(await storedGoal(a)).toEqual([{ metric: 'accuracy', bar: 0.92 }]);
  await expect.poll(() => b.getByTestId('project-goal').textContent(), { timeout: 10_000 }).toMatch(/≥ 0\.92$/);
  expect(errors).toEqual([]);
  await context.close();
});

test('a newer schema opened in another tab closes this tab, which asks for a reload and writes nothing', async () => {
  const { context, page: a, errors } = await openApp(browser, inject('baseUrl'));
  await a.getByRole('heading', { name: 'Penguin species' }).waitFor();
  const b = await secondTab(a, errors);
  const stores = ['projects', 'datasets', 'runs', 'meta'];
  const snapshot = async () => Promise.all(stores.map((s) => readStore(b, s)));
  const before = await snapshot();
  // Tab A has an edit in progress when the other tab upgrades.
  await a.getByRole('form', { name: 'Project goal' }).getByLabel('Bar').fill('0.5');

  // Dexie stores version n as n × 10: the next schema, as a newer Loopbench would open it.
  const newer = (SCHEMA_VERSION + 1) * 10;
  const opened = await b.evaluate(
    (version) =>
      new Promise<number>((resolve, reject) => {
        const request = indexedDB.open('loopbench', version);
        request.onsuccess = () => {
          request.result.close();
          resolve(request.result.version);
        };
        request.onerror = () => reject(request.error);
      }),
    newer,
  );
  // Not blocked: every connection of tab A (the page's and its workers') stepped aside.
  expect(opened).toBe(newer);

  await a.getByRole('alert').filter({ hasText: 'Loopbench was updated in another tab; reload to continue.' }).waitFor({ timeout: 10_000 });
  await a.getByRole('button', { name: 'Reload' }).waitFor();
  // The workbench is gone, so nothing in it can be saved any more.
  expect(await a.getByRole('form', { name: 'Project goal' }).count()).toBe(0);
  expect(await a.getByRole('button', { name: 'Save goal' }).count()).toBe(0);
  await a.waitForTimeout(500);
  expect(await snapshot()).toEqual(before);
  expect(errors).toEqual([]);
  await context.close();
});
