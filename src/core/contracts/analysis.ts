// The analysis worker's contract (workers/analysis.worker.ts): profiling, validation and recipes, on versions the
// worker reads by id. Types only.

import type { DatasetVersion } from '../shared/types';
import type { DatasetProfile } from '../data/profile';
import type { Expectation, ValidationReport } from '../data/expectations';
import type { PreviewOptions, Recipe, RecipePreview, RecipeProblem } from '../recipe';
import type { DatasetRef, NewVersionLabels } from './dataset';
import type { DataTest, DataTestResult } from '../deliver/gates/data-tests';

/** The new version's record, or why none was made. */
export type ApplyRecipeOutcome =
  | { ok: true; version: DatasetVersion; stored: 'created' | 'exists' }
  | { ok: false; problems: RecipeProblem[] };

export interface AnalysisApi {
  /** Profiles every column of the version. */
  profile(dataset: DatasetRef): Promise<DatasetProfile>;
  /** Checks the version against the enabled expectations. */
  validate(expectations: Expectation[], dataset: DatasetRef): Promise<ValidationReport>;
  /**
   * Fits the recipe on the version's training rows and shows what it does, without making a version. With
   * `options.sampleRows`, only the version's first rows are read (a bounded read) and `sampled` says so.
   */
  previewRecipe(dataset: DatasetRef, recipe: Recipe, options?: PreviewOptions): Promise<RecipePreview>;
  /**
   * Fits the recipe on the source version's training rows, makes the derived version (src/core/data/derive-version.ts)
   * and stores it; only its record comes back.
   */
  applyRecipe(dataset: DatasetRef, recipe: Recipe, labels: NewVersionLabels): Promise<ApplyRecipeOutcome>;
  /**
   * The data stage's leakage and class-balance tests on the version's columns and split (src/core/deliver/gates);
   * `target` is the project's target column. Leaked-row examples are capped, so the answer stays small.
   */
  dataTests(dataset: DatasetRef, tests: DataTest[], target: string): Promise<DataTestResult[]>;
}
