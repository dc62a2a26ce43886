// The parse worker stores an imported version itself, through the data plane (workers/dataset/): the
// table is already here, and copying a million-row table into IndexedDB on the page's thread is what
// froze it (tasks of hundreds of milliseconds). The page gets back only the version's record.

import type { DatasetChoices, StoreRequest } from '../../src/core/contracts/parse';
import { DEFAULT_READ_FORMAT } from '../../src/core/shared/types';
import type { VersionLabels } from '../../src/core/data/version-record';

/** The labels of an import's version, as the request and the user's choices give them. */
export function importLabels(choices: DatasetChoices, request: StoreRequest): VersionLabels {
  return {
    projectId: request.projectId,
    name: request.name,
    createdAt: request.createdAt,
    source: request.source,
    split: choices.split,
    // Recorded even when it is the default, so serving reads raw rows as this import read its file.
    format: choices.format ?? DEFAULT_READ_FORMAT,
  };
}
