// The one builder of a stored dataset version's record. Imports, recipe versions and image imports
// used to build theirs in three places with different chunking rules; every writer now goes through
// here, so the chunking, the counts and the format a version inherits are decided once.

import { imageBytes } from './columns';
import { plainSource } from './provenance';
import type { ColumnSchema, ColumnSummary, DatasetSource, DatasetVersion, ReadFormat, SplitCounts, SplitSpec, Table } from '../shared/types';
import type { FittedRecipe } from '../recipe/types';

/** Rows per stored chunk of a column without images. */
export const DATASET_CHUNK_ROWS = 65536;

/** An image column's chunk stays near this size (images are kilobytes each; 65536 of them would be hundreds of MB). */
export const IMAGE_CHUNK_BYTES = 4 * 1024 * 1024;

/** Rows per chunk for a new version of this table: fewer when it holds images, so no chunk passes a few MiB. */
export function chunkRowsFor(table: Table): number {
  let rows = DATASET_CHUNK_ROWS;
  for (const column of table.columns) {
    if (column.kind === 'image') rows = Math.min(rows, Math.max(1, Math.floor(IMAGE_CHUNK_BYTES / imageBytes(column))));
  }
  return rows;
}

/** The chunkCount a DatasetVersion must carry for its rowCount and chunkRows. */
export function datasetChunkCount(rowCount: number, chunkRows: number): number {
  return Math.ceil(rowCount / chunkRows);
}

/** What a builder (parse, recipe, images) made: content and its id, before it has labels. */
export interface MadeVersion {
  id: string;
  schema: ColumnSchema[];
  summaries: ColumnSummary[];
  table: Table;
  counts: SplitCounts;
}

/** The labels and lineage a version is stored with; none of them is part of its id. */
export interface VersionLabels {
  projectId: string;
  name: string;
  createdAt: number;
  source: DatasetSource;
  /** The split spec the assignment was drawn with (or inherited under). */
  split: SplitSpec;
  /** Empty for an import; production traffic names the version of the lineage its model trained on. */
  parents?: string[];
  recipe?: FittedRecipe;
  /**
   * How raw rows write numbers and dates: an import records what it read with (even the default), a derived
   * version inherits its parent's (its cells still came from that file), images have none.
   */
  format?: ReadFormat;
}

/** The record of a made version; its chunking follows chunkRowsFor. */
export function versionRecord(made: MadeVersion, labels: VersionLabels): DatasetVersion {
  const rowCount = made.table.rowCount;
  const chunkRows = chunkRowsFor(made.table);
  const { method, seed, fractions, timeColumn } = labels.split;
  return {
    id: made.id,
    projectId: labels.projectId,
    name: labels.name,
    createdAt: labels.createdAt,
    rowCount,
    schema: made.schema.map((c) => ({ ...c })),
    summaries: made.summaries,
    split: { method, seed, fractions: [...fractions], ...(method === 'time' ? { timeColumn } : {}), counts: { ...made.counts } },
    source: plainSource(labels.source),
    parents: [...(labels.parents ?? [])],
    ...(labels.recipe ? { recipe: labels.recipe } : {}),
    chunkRows,
    chunkCount: datasetChunkCount(rowCount, chunkRows),
    ...(labels.format ? { format: plainFormat(labels.format) } : {}),
  };
}

/** A copy without proxies or extra fields, so it can be stored and posted as is. */
export function plainFormat(format: ReadFormat): ReadFormat {
  return { number: { decimal: format.number.decimal, thousands: format.number.thousands }, dayFirst: format.dayFirst };
}
