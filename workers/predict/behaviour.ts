// The behaviour stage in the predictor worker: CheckList tests of a loaded model on raw test rows of the root
// version, chosen as the export bundle's examples are (src/state/deliver/bundle.ts: the root's test rows as a user
// would type them; through a recipe chain, those every filter keeps, as imported), answered through the worker's own
// predict so recipes and input warnings behave as serving does.

import type { BehaviourRequest } from '../../src/core/contracts/predict';
import type { BehaviourResult } from '../../src/core/deliver/gates/behaviour-types';
import { assertValidBehaviourSuite } from '../../src/core/deliver/gates/check-behaviour';
import { runBehaviourTests, type Predict } from '../../src/core/deliver/gates/run-behaviour';
import { rawExampleRows } from '../../src/core/deliver/export/raw-examples';
import { rawRow, rowsOf } from '../../src/core/train/preprocess';
import { SPLIT_TEST, type RawRow } from '../../src/core/shared/types';
import type { FittedRecipe } from '../../src/core/recipe/types';
import type { LoadedDataset } from '../../src/platform/repositories/datasets';

export const DEFAULT_BEHAVIOUR_ROWS = 200;

/** Up to `max` raw test rows of `root`, picked as the export bundle picks its examples. */
export function behaviourRows(root: LoadedDataset, recipes: readonly FittedRecipe[], max: number): RawRow[] {
  if (recipes.length > 0) return rawExampleRows(root.meta.schema, root.table, root.assignment, recipes, max);
  return Array.from(rowsOf(root.assignment, SPLIT_TEST).slice(0, max), (row) => rawRow(root.meta.schema, root.table, row));
}

/** `root`: the request's root version, read; `predict`: the loaded model's serving path. */
export async function runBehaviour(root: LoadedDataset, request: BehaviourRequest, predict: Predict): Promise<BehaviourResult[]> {
  // Checked here, at the worker's boundary, with the model's labels: a misnamed class fails the call with its path
  // instead of every case failing as a wrong answer.
  const { tests } = assertValidBehaviourSuite({ tests: request.tests }, { labels: request.labels });
  const maxRows = request.maxRows ?? DEFAULT_BEHAVIOUR_ROWS;
  if (!Number.isInteger(maxRows) || maxRows < 1) throw new Error(`the behaviour tests' maxRows must be a whole number of at least 1, not ${maxRows}`);
  const rows = behaviourRows(root, request.recipes, maxRows);
  return runBehaviourTests(tests, rows, predict, { labels: request.labels });
}
