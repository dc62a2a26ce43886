// The parse worker stores an imported version itself, through the same repository the page uses:
// the table is already here, and copying a million-row table into IndexedDB on the page's thread
// is what froze it (tasks of hundreds of milliseconds). The page gets back only the version's record.
// This worker is the one writer of an import's record and chunks; the page later edits only labels.

import type { BuiltDataset, DatasetChoices, StoreRequest } from '../../src/core/worker-api';
import type { DatasetVersion, ReadFormat } from '../../src/core/shared/types';
import { DEFAULT_READ_FORMAT } from '../../src/core/shared/types';
import { openDatabase } from '../../src/platform/open-db';
import type { OpenOutcome } from '../../src/platform/open-db';
import { DatasetsRepo } from '../../src/platform/repositories/datasets';
import { DATASET_CHUNK_ROWS, datasetChunkCount } from '../../src/platform/repositories/dataset-chunks';

/** Opens the named database; tests hand in one that opens fake-indexeddb. */
export type OpenDatabase = (name: string) => Promise<OpenOutcome>;

export const openByName: OpenDatabase = (name) => openDatabase({ name });

/** The stored record of a built dataset, labelled as the request says. */
export function versionRecord(built: BuiltDataset, choices: DatasetChoices, request: StoreRequest): DatasetVersion {
  const rowCount = built.table.rowCount;
  return {
    id: built.id,
    projectId: request.projectId,
    name: request.name,
    createdAt: request.createdAt,
    rowCount,
    schema: built.schema,
    summaries: built.summaries,
    split: { ...choices.split, fractions: [...choices.split.fractions], counts: built.counts },
    source: { ...request.source },
    parents: [],
    chunkRows: DATASET_CHUNK_ROWS,
    chunkCount: datasetChunkCount(rowCount, DATASET_CHUNK_ROWS),
    // Recorded even when it is the default, so serving reads raw rows as this import read its file.
    format: plainFormat(choices.format ?? DEFAULT_READ_FORMAT),
  };
}

function plainFormat(format: ReadFormat): ReadFormat {
  return { number: { decimal: format.number.decimal, thousands: format.number.thousands }, dayFirst: format.dayFirst };
}

/**
 * Writes the version (chunks, then its record, in one transaction). The database is opened for this
 * write and closed after it, so the worker never holds a connection that would block an upgrade.
 */
export async function storeVersion(
  open: OpenDatabase,
  built: BuiltDataset,
  choices: DatasetChoices,
  request: StoreRequest,
): Promise<{ version: DatasetVersion; stored: 'created' | 'exists' }> {
  const opened = await open(request.databaseName);
  if (!opened.ok) throw new Error(opened.message);
  try {
    const version = versionRecord(built, choices, request);
    const stored = await new DatasetsRepo(opened.db).save(version, built.table, built.assignment);
    return { version, stored };
  } finally {
    opened.db.close();
  }
}
