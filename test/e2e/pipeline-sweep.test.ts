// A pipeline that trains a sweep: every run of the grid is trained, the best on the validation split becomes the
// candidate, and the reproducibility test trains it again with the same seed and backend and finds the same figures.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import type { PipelineRun } from '../../src/core/deliver/pipeline';
import type { Run } from '../../src/core/shared/types';
import { goToStage, launch, openApp, readStore } from './browser';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

test('pipelines: a sweep picks its candidate on validation, and the candidate reproduces', async () => {
  const { context, page, errors } = await openApp(browser, inject('baseUrl'));
  await page.getByRole('heading', { name: 'Penguin species' }).waitFor();
  await goToStage(page, 'Train');
  await page.getByLabel('Backend', { exact: true }).selectOption('cpu');
  await page.getByLabel('Epochs').fill('20');

  await goToStage(page, 'Deliver');
  await page.getByRole('button', { name: 'New pipeline' }).click();
  const editor = page.getByRole('form', { name: 'Pipeline editor' });
  await editor.getByLabel('Pipeline name').fill('sweep penguins');
  const box = editor.getByLabel('Pipeline JSON');
  const d = JSON.parse(await box.inputValue());
  const base = { spec: d.training.spec, hyper: d.training.hyper };
  d.training = { kind: 'sweep', sweep: { base, method: 'grid', axes: [{ path: 'hyper.learningRate', kind: 'values', values: [0.00001, 0.01] }], maxRuns: 2, seed: 1 } };
  d.tests = [{ kind: 'reproducible' }, { kind: 'value', metric: 'accuracy', lower: 0.5 }];
  await box.fill(JSON.stringify(d, null, 2));
  await editor.getByRole('button', { name: 'Save pipeline' }).click();
  await editor.waitFor({ state: 'detached' });
  await page.getByRole('button', { name: 'Run sweep penguins', exact: true }).click();
  const row = page.getByRole('table', { name: 'Pipeline runs' }).getByRole('row').filter({ hasText: '#1' });
  await row.getByText('passed').waitFor({ timeout: 240_000 });

  const [pipelineRun] = await readStore<PipelineRun>(page, 'pipelineRuns');
  const runs = await readStore<Run>(page, 'runs');
  const sweep = pipelineRun!.outputs.sweepRuns!;
  expect(sweep).toHaveLength(2);
  // The run with the usable learning rate wins on validation, and is the one registered.
  const candidate = runs.find((r) => r.id === pipelineRun!.outputs.runId)!;
  expect(candidate.params.hyper.learningRate).toBe(0.01);
  expect(sweep).toContain(candidate.id);
  const reproduction = pipelineRun!.outputs.reproduction!;
  expect(reproduction.passed).toBe(true);
  expect(reproduction.replay).toBe(reproduction.original);
  expect(runs.find((r) => r.id === reproduction.runId)?.tags.reproduces).toBe(candidate.id);
  const view = page.getByRole('region', { name: 'Run #1 of sweep penguins' });
  await view.getByRole('button', { name: 'Log of train' }).click();
  await view.getByText(/Candidate: run 2 of the sweep, best val_accuracy/).waitFor();
  await view.getByText(/Reproducibility passed/).first().waitFor();
  expect(errors).toEqual([]);
  await context.close();
});
