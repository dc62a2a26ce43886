// What a run contributes to a portable record, shared by the JSON and CSV exports so both name
// everything the same way: string params, metric histories and test figures, and tags.

import type { MetricPoint, Project, Run, RunStatus } from '../../shared/types';
import { flattenParams } from './flatten';
import { historyKeys, pickHistory } from './history';

export type MlflowStatus = 'RUNNING' | 'FINISHED' | 'FAILED' | 'KILLED';

const STATUS: Record<RunStatus, MlflowStatus> = { running: 'RUNNING', finished: 'FINISHED', failed: 'FAILED', killed: 'KILLED' };

export function mlflowStatus(status: RunStatus): MlflowStatus {
  return STATUS[status];
}

/** Test-split figures are logged under `test_<name>` so they never collide with training curves (`accuracy`, `val_accuracy`). */
export const TEST_PREFIX = 'test_';

/** MLflow params are strings: each flattened param as text. */
export function paramsOf(run: Run): { key: string; value: string }[] {
  return Object.entries(flattenParams(run.params)).map(([key, value]) => ({ key, value: String(value) }));
}

/** Every metric point: the full training history, then the test figures at the final step. */
export function metricPointsOf(run: Run): MetricPoint[] {
  const lastStep = run.history.reduce((s, p) => Math.max(s, p.step), 0);
  const at = run.endedAt ?? run.startedAt;
  const test = Object.entries(run.metrics).map(([k, value]) => ({ key: `${TEST_PREFIX}${k}`, value, step: lastStep, timestamp: at }));
  return [...run.history.map((p) => ({ key: p.key, value: p.value, step: p.step, timestamp: p.timestamp })), ...test];
}

/** The latest value of each metric (MLflow's run.data.metrics): last of each history, and the test figures. */
export function latestMetricsOf(run: Run): Record<string, number> {
  const out: Record<string, number> = {};
  const set = (k: string, v: number) => Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
  for (const key of historyKeys(run.history)) {
    const v = pickHistory(run.history, key, 'last');
    if (v !== undefined) set(key, v);
  }
  for (const [k, v] of Object.entries(run.metrics)) set(`${TEST_PREFIX}${k}`, v);
  return out;
}

/**
 * Run tags: the user's tags and note (already under `mlflow.note.content`), MLflow's run name tag,
 * and `loopbench.*` tags for what reproduces the run (dataset version, backend, seed, libraries, environment).
 */
export function tagsOf(run: Run): { key: string; value: string }[] {
  const tags: { key: string; value: string }[] = Object.entries(run.tags).map(([key, value]) => ({ key, value }));
  const add = (key: string, value: string) => {
    if (!tags.some((t) => t.key === key)) tags.push({ key, value });
  };
  add('mlflow.runName', run.name);
  add('loopbench.datasetVersion', run.datasetId);
  add('loopbench.backend', run.backend);
  const seed = seedOf(run);
  if (seed !== undefined) add('loopbench.seed', seed);
  if (run.note) add('loopbench.statusNote', run.note);
  for (const [lib, version] of Object.entries(run.versions)) add(`loopbench.library.${lib}`, version);
  // Where the run trained: a reproduction on another browser or device may differ in the last bits.
  const env = run.environment;
  if (env) {
    add('loopbench.env.browser', env.browser);
    if (env.device !== null) add('loopbench.env.device', env.device);
    add('loopbench.env.tfjs', env.tfjs);
    if (env.cores !== null) add('loopbench.env.cores', String(env.cores));
  }
  return tags;
}

/** The training seed wherever the params keep it (`seed`, or `training.seed` in a nested spec). */
export function seedOf(run: Run): string | undefined {
  const flat = flattenParams(run.params);
  const key = Object.keys(flat).find((k) => k === 'seed' || k.endsWith('.seed'));
  return key === undefined ? undefined : String(flat[key]);
}

export function experimentTags(project: Project): { key: string; value: string }[] {
  return [
    { key: 'loopbench.task', value: project.task },
    { key: 'loopbench.target', value: project.target },
    { key: 'loopbench.goal.metric', value: project.goal.metric },
    { key: 'loopbench.goal.bar', value: String(project.goal.bar) },
  ];
}

/** A file name made from a project name: letters, digits, dots, dashes; never empty, never hidden. */
export function exportFileName(projectName: string, suffix: string): string {
  const base = projectName
    .normalize('NFKD')
    .replace(/[^\w.-]+/g, '-')
    .replace(/^[.-]+|[.-]+$/g, '')
    .slice(0, 80)
    .toLowerCase();
  return `${base || 'project'}-${suffix}`;
}
