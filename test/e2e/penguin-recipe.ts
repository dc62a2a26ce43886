import type { Page } from 'playwright-core';

/**
 * On the penguins Data stage, builds the recipe both recipe tests use: fill missing Sex with the most
 * frequent value, one-hot encode Island, keep the penguins heavier than 3000 g.
 */
export async function addPenguinRecipe(page: Page): Promise<void> {
  await page.getByLabel('Step kind').selectOption('impute');
  await page.getByRole('button', { name: 'Add step' }).click();
  await page.getByLabel('Step 1 column').selectOption('Sex');
  await page.getByLabel('Step 1 strategy').selectOption('most_frequent');
  await page.getByLabel('Step kind').selectOption('onehot');
  await page.getByRole('button', { name: 'Add step' }).click();
  await page.getByLabel('Step 2 column').selectOption('Island');
  // A new filter starts with one comparison.
  await page.getByLabel('Step kind').selectOption('filter');
  await page.getByRole('button', { name: 'Add step' }).click();
  await page.getByLabel('Step 3 condition.1 column').selectOption('Body Mass (g)');
  await page.getByLabel('Step 3 condition.1 test').selectOption('gt');
  await page.getByLabel('Step 3 condition.1 value').fill('3000');
  await page.getByLabel('Step 3 condition.1 value').press('Tab');
}
