// The Lessons panel follows the learner through the loop on the penguins sample: each step ticks itself when its
// evidence is stored (a version, a run, a registered champion, a logged request), quotes that evidence, and sends
// the learner to the stage of the next step; the progress is read from storage, so it survives a reload.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import type { Run } from '../../src/core/shared/types';
import { goToStage, launch, openApp, readStore } from './browser';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

const steps = (page: Page) => page.getByRole('list', { name: 'Steps of Walk the loop once' });
const step = (page: Page, n: number, title: string) => steps(page).getByRole('listitem', { name: new RegExp(`^Step ${n}: ${title}, `) });

async function progress(page: Page): Promise<string> {
  return ((await page.getByRole('status', { name: 'Lesson progress' }).textContent()) ?? '').trim();
}

async function openLessons(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Lessons' }).click();
  await page.getByRole('heading', { name: 'Lessons', level: 2 }).waitFor();
  await steps(page).waitFor();
}

test('lessons: steps tick from stored evidence (the loop, gates and data lessons) and lead to the stage of the next', async () => {
  const { context, page, errors } = await openApp(browser, inject('baseUrl'));
  await openLessons(page);
  expect(await page.getByRole('button', { name: /^Walk the loop once/ }).getAttribute('aria-pressed')).toBe('true');

  // The sample came with its version: step 1 is done and names it; training is next.
  expect(await progress(page)).toBe('1 of 7 steps done; next: Train a model.');
  expect(await step(page, 1, 'Freeze the data as a version').getAttribute('aria-label')).toMatch(/, done$/);
  expect(await step(page, 1, 'Freeze the data as a version').textContent()).toMatch(/Evidence: Version "penguins[^"]*": 3\d\d rows \(train \d+, validation \d+, test \d+\), id [0-9a-f]{12}…/);
  expect(await step(page, 2, 'Train a model').getAttribute('aria-label')).toMatch(/, next$/);

  // The step's button opens the stage where it is done.
  await page.getByRole('button', { name: 'Open Train for “Train a model”' }).click();
  expect(await page.getByRole('tab', { name: 'Train', exact: true }).getAttribute('aria-selected')).toBe('true');
  await page.locator('#stage-panel [aria-busy="true"]').waitFor({ state: 'detached' });
  await page.getByLabel('Backend', { exact: true }).selectOption('cpu');
  await page.getByLabel('Epochs').fill('30');
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await page.getByRole('heading', { name: /^Last run: / }).waitFor({ timeout: 180_000 });

  // The run's own stored figure is the evidence, and the goal step judges it against the project's goal.
  const [run] = await readStore<Run>(page, 'runs');
  const accuracy = String(Number(run.metrics.accuracy.toPrecision(4)));
  await step(page, 2, 'Train a model').getByText(`Evidence: Finished run "${run.name}": test accuracy ${accuracy}.`).waitFor();
  const goalStep = step(page, 3, 'Meet the goal on held-out data');
  if (run.metrics.accuracy >= 0.9) {
    await goalStep.getByText(`Evidence: run "${run.name}": test accuracy ${accuracy} meets the goal accuracy ≥ 0.9.`).waitFor();
  } else {
    await goalStep.getByText(`So far: Best so far: run "${run.name}": test accuracy ${accuracy}; the goal is accuracy ≥ 0.9.`).waitFor();
  }

  // Registered as champion in Deliver: two more steps, each with its evidence.
  await goToStage(page, 'Deliver');
  await page.locator('#stage-panel').getByLabel('Make it the champion').check();
  await page.getByRole('button', { name: 'Register model' }).click();
  await page.getByText(/^Registered penguin-species version 1/).waitFor();
  await step(page, 4, 'Register the model').getByText(`Evidence: Registered penguin-species v1 from run "${run.name}".`).waitFor();
  await step(page, 5, 'Make it the champion').getByText('Evidence: champion → penguin-species v1.').waitFor();
  expect(await step(page, 6, 'Serve predictions and log them').getAttribute('aria-label')).toMatch(/, next$/);

  // One prediction served and logged.
  await page.getByRole('button', { name: 'Open Monitor for “Serve predictions and log them”' }).click();
  await page.locator('#stage-panel [aria-busy="true"]').waitFor({ state: 'detached' });
  await page.getByRole('form', { name: 'Prediction input' }).getByRole('button', { name: 'Predict' }).click();
  await page.getByRole('status', { name: 'Prediction' }).waitFor();
  await step(page, 6, 'Serve predictions and log them').getByText('Evidence: 1 request logged while penguin-species v1 was champion.').waitFor();
  const done = run.metrics.accuracy >= 0.9 ? 6 : 5;
  expect(await progress(page)).toBe(`${done} of 7 steps done; next: ${done === 6 ? 'Close the loop: production traffic becomes data' : 'Meet the goal on held-out data'}.`);

  // Nothing is kept but what is stored: after a reload the panel reads the same progress.
  await page.reload();
  await page.getByRole('tab', { name: 'Define' }).waitFor();
  await openLessons(page);
  await expect.poll(() => progress(page)).toBe(`${done} of 7 steps done; next: ${done === 6 ? 'Close the loop: production traffic becomes data' : 'Meet the goal on held-out data'}.`);
  expect(await page.getByRole('button', { name: /^Gates keep bad models out/ }).textContent()).toMatch(/1 of 4/);
  await page.getByRole('button', { name: /^Gates keep bad models out/ }).click();
  await page.getByRole('list', { name: 'Steps of Gates keep bad models out' }).waitFor();
  expect(await progress(page)).toBe('1 of 4 steps done; next: Define a pipeline.');

  // A pipeline saved in Deliver ticks the gates lesson's next step, quoting it.
  await page.getByRole('button', { name: 'Open Deliver for “Define a pipeline”' }).click();
  await page.locator('#stage-panel [aria-busy="true"]').waitFor({ state: 'detached' });
  await page.locator('#stage-panel').getByRole('button', { name: 'New pipeline' }).click();
  const editor = page.getByRole('form', { name: 'Pipeline editor' });
  await editor.getByLabel('Pipeline name').fill('retrain species');
  await editor.getByRole('button', { name: 'Save pipeline' }).click();
  await editor.waitFor({ state: 'detached' });
  const gates = page.getByRole('list', { name: 'Steps of Gates keep bad models out' });
  await gates.getByRole('listitem', { name: /^Step 2: Define a pipeline, done$/ }).getByText(/^Evidence: Pipeline "retrain species" with \d+ tests?\.$/).waitFor();
  expect(await progress(page)).toBe('2 of 4 steps done; next: See a gate refuse a candidate.');

  // A saved expectation suite ticks the data lesson's first step with its size.
  await page.getByRole('button', { name: /^Data you can trust/ }).click();
  expect(await progress(page)).toBe('0 of 4 steps done; next: Write down what the data must look like.');
  await page.getByRole('button', { name: 'Open Data for “Write down what the data must look like”' }).click();
  await page.locator('#stage-panel [aria-busy="true"]').waitFor({ state: 'detached' });
  await page.getByRole('button', { name: 'Suggest expectations from this version' }).click();
  await page.getByRole('button', { name: 'Save suite' }).click();
  const saved = /^Saved the suite with (\d+) expectations\.$/.exec((await page.getByText(/^Saved the suite with \d+ expectations\.$/).textContent()) ?? '');
  await page
    .getByRole('list', { name: 'Steps of Data you can trust' })
    .getByText(`Evidence: A suite of ${saved?.[1]} expectations is saved for this project.`)
    .waitFor();
  expect(await progress(page)).toBe('1 of 4 steps done; next: Transform with a recipe into a new version.');
  await page.getByRole('button', { name: 'Close lessons' }).click();
  await page.getByRole('heading', { name: 'Lessons', level: 2 }).waitFor({ state: 'detached' });

  expect(errors).toEqual([]);
  await context.close();
});
