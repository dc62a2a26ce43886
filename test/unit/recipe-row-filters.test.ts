// rowPassesFilters must keep exactly the raw rows the table path keeps, with each filter seeing the cells as the
// steps before it left them (renamed, imputed, scaled, one-hot encoded).

import { describe, expect, it } from 'vitest';
import { fitRecipe } from '../../src/core/recipe/fit';
import { tableRow } from '../../src/core/recipe/rows';
import type { FittedRecipe, Recipe } from '../../src/core/recipe/types';
import { rowPassesFilters } from '../../src/core/serving/recipe.js';
import { SPLIT_TEST, SPLIT_TRAIN } from '../../src/core/shared/types';
import { build } from '../fixtures/recipe-tables';

const { schema, table } = build([
  { name: 'mass', values: [3000, null, 4200, 5100, 3900, null, 6000, 3500] },
  { name: 'island', values: ['Biscoe', 'Dream', null, 'Biscoe', 'Torgersen', 'Dream', 'Biscoe', 'Dream'] },
  { name: 'species', role: 'target', values: ['A', 'B', 'A', 'C', 'B', 'A', 'C', 'B'] },
]);
const assignment = Uint8Array.from([SPLIT_TRAIN, SPLIT_TRAIN, SPLIT_TRAIN, SPLIT_TRAIN, SPLIT_TRAIN, SPLIT_TEST, SPLIT_TEST, SPLIT_TEST]);

function fit(recipe: Recipe): { fitted: FittedRecipe; kept: number[] } {
  const outcome = fitRecipe(recipe, schema, table, assignment);
  if (!outcome.ok) throw new Error(JSON.stringify(outcome.problems));
  return { fitted: outcome.fitted, kept: Array.from(outcome.result.rows) };
}

function keptByRow(fitted: FittedRecipe): number[] {
  const kept: number[] = [];
  for (let r = 0; r < table.rowCount; r++) if (rowPassesFilters(fitted, tableRow(table, r))) kept.push(r);
  return kept;
}

describe('rowPassesFilters', () => {
  it('keeps every row of a recipe without filters', () => {
    const { fitted, kept } = fit({ version: 1, steps: [{ kind: 'scale', column: 'mass', method: 'standard' }] });
    expect(kept).toHaveLength(table.rowCount);
    expect(keptByRow(fitted)).toEqual(kept);
  });

  it('evaluates each filter on the cells the steps before it produced, as the table path does', () => {
    const { fitted, kept } = fit({
      version: 1,
      steps: [
        { kind: 'rename', from: 'mass', to: 'grams' },
        { kind: 'impute', column: 'grams', strategy: 'constant', constant: 10_000 },
        // Imputed rows now hold 10000: "< 5500" drops them and the 6000 row.
        { kind: 'filter', condition: { kind: 'compare', column: 'grams', op: 'lt', value: 5500 } },
        // Fitted on the training rows left (0, 2, 3, 4): Biscoe -> 0, Torgersen -> 1; Dream is unseen, so missing.
        { kind: 'ordinal', column: 'island' },
        // A comparison with a missing cell is false: rows 2 (no island) and 7 (Dream) go, as does 4 (Torgersen).
        { kind: 'filter', condition: { kind: 'compare', column: 'island', op: 'ne', value: 1 } },
      ],
    });
    expect(kept).toEqual([0, 3]);
    expect(keptByRow(fitted)).toEqual(kept);
  });

  it('reads raw text as the importer does, and a filter on missing values sees absent keys as missing', () => {
    const { fitted } = fit({ version: 1, steps: [{ kind: 'filter', condition: { kind: 'missing', column: 'mass', negate: true } }] });
    expect(rowPassesFilters(fitted, { mass: ' 4100 ', island: 'Dream' })).toBe(true);
    expect(rowPassesFilters(fitted, { mass: 'NA' })).toBe(false);
    expect(rowPassesFilters(fitted, {})).toBe(false);
    expect(() => rowPassesFilters({ ...fitted, version: 2 } as unknown as FittedRecipe, {})).toThrow(/version 2/);
  });
});
