// The model card of a registered version: generated from the evidence, edited by a person, kept across a reload and
// shipped in the export bundle as MODEL_CARD.md; "Back to generated" hands it back to the generator.
import { readFileSync } from 'node:fs';
import { unzipSync } from 'fflate';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import { goToStage, launch, openApp, trainAndWait } from './browser';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

const TITLE = 'Model card of penguin-species version 1';

async function openCard(page: Page) {
  await page.getByRole('button', { name: TITLE }).click();
  const panel = page.getByRole('region', { name: TITLE });
  const text = panel.getByLabel('Model card text');
  await text.waitFor();
  return { panel, text };
}

test('model card: generated sections, edited, saved, kept after a reload, exported, and back to generated', async () => {
  const { context, page, errors } = await openApp(browser, inject('baseUrl'));
  await page.getByRole('heading', { name: 'Penguin species' }).waitFor();

  await goToStage(page, 'Train');
  await page.getByLabel('Backend', { exact: true }).selectOption('cpu');
  await page.getByLabel('Epochs').fill('10');
  await trainAndWait(page);

  await goToStage(page, 'Deliver');
  await page.getByLabel('Description').fill('Field guide helper for the survey team');
  await page.getByRole('button', { name: 'Register model' }).click();
  await page.getByText('Registered penguin-species version 1.').waitFor();

  let { panel, text } = await openCard(page);
  await panel.getByText(/not edited/).waitFor();
  const generated = await text.inputValue();
  expect(generated).toMatch(/^# Model card: penguin-species v1\n/);
  for (const section of ['## Intended use', '## Limitations', '## Tests passed', '## Metrics']) expect(generated).toContain(section);
  expect(generated).toContain('Registered as: Field guide helper for the survey team');
  expect(generated).toContain('Classes seen in training: `Adelie`, `Chinstrap`, `Gentoo`.');
  expect(generated).toMatch(/- `Body Mass \(g\)`: \d+\.\d to \d+\.\d/);
  expect(generated).toContain('No pipeline has tested this version');
  expect(await panel.getByRole('button', { name: 'Back to generated' }).isDisabled()).toBe(true);

  const edited = `${generated}\n## Reviewed\n\nOnly for the field survey; not for museum specimens.\n`;
  await text.fill(edited);
  await panel.getByRole('button', { name: 'Save card' }).click();
  await panel.getByRole('status').filter({ hasText: 'Saved. The bundle ships this text.' }).waitFor();
  await panel.getByText(/^\s*Edited:/).waitFor();

  await page.reload();
  await goToStage(page, 'Deliver');
  ({ panel, text } = await openCard(page));
  await panel.getByText(/^\s*Edited:/).waitFor();
  expect(await text.inputValue()).toBe(edited);

  const downloadPromise = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export penguin-species version 1' }).click();
  const files = unzipSync(readFileSync(await (await downloadPromise).path()));
  expect(new TextDecoder().decode(files['MODEL_CARD.md'])).toBe(edited);

  await panel.getByRole('button', { name: 'Back to generated' }).click();
  await panel.getByRole('status').filter({ hasText: 'Back to the generated card.' }).waitFor();
  await panel.getByText(/not edited/).waitFor();
  expect(await text.inputValue()).not.toContain('## Reviewed');
  expect(await text.inputValue()).toContain('## Tests passed');

  expect(errors).toEqual([]);
  await context.close();
});
