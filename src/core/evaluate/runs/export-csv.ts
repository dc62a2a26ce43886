// A project's runs as CSV, one row per run: info columns, then params.*, metrics.* (the latest
// value of each, test figures as metrics.test_*) and tags.*, the column naming of MLflow's
// search_runs table. RFC 4180 quoting, CRLF line ends.

import type { Project, Run } from '../../shared/types';
import { flattenParams } from './flatten';
import { latestMetricsOf, mlflowStatus, tagsOf } from './records';

const INFO_HEADERS = ['run_id', 'experiment_id', 'run_name', 'status', 'start_time', 'end_time', 'duration_ms'];

/**
 * Quotes a field when it holds a comma, quote, CR or LF, or has outer spaces. Text starting with
 * =, +, -, @, tab or CR is prefixed with an apostrophe: spreadsheets would otherwise run it as a
 * formula (CSV injection). Numbers are written as numbers and never prefixed.
 */
export function csvField(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : Number.isNaN(value) ? 'NaN' : value > 0 ? 'Infinity' : '-Infinity';
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function iso(ms: number | null): string {
  return ms === null ? '' : new Date(ms).toISOString();
}

function union(lists: string[][], sort: boolean): string[] {
  const keys = [...new Set(lists.flat())];
  return sort ? keys.sort() : keys;
}

export function runsCsv(project: Project, runs: readonly Run[]): string {
  // Flat values, not MLflow's strings: a negative number must stay a number, not look like a formula.
  const params = runs.map((r) => new Map(Object.entries(flattenParams(r.params)).map(([k, v]) => [k, typeof v === 'boolean' ? String(v) : v])));
  const metrics = runs.map((r) => new Map(Object.entries(latestMetricsOf(r))));
  const tags = runs.map((r) => new Map(tagsOf(r).map((t) => [t.key, t.value])));
  const paramKeys = union(params.map((m) => [...m.keys()]), false);
  const metricKeys = union(metrics.map((m) => [...m.keys()]), true);
  const tagKeys = union(tags.map((m) => [...m.keys()]), true);
  const header = [...INFO_HEADERS, ...paramKeys.map((k) => `params.${k}`), ...metricKeys.map((k) => `metrics.${k}`), ...tagKeys.map((k) => `tags.${k}`)];
  const lines = [header.map(csvField).join(',')];
  runs.forEach((run, i) => {
    const cells: (string | number | null | undefined)[] = [
      run.id,
      project.id,
      run.name,
      mlflowStatus(run.status),
      iso(run.startedAt),
      iso(run.endedAt),
      run.endedAt === null ? null : run.endedAt - run.startedAt,
      ...paramKeys.map((k) => params[i].get(k)),
      ...metricKeys.map((k) => metrics[i].get(k)),
      ...tagKeys.map((k) => tags[i].get(k)),
    ];
    lines.push(cells.map(csvField).join(','));
  });
  return `${lines.join('\r\n')}\r\n`;
}
