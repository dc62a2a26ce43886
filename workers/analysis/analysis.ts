// The analysis worker's implementation, kept apart from its entry point so tests can call it directly. It reads the
// versions it profiles, checks and derives from by id, and stores a recipe's new version itself.

import { profileTable } from '../../src/core/data/profile';
import { validate } from '../../src/core/data/expectations';
import { previewRecipe } from '../../src/core/recipe';
import { deriveDataset } from '../../src/core/data/derive-version';
import type { AnalysisApi } from '../../src/core/contracts/analysis';
import { runDataTests, validateDataTests } from '../../src/core/deliver/gates/data-tests';
import { DatasetService, openByName, type OpenDatabase } from '../dataset/dataset-service';
import { namedColumns, readableExamples } from './data-test-columns';
import { createMonitor } from './monitor';

/**
 * `datasets` reads and stores versions, `open` opens a database for the request log (tests hand in both over
 * fake-indexeddb).
 */
export function createAnalysis(datasets = new DatasetService(), open: OpenDatabase = openByName): AnalysisApi {
  return {
    ...createMonitor(datasets, open),
    async profile(dataset) {
      const { meta, table } = await datasets.read(dataset);
      return profileTable(meta.schema, table);
    },
    async validate(expectations, dataset) {
      const { meta, table } = await datasets.read(dataset);
      return validate(expectations, meta.schema, table);
    },
    async previewRecipe(dataset, recipe, options = {}) {
      const { sampleRows, ...rest } = options;
      const { meta, table, assignment, sampled } =
        sampleRows === undefined ? { ...(await datasets.read(dataset)), sampled: false } : await datasets.head(dataset, sampleRows);
      const preview = previewRecipe(recipe, meta.schema, table, assignment, rest);
      return preview.ok ? { ...preview, sampled } : preview;
    },
    async applyRecipe(dataset, recipe, labels) {
      const { meta: source, table, assignment } = await datasets.read(dataset);
      const outcome = await deriveDataset(recipe, source.schema, source.split, table, assignment);
      if (!outcome.ok) return outcome;
      const made = outcome.dataset;
      const { databaseName, ...named } = labels;
      return {
        ok: true,
        ...(await datasets.store(databaseName, made, {
          ...named,
          split: source.split,
          source: source.source,
          parents: [source.id],
          recipe: made.fitted,
          // The cells still came from the import's file: serving reads raw rows in its format.
          format: source.format,
        })),
      };
    },
    async dataTests(dataset, tests, target) {
      const { meta, table, assignment } = await datasets.read(dataset);
      // Checked against the version's own columns, so a test naming a column it lacks says so instead of passing.
      const problems = validateDataTests(tests, meta.schema.map((c) => c.name));
      if (problems.length > 0) throw new Error(`The data tests are not valid: ${problems.map((p) => p.message).join('; ')}`);
      // findLeakage keeps the first few leaked rows per split, so the answer stays small however many leak.
      return readableExamples(runDataTests(tests, await namedColumns(table), assignment, target), table);
    },
  };
}
