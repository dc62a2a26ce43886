// A project's runs as JSON whose entities and field names follow MLflow's tracking model
// (mlflow.entities Experiment, Run, RunInfo, RunData, Metric, Param, RunTag; snake_case as in
// MLflow's REST API), so the records can be read by tools that know MLflow.

import type { Project, Run } from '../../shared/types';
import { experimentTags, metricPointsOf, mlflowStatus, paramsOf, tagsOf, type MlflowStatus } from './records';

export const EXPORT_FORMAT = 'loopbench.mlflow-runs/1';

/** proto3 JSON writes non-finite doubles as these strings; plain JSON has no NaN. */
export type JsonDouble = number | 'NaN' | 'Infinity' | '-Infinity';

export interface MlflowTag {
  key: string;
  value: string;
}

export interface MlflowExperiment {
  experiment_id: string;
  name: string;
  artifact_location: string;
  lifecycle_stage: 'active' | 'deleted';
  tags: MlflowTag[];
  creation_time: number;
  last_update_time: number;
}

export interface MlflowRunInfo {
  run_id: string;
  run_name: string;
  experiment_id: string;
  status: MlflowStatus;
  start_time: number;
  end_time: number | null;
  lifecycle_stage: 'active' | 'deleted';
  artifact_uri: string;
}

export interface MlflowMetric {
  key: string;
  value: JsonDouble;
  step: number;
  timestamp: number;
}

export interface MlflowRun {
  info: MlflowRunInfo;
  data: { params: MlflowTag[]; metrics: MlflowMetric[]; tags: MlflowTag[] };
}

export interface MlflowExport {
  format: typeof EXPORT_FORMAT;
  exported_at: number;
  experiment: MlflowExperiment;
  runs: MlflowRun[];
}

export function jsonDouble(value: number): JsonDouble {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return 'Infinity';
  if (value === -Infinity) return '-Infinity';
  return value;
}

/** Artifacts (weights) stay in the browser's storage; the URI names where, for the record. */
function artifactRoot(project: Project): string {
  return `loopbench:/projects/${encodeURIComponent(project.id)}`;
}

export function mlflowRun(project: Project, run: Run): MlflowRun {
  return {
    info: {
      run_id: run.id,
      run_name: run.name,
      experiment_id: project.id,
      status: mlflowStatus(run.status),
      start_time: run.startedAt,
      end_time: run.endedAt,
      lifecycle_stage: 'active',
      artifact_uri: `${artifactRoot(project)}/runs/${encodeURIComponent(run.id)}/artifacts`,
    },
    data: {
      params: paramsOf(run),
      metrics: metricPointsOf(run).map((p) => ({ key: p.key, value: jsonDouble(p.value), step: p.step, timestamp: p.timestamp })),
      tags: tagsOf(run),
    },
  };
}

export function buildMlflowExport(project: Project, runs: readonly Run[], exportedAt: number): MlflowExport {
  const lastUpdate = runs.reduce((t, r) => Math.max(t, r.endedAt ?? r.startedAt), project.createdAt);
  return {
    format: EXPORT_FORMAT,
    exported_at: exportedAt,
    experiment: {
      experiment_id: project.id,
      name: project.name,
      artifact_location: artifactRoot(project),
      lifecycle_stage: 'active',
      tags: experimentTags(project),
      creation_time: project.createdAt,
      last_update_time: lastUpdate,
    },
    runs: runs.map((r) => mlflowRun(project, r)),
  };
}

export function mlflowExportJson(project: Project, runs: readonly Run[], exportedAt: number): string {
  return `${JSON.stringify(buildMlflowExport(project, runs, exportedAt), null, 2)}\n`;
}
