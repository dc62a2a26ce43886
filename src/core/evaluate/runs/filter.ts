// Filtering runs: free text, status, tag, dataset version and conditions on any column such as
// `accuracy >= 0.9`. Conditions are data (column, operator, value) compared here, never code.

import type { Run, RunStatus } from '../../shared/types';
import { cellValue, type RunColumn } from './columns';
import { flattenParams } from './flatten';
import type { HistoryPick } from './history';

export type ConditionOp = '>' | '>=' | '<' | '<=' | '=' | '!=' | 'contains';
export const CONDITION_OPS: readonly ConditionOp[] = ['>', '>=', '<', '<=', '=', '!=', 'contains'];

export interface RunCondition {
  /** A column id such as `metric:accuracy` or `param:learningRate`. */
  column: string;
  op: ConditionOp;
  value: string;
}

export interface RunFilter {
  text: string;
  /** Empty: any status. */
  statuses: RunStatus[];
  /** `key` (has the tag) or `key=value` (has it with that value); empty: any. */
  tag: string;
  /** Empty: any dataset version. */
  datasetId: string;
  conditions: RunCondition[];
}

export const EMPTY_FILTER: RunFilter = { text: '', statuses: [], tag: '', datasetId: '', conditions: [] };

export function parseColumnId(id: string): Pick<RunColumn, 'kind' | 'key'> | null {
  const i = id.indexOf(':');
  const kind = id.slice(0, i);
  if (i < 0 || !['info', 'param', 'metric', 'history', 'tag'].includes(kind)) return null;
  return { kind: kind as RunColumn['kind'], key: id.slice(i + 1) };
}

/** A number only when the whole text is one (so "0.9x" is compared as text, not as 0.9). */
function asNumber(text: string): number | null {
  const t = text.trim();
  if (t === '') return null;
  const n = Number(t);
  return Number.isFinite(n) ? n : null;
}

/** Whether a run's value in the condition's column passes it. A missing value never passes. */
export function meetsCondition(run: Run, condition: RunCondition, pick: HistoryPick): boolean {
  const col = parseColumnId(condition.column);
  if (!col) return false;
  const cell = cellValue(run, col, pick);
  if (cell === undefined) return false;
  const wanted = condition.value.trim();
  if (condition.op === 'contains') return String(cell).toLowerCase().includes(wanted.toLowerCase());
  const n = asNumber(wanted);
  if (typeof cell === 'number' && n !== null) return compare(cell, n, condition.op);
  const text = String(cell).toLowerCase();
  const other = wanted.toLowerCase();
  if (condition.op === '=') return text === other;
  if (condition.op === '!=') return text !== other;
  // An ordering of text against text (e.g. dataset ids) is alphabetical.
  return compare(text.localeCompare(other), 0, condition.op);
}

function compare(a: number, b: number, op: Exclude<ConditionOp, 'contains'>): boolean {
  switch (op) {
    case '>':
      return a > b;
    case '>=':
      return a >= b;
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    case '=':
      return a === b;
    case '!=':
      return a !== b;
  }
}

function matchesText(run: Run, text: string): boolean {
  const needle = text.trim().toLowerCase();
  if (needle === '') return true;
  const hay = [run.name, run.id, run.status, run.datasetId, run.backend, run.note, ...Object.entries(run.tags).flat(), ...Object.entries(flattenParams(run.params)).map(([k, v]) => `${k}=${v}`)];
  return hay.some((s) => s.toLowerCase().includes(needle));
}

function matchesTag(run: Run, tag: string): boolean {
  const t = tag.trim();
  if (t === '') return true;
  const eq = t.indexOf('=');
  if (eq < 0) return Object.hasOwn(run.tags, t);
  const key = t.slice(0, eq).trim();
  return Object.hasOwn(run.tags, key) && run.tags[key] === t.slice(eq + 1).trim();
}

export function matchesFilter(run: Run, filter: RunFilter, pick: HistoryPick): boolean {
  if (filter.statuses.length > 0 && !filter.statuses.includes(run.status)) return false;
  if (filter.datasetId !== '' && run.datasetId !== filter.datasetId) return false;
  if (!matchesTag(run, filter.tag)) return false;
  if (!matchesText(run, filter.text)) return false;
  return filter.conditions.every((c) => meetsCondition(run, c, pick));
}

export function filterRuns(runs: readonly Run[], filter: RunFilter, pick: HistoryPick): Run[] {
  return runs.filter((r) => matchesFilter(r, filter, pick));
}
