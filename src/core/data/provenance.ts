// Where a dataset version's rows came from, in one place: a file or sample the user imported, or the requests a served
// model answered (closing the loop, issue 16). The lineage graph, the version list, the model card and the Monitor
// word a source through here, and the raw-rows rule below tells serving where a version's raw rows start.

import { dateText } from '../serving/dates.js';
import type { DatasetSource, DatasetVersion, ProductionSource } from '../shared/types';

/** "production traffic of penguins v3": the name a production version's source carries where a file name would be. */
export function productionName(modelName: string, modelVersion: number): string {
  return `production traffic of ${modelName} v${modelVersion}`;
}

export interface ProductionCounts {
  modelName: string;
  modelVersion: number;
  from: number;
  to: number;
  requests: number;
  labelled: number;
}

export function productionSource(counts: ProductionCounts): ProductionSource {
  const { modelName, modelVersion, from, to, requests, labelled } = counts;
  return { kind: 'production', fileName: productionName(modelName, modelVersion), byteLength: 0, modelName, modelVersion, from, to, requests, labelled };
}

/** A copy with exactly the fields of its kind (no proxies, nothing extra), so it can be stored and posted as is. */
export function plainSource(source: DatasetSource): DatasetSource {
  if (source.kind === 'production') return productionSource(source);
  return { kind: source.kind, fileName: source.fileName, byteLength: source.byteLength };
}

/** Short, for lists and graph nodes: `file "penguins.csv"`, `sample "penguins.json"`, `production traffic of penguins v3`. */
export function sourceLabel(source: DatasetSource): string {
  switch (source.kind) {
    case 'production':
      return source.fileName;
    case 'file':
      return `file "${source.fileName}"`;
    case 'sample':
      return `sample "${source.fileName}"`;
  }
}

/** With the counts and times of a production source: `production traffic of penguins v3: 240 requests (200 labelled), 2024-01-01T00:00:00Z to …`. */
export function sourceDetail(source: DatasetSource): string {
  if (source.kind !== 'production') return sourceLabel(source);
  const { requests, labelled, from, to } = source;
  const span = Number.isFinite(from) && Number.isFinite(to) ? `, ${dateText(from, false)} to ${dateText(to, false)}` : '';
  return `${source.fileName}: ${requests} request${requests === 1 ? '' : 's'} (${labelled} labelled)${span}`;
}

/**
 * Whether the version's rows are raw rows of their own, read as served requests are read: an import, or production
 * traffic (which has a parent for its lineage but no recipe: its cells were logged, not derived). A recipe chain, and
 * so serving and evaluation, starts at such a version.
 */
export function startsOwnRows(version: Pick<DatasetVersion, 'parents' | 'recipe' | 'source'>): boolean {
  return version.parents.length === 0 || (version.source.kind === 'production' && !version.recipe);
}
