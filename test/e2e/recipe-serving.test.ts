// A model trained on a derived version is served from RAW rows: the export bundle ships the recipe chain and verifies
// itself on raw examples, and the live form asks for the imported columns, not the model's one-hot ones.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { unzipSync } from 'fflate';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import { goToStage, launch, openApp, trainAndWait } from './browser';
import { addPenguinRecipe } from './penguin-recipe';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

test('train through a recipe, export a bundle that takes raw rows, and predict from a raw row in the page', async () => {
  const { context, page, errors } = await openApp(browser, inject('baseUrl'));
  await page.getByRole('heading', { name: 'Penguin species' }).waitFor();
  await goToStage(page, 'Data');
  const versionSelect = page.getByRole('combobox', { name: 'Dataset version' });
  await versionSelect.waitFor();
  const rootId = await versionSelect.inputValue();
  await page.getByText('No steps yet.').waitFor();

  await addPenguinRecipe(page);
  await page.getByRole('status', { name: 'Recipe preview rows' }).filter({ hasText: /→ \d+ after/ }).waitFor();
  await page.getByRole('button', { name: 'Apply recipe (new version)' }).click();
  await page.getByText(/^Made version ".+ \+ recipe"/).waitFor();
  const childId = await versionSelect.inputValue();
  expect(childId).not.toBe(rootId);

  await goToStage(page, 'Train');
  await page.getByLabel('Backend', { exact: true }).selectOption('cpu');
  await page.getByLabel('Epochs').fill('30');
  await trainAndWait(page);
  expect(await page.getByRole('heading', { name: /^Last run: / }).textContent()).toBe('Last run: finished');

  await goToStage(page, 'Deliver');
  // Registering does not deploy: serving the version is a separate, explicit choice.
  await page.getByRole('checkbox', { name: 'Make it the champion' }).check();
  await page.getByRole('button', { name: 'Register model' }).click();
  await page.getByText('Registered penguin-species version 1 as champion.').waitFor();
  const downloadPromise = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export penguin-species version 1' }).click();
  const files = unzipSync(readFileSync(await (await downloadPromise).path()));
  const text = (name: string) => new TextDecoder().decode(files[name]);
  const recipes = JSON.parse(text('recipes.json')) as { steps: { kind: string }[] }[];
  expect(recipes.map((r) => r.steps.map((s) => s.kind))).toEqual([['impute', 'onehot', 'filter']]);
  expect(JSON.parse(text('lineage.json')).recipeChain).toEqual([rootId, childId]);
  // The examples are raw rows of the import: Island as text, no one-hot columns.
  const examples = JSON.parse(text('examples.json')) as { input: Record<string, unknown> }[];
  expect(examples.length).toBeGreaterThan(30);
  expect(examples.every((e) => typeof e.input.Island === 'string' && !('Island=Biscoe' in e.input))).toBe(true);
  expect(examples.every((e) => typeof e.input['Body Mass (g)'] === 'number' && (e.input['Body Mass (g)'] as number) > 3000)).toBe(true);
  const dir = join(process.cwd(), '.tmp', 'e2e-recipe-bundle');
  rmSync(dir, { recursive: true, force: true });
  for (const [name, bytes] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), bytes);
  }
  const verify = execFileSync('node', ['predict.mjs', '--verify'], { cwd: dir, encoding: 'utf8' });
  expect(verify).toContain(`${examples.length} of ${examples.length} examples match`);

  // The live form asks for the imported columns; Island is typed (a text input with suggestions, so a combobox), not
  // picked among one-hot columns.
  await goToStage(page, 'Monitor');
  await page.getByRole('heading', { name: 'Live predictions' }).waitFor();
  await page.getByText(/Enter a raw row, with the columns of the imported data/).waitFor();
  expect(await page.getByLabel('Island=Biscoe').count()).toBe(0);
  const island = page.getByRole('combobox', { name: 'Island', exact: true });
  const listId = await island.getAttribute('list');
  expect(await page.locator(`datalist[id="${listId}"] option`).evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value))).toEqual(['Biscoe', 'Dream', 'Torgersen']);
  await island.fill('Biscoe');
  await page.getByLabel('Beak Length (mm)').fill('47.5');
  await page.getByLabel('Beak Depth (mm)').fill('14.8');
  await page.getByLabel('Flipper Length (mm)').fill('217');
  await page.getByLabel('Body Mass (g)').fill('5200');
  await page.getByRole('combobox', { name: 'Sex', exact: true }).fill('MALE');
  await page.getByRole('button', { name: 'Predict' }).click();
  const prediction = page.getByRole('status', { name: 'Prediction' });
  await prediction.waitFor();
  expect(await prediction.locator('.output').textContent()).toBe('Gentoo');
  // The log keeps the raw row as typed.
  await page.getByRole('table', { name: 'Prediction log' }).getByRole('cell', { name: /Island=Biscoe, .*Sex=MALE/ }).waitFor();

  // An island the model never saw and text in a number field are answered, but said, and logged with the answer.
  await island.fill('Atlantis');
  await page.getByLabel('Body Mass (g)').fill('heavy');
  await page.getByRole('button', { name: 'Predict' }).click();
  const warnings = page.getByRole('alert', { name: 'Input warnings' });
  await warnings.getByText(/"Atlantis" never appeared in Island in training/).waitFor();
  await warnings.getByText(/"heavy" is not a number \(Body Mass \(g\)\); it was read as missing/).waitFor();
  await prediction.locator('.output').waitFor();
  const log = page.getByRole('table', { name: 'Prediction log' });
  await log.getByRole('cell', { name: /"Atlantis" never appeared in Island/ }).waitFor();
  await page.reload();
  await goToStage(page, 'Monitor');
  await log.getByRole('cell', { name: /"Atlantis" never appeared in Island.*"heavy" is not a number/ }).waitFor();

  // The project chosen survives a reload; a tabular project shows no image import.
  await goToStage(page, 'Define');
  await page.getByLabel('Project name').fill('Second project');
  await page.getByRole('button', { name: 'Create project' }).click();
  await page.getByRole('heading', { name: 'Bring data' }).waitFor();
  expect(await page.getByRole('heading', { name: 'Bring images' }).count()).toBe(0);
  await page.reload();
  await page.getByRole('heading', { name: 'Second project' }).waitFor();
  const projectSelect = page.getByRole('combobox', { name: 'Project', exact: true });
  expect(await projectSelect.evaluate((s) => (s as HTMLSelectElement).selectedOptions[0]?.textContent)).toBe('Second project');

  expect(errors).toEqual([]);
  await context.close();
}, 300_000);
