// A bundle exported in one browser profile imports in a fresh one as an imported version with its card and lineage,
// serves from Monitor and predicts an example row as the exporting app did; hostile bundles are refused, each with
// its message, and leave every IndexedDB store exactly as large as it was.
import { readFileSync } from 'node:fs';
import { unzipSync, zipSync } from 'fflate';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import { goToStage, launch, metricCell, openApp, trainAndWait } from './browser';
import { addPenguinRecipe } from './penguin-recipe';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

type Files = Record<string, Uint8Array>;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Records per object store of the app's database. */
function storeCounts(page: Page): Promise<Record<string, number>> {
  return page.evaluate(
    () =>
      new Promise<Record<string, number>>((resolve, reject) => {
        const open = indexedDB.open('loopbench');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          const names = Array.from(db.objectStoreNames);
          const tx = db.transaction(names, 'readonly');
          const counts: Record<string, number> = {};
          for (const name of names) {
            const req = tx.objectStore(name).count();
            req.onsuccess = () => (counts[name] = req.result);
          }
          tx.oncomplete = () => {
            db.close();
            resolve(counts);
          };
          tx.onerror = () => reject(tx.error);
        };
      }),
  );
}

function withModelJson(files: Files, change: (model: any) => void): Files {
  const model = JSON.parse(decoder.decode(files['model/model.json']));
  change(model);
  return { ...files, 'model/model.json': encoder.encode(JSON.stringify(model)) };
}

async function pick(page: Page, name: string, zip: Uint8Array): Promise<void> {
  await page.getByLabel('Import bundle').setInputFiles({ name, mimeType: 'application/zip', buffer: Buffer.from(zip) });
}

