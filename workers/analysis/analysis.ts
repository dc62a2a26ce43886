// The analysis worker's implementation, kept apart from its entry point so tests can call it directly.

import { profileTable } from '../../src/core/data/profile';
import { validate } from '../../src/core/data/expectations';
import { previewRecipe } from '../../src/core/recipe';
import { deriveDataset } from '../../src/core/data/derive-version';
import type { AnalysisApi } from '../../src/core/worker-api';

export function createAnalysis(): AnalysisApi {
  return {
    async profile(schema, table) {
      return profileTable(schema, table);
    },
    async validate(expectations, schema, table) {
      return validate(expectations, schema, table);
    },
    async previewRecipe(recipe, schema, table, assignment, options) {
      return previewRecipe(recipe, schema, table, assignment, options);
    },
    async applyRecipe(recipe, schema, split, table, assignment) {
      return deriveDataset(recipe, schema, split, table, assignment);
    },
  };
}
