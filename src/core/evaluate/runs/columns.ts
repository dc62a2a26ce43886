// The columns of the runs table and the value a run shows in each. Columns are discovered from
// the runs themselves (flattened params, test metrics, history metrics, tags), so any params
// shape and any metric a run logged becomes sortable and filterable.

import type { Run } from '../../shared/types';
import { flattenParams, type FlatValue } from './flatten';
import { historyKeys, pickHistory, type HistoryPick } from './history';
import { noteOf, userTags } from './tags';

export type ColumnKind = 'info' | 'param' | 'metric' | 'history' | 'tag';
export type InfoKey = 'name' | 'status' | 'dataset' | 'backend' | 'start' | 'duration' | 'note';

export interface RunColumn {
  /** `${kind}:${key}`; unique. */
  id: string;
  kind: ColumnKind;
  key: string;
  label: string;
}

export type CellValue = FlatValue | undefined;

const INFO: { key: InfoKey; label: string }[] = [
  { key: 'name', label: 'Run' },
  { key: 'status', label: 'Status' },
  { key: 'dataset', label: 'Dataset version' },
  { key: 'backend', label: 'Backend' },
  { key: 'start', label: 'Started' },
  { key: 'duration', label: 'Duration' },
  { key: 'note', label: 'Note' },
];

export function columnId(kind: ColumnKind, key: string): string {
  return `${kind}:${key}`;
}

function column(kind: ColumnKind, key: string, label: string): RunColumn {
  return { id: columnId(kind, key), kind, key, label };
}

/** Every column the runs can fill, in table order: info, params, test metrics, history metrics, tags. */
export function runColumns(runs: readonly Run[]): RunColumn[] {
  const params = new Set<string>();
  const metrics = new Set<string>();
  const history = new Set<string>();
  const tags = new Set<string>();
  for (const run of runs) {
    for (const k of Object.keys(flattenParams(run.params))) params.add(k);
    for (const k of Object.keys(run.metrics)) metrics.add(k);
    for (const k of historyKeys(run.history)) history.add(k);
    for (const [k] of userTags(run.tags)) tags.add(k);
  }
  return [
    ...INFO.map((c) => column('info', c.key, c.label)),
    ...[...params].map((k) => column('param', k, k)),
    ...[...metrics].map((k) => column('metric', k, `test ${k}`)),
    ...[...history].map((k) => column('history', k, k)),
    ...[...tags].map((k) => column('tag', k, `tag ${k}`)),
  ];
}

/** The value a run shows in a column; `pick` chooses the figure of a history metric. */
export function cellValue(run: Run, col: Pick<RunColumn, 'kind' | 'key'>, pick: HistoryPick): CellValue {
  switch (col.kind) {
    case 'info':
      return infoValue(run, col.key as InfoKey);
    case 'param': {
      const flat = flattenParams(run.params);
      return Object.hasOwn(flat, col.key) ? flat[col.key] : undefined;
    }
    case 'metric': {
      const v = Object.hasOwn(run.metrics, col.key) ? run.metrics[col.key] : undefined;
      return v === undefined || Number.isNaN(v) ? undefined : v;
    }
    case 'history':
      return pickHistory(run.history, col.key, pick);
    case 'tag':
      return Object.hasOwn(run.tags, col.key) ? run.tags[col.key] : undefined;
  }
}

function infoValue(run: Run, key: InfoKey): CellValue {
  switch (key) {
    case 'name':
      return run.name;
    case 'status':
      return run.status;
    case 'dataset':
      return run.datasetId;
    case 'backend':
      return run.backend;
    case 'start':
      return run.startedAt;
    case 'duration':
      return run.endedAt === null ? undefined : run.endedAt - run.startedAt;
    case 'note':
      return noteOf(run.tags) || undefined;
  }
}
