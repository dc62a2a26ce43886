// The data plane's names for stored versions (workers/dataset/): the page passes these, never tables; and the built
// version a worker stores. Types only.

import type { ColumnSchema, ColumnSummary, SplitCounts, Table } from '../shared/types';

/**
 * A stored dataset version as the page names it to a worker: the worker opens the database and reads the version
 * itself, so its table never crosses to the page.
 */
export interface DatasetRef {
  databaseName: string;
  versionId: string;
}

/** The labels a worker stores a new version under (the rest of its record comes from the content). */
export interface NewVersionLabels {
  databaseName: string;
  projectId: string;
  name: string;
  createdAt: number;
}

/**
 * A version built in a worker (from a file, images or a recipe) before it is stored. It holds the table, so it stays
 * in workers: no page-facing API returns it (test/unit/page-receives-no-tables.test.ts).
 */
export interface BuiltDataset {
  id: string;
  schema: ColumnSchema[];
  summaries: ColumnSummary[];
  table: Table;
  /** One partition code per row (SPLIT_TRAIN, SPLIT_VALIDATION, SPLIT_TEST or SPLIT_NONE). */
  assignment: Uint8Array;
  counts: SplitCounts;
}