test('bundle import: exported in one profile, imported in a fresh one, served the same; hostile bundles refused, nothing stored', async () => {
  // The source profile: train through a recipe (so the version it trained on is one a fresh profile does not have),
  // register and export.
  const source = await openApp(browser, inject('baseUrl'));
  await source.page.getByRole('heading', { name: 'Penguin species' }).waitFor();
  await goToStage(source.page, 'Data');
  await source.page.getByText('No steps yet.').waitFor();
  await addPenguinRecipe(source.page);
  await source.page.getByRole('status', { name: 'Recipe preview rows' }).filter({ hasText: /→ \d+ after/ }).waitFor();
  await source.page.getByRole('button', { name: 'Apply recipe (new version)' }).click();
  await source.page.getByText(/^Made version ".+ \+ recipe"/).waitFor();
  await goToStage(source.page, 'Train');
  await source.page.getByLabel('Backend', { exact: true }).selectOption('cpu');
  await source.page.getByLabel('Epochs').fill('10');
  await trainAndWait(source.page);
  await goToStage(source.page, 'Deliver');
  await source.page.getByRole('button', { name: 'Register model' }).click();
  await source.page.getByText('Registered penguin-species version 1.').waitFor();
  const download = source.page.waitForEvent('download');
  await source.page.getByRole('button', { name: 'Export penguin-species version 1' }).click();
  const zip = new Uint8Array(readFileSync(await (await download).path()));
  expect(source.errors).toEqual([]);
  await source.context.close();
  const files = unzipSync(zip) as Files;
  const examples = JSON.parse(decoder.decode(files['examples.json'])) as { input: Record<string, string | number | null>; output: string; probabilities: number[] }[];
  const pre = JSON.parse(decoder.decode(files['preprocessing.json'])) as { labels: string[] };

  // A fresh profile: nothing of the source is stored here.
  const { context, page, errors } = await openApp(browser, inject('baseUrl'));
  await page.getByRole('heading', { name: 'Penguin species' }).waitFor();
  await goToStage(page, 'Deliver');
  await page.getByText('Nothing registered yet.').waitFor();

  // Hostile bundles first: each refused with its message, every store exactly as large as before.
  const shard = 'model/group1-shard1of1.bin';
  const need = files[shard]!.length;
  const hostile: [string, Files, RegExp][] = [
    ['bomb.zip', { ...files, 'examples.json': new Uint8Array(40 * 1024 * 1024) }, /entry examples\.json declares 41,943,040 bytes inflated; one file may be at most 33,554,432/],
    ['short.zip', { ...files, [shard]: files[shard]!.slice(0, need - 100) }, new RegExp(`model/group1-shard1of1\\.bin is ${(need - 100).toLocaleString('en')} bytes but model\\.json's weights need ${need.toLocaleString('en')}`)],
    ['climb.zip', { ...files, '../evil.txt': encoder.encode('owned') }, /entry \.\.\/evil\.txt climbs out of the bundle/],
    ['lambda.zip', withModelJson(files, (m) => (m.modelTopology.config.layers[0].class_name = 'Lambda')), /layer class Lambda is not allowed/],
    [
      'lying.zip',
      withModelJson(files, (m) => m.weightsManifest[0].weights[0].shape.reverse()),
      /model\/model\.json: weight \S+\/kernel has shape \[\d+, \d+\] but layer \S+ \(Dense, \d+ units on \d+ inputs\) needs \[\d+, \d+\]/,
    ],
  ];
  for (const [name, bundle, message] of hostile) {
    const before = await storeCounts(page);
    await pick(page, name, zipSync(bundle, { level: 6 }));
    const alert = page.getByRole('alert').filter({ hasText: `Refused, nothing was stored. ${name}:` });
    await alert.waitFor();
    expect(await alert.textContent(), name).toMatch(message);
    expect(await storeCounts(page), name).toEqual(before);
  }
  await page.getByText('Nothing registered yet.').waitFor();

  // The real bundle: the next (first) version here, marked imported, with the bundle's card and lineage.
  const before = await storeCounts(page);
  await pick(page, 'penguin-species-v1.zip', zip);
  await page.getByRole('status').filter({ hasText: 'Imported penguin-species version 1 from penguin-species-v1.zip.' }).waitFor();
  const after = await storeCounts(page);
  expect(after.runs).toBe(before.runs! + 1);
  expect(after.models).toBe(before.models! + 1);
  expect(after.projects).toBe(before.projects);
  const row = page.getByRole('table', { name: 'Model versions' }).getByRole('row', { name: /penguin-species/ });
  await row.locator('.badge', { hasText: 'imported' }).waitFor();
  const lineage = page.getByRole('list', { name: 'Imported versions' });
  await expect.poll(() => lineage.textContent()).toMatch(/imported from penguin-species-v1\.zip.*project "Penguin species".*dataset version "penguins \+ recipe"/s);

  await page.getByRole('button', { name: 'Model card of penguin-species version 1' }).click();
  const panel = page.getByRole('region', { name: 'Model card of penguin-species version 1' });
  await panel.getByText(/Imported: the MODEL_CARD\.md the bundle came with/).waitFor();
  expect(await panel.getByLabel('Model card text').inputValue()).toBe(decoder.decode(files['MODEL_CARD.md']));

  // Exporting it again is refused with the reason: its data stayed in the source profile.
  await page.getByRole('button', { name: 'Export penguin-species version 1' }).click();
  await page.getByRole('alert').filter({ hasText: /was imported from penguin-species-v1\.zip; its training data is not stored here, so it cannot be exported again/ }).waitFor();

  // Served: the gate cannot score it here, so a person promotes it with a reason; Monitor predicts with it.
  await page.getByRole('combobox', { name: 'Version' }).selectOption({ label: 'penguin-species version 1' });
  await page.getByLabel('Alias', { exact: true }).fill('champion');
  await page.getByLabel('Reason for the move').fill('imported from the field laptop');
  await page.getByRole('button', { name: 'Move alias' }).click();
  await page.getByRole('alert').filter({ hasText: /The gate refused penguin-species version 1 as champion.*was imported from penguin-species-v1\.zip/ }).waitFor();
  await page.getByLabel('Reason to override the gate').fill('same model as the field laptop serves');
  await page.getByRole('button', { name: 'Promote anyway' }).click();
  await page.getByText('champion now points at penguin-species version 1.').waitFor();

  await goToStage(page, 'Monitor');
  const form = page.getByRole('form', { name: 'Prediction input' });
  const example = examples[0]!;
  // The form asks for the raw columns the bundle's recipe reads, as the examples give them.
  for (const [name, value] of Object.entries(example.input)) {
    await form.getByLabel(name, { exact: true }).fill(value === null ? '' : String(value));
  }
  await form.getByRole('button', { name: 'Predict' }).click();
  const prediction = page.getByRole('status', { name: 'Prediction' });
  await prediction.waitFor();
  expect(await prediction.locator('.output').textContent()).toBe(example.output);
  const shown = await prediction.getByRole('table', { name: 'Probabilities' }).locator('td.num').allTextContents();
  expect(shown).toEqual(example.probabilities.map((p) => `${(p * 100).toFixed(1)}%`));
  expect(pre.labels).toHaveLength(shown.length);

  // Evaluated on this profile's own penguins version: its data stayed behind, so nothing is evaluated until asked, and
  // it cannot be reproduced here. The same rows and split as where it trained give the accuracy the bundle reports.
  await goToStage(page, 'Evaluate');
  await page.getByRole('button', { name: /^Show / }).first().click();
  await page.getByText(/^Imported from penguin-species-v1\.zip: the data it trained on is not stored here/).waitFor();
  expect(await page.getByRole('button', { name: /^Reproduce / }).count()).toBe(0);
  expect(await page.getByRole('table', { name: 'Evaluation metrics' }).count()).toBe(0);
  const local = page.getByLabel('Evaluate on dataset version');
  expect(await local.locator('option:checked').textContent()).toMatch(/^penguins · \d+ rows$/);
  await page.getByText("The recipe between this version and the model's is replayed on every row first (filters included).").waitFor();
  await page.getByRole('button', { name: 'Evaluate', exact: true }).click();
  await page.getByRole('heading', { name: /^penguins, test split: \d+ rows$/ }).waitFor({ timeout: 60_000 });
  expect(await metricCell(page, 'Evaluation metrics', 'Accuracy')).toBe(await metricCell(page, 'Test metrics', 'Accuracy'));
  await page.getByRole('table', { name: 'Stored evaluations' }).getByRole('row', { name: /^penguins/ }).waitFor();

  // The other stages list the imported run without its data: they open without an error.
  for (const stage of ['Train', 'Data'] as const) await goToStage(page, stage);
  await page.waitForTimeout(500);

  expect(errors).toEqual([]);
  await context.close();
});
